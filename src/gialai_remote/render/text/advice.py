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
    NoticeInfo,
    Query,
    QueryNames,
    Reason,
    SourceInfo,
    StatusInfo,
    WarningInfo,
)
from gialai_remote.i18n import t
from gialai_remote.render.text.lines import Lines
from gialai_remote.render.text.lines import bullets as _bullets
from gialai_remote.render.text.lines import heading as _heading
from gialai_remote.render.text.lines import line as _line
from gialai_remote.render.words import (
    contact_freshness,
    contact_phone,
    contact_who,
    footer_line,
    no_contact,
    notice_head,
    notice_source,
    opening,
    other_warnings,
    query_summary,
    status_line,
)


def contact_line(contact: ContactInfo, indent: int = 0) -> Text:
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


def opening_lines(warnings: Sequence[WarningInfo]) -> Lines:
    """The block that opens an answer given more than a year after the letter: what the answer
    is and how old, then what changed since and to check before use; then a blank line. Empty
    when the answer is not late."""
    found = opening(warnings)
    if not found:
        return []
    head, *rest = found
    return [_line((head, "bold yellow")), *_bullets(rest, indent=2, style="yellow"), Text()]


def status_lines(status: Sequence[StatusInfo], lang: str, indent: int) -> Lines:
    """A tool's status entries in force ("Tình trạng sau Công văn:"), each with its sources."""
    if not status:
        return []
    return [
        _heading(t("label.status", lang), indent=indent),
        *_bullets((status_line(s, lang) for s in status), indent + 2, "yellow"),
    ]


def footer_lines(source: SourceInfo, lang: str) -> Lines:
    """A blank line and the letter's footer: "Nguồn: Công văn 415/STTTT-CNTT ngày 1/4/2020 ..."."""
    return [Text(), _line((footer_line(source, lang), "dim"))]


def render_advice(advice: Advice) -> Lines:
    """The ``recommend`` text output: the opening block of a late answer, the verdict, the
    query, each recommendation (its status first), the excluded tools (one sentence per
    cause), the warnings, the notices and the letter's footer, in order."""
    lang = advice.query.lang
    lines: Lines = opening_lines(advice.warnings)
    count = len(advice.recommendations)
    if count:
        lines.append(_line((t("verdict.recommend", lang, count=count), "bold green")))
    elif not advice.eligible:
        lines.append(_line((t("verdict.not_eligible", lang), "bold red")))
    else:
        lines.append(_line((t("verdict.none", lang), "bold red")))
    lines += _query_lines(advice.query, advice.names)
    for rec in advice.recommendations:
        lines.append(Text())
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
    if advice.excluded:
        lines.append(Text())
        lines.append(_heading(t("label.excluded", lang)))
        for exc in advice.excluded:
            # Each reason names the tool already.
            lines.append(_line(("- ", "dim"), " ".join(r.message for r in exc.reasons), indent=2))
    warnings = other_warnings(advice.warnings)
    if warnings:
        lines.append(Text())
        lines.append(_heading(t("label.warnings", lang)))
        lines += _bullets(warnings, indent=2, style="yellow")
    lines += notice_lines(advice.notices, lang)
    lines += footer_lines(advice.source, lang)
    return lines


def render_check(result: CheckResult) -> Lines:
    """The ``check`` text output: the opening block of a late answer, the verdict, the tool's
    status, every reason with its citations, warnings, notices."""
    lang = result.query.lang
    key = "verdict.allowed" if result.allowed else "verdict.not_allowed"
    lines: Lines = opening_lines(result.warnings)
    lines.append(_line((t(key, lang, tool=result.name), "bold green" if result.allowed else "bold red")))
    lines += _query_lines(result.query, result.names)
    if result.status:
        lines += [Text(), *status_lines(result.status, lang, indent=0)]
    if result.reasons:
        lines.append(Text())
        lines.append(_heading(t("label.reasons", lang)))
        lines += _reasons(result.reasons, indent=2)
    if result.allowed:
        block = contact_block(result.contacts, result.warnings, lang, indent=0)
        if block:
            lines += [Text(), *block]
    if not result.allowed:
        # One line: what the same query may use instead (recommend's order), or that nothing may.
        if result.alternatives:
            names = ", ".join(f"{a.name} ({a.tool})" for a in result.alternatives)
            lines += [Text(), _line((t("label.alternatives", lang), "bold"), f" {names}")]
        else:
            lines += [Text(), _line((t("label.no_alternatives", lang), "bold"))]
    warnings = other_warnings(result.warnings)
    if warnings:
        lines.append(Text())
        lines.append(_heading(t("label.warnings", lang)))
        lines += _bullets(warnings, indent=2, style="yellow")
    lines += notice_lines(result.notices, lang)
    lines += footer_lines(result.source, lang)
    return lines
