"""JSON output for scripts: the shapes of ``CONTRACT.md``, produced from the same objects as
the text output so the two cannot disagree."""

from __future__ import annotations

import json
import re
from typing import Any

from gialai_remote.decide import Advice, CheckResult, ContactInfo, NoticeInfo, Query, Reason

#: The version of the JSON output format (CONTRACT.md).
SCHEMA_VERSION = 1


# C1 controls, bidirectional overrides and isolates, and the Unicode line separators: valid in
# JSON strings but able to reorder or break what a terminal or `less` shows. JSON's own
# \uXXXX escape keeps the value exactly while keeping the bytes harmless.
_INVISIBLE = re.compile("[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(obj: Any) -> str:
    r"""Serialise ``obj`` as indented UTF-8 JSON text, ending in a newline.

    Letters are written as themselves, not ASCII-escaped (CONTRACT.md); control and bidi
    characters are written as ``\uXXXX`` escapes, which decode to the same string.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def query_dict(query: Query) -> dict[str, Any]:
    """The ``query`` object of CONTRACT.md."""
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


def _source(document: str, section: str) -> dict[str, str]:
    return {"document": document, "section": section}


def reason_dict(reason: Reason, document: str) -> dict[str, Any]:
    """A reason: ``{"code", "message", "source": {"document", "section"}}``."""
    return {"code": reason.code, "message": reason.message, "source": _source(document, reason.section)}


def contact_dict(contact: ContactInfo) -> dict[str, Any]:
    """A contact: ``{"name", "phone", "organization"}``; phone is digits only."""
    return {"name": contact.name, "phone": contact.phone, "organization": contact.organization}


def notice_dict(notice: NoticeInfo) -> dict[str, Any]:
    """A notice: ``{"id", "effective", "text", "source", "affects"}``."""
    return {
        "id": notice.id,
        "effective": notice.effective.isoformat(),
        "text": notice.text,
        "source": notice.source,
        "affects": list(notice.affects),
    }


def advice_dict(advice: Advice) -> dict[str, Any]:
    """The ``recommend --format json`` object of CONTRACT.md."""
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
    """The ``check --format json`` object of CONTRACT.md."""
    doc = result.source.document
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": result.tool,
        "allowed": result.allowed,
        "query": query_dict(result.query),
        "reasons": [reason_dict(r, doc) for r in result.reasons],
        "warnings": list(result.warnings),
        "notices": [notice_dict(n) for n in result.notices],
    }
