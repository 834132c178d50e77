"""JSON output for scripts: every command's ``--format json`` object, the shapes of
``docs/contract.md``, made from the same result objects as the text output so the two cannot
disagree.

One writer for every command: ``recommend``, ``check``, ``tools``, ``tools show``, ``contacts``,
``roles``, ``tasks``, ``validate`` and ``doctor``; one :data:`SCHEMA_VERSION`; one contact
shape (:func:`contact_dict`), one notice shape (:func:`notice_dict`), one citation shape
(:func:`cite_dict`), one warning shape (:func:`warning_dict`), one status shape
(:func:`status_dict`) and one list of sources (:func:`sources_list`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gialai_remote.render.cited import check_cites, cited_in

if TYPE_CHECKING:
    from gialai_remote.advice import (
        Advice,
        CheckResult,
        Citation,
        ContactInfo,
        NoticeInfo,
        Query,
        Reason,
        SourceEntry,
        SourceInfo,
        StatusInfo,
        WarningInfo,
    )
    from gialai_remote.describe import TermInfo, ToolDescription
    from gialai_remote.errors import Problem
    from gialai_remote.model import KnowledgeBase, Text
    from gialai_remote.stack import Stack

#: The version of every JSON output format (``docs/contract.md``; the published schemas).
SCHEMA_VERSION = 2


# C1 controls, bidirectional overrides and isolates, and the Unicode line separators: valid in
# JSON strings but able to reorder or break what a terminal or `less` shows. JSON's own
# \uXXXX escape keeps the value exactly while keeping the bytes harmless (compiled when needed).
_INVISIBLE = "[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
#: The characters of :data:`_INVISIBLE` but the C1 controls, each found by a fast search of its own.
_FORMAT_CHARS = "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def dumps(obj: Any) -> str:
    r"""Serialise ``obj`` as indented UTF-8 JSON text, ending in a newline.

    Letters are written as themselves, not ASCII-escaped (``docs/contract.md``); control and
    bidi characters are written as ``\uXXXX`` escapes, which decode to the same string.
    """
    return _visible(json.dumps(obj, ensure_ascii=False, indent=2)) + "\n"


def dumps_line(obj: Any) -> str:
    """One line of JSON Lines (``--batch``): :func:`dumps` without indentation, ending in a newline."""
    return _visible(json.dumps(obj, ensure_ascii=False, separators=(",", ":"))) + "\n"


def line_bytes(obj: Any) -> bytes:
    """:func:`dumps_line` as UTF-8 bytes (what ``--batch`` writes for every line)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
    data = text.encode("utf-8")
    visible = _visible(text, data)
    return data if visible is text else visible.encode("utf-8")


def _visible(text: str, data: bytes | None = None) -> str:
    """``text`` with each character of :data:`_INVISIBLE` as its ``\\uXXXX`` escape (``text`` when
    none), the pattern run only if one may be there: never in ASCII; in UTF-8 (``data``) every C1
    control starts with the byte 0xC2; the others are looked for one by one."""
    if text.isascii():
        return text
    if b"\xc2" not in (data or text.encode("utf-8", "surrogatepass")) and not any(c in text for c in _FORMAT_CHARS):
        return text
    return re.sub(_INVISIBLE, lambda m: f"\\u{ord(m.group(0)):04x}", text)


