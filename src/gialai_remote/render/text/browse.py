"""Text output of the browse commands: ``tools``, ``tools show``, ``contacts``, ``notices``,
``roles``, ``tasks``.

As in :mod:`gialai_remote.render.text.advice`, every value from the knowledge base goes into a
:class:`~.lines.Line` as data (never markup) after :func:`gialai_remote.render.words.safe`. What a tool's
rules allow arrives as rows already in words (:class:`gialai_remote.describe.Fact`, from the
rule registry), so nothing here knows a kind of rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gialai_remote.i18n import t
from gialai_remote.render.text.advice import contact_line, footer_lines, fresh, notice_lines, status_lines
from gialai_remote.render.text.lines import Line, Lines
from gialai_remote.render.text.lines import bullets as _bullets
from gialai_remote.render.text.lines import heading as _heading
from gialai_remote.render.text.lines import line as _line
from gialai_remote.render.words import (
    contact_phone,
    contact_who,
    format_date,
    no_contact,
    notice_head,
    notice_source,
    notice_title,
    other_warnings,
)

if TYPE_CHECKING:
    import datetime as dt

    from gialai_remote.advice import ContactInfo, NoticeInfo, WarningInfo
    from gialai_remote.describe import TermInfo, ToolDescription
    from gialai_remote.model import KnowledgeBase


def _tool_names(ids: Sequence[str], lang: str) -> str:
    if not ids:
        return t("browse.none", lang)
    return ", ".join(ids)


def _pad(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows of columns as lines, every column but the last padded to its widest cell."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip() for row in rows
    ]


# ---- tools -----------------------------------------------------------------------------------


def _fits(lines: Sequence[str], width: int | None) -> bool:
    """Whether every line fits in ``width`` columns (always, when ``width`` is None)."""
    if width is None:
        return True
    from rich.cells import cell_len

    return all(cell_len(line) <= width for line in lines)


def render_tools(kb: KnowledgeBase, lang: str, width: int | None = None) -> Lines:
    """``tools``: one line per tool: id, name, section and category, in columns.

    Args:
        kb: the knowledge base.
        lang: "vi" or "en".
        width: the terminal's width in columns, or None (a file or a pipe: always columns).
            When the columns do not fit, each tool is a list entry instead: its id, then
            its name, section and category indented under it.
    """
    rows = [
        (
            tool.id,
            tool.name.get(lang),
            f"({t('label.section', lang)} {tool.section}; {t(f'browse.category.{tool.category}', lang)})",
        )
        for tool in kb.tools
    ]
    table = _pad(rows)
    if _fits(table, width):
        return [_line(row) for row in table]
    lines: Lines = []
    for tool_id, name, where in rows:
        lines += [_line((tool_id, "bold")), _line(f"{name} {where}", indent=2)]
    return lines


def render_tool(d: ToolDescription) -> Lines:
    """``tools show ID``: everything about one tool, the letter's section first."""
    tool, lang = d.tool, d.lang
    category = t(f"browse.category.{tool.category}", lang)
    lines: Lines = [
        _line((tool.name.get(lang), "bold"), (f" ({tool.id})", "dim")),
        _line((f"{t('label.section', lang).capitalize()} {tool.section}; {category}", "dim")),
    ]
    if d.description:
        lines.append(_line(d.description))
    if d.status:
        lines += [Line(), *status_lines(d.status, lang, indent=0)]
    lines.append(Line())
    facts: list[tuple[str, str]] = [(fact.label, fact.text) for fact in d.facts if fact.text is not None]
    if d.operator:
        facts.append((t("browse.operator", lang), d.operator))
    if d.app:
        facts.append((t("browse.app", lang), d.app))
    if tool.server_url:
        facts.append((t("browse.server_url", lang), tool.server_url))
    if tool.bridge_points is not None:
        facts.append((t("browse.bridge_points", lang), str(tool.bridge_points)))
    if tool.aliases:
        facts.append((t("browse.aliases", lang), ", ".join(tool.aliases)))
    lines += [_line((f"{label} ", "bold"), value) for label, value in facts]
    if d.steps:
        lines += [Line(), _heading(t("label.setup", lang))]
        lines += [_line(f"{i}) ", step, indent=2) for i, step in enumerate(d.steps, start=1)]
    if d.contacts:
        lines += [Line(), _heading(t("label.contacts", lang))]
        lines += [contact_line(c, indent=2) for c in d.contacts]
    elif tool.category == "official":  # section 1: the letter names nobody; whom to ask instead
        lines += [Line(), _heading(t("label.contacts", lang)), _line(t("handout.no_contacts", lang), indent=2)]
    if tool.notes:
        lines += [Line(), _heading(t("browse.notes", lang))]
        lines += _bullets((n.get(lang) for n in tool.notes), indent=2)
    lines += [Line(), _heading(t("browse.rules", lang))]
    for info in d.rules:
        said = [x for x in (info.note, info.warning) if x is not None]
        lines.append(
            _line(
                ("- ", "dim"),
                (info.rule.id, "bold"),
                (f" ({info.source.label if info.source else info.rule.section})", "dim"),
                f": {info.says}",
                f" {' '.join(said)}" if said else "",
                indent=2,
            )
        )
    warnings = other_warnings(d.warnings, with_opening=True)
    if warnings:
        lines += [Line(), _heading(t("label.warnings", lang))]
        lines += _bullets(warnings, indent=2, style="yellow")
    lines += notice_lines(d.notices, lang)
    lines += footer_lines(d.source, lang)
    return lines


