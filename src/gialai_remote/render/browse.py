"""Output of the browse commands (``tools``, ``tools show``, ``contacts``, ``roles``, ``tasks``)
and of ``validate``: rich ``Text`` lines for people, plain dicts for ``--format json``.

As in :mod:`gialai_remote.render.text`, every value from the knowledge base goes into a
``Text`` as data (never markup) after :func:`gialai_remote.render.common.safe`. JSON dicts
carry ids and digits-only phone numbers; names and texts are in the language asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from gialai_remote.decide import format_date
from gialai_remote.describe import ToolDescription, tools_serving, tools_using
from gialai_remote.errors import Problem
from gialai_remote.i18n import t
from gialai_remote.model import Contact, KnowledgeBase, Notice, Rule, Term, Tool
from gialai_remote.render.common import group_phone
from gialai_remote.render.lines import Lines
from gialai_remote.render.lines import bullets as _bullets
from gialai_remote.render.lines import heading as _heading
from gialai_remote.render.lines import line as _line

#: The version of the browse commands' JSON output (same numbering as CONTRACT.md's).
SCHEMA_VERSION = 1


def _names(kb: KnowledgeBase, kind: str, ids: Sequence[str], lang: str) -> str:
    if not ids:
        return t("browse.none", lang)
    return ", ".join(kb.term(kind, i).name.get(lang) if kb.has(kind, i) else i for i in ids)


def _tool_names(ids: Sequence[str], lang: str) -> str:
    if not ids:
        return t("browse.none", lang)
    return ", ".join(ids)


def _contact_who(contact: Contact, lang: str) -> str:
    extra = ", ".join(x.get(lang) for x in (contact.title, contact.organization) if x)
    name = contact.display_name(lang)
    return f"{name} ({extra})" if extra else name


def _pad(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows of columns as lines, every column but the last padded to its widest cell."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip() for row in rows
    ]


def _notice_lines(notices: Sequence[Notice], lang: str) -> Lines:
    """The notices as ``recommend`` prints them (one renderer for both)."""
    from gialai_remote.decide import NoticeInfo
    from gialai_remote.render.text import notice_lines

    return notice_lines([NoticeInfo(n.id, n.effective, n.text.get(lang), n.source, n.affects) for n in notices], lang)


def _footer(kb: KnowledgeBase, lang: str) -> Lines:
    src = kb.source
    footer = t(
        "label.footer", lang, document=src.document, date=format_date(src.date, lang), issuer=src.issuer.get(lang)
    )
    return [Text(), _line((footer, "dim"))]


# ---- tools -----------------------------------------------------------------------------------


def render_tools(kb: KnowledgeBase, lang: str) -> Lines:
    """``tools``: one line per tool: id, name, section and category."""
    rows = [
        (
            tool.id,
            tool.name.get(lang),
            f"({t('label.section', lang)} {tool.section}; {t(f'browse.category.{tool.category}', lang)})",
        )
        for tool in kb.tools
    ]
    return [_line(row) for row in _pad(rows)]


def tools_dict(kb: KnowledgeBase, lang: str) -> dict[str, Any]:
    """``tools --format json``: ``{"schema_version", "tools": [{"id", "name", "section", "category",
    "aliases"}]}``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tools": [
            {
                "id": tool.id,
                "name": tool.name.get(lang),
                "section": tool.section,
                "category": tool.category,
                "aliases": list(tool.aliases),
            }
            for tool in kb.tools
        ],
    }


def _steps(kb: KnowledgeBase, tool: Tool, lang: str) -> list[str]:
    from gialai_remote.decide import setup_steps

    return list(setup_steps(kb, tool, None, lang))


#: For each rule kind, the vocabulary its values name (None: the values are the needs).
_RULE_VOCABULARY = {"roles": "roles", "tasks": "tasks", "sensitivity": "sensitivities", "platforms": "platforms"}


def _rule_says(kb: KnowledgeBase, rule: Rule, lang: str) -> str:
    """What a rule says, in words: "số người tối đa: 26", "ai được dùng: Thành viên UBND tỉnh"."""

    if rule.kind == "capacity":
        value = str(rule.max_participants)
    elif rule.kind == "offer" and rule.until is not None:
        value = format_date(rule.until, lang)
    elif rule.kind == "requires":
        value = ", ".join(t(f"need.{n}", lang) for n in rule.values)
    else:
        value = _names(kb, _RULE_VOCABULARY.get(rule.kind, rule.kind), rule.values, lang)
    return f"{t(f'rule.kind.{rule.kind}', lang)}: {value}."


