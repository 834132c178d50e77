"""Text output for people: rich ``Text`` lines, Vietnamese first.

Every value from the knowledge base goes into a ``rich.text.Text`` as plain data (never parsed
as markup) after :func:`gialai_remote.render.common.safe`, so brackets print literally and no
control character reaches the terminal. No box drawing and no hard wrapping: the output is
copied into e-mails and chat messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from gialai_remote.decide import Advice, CheckResult, ContactInfo, NoticeInfo, Query, Reason, format_date
from gialai_remote.i18n import t
from gialai_remote.render.common import group_phone, query_summary
from gialai_remote.render.lines import Lines
from gialai_remote.render.lines import bullets as _bullets
from gialai_remote.render.lines import heading as _heading
from gialai_remote.render.lines import line as _line


def contact_line(contact: ContactInfo, lang: str, indent: int = 0) -> Text:
    """``Ông Lê Văn Hải (title, organization): 0934 121 298``."""
    extra = ", ".join(x for x in (contact.title, contact.organization) if x)
    who = f"{contact.name} ({extra})" if extra else contact.name
    return _line(("- ", "dim"), f"{who}: ", (group_phone(contact.phone), "bold cyan"), indent=indent)


def _query_lines(query: Query, names: dict[str, str]) -> Lines:
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
                (f"[{format_date(n.effective, lang)}] ", "bold"),
                n.text,
                (f" ({t('label.notice_source', lang)}: {n.source})", "dim"),
                indent=2,
            )
        )
    return lines


def _footer(document: str, issuer: str, date_text: str, lang: str) -> Lines:
    return [Text(), _line((t("label.footer", lang, document=document, date=date_text, issuer=issuer), "dim"))]


def render_advice(advice: Advice, names: dict[str, str]) -> Lines:
    """The ``recommend`` text output.

    Args:
        advice: the decision.
        names: display names of the query's role, task, sensitivity and platform, keyed by
            "role", "task", "sensitivity", "platform".

    Returns:
        The lines to print, in order.
    """
    lang = advice.query.lang
    lines: Lines = []
    count = len(advice.recommendations)
    if count:
        lines.append(_line((t("verdict.recommend", lang, count=count), "bold green")))
    elif not advice.eligible:
        lines.append(_line((t("verdict.not_eligible", lang), "bold red")))
    else:
        lines.append(_line((t("verdict.none", lang), "bold red")))
    lines += _query_lines(advice.query, names)
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
            lines += [contact_line(c, lang, indent=5) for c in rec.contacts]
        if rec.warnings:
            lines.append(_heading(t("label.tool_warnings", lang), indent=3))
            lines += _bullets(rec.warnings, indent=5, style="yellow")
    if advice.excluded:
        lines.append(Text())
        lines.append(_heading(t("label.excluded", lang)))
        for exc in advice.excluded:
            # Each reason names the tool already.
            lines.append(_line(("- ", "dim"), " ".join(r.message for r in exc.reasons), indent=2))
    if advice.warnings:
        lines.append(Text())
        lines.append(_heading(t("label.warnings", lang)))
        lines += _bullets(advice.warnings, indent=2, style="yellow")
    lines += notice_lines(advice.notices, lang)
    lines += _footer(advice.source.document, advice.source.issuer, format_date(advice.source.date, lang), lang)
    return lines


def render_check(result: CheckResult, names: dict[str, str]) -> Lines:
    """The ``check`` text output: the verdict, every reason with its section, warnings."""
    lang = result.query.lang
    key = "verdict.allowed" if result.allowed else "verdict.not_allowed"
    lines: Lines = [_line((t(key, lang, tool=result.name), "bold green" if result.allowed else "bold red"))]
    lines += _query_lines(result.query, names)
    if result.reasons:
        lines.append(Text())
        lines.append(_heading(t("label.reasons", lang)))
        lines += _reasons(result.reasons, indent=2)
    if result.warnings:
        lines.append(Text())
        lines.append(_heading(t("label.warnings", lang)))
        lines += _bullets(result.warnings, indent=2, style="yellow")
    lines += notice_lines(result.notices, lang)
    lines += _footer(result.source.document, result.source.issuer, format_date(result.source.date, lang), lang)
    return lines