def error_dict(code: str, exit_code: int, message: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """An error under ``--format json`` or ``--batch`` (``docs/contract.md``, "Errors in JSON"):
    ``{"schema_version", "error": {"code", "exit_code", "message"}}``, plus ``"problems"`` (the
    shape of ``validate``'s) for a broken knowledge base.

    Args:
        code: ``usage_error``, ``knowledge_base_error``, ``interrupted``, ``terminated`` or
            ``internal_error``.
        exit_code: the process's exit code for it (2, 3, 130, 129/131/143, 70).
        message: the line written on stderr (the first problem's, for a knowledge base).
        problems: the knowledge base's problems, in order.
    """
    error: dict[str, Any] = {"code": code, "exit_code": exit_code, "message": message}
    if problems:
        error["problems"] = problems_dict("", problems)["problems"]
    return {"schema_version": SCHEMA_VERSION, "error": error}


def _plain(value: Any) -> Any:
    """A result value as JSON: tuples as lists, days as ISO 8601 ("2020-05-31")."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---- the shared shapes ----------------------------------------------------------------------------


def cite_dict(cite: Citation | None) -> dict[str, Any] | None:
    """A citation: ``{"id", "document", "section", "article"}`` (``section`` is the letter's,
    null for a later source; ``document`` the source's number or null; ``article`` or null)."""
    if cite is None:
        return None
    return {"id": cite.id, "document": cite.document, "section": cite.section, "article": cite.article}


def _cites(cites: Sequence[Citation]) -> list[dict[str, Any] | None]:
    return [cite_dict(c) for c in cites]


def warning_dict(warning: WarningInfo) -> dict[str, Any]:
    """A warning: ``{"code", "message"}``, and ``"source"`` (a citation) when it rests on one."""
    out: dict[str, Any] = {"code": warning.code, "message": warning.message}
    if warning.source is not None:
        out["source"] = cite_dict(warning.source)
    return out


def _warnings(warnings: Sequence[WarningInfo]) -> list[dict[str, Any]]:
    return [warning_dict(w) for w in warnings]


def status_dict(status: StatusInfo) -> dict[str, Any]:
    """A status entry: ``{"kind", "from", "confidence", "text", "sources"}`` (the sentence a
    person reads is the matching ``tool_changed`` / ``tool_unverified`` warning's message)."""
    return {
        "kind": status.kind,
        "from": status.start.isoformat(),
        "confidence": status.confidence,
        "text": status.text,
        "sources": _cites(status.sources),
    }


def with_sources(out: dict[str, Any], sources: Sequence[SourceEntry], cited: set[str] | None = None) -> dict[str, Any]:
    """``out`` with its ``sources``: the letter, then every source a citation in ``out`` names,
    in the knowledge base's order (so each citation's ``id`` can be looked up there); ``cited``:
    those ids when the caller has them (:func:`gialai_remote.render.cited.check_cites`), else
    ``out`` is looked through."""
    cited = cited_in(out, set()) if cited is None else cited
    out["sources"] = sources_list([s for i, s in enumerate(sources) if i == 0 or s.id in cited])
    return out


def sources_list(sources: Sequence[SourceEntry]) -> list[dict[str, Any]]:
    """Sources, the letter first: ``{"id", "kind", "title", "issuer", "date", "document",
    "effective", "references"}`` (``issuer``, ``date``, ``document``, ``effective`` may be null)."""
    return [
        {
            "id": s.id,
            "kind": s.kind,
            "title": s.title,
            "issuer": s.issuer,
            "date": _plain(s.date),
            "document": s.document,
            "effective": _plain(s.effective),
            "references": list(s.references),
        }
        for s in sources
    ]


def letter_dict(source: SourceInfo) -> dict[str, Any]:
    """The top-level ``source``, the letter: ``{"id", "document", "issuer", "date"}``."""
    return {"id": source.id, "document": source.document, "issuer": source.issuer, "date": source.date.isoformat()}


def query_dict(query: Query) -> dict[str, Any]:
    """The ``query`` object of ``docs/contract.md``."""
    return {
        "role": query.role,
        "task": query.task,
        "participants": query.participants,
        "sensitivity": query.sensitivity,
        "platform": query.platform,
        "has_device": query.has_device,
        "has_internet": query.has_internet,
        "date": query.date.isoformat(),
        "lang": query.lang,
    }


def reason_dict(reason: Reason) -> dict[str, Any]:
    """A reason: ``{"code", "message", "source", "sources"}``: ``source`` is the first of
    ``sources`` (what the cause rests on, the letter first)."""
    return {
        "code": reason.code,
        "message": reason.message,
        "source": cite_dict(reason.sources[0]) if reason.sources else None,
        "sources": _cites(reason.sources),
    }


def contact_dict(contact: ContactInfo) -> dict[str, Any]:
    """A contact, the one shape of every command: ``{"id", "name", "phone", "title",
    "organization", "verified_on", "source", "tools"}``; the phone is digits only, ``name``
    has its honorific, ``title`` and ``organization`` may be null, ``verified_on`` is the last
    day the contact was known to be right (the letter's date for the letter's contacts),
    ``tools`` the ids of the tools naming it."""
    return {
        "id": contact.id,
        "name": contact.name,
        "phone": contact.phone,
        "title": contact.title,
        "organization": contact.organization,
        "verified_on": _plain(contact.verified_on),
        "source": cite_dict(contact.source),
        "tools": list(contact.tools),
    }


def notice_dict(notice: NoticeInfo) -> dict[str, Any]:
    """A notice: ``{"id", "effective", "until", "in_force", "superseded_by", "confidence",
    "text", "sources", "affects"}``."""
    return {
        "id": notice.id,
        "effective": notice.effective.isoformat(),
        "until": _plain(notice.until),
        "in_force": notice.in_force,
        "superseded_by": notice.superseded_by,
        "confidence": notice.confidence,
        "text": notice.text,
        "sources": _cites(notice.sources),
        "affects": list(notice.affects),
    }


# ---- recommend, check ------------------------------------------------------------------------------


def advice_dict(advice: Advice) -> dict[str, Any]:
    """The ``recommend --format json`` object of ``docs/contract.md``."""
    out = {
        "schema_version": SCHEMA_VERSION,
        "query": query_dict(advice.query),
        "eligible": advice.eligible,
        "recommendations": [
            {
                "tool": rec.tool,
                "rank": rec.rank,
                "name": rec.name,
                "status": [status_dict(st) for st in rec.status],
                "reasons": list(rec.reasons),
                "warnings": _warnings(rec.warnings),
                "setup_steps": list(rec.setup_steps),
                "contacts": [contact_dict(c) for c in rec.contacts],
                "source": cite_dict(rec.source),
            }
            for rec in advice.recommendations
        ],
        "excluded": [
            {
                "tool": exc.tool,
                "name": exc.name,
                "status": [status_dict(st) for st in exc.status],
                "reasons": [reason_dict(r) for r in exc.reasons],
            }
            for exc in advice.excluded
        ],
        "warnings": _warnings(advice.warnings),
        "notices": [notice_dict(n) for n in advice.notices],
        "source": letter_dict(advice.source),
    }
    return with_sources(out, advice.sources)


def check_dict(result: CheckResult) -> dict[str, Any]:
    """The ``check --format json`` object of ``docs/contract.md``."""
    out = {
        "schema_version": SCHEMA_VERSION,
        "tool": result.tool,
        "allowed": result.allowed,
        "query": query_dict(result.query),
        "status": [status_dict(st) for st in result.status],
        "reasons": [reason_dict(r) for r in result.reasons],
        "warnings": _warnings(result.warnings),
        "notices": [notice_dict(n) for n in result.notices],
        "source": letter_dict(result.source),
        "alternatives": [{"tool": a.tool, "name": a.name} for a in result.alternatives],
        "contacts": [contact_dict(c) for c in result.contacts],
    }
    return with_sources(out, result.sources, check_cites(result))


# ---- tools, tools show, contacts, roles, tasks -------------------------------------------------------


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


def tool_dict(d: ToolDescription) -> dict[str, Any]:
    """``tools show ID --format json``: the tool's fields, what its rules allow (one key per
    kind of rule, from the registry), its setup steps, contacts, rules, the notices in force
    on ``date`` and the warnings for that day."""
    tool, lang = d.tool, d.lang

    def text(value: Text | None) -> str | None:
        return value.get(lang) if value is not None else None

    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": tool.id,
        "name": tool.name.get(lang),
        "section": tool.section,
        "category": tool.category,
        "priority": tool.priority,
        "aliases": list(tool.aliases),
        "description": d.description,
        "operator": d.operator,
        "app": d.app,
        "server_url": tool.server_url,
        "bridge_points": tool.bridge_points,
        "status": [status_dict(st) for st in d.status],
    }
    out.update((fact.key, _plain(fact.value)) for fact in d.facts)
    out.update(
        {
            "setup_steps": [
                {"text": step.text.get(lang), "platforms": list(step.platforms), "label": text(step.label)}
                for step in tool.setup_steps
            ],
            "contacts": [contact_dict(c) for c in d.contacts],
            "notes": [n.get(lang) for n in tool.notes],
            "rules": [
                {
                    "id": info.rule.id,
                    "kind": info.rule.kind,
                    "section": info.rule.section or None,
                    "tools": list(info.rule.tools) if info.rule.tools is not None else "all",
                    "values": list(info.rule.values),
                    "max_participants": info.rule.max_participants,
                    "until": _plain(info.rule.until),
                    "in_force": {"from": _plain(info.rule.valid_from), "until": _plain(info.rule.valid_until)},
                    "note": info.note,
                    "warning": info.warning,
                    "source": cite_dict(info.source),
                }
                for info in d.rules
            ],
            "date": d.on.isoformat(),
            "warnings": _warnings(d.warnings),
            "notices": [notice_dict(n) for n in d.notices],
            "source": {"id": d.source.id, "document": d.source.document, "section": tool.section, "article": None},
        }
    )
    return with_sources(out, d.sources)


def contacts_dict(contacts: Sequence[ContactInfo], warnings: Sequence[WarningInfo]) -> dict[str, Any]:
    """``contacts --format json``: ``{"schema_version", "contacts": [...], "warnings": [...]}``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "contacts": [contact_dict(c) for c in contacts],
        "warnings": _warnings(warnings),
    }


def notices_dict(notices: Sequence[NoticeInfo], on: dt.date) -> dict[str, Any]:
    """``notices --format json``: ``{"schema_version", "date", "notices": [...]}``, each notice in
    the one notice shape (:func:`notice_dict`)."""
    return {"schema_version": SCHEMA_VERSION, "date": on.isoformat(), "notices": [notice_dict(n) for n in notices]}


def terms_dict(terms: Sequence[TermInfo], kind: str) -> dict[str, Any]:
    """``roles`` / ``tasks --format json``: ``{"schema_version", kind: [{"id", "name", "section",
    "description", "aliases"}]}``; each task also lists the ``tools`` that serve it."""
    items = []
    for term in terms:
        item: dict[str, Any] = {
            "id": term.id,
            "name": term.name,
            "section": term.section or None,
            "description": term.description,
            "aliases": list(term.aliases),
        }
        if term.tools is not None:
            item["tools"] = list(term.tools)
        items.append(item)
    return {"schema_version": SCHEMA_VERSION, kind: items}


# ---- validate -------------------------------------------------------------------------------------------


def stack_dict(stack: Stack) -> dict[str, Any]:
    """A knowledge base's files: ``{"digest", "layers": [{"path", "digest", "name", "date",
    "extends"}]}``, base first (``name``, ``date`` and ``extends`` are null for the base)."""
    return {
        "digest": stack.digest,
        "layers": [
            {
                "path": layer.path,
                "digest": layer.digest,
                "name": layer.name,
                "date": layer.date.isoformat() if layer.date else None,
                "extends": layer.extends,
            }
            for layer in stack.layers
        ],
    }


def problems_dict(
    path: str,
    problems: Sequence[Problem],
    unlisted: int = 0,
    unlisted_errors: int = 0,
    stack: Stack | None = None,
    *,
    strict: bool = False,
) -> dict[str, Any]:
    """``validate --format json``: ``{"schema_version", "path", "valid", "errors", "warnings",
    "problems": [{"path", "line", "column", "code", "severity", "message"}]}``, and ``"stack"``
    (:func:`stack_dict`) when the knowledge base is a base with layers; ``valid`` is true when
    there are no errors (and, with ``strict``, no warnings either).

    Args:
        path: the file's display path.
        problems: the problems listed (at most the bound, then one ``too-many-problems``).
        unlisted: how many problems that ``too-many-problems`` entry stands for.
        unlisted_errors: how many of those are errors.
        stack: the files of the knowledge base (shown when there are several).
        strict: warnings count as failing (``validate --strict``).

    Returns:
        The document; ``errors`` and ``warnings`` count every problem found, listed or not
        (the ``too-many-problems`` entry itself is not counted).
    """
    listed = [p for p in problems if p.code != "too-many-problems"]
    errors = sum(1 for p in listed if p.severity == "error") + unlisted_errors
    warnings = len(listed) + unlisted - errors
    out = {
        "schema_version": SCHEMA_VERSION,
        "path": path,
        "valid": errors == 0 and not (strict and warnings > 0),
        "errors": errors,
        "warnings": warnings,
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
    if stack is not None and len(stack.layers) > 1:
        out["stack"] = stack_dict(stack)
    return out


def version_dict(version: str, kb: KnowledgeBase, stack: Stack) -> dict[str, Any]:
    """``--version --format json``: ``{"schema_version", "version", "knowledge_base": {"document",
    "date", "schema_version", "path"}, "stack": {...}}`` (:func:`stack_dict`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "version": version,
        "knowledge_base": {
            "document": kb.source.document,
            "date": kb.source.date.isoformat(),
            "schema_version": kb.schema_version,
            "path": kb.path,
        },
        "stack": stack_dict(stack),
    }