def render_tool(kb: KnowledgeBase, d: ToolDescription, lang: str) -> Lines:
    """``tools show ID``: everything about one tool, the letter's section first."""
    tool = d.tool
    category = t(f"browse.category.{tool.category}", lang)
    lines: Lines = [
        _line((tool.name.get(lang), "bold"), (f" ({tool.id})", "dim")),
        _line((f"{t('label.section', lang).capitalize()} {tool.section}; {category}", "dim")),
    ]
    if tool.description:
        lines.append(_line(tool.description.get(lang)))
    lines.append(Text())
    facts: list[tuple[str, str]] = [
        (t("browse.who", lang), _names(kb, "roles", d.roles, lang)),
        (t("browse.tasks", lang), _names(kb, "tasks", d.tasks, lang)),
    ]
    if d.max_participants is not None:
        facts.append((t("browse.capacity", lang), t("browse.people", lang, count=d.max_participants)))
    facts.append((t("browse.sensitivity", lang), _names(kb, "sensitivities", d.sensitivities, lang)))
    facts.append((t("browse.platforms", lang), _names(kb, "platforms", d.platforms, lang)))
    if d.offer_until is not None:
        facts.append((t("browse.offer", lang), format_date(d.offer_until, lang)))
    if d.needs:
        facts.append((t("browse.needs", lang), ", ".join(t(f"need.{n}", lang) for n in d.needs)))
    if tool.operator:
        facts.append((t("browse.operator", lang), tool.operator.get(lang)))
    if tool.app:
        facts.append((t("browse.app", lang), tool.app.get(lang)))
    if tool.server_url:
        facts.append((t("browse.server_url", lang), tool.server_url))
    if tool.bridge_points is not None:
        facts.append((t("browse.bridge_points", lang), str(tool.bridge_points)))
    if tool.aliases:
        facts.append((t("browse.aliases", lang), ", ".join(tool.aliases)))
    lines += [_line((f"{label} ", "bold"), value) for label, value in facts]
    steps = _steps(kb, tool, lang)
    if steps:
        lines += [Text(), _heading(t("label.setup", lang))]
        lines += [_line(f"{i}) ", step, indent=2) for i, step in enumerate(steps, start=1)]
    if d.contacts:
        lines += [Text(), _heading(t("label.contacts", lang))]
        lines += [
            _line(("- ", "dim"), f"{_contact_who(c, lang)}: ", (group_phone(c.phone), "bold cyan"), indent=2)
            for c in d.contacts
        ]
    if tool.notes:
        lines += [Text(), _heading(t("browse.notes", lang))]
        lines += _bullets((n.get(lang) for n in tool.notes), indent=2)
    lines += [Text(), _heading(t("browse.rules", lang))]
    for rule in d.rules:
        said = [x.get(lang) for x in (rule.note, rule.warning) if x is not None]
        lines.append(
            _line(
                ("- ", "dim"),
                (rule.id, "bold"),
                (f" ({t('label.section', lang)} {rule.section})", "dim"),
                f": {_rule_says(kb, rule, lang)}",
                f" {' '.join(said)}" if said else "",
                indent=2,
            )
        )
    if d.warnings:
        lines += [Text(), _heading(t("label.warnings", lang))]
        lines += _bullets(d.warnings, indent=2, style="yellow")
    lines += _notice_lines(d.notices, lang)
    lines += _footer(kb, lang)
    return lines


def _notice_dict(notice: Notice, lang: str) -> dict[str, Any]:
    return {
        "id": notice.id,
        "effective": notice.effective.isoformat(),
        "text": notice.text.get(lang),
        "source": notice.source,
        "affects": list(notice.affects),
    }


def contact_dict(kb: KnowledgeBase, contact: Contact, lang: str) -> dict[str, Any]:
    """A contact: id, name (with honorific), digits-only phone, title, organization, section,
    and the ids of the tools it supports."""
    return {
        "id": contact.id,
        "name": contact.display_name(lang),
        "phone": contact.phone,
        "title": contact.title.get(lang) if contact.title else None,
        "organization": contact.organization.get(lang) if contact.organization else None,
        "section": contact.section,
        "tools": list(tools_using(kb, contact.id)),
    }


