"""Text output of ``recommend`` and ``check``: rich ``Text`` lines, Vietnamese first.

Every value from the knowledge base goes into a ``rich.text.Text`` as plain data (never parsed
as markup) after :func:`gialai_remote.render.words.safe`, so brackets print literally and no
control character reaches the terminal. The notices block and the contact line are shared
with the other text renderers.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from gialai_remote.advice import (
    Advice,
    CheckResult,
    ContactInfo,
    Exclusion,
    NoticeInfo,
    Query,
    QueryNames,
    Reason,
    SourceInfo,
)
from gialai_remote.i18n import t
from gialai_remote.render.text.lines import Lines
from gialai_remote.render.text.lines import bullets as _bullets
from gialai_remote.render.text.lines import heading as _heading
from gialai_remote.render.text.lines import line as _line
from gialai_remote.render.words import (
    contact_phone,
    contact_who,
    detail_warnings,
    excluded_entries,
    footer_line,
    notice_head,
    notice_source,
    notice_title,
    query_summary,
    verdict,
)


def contact_line(contact: ContactInfo, indent: int = 0) -> Text:
    """``- Ông Lê Văn Hải (title, organization): 0934 121 298``."""
    return _line(("- ", "dim"), f"{contact_who(contact)}: ", (contact_phone(contact), "bold cyan"), indent=indent)


def _query_lines(query: Query, names: QueryNames) -> Lines:
    return [_line((query_summary(query, names), "dim"))]


def _reasons(reasons: Sequence[Reason], indent: int) -> Lines:
    return _bullets((r.message for r in reasons), indent)


def notice_lines(notices: Sequence[NoticeInfo], lang: str) -> Lines:
    """The "notices from after the letter" block: a heading and one line per notice."""
    if not notices:
        return []
    lines = [Text(), _heading(t("label.notices", lang))]
    for n in notices:
        lines.append(
            _line(
                ("- ", "dim"),
                (f"[{notice_head(n, lang)}] ", "bold"),
                n.text,
                (f" {notice_source(n, lang)}", "dim"),
                indent=2,
            )
        )
    return lines


def short_notice_lines(notices: Sequence[NoticeInfo], lang: str) -> Lines:
    """The notices block of ``recommend`` and ``check``: one line per notice, its day and its
    short form (:func:`gialai_remote.render.words.notice_title`); ``--verbose`` gives
    :func:`notice_lines` instead."""
    if not notices:
        return []
    lines = [Text(), _heading(t("label.notices", lang))]
    lines += [_line(("- ", "dim"), (f"[{notice_head(n, lang)}] ", "bold"), notice_title(n), indent=2) for n in notices]
    return lines


def excluded_lines(excluded: Sequence[Exclusion], lang: str, verbose: bool = False, everyone: bool = False) -> Lines:
    """The "ruled out" block: one line per cause listing the tools it rules out, or with
    ``verbose`` one line per tool with every reason's sentence; with ``everyone`` (nothing is
    recommended) a cause ruling out every tool says "all N tools for this task"
    (:func:`gialai_remote.render.words.excluded_entries`)."""
    if not excluded:
        return []
    lines = [Text(), _heading(t("label.excluded", lang))]
    for lead, text in excluded_entries(excluded, lang, verbose, everyone):
        lines.append(_line(("- ", "dim"), (f"{lead}: " if lead else "", "bold"), text, indent=2))
    return lines


def _explanation_lines(explanation: str | None) -> Lines:
    """The instruction that answers when nothing is allowed, set apart right after the query."""
    return [Text(), _line((explanation, "bold yellow"))] if explanation else []


def _later_lines(
    warnings: Sequence[str], explanation: str | None, notices: Sequence[NoticeInfo], lang: str, verbose: bool
) -> Lines:
    """The detail after the answer: the warnings (but the explanation, already shown), the
    notices (one line each, or in full with ``verbose``), and how to see everything."""
    lines: Lines = []
    rest = detail_warnings(warnings, explanation)
    if rest:
        lines.append(Text())
        lines.append(_heading(t("label.warnings", lang)))
        lines += _bullets(rest, indent=2, style="yellow")
    lines += notice_lines(notices, lang) if verbose else short_notice_lines(notices, lang)
    return lines


def footer_lines(source: SourceInfo, lang: str) -> Lines:
    """A blank line and the letter's footer: "Nguồn: Công văn 415/STTTT-CNTT ngày 1/4/2020 ..."."""
    return [Text(), _line((footer_line(source, lang), "dim"))]


