"""JSON output for scripts: every command's ``--format json`` object, the shapes of
``docs/contract.md``, made from the same result objects as the text output so the two cannot
disagree.

One writer for every command: ``recommend``, ``check``, ``tools``, ``tools show``, ``contacts``,
``roles``, ``tasks``, ``validate`` and ``doctor``; one :data:`SCHEMA_VERSION`; one contact
shape (:func:`contact_dict`) and one notice shape (:func:`notice_dict`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gialai_remote.i18n import t

if TYPE_CHECKING:
    from gialai_remote.advice import Advice, CheckResult, ContactInfo, NoticeInfo, Query, Reason
    from gialai_remote.describe import TermInfo, ToolDescription
    from gialai_remote.doctor import Certificate, DoctorReport, ProxyInfo, StepResult, ToolCheck, TrustInfo
    from gialai_remote.errors import Problem
    from gialai_remote.model import KnowledgeBase, Stack, Text

#: The version of every JSON output format (``docs/contract.md``; the published schemas).
SCHEMA_VERSION = 1


# C1 controls, bidirectional overrides and isolates, and the Unicode line separators: valid in
# JSON strings but able to reorder or break what a terminal or `less` shows. JSON's own
# \uXXXX escape keeps the value exactly while keeping the bytes harmless.
_INVISIBLE = re.compile("[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(obj: Any) -> str:
    r"""Serialise ``obj`` as indented UTF-8 JSON text, ending in a newline.

    Letters are written as themselves, not ASCII-escaped (``docs/contract.md``); control and
    bidi characters are written as ``\uXXXX`` escapes, which decode to the same string.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def dumps_line(obj: Any) -> str:
    """Serialise ``obj`` as one line of JSON Lines (``--batch``): :func:`dumps` without the
    indentation, ending in a newline."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


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


def _source(document: str, section: str) -> dict[str, str]:
    return {"document": document, "section": section}


# ---- the shared shapes ----------------------------------------------------------------------------


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


def reason_dict(reason: Reason, document: str) -> dict[str, Any]:
    """A reason: ``{"code", "message", "source": {"document", "section"}}``."""
    return {"code": reason.code, "message": reason.message, "source": _source(document, reason.section)}


def contact_dict(contact: ContactInfo, *, detail: bool = False) -> dict[str, Any]:
    """A contact; the phone is digits only.

    Args:
        contact: the contact.
        detail: False for the shape of ``recommend``, ``check`` and ``doctor``:
            ``{"name", "phone", "organization"}``; True for the browse commands (``contacts``,
            ``tools show``): ``{"id", "name", "phone", "title", "organization", "section",
            "tools"}``. Both share the core fields, in the same order; schema_version 2 is to
            give every command the detailed shape.
    """
    out: dict[str, Any] = {"id": contact.id} if detail else {}
    out.update(name=contact.name, phone=contact.phone)
    if detail:
        out["title"] = contact.title
    out["organization"] = contact.organization
    if detail:
        out.update(section=contact.section, tools=list(contact.tools))
    return out


def notice_dict(notice: NoticeInfo) -> dict[str, Any]:
    """A notice: ``{"id", "effective", "text", "source", "affects"}``."""
    return {
        "id": notice.id,
        "effective": notice.effective.isoformat(),
        "text": notice.text,
        "source": notice.source,
        "affects": list(notice.affects),
    }


# ---- recommend, check ------------------------------------------------------------------------------


def advice_dict(advice: Advice) -> dict[str, Any]:
    """The ``recommend --format json`` object of ``docs/contract.md``."""
    doc = advice.source.document
    return {
        "schema_version": SCHEMA_VERSION,
        "query": query_dict(advice.query),
        "eligible": advice.eligible,
        "recommendations": [
            {
                "tool": rec.tool,
                "rank": rec.rank,
                "name": rec.name,
                "reasons": list(rec.reasons),
                "warnings": list(rec.warnings),
                "setup_steps": list(rec.setup_steps),
                "contacts": [contact_dict(c) for c in rec.contacts],
                "source": _source(doc, rec.section),
            }
            for rec in advice.recommendations
        ],
        "excluded": [
            {"tool": exc.tool, "name": exc.name, "reasons": [reason_dict(r, doc) for r in exc.reasons]}
            for exc in advice.excluded
        ],
        "warnings": list(advice.warnings),
        "notices": [notice_dict(n) for n in advice.notices],
        "source": {
            "document": doc,
            "issuer": advice.source.issuer,
            "date": advice.source.date.isoformat(),
        },
    }


def check_dict(result: CheckResult) -> dict[str, Any]:
    """The ``check --format json`` object of ``docs/contract.md``."""
    doc = result.source.document
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": result.tool,
        "allowed": result.allowed,
        "query": query_dict(result.query),
        "reasons": [reason_dict(r, doc) for r in result.reasons],
        "warnings": list(result.warnings),
        "notices": [notice_dict(n) for n in result.notices],
        "alternatives": [{"tool": a.tool, "name": a.name} for a in result.alternatives],
    }


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
        "description": text(tool.description),
        "operator": text(tool.operator),
        "app": text(tool.app),
        "server_url": tool.server_url,
        "bridge_points": tool.bridge_points,
    }
    out.update((fact.key, _plain(fact.value)) for fact in d.facts)
    out.update(
        {
            "setup_steps": [
                {"text": step.text.get(lang), "platforms": list(step.platforms), "label": text(step.label)}
                for step in tool.setup_steps
            ],
            "contacts": [contact_dict(c, detail=True) for c in d.contacts],
            "notes": [n.get(lang) for n in tool.notes],
            "rules": [
                {
                    "id": info.rule.id,
                    "kind": info.rule.kind,
                    "section": info.rule.section,
                    "tools": list(info.rule.tools) if info.rule.tools is not None else "all",
                    "values": list(info.rule.values),
                    "max_participants": info.rule.max_participants,
                    "until": _plain(info.rule.until),
                    "note": info.note,
                    "warning": info.warning,
                }
                for info in d.rules
            ],
            "date": d.on.isoformat(),
            "warnings": list(d.warnings),
            "notices": [notice_dict(n) for n in d.notices],
            "source": _source(d.source.document, tool.section),
        }
    )
    return out


def contacts_dict(contacts: Sequence[ContactInfo], warnings: Sequence[str]) -> dict[str, Any]:
    """``contacts --format json``: ``{"schema_version", "contacts": [...], "warnings": [...]}``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "contacts": [contact_dict(c, detail=True) for c in contacts],
        "warnings": list(warnings),
    }


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