def tool_dict(kb: KnowledgeBase, d: ToolDescription, lang: str) -> dict[str, Any]:
    """``tools show ID --format json``: the tool's fields, what its rules allow, its setup steps,
    contacts, rules, the notices in force on ``date`` and the warnings for that day."""
    tool = d.tool

    def text(value: Any) -> str | None:
        return value.get(lang) if value is not None else None

    return {
        "schema_version": SCHEMA_VERSION,
        "id": tool.id,
        "name": tool.name.get(lang),
        "section": tool.section,
        "category": tool.category,
        "priority": tool.priority,
        "aliases": list(tool.aliases),
        "description": text(tool.description),
        "operator": text(tool.operator),
        "app": text(tool.app),
        "server_url": tool.server_url,
        "bridge_points": tool.bridge_points,
        "roles": list(d.roles),
        "tasks": list(d.tasks),
        "max_participants": d.max_participants,
        "sensitivities": list(d.sensitivities),
        "platforms": list(d.platforms),
        "offer_until": d.offer_until.isoformat() if d.offer_until else None,
        "needs": list(d.needs),
        "setup_steps": [
            {"text": step.text.get(lang), "platforms": list(step.platforms), "label": text(step.label)}
            for step in tool.setup_steps
        ],
        "contacts": [contact_dict(kb, c, lang) for c in d.contacts],
        "notes": [n.get(lang) for n in tool.notes],
        "rules": [
            {
                "id": r.id,
                "kind": r.kind,
                "section": r.section,
                "tools": list(r.tools) if r.tools is not None else "all",
                "values": list(r.values),
                "max_participants": r.max_participants,
                "until": r.until.isoformat() if r.until else None,
                "note": text(r.note),
                "warning": text(r.warning),
            }
            for r in d.rules
        ],
        "date": d.on.isoformat(),
        "warnings": list(d.warnings),
        "notices": [_notice_dict(n, lang) for n in d.notices],
        "source": {"document": kb.source.document, "section": tool.section},
    }


# ---- contacts, roles, tasks ------------------------------------------------------------------


def render_contacts(kb: KnowledgeBase, contacts: Sequence[Contact], warnings: Sequence[str], lang: str) -> Lines:
    """``contacts``: who to call, the number grouped for reading, and for which tools."""
    lines: Lines = []
    for c in contacts:
        lines.append(_line(f"{_contact_who(c, lang)}: ", (group_phone(c.phone), "bold cyan")))
        using = t("browse.tools_using", lang, tools=_tool_names(tools_using(kb, c.id), lang))
        detail = f"{t('label.section', lang)} {c.section}; {using}"
        lines.append(_line((detail, "dim"), indent=2))
    if warnings:
        lines += [Text(), _heading(t("label.warnings", lang))]
        lines += _bullets(warnings, indent=2, style="yellow")
    return lines


def contacts_dict(kb: KnowledgeBase, contacts: Sequence[Contact], warnings: Sequence[str], lang: str) -> dict[str, Any]:
    """``contacts --format json``: ``{"schema_version", "contacts": [...], "warnings": [...]}``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "contacts": [contact_dict(kb, c, lang) for c in contacts],
        "warnings": list(warnings),
    }


def _term_dict(term: Term, lang: str) -> dict[str, Any]:
    return {
        "id": term.id,
        "name": term.name.get(lang),
        "section": term.section or None,
        "description": term.description.get(lang) if term.description else None,
        "aliases": list(term.aliases),
    }


def render_terms(kb: KnowledgeBase, kind: str, lang: str) -> Lines:
    """``roles`` or ``tasks``: id, name and section; for tasks, the tools that serve each."""
    rows = []
    for term in getattr(kb, kind):
        section = f"({t('label.section', lang)} {term.section})" if term.section else ""
        rows.append((term.id, term.name.get(lang), section))
    lines: Lines = []
    for term, row in zip(getattr(kb, kind), _pad(rows), strict=True):
        lines.append(_line(row))
        if kind == "tasks":
            serving = _tool_names(tools_serving(kb, term.id), lang)
            lines.append(_line((t("browse.tools_using", lang, tools=serving), "dim"), indent=2))
    return lines


def terms_dict(kb: KnowledgeBase, kind: str, lang: str) -> dict[str, Any]:
    """``roles`` / ``tasks --format json``: ``{"schema_version", kind: [{"id", "name", "section",
    "description", "aliases"}]}``; each task also lists the ``tools`` that serve it."""
    items = []
    for term in getattr(kb, kind):
        item = _term_dict(term, lang)
        if kind == "tasks":
            item["tools"] = list(tools_serving(kb, term.id))
        items.append(item)
    return {"schema_version": SCHEMA_VERSION, kind: items}


# ---- validate --------------------------------------------------------------------------------


def render_problems(problems: Sequence[Problem]) -> Lines:
    """``validate``: one ``PATH:LINE:COLUMN: CODE message`` line per problem, warnings in yellow."""
    return [_line((str(p), "yellow" if p.severity == "warning" else "")) for p in problems]


def problems_dict(path: str, problems: Sequence[Problem]) -> dict[str, Any]:
    """``validate --format json``: ``{"schema_version", "path", "valid", "errors", "warnings",
    "problems": [{"path", "line", "column", "code", "severity", "message"}]}``; ``valid`` is
    true when there are no errors (warnings allowed)."""
    errors = sum(1 for p in problems if p.severity == "error")
    return {
        "schema_version": SCHEMA_VERSION,
        "path": path,
        "valid": errors == 0,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "code": p.code,
                "severity": p.severity,
                "message": p.message,
            }
            for p in problems
        ],
    }
