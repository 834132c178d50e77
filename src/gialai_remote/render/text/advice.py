"""Text output of ``recommend`` and ``check``: lines (:class:`~.lines.Line`), Vietnamese first.

Every value from the knowledge base goes into a :class:`~.lines.Line` as plain data (never parsed
as markup) after :func:`gialai_remote.render.words.safe`, so brackets print literally and no
control character reaches the terminal. The notices block and the contact line are shared
with the other text renderers.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    StatusInfo,
    WarningInfo,
)
from gialai_remote.i18n import t
from gialai_remote.render.text.lines import Line, Lines
from gialai_remote.render.text.lines import bullets as _bullets
from gialai_remote.render.text.lines import heading as _heading
from gialai_remote.render.text.lines import line as _line
from gialai_remote.render.words import (
    contact_freshness,
    contact_phone,
    contact_who,
    detail_warnings,
    excluded_entries,
    footer_line,
    no_contact,
    notice_confidence,
    notice_head,
    notice_source,
    notice_title,
    opening,
    other_warnings,
    query_summary,
    status_line,
    verdict,
)


def contact_line(contact: ContactInfo, indent: int = 0) -> Line:
    """``- Ông Lê Văn Hải (title, organization): 0934 121 298``."""
    return _line(
        ("- ", "dim"),
        f"{contact_who(contact)}: ",
        (contact_phone(contact), "bold cyan"),
        *fresh(contact),
        indent=indent,
    )


def contact_block(contacts: Sequence[ContactInfo], warnings: Sequence[WarningInfo], lang: str, indent: int) -> Lines:
    """The "Liên hệ hỗ trợ:" heading and a line per contact, or, for an official tool the letter
    names nobody for, whom to ask (the ``no_contact`` warning); nothing otherwise."""
    if contacts:
        return [
            _heading(t("label.contacts", lang), indent=indent),
            *(contact_line(c, indent=indent + 2) for c in contacts),
        ]
    note = no_contact(warnings)
    if note is None:
        return []
    return [_heading(t("label.contacts", lang), indent=indent), _line(note, indent=indent + 2)]


def fresh(contact: ContactInfo) -> tuple[tuple[str, str], ...]:
    """The freshness printed after a number (:func:`gialai_remote.render.words.contact_freshness`),
    dimmed: ``((" (theo Công văn, 2020)", "dim"),)``; nothing when the contact does not say."""
    note = contact_freshness(contact)
    return ((f" {note}", "dim"),) if note else ()


def _query_lines(query: Query, names: QueryNames) -> Lines:
    return [_line((query_summary(query, names), "dim"))]


def _reasons(reasons: Sequence[Reason], indent: int) -> Lines:
    return _bullets((r.message for r in reasons), indent)


def notice_lines(notices: Sequence[NoticeInfo], lang: str) -> Lines:
    """The "notices from after the letter" block: a heading and one line per notice."""
    if not notices:
        return []
    lines = [Line(), _heading(t("label.notices", lang))]
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


def opening_lines(warnings: Sequence[WarningInfo]) -> Lines:
    """The block that opens an answer given more than a year after the letter: what the answer
    is and how old, then what changed since and to check before use; then a blank line. Empty
    when the answer is not late."""
    found = opening(warnings)
    if not found:
        return []
    head, *rest = found
    return [_line((head, "bold yellow")), *_bullets(rest, indent=2, style="yellow"), Line()]


def status_lines(status: Sequence[StatusInfo], lang: str, indent: int) -> Lines:
    """A tool's status entries in force ("Tình trạng sau Công văn:"), each with its sources."""
    if not status:
        return []
    return [
        _heading(t("label.status", lang), indent=indent),
        *_bullets((status_line(s, lang) for s in status), indent + 2, "yellow"),
    ]


def short_notice_lines(notices: Sequence[NoticeInfo], lang: str) -> Lines:
    """The notices block of ``recommend`` and ``check``: one line per notice, its day and its
    short form (:func:`gialai_remote.render.words.notice_title`); ``--verbose`` gives
    :func:`notice_lines` instead."""
    if not notices:
        return []
    lines = [Line(), _heading(t("label.notices", lang))]
    for n in notices:
        confidence = notice_confidence(n, lang)
        parts: list[str | tuple[str, str]] = [("- ", "dim"), (f"[{notice_head(n, lang)}] ", "bold"), notice_title(n)]
        if confidence:
            parts.append((f" ({confidence})", "dim"))
        lines.append(_line(*parts, indent=2))
    return lines


def excluded_lines(excluded: Sequence[Exclusion], lang: str, verbose: bool = False, everyone: bool = False) -> Lines:
    """The "ruled out" block: one line per cause listing the tools it rules out, or with
    ``verbose`` one line per tool with every reason's sentence; with ``everyone`` (nothing is
    recommended) a cause ruling out every tool says "all N tools for this task"
    (:func:`gialai_remote.render.words.excluded_entries`)."""
    if not excluded:
        return []
    lines = [Line(), _heading(t("label.excluded", lang))]
    for lead, text in excluded_entries(excluded, lang, verbose, everyone):
        lines.append(_line(("- ", "dim"), (f"{lead}: " if lead else "", "bold"), text, indent=2))
    return lines