# ---- contacts, roles, tasks ------------------------------------------------------------------


def render_contacts(contacts: Sequence[ContactInfo], warnings: Sequence[WarningInfo], lang: str) -> Lines:
    """``contacts``: who to call, the number grouped for reading, and for which tools."""
    lines: Lines = []
    for c in contacts:
        lines.append(_line(f"{contact_who(c)}: ", (contact_phone(c), "bold cyan"), *fresh(c)))
        using = t("browse.tools_using", lang, tools=_tool_names(c.tools, lang))
        detail = f"{t('label.section', lang)} {c.section}; {using}"
        lines.append(_line((detail, "dim"), indent=2))
    note = no_contact(warnings)
    if note is not None:
        lines.append(_line(note))
    shown = [w.message for w in warnings if w.code != "no_contact"]
    if shown:
        lines += [Line(), _heading(t("label.warnings", lang))]
        lines += _bullets(shown, indent=2, style="yellow")
    return lines


def render_notices(notices: Sequence[NoticeInfo], on: dt.date, lang: str) -> Lines:
    """``notices``: each notice in force, its day and short form in bold, then its whole text
    and its source indented under it; a blank line between notices; one line when there is none."""
    if not notices:
        return [_line(t("browse.no_notices", lang, date=format_date(on, lang)))]
    lines: Lines = []
    for i, n in enumerate(notices):
        if i:
            lines.append(Line())
        lines.append(_line((f"[{notice_head(n, lang)}] ", "bold"), (notice_title(n), "bold")))
        if n.title and n.title != n.text:
            lines.append(_line(n.text, indent=2))
        lines.append(_line((notice_source(n, lang), "dim"), indent=2))
    return lines


def render_terms(terms: Sequence[TermInfo], lang: str, width: int | None = None) -> Lines:
    """``roles`` or ``tasks``: id, name and section; for tasks, the tools that serve each.

    ``width`` as for :func:`render_tools`: columns when they fit (or for a file or pipe),
    else each entry's id with its name and section indented under it.
    """
    rows = []
    for term in terms:
        section = f"({t('label.section', lang)} {term.section})" if term.section else ""
        rows.append((term.id, term.name, section))
    table = _pad(rows)
    narrow = not _fits(table, width)
    lines: Lines = []
    for term, row, cells in zip(terms, table, rows, strict=True):
        if narrow:
            lines += [_line((cells[0], "bold")), _line(" ".join(c for c in cells[1:] if c), indent=2)]
        else:
            lines.append(_line(row))
        if term.tools is not None:
            serving = _tool_names(term.tools, lang)
            lines.append(_line((t("browse.tools_using", lang, tools=serving), "dim"), indent=2))
    return lines