def render_advice(advice: Advice, verbose: bool = False) -> Lines:
    """The ``recommend`` text output, the answer first: the verdict and the query; the
    instruction when nothing fits (secret content: not remotely, with the law); each
    recommendation; then the detail: the excluded tools one line per cause, the other
    warnings, the notices one line each, the letter's footer.

    Args:
        advice: the answer.
        verbose: list the excluded tools one by one with every reason, and the notices in full
            with their sources (``--verbose``).

    Returns:
        The lines, to print in order.
    """
    lang = advice.query.lang
    lines: Lines = [_line((verdict(advice), "bold green" if advice.recommendations else "bold red"))]
    lines += _query_lines(advice.query, advice.names)
    # The answer comes here, before any detail (and before the first recommendation comes the
    # opening block that says what a late answer is, issue 12).
    lines += _explanation_lines(advice.explanation)
    for rec in advice.recommendations:
        lines.append(Text())
        lines.append(
            _line((f"{rec.rank}. {rec.name}", "bold"), (f" ({t('label.section', lang)} {rec.section})", "dim"))
        )
        if rec.reasons:
            lines.append(_heading(t("label.why", lang), indent=3))
            lines += _bullets(rec.reasons, indent=5)
        if rec.setup_steps:
            lines.append(_heading(t("label.setup", lang), indent=3))
            lines += [_line(f"{i}) ", step, indent=5) for i, step in enumerate(rec.setup_steps, start=1)]
        if rec.contacts:
            lines.append(_heading(t("label.contacts", lang), indent=3))
            lines += [contact_line(c, indent=5) for c in rec.contacts]
        if rec.warnings:
            lines.append(_heading(t("label.tool_warnings", lang), indent=3))
            lines += _bullets(rec.warnings, indent=5, style="yellow")
    # Nothing recommended: a cause ruling out every tool is said so, without twelve names.
    lines += excluded_lines(advice.excluded, lang, verbose, everyone=not advice.recommendations)
    lines += _later_lines(advice.warnings, advice.explanation, advice.notices, lang, verbose)
    lines += _hint_lines(bool(advice.notices or len(advice.excluded) > 1) and not verbose, lang)
    lines += footer_lines(advice.source, lang)
    return lines


def _hint_lines(show: bool, lang: str) -> Lines:
    """A blank line and "the notices in full ...: add --verbose", when something is shortened."""
    return [Text(), _line((t("label.verbose_hint", lang), "dim"))] if show else []


def render_check(result: CheckResult, verbose: bool = False) -> Lines:
    """The ``check`` text output: the verdict and the query; the instruction when a kind of rule
    gives one (secret content); every reason with its section; what to use instead; the other
    warnings; the notices one line each (in full with ``verbose``); the footer."""
    lang = result.query.lang
    key = "verdict.allowed" if result.allowed else "verdict.not_allowed"
    lines: Lines = [_line((t(key, lang, tool=result.name), "bold green" if result.allowed else "bold red"))]
    lines += _query_lines(result.query, result.names)
    lines += _explanation_lines(result.explanation)
    if result.reasons:
        lines.append(Text())
        lines.append(_heading(t("label.reasons", lang)))
        lines += _reasons(result.reasons, indent=2)
    if not result.allowed:
        # One line: what the same query may use instead (recommend's order), or that nothing may.
        if result.alternatives:
            names = ", ".join(f"{a.name} ({a.tool})" for a in result.alternatives)
            lines += [Text(), _line((t("label.alternatives", lang), "bold"), f" {names}")]
        else:
            lines += [Text(), _line((t("label.no_alternatives", lang), "bold"))]
    lines += _later_lines(result.warnings, result.explanation, result.notices, lang, verbose)
    lines += _hint_lines(bool(result.notices) and not verbose, lang)
    lines += footer_lines(result.source, lang)
    return lines