def _explanation_lines(explanation: WarningInfo | None) -> Lines:
    """The instruction that answers when nothing is allowed, set apart right after the query."""
    return [Line(), _line((explanation.message, "bold yellow"))] if explanation else []


def _later_lines(
    warnings: Sequence[WarningInfo],
    explanation: WarningInfo | None,
    notices: Sequence[NoticeInfo],
    lang: str,
    verbose: bool,
) -> Lines:
    """The detail after the answer: the warnings (but the explanation, already shown), the
    notices (one line each, or in full with ``verbose``), and how to see everything."""
    lines: Lines = []
    rest = detail_warnings(warnings, explanation)
    if rest:
        lines.append(Line())
        lines.append(_heading(t("label.warnings", lang)))
        lines += _bullets(rest, indent=2, style="yellow")
    lines += notice_lines(notices, lang) if verbose else short_notice_lines(notices, lang)
    return lines


def footer_lines(source: SourceInfo, lang: str) -> Lines:
    """A blank line and the letter's footer: "Nguồn: Công văn 415/STTTT-CNTT ngày 1/4/2020 ..."."""
    return [Line(), _line((footer_line(source, lang), "dim"))]


def render_advice(advice: Advice, verbose: bool = False) -> Lines:
    """The ``recommend`` text output, the answer first: the opening block of a late answer
    (issue 12: what the answer is and how old), the verdict and the query; the instruction when
    nothing fits (secret content: not remotely, with the law); each
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
    lines: Lines = opening_lines(advice.warnings)
    lines.append(_line((verdict(advice), "bold green" if advice.recommendations else "bold red")))
    lines += _query_lines(advice.query, advice.names)
    # The answer comes here, before any detail; what a late answer is (issue 12) came first.
    lines += _explanation_lines(advice.explanation)
    for rec in advice.recommendations:
        lines.append(Line())
        lines.append(
            _line((f"{rec.rank}. {rec.name}", "bold"), (f" ({t('label.section', lang)} {rec.section})", "dim"))
        )
        lines += status_lines(rec.status, lang, indent=3)
        if rec.reasons:
            lines.append(_heading(t("label.why", lang), indent=3))
            lines += _bullets(rec.reasons, indent=5)
        if rec.setup_steps:
            lines.append(_heading(t("label.setup", lang), indent=3))
            lines += [_line(f"{i}) ", step, indent=5) for i, step in enumerate(rec.setup_steps, start=1)]
        lines += contact_block(rec.contacts, rec.warnings, lang, indent=3)
        tool_warnings = other_warnings(rec.warnings)
        if tool_warnings:
            lines.append(_heading(t("label.tool_warnings", lang), indent=3))
            lines += _bullets(tool_warnings, indent=5, style="yellow")
    # Nothing recommended: a cause ruling out every tool is said so, without twelve names.
    lines += excluded_lines(advice.excluded, lang, verbose, everyone=not advice.recommendations)
    lines += _later_lines(advice.warnings, advice.explanation, advice.notices, lang, verbose)
    lines += _hint_lines(bool(advice.notices or len(advice.excluded) > 1) and not verbose, lang)
    lines += footer_lines(advice.source, lang)
    return lines


def _hint_lines(show: bool, lang: str) -> Lines:
    """A blank line and "the notices in full ...: add --verbose", when something is shortened."""
    return [Line(), _line((t("label.verbose_hint", lang), "dim"))] if show else []


def render_check(result: CheckResult, verbose: bool = False) -> Lines:
    """The ``check`` text output: the opening block of a late answer, the verdict and the query;
    the instruction when a kind of rule gives one (secret content); the tool's status; every
    reason with its citations; what to use instead; the other
    warnings; the notices one line each (in full with ``verbose``); the footer."""
    lang = result.query.lang
    key = "verdict.allowed" if result.allowed else "verdict.not_allowed"
    lines: Lines = opening_lines(result.warnings)
    lines.append(_line((t(key, lang, tool=result.name), "bold green" if result.allowed else "bold red")))
    lines += _query_lines(result.query, result.names)
    lines += _explanation_lines(result.explanation)
    if result.status:
        lines += [Line(), *status_lines(result.status, lang, indent=0)]
    if result.reasons:
        lines.append(Line())
        lines.append(_heading(t("label.reasons", lang)))
        lines += _reasons(result.reasons, indent=2)
    if result.allowed:
        block = contact_block(result.contacts, result.warnings, lang, indent=0)
        if block:
            lines += [Line(), *block]
    if not result.allowed:
        # One line: what the same query may use instead (recommend's order), or that nothing may.
        if result.alternatives:
            names = ", ".join(f"{a.name} ({a.tool})" for a in result.alternatives)
            lines += [Line(), _line((t("label.alternatives", lang), "bold"), f" {names}")]
        else:
            lines += [Line(), _line((t("label.no_alternatives", lang), "bold"))]
    lines += _later_lines(result.warnings, result.explanation, result.notices, lang, verbose)
    lines += _hint_lines(bool(result.notices) and not verbose, lang)
    lines += footer_lines(result.source, lang)
    return lines