# ---- doctor ---------------------------------------------------------------------------------------------


def _certificate_dict(cert: Certificate | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    return {
        "subject": cert.subject,
        "issuer": cert.issuer,
        "names": list(cert.names),
        "not_after": cert.not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "days_left": cert.days_left,
        "hostname_match": cert.hostname_match,
    }


def trust_dict(trust: TrustInfo | None, lang: str) -> dict[str, Any] | None:
    """Which trust verified the certificate: ``{"code", "message"}`` (``doctor.trust.<code>``)."""
    if trust is None:
        return None
    return {"code": trust.code, "message": t(f"doctor.trust.{trust.code}", lang, system=trust.system)}


def proxy_dict(proxy: ProxyInfo | None) -> dict[str, Any] | None:
    """The proxy a check went through: ``{"mode", "url", "setting", "bypassed_by"}``, or None."""
    if proxy is None:
        return None
    return {"mode": proxy.mode, "url": proxy.url, "setting": proxy.setting, "bypassed_by": proxy.bypassed_by}


def step_dict(step: StepResult, lang: str) -> dict[str, Any]:
    """A step of ``doctor``: ``step``, ``status``, ``duration_ms``, ``reason`` and the step's own fields."""
    out: dict[str, Any] = {
        "step": step.step,
        "status": step.status,
        "duration_ms": step.duration_ms,
        "reason": None if step.reason is None else {"code": step.reason, "message": step.message},
        "error": step.error,
    }
    if step.status == "skipped":
        return out
    if step.step == "dns":
        out["addresses"] = list(step.addresses)
    elif step.step == "tcp":
        out["address"] = step.address
        out["port"] = step.port
        out["tunnel"] = None
        if step.tunnel_status is not None:
            out["tunnel"] = {"status_code": step.tunnel_status, "status_text": step.tunnel_text}
    elif step.step == "tls":
        out["trust"] = trust_dict(step.trust, lang)
        out["protocol"] = step.protocol
        out["certificate"] = _certificate_dict(step.certificate)
        out["hostname_match"] = step.hostname_match
    elif step.step == "http":
        out["status_code"] = step.status_code
        out["status_text"] = step.status_text
    return out


def doctor_check_dict(check: ToolCheck, lang: str, document: str) -> dict[str, Any]:
    """One tool's check, as in ``schemas/doctor.schema.json``."""
    failed = check.failed_step
    out: dict[str, Any] = {
        "tool": check.tool,
        "name": check.name,
        "url": check.url,
        "host": check.host or None,
        "port": check.port or None,
        "checked": check.checked,
        "passed": check.passed,
        "failed_step": None if failed is None else failed.step,
        "hint": None if check.hint is None else t(f"doctor.hint.{check.hint}", lang, host=check.host, port=check.port),
    }
    if check.checked:  # how the connection went: only for a tool that was checked
        out["proxy"] = proxy_dict(check.proxy)
    out["steps"] = [step_dict(s, lang) for s in check.steps]
    out["contacts"] = [contact_dict(c) for c in check.contacts]
    out["source"] = _source(document, check.section)
    return out


def report_dict(report: DoctorReport) -> dict[str, Any]:
    """The ``doctor --format json`` object (``schemas/doctor.schema.json``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "passed": report.passed,
        "lang": report.lang,
        "checked_at": report.checked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timeout_seconds": report.timeout,
        "bound_seconds": report.bound,
        "duration_ms": report.duration_ms,
        "checks": [doctor_check_dict(c, report.lang, report.document) for c in report.checks],
    }
