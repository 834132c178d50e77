"""The meaning of a knowledge base: ids, references, phone numbers, server URLs, translations.

:func:`check_meaning` runs on the JSON view once its structure was checked (whatever was
found there: every check here skips a value of the wrong shape, which the schema reported):

- unique ids in each list, and the ids the code relies on (``normal``, ``internal``,
  ``secret``: a query without a sensitivity assumes "internal", ``docs/contract.md``);
- every reference names an entry that exists: a tool's contacts and its steps' platforms, a
  rule's tools and the values of its kind (section 2 of the letter: roles, tasks, sensitivity
  levels, platforms), a notice's tools or sections;
- Vietnamese phone numbers (``phonenumbers``, region VN), written in quotes;
- unused contacts and meeting systems without a contact (warnings);
- each server URL is what ``doctor`` can connect to;
- every Vietnamese text has its English (a warning).

An unknown reference costs the same whatever the number of ids: the suggestion ("did you
mean") and the list of known ids are worked out only for the problems listed (see
:class:`gialai_remote.knowledge.report.Later`), the list stops at
:data:`~gialai_remote.knowledge.report.MAX_LISTED` ids, and a suggestion among many ids looks
only at the ids nearest in spelling order (:data:`SUGGEST_ALL`).

phonenumbers is imported inside the function: the built-in knowledge base never comes here.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gialai_remote.i18n import t
from gialai_remote.knowledge.parse import Typed
from gialai_remote.knowledge.report import Collector, JsonPath, Later, listed
from gialai_remote.model import SECTIONS

#: The knowledge-base lists whose entries have ids that must be unique, with the catalogue
#: key naming the kind of entry.
_ID_LISTS = {
    "roles": "kind.role",
    "tasks": "kind.task",
    "sensitivities": "kind.sensitivity",
    "platforms": "kind.platform",
    "contacts": "kind.contact",
    "tools": "kind.tool",
    "rules": "kind.rule",
    "notices": "kind.notice",
}

#: Ids the code relies on, so an agency's copy must keep them: a query without a sensitivity
#: assumes "internal" (docs/contract.md), and "secret" content gets its own warning.
REQUIRED_IDS: dict[str, tuple[str, ...]] = {"sensitivities": ("normal", "internal", "secret")}

#: For each rule kind, the key holding its values and the list those values must name.
_RULE_REFERENCES = {
    "roles": ("roles", "roles"),
    "tasks": ("tasks", "tasks"),
    "sensitivity": ("allowed", "sensitivities"),
    "platforms": ("platforms", "platforms"),
}

#: Up to this many known ids, a suggestion compares the unknown one with each of them (what
#: every small file gets). Beyond it, only with the :data:`SUGGEST_NEAR` ids on each side of it
#: in alphabetical order and in the order of the reversed spellings: those sharing the longest
#: beginning or ending, where a typo usually leaves the rest alone. difflib over 3,000 similar
#: ids takes about 50 ms; over these, about 1 ms.
SUGGEST_ALL = 128
SUGGEST_NEAR = 32


class _Known:
    """The ids one kind of reference may name, with what a problem about it says.

    Args:
        kind: the catalogue key naming the kind ("kind.tool").
        allowed: the ids of the entries that exist.
        extra: other values allowed after them (the letter's sections, for a notice).
        lang: "vi" or "en".
    """

    def __init__(self, kind: str, allowed: set[str], extra: tuple[str, ...], lang: str) -> None:
        self.allowed = allowed
        self.extra = extra
        self.lang = lang
        self.what = t(kind, lang)
        self.values = [*sorted(allowed), *extra]
        #: The message's "there are: ..." list, shared by every problem of this kind.
        self.choices = Later(listed, self.values, lang)
        self._forward: list[str] | None = None
        self._backward: list[str] = []

    def __contains__(self, value: object) -> bool:
        return value in self.allowed or value in self.extra

    def hint(self, value: str) -> str:
        """' (did you mean "agency-staff"?)' for the known id closest to ``value``, or ""."""
        close = difflib.get_close_matches(value, self._candidates(value), n=1)
        return t("kb.did_you_mean", self.lang, key=close[0]) if close else ""

    def _candidates(self, value: str) -> Sequence[str]:
        if len(self.values) <= SUGGEST_ALL:
            return self.values
        if self._forward is None:
            self._forward = sorted(self.values)
            self._backward = sorted(v[::-1] for v in self.values)
        near: dict[str, None] = {}
        i = bisect.bisect_left(self._forward, value)
        near.update(dict.fromkeys(self._forward[max(0, i - SUGGEST_NEAR) : i + SUGGEST_NEAR]))
        j = bisect.bisect_left(self._backward, value[::-1])
        near.update(dict.fromkeys(v[::-1] for v in self._backward[max(0, j - SUGGEST_NEAR) : j + SUGGEST_NEAR]))
        return list(near)


def _entries(view: Mapping[str, Any], key: str) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    items = view.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield (key, i), item


def _ids(view: Mapping[str, Any], key: str) -> list[str]:
    return [e["id"] for _, e in _entries(view, key) if isinstance(e.get("id"), str)]


def check_meaning(view: dict[str, Any], typed: Typed, out: Collector) -> None:
    """Report duplicate and missing ids, unknown references, bad phones and server URLs,
    unused contacts, meeting systems without a contact and missing English.

    Args:
        view: the JSON view of the document (a mapping; anything inside may be of any shape).
        typed: where each value is, and which scalars were written in quotes.
        out: where problems go.
    """
    lang = out.lang
    for key, kind in _ID_LISTS.items():
        first: dict[str, int] = {}
        for path, entry in _entries(view, key):
            item_id = entry.get("id")
            if not isinstance(item_id, str):
                continue
            pos = typed.position(path + ("id",))
            if item_id in first:
                out.add(pos, "duplicate-id", "kb.duplicate_id", what=t(kind, lang), id=item_id, line=first[item_id])
            else:
                first[item_id] = pos[0]
    known = {key: set(_ids(view, key)) for key in _ID_LISTS}
    for key, required in REQUIRED_IDS.items():
        if isinstance(view.get(key), list):
            for item_id in required:
                if item_id not in known[key]:
                    what = t(_ID_LISTS[key], lang)
                    out.add(typed.key_position((key,)), "missing-id", "kb.missing_id", what=what, id=item_id)

    vocabularies: dict[tuple[str, str], _Known] = {}

    def refer(path: JsonPath, values: Any, kind: str, target: str, extra: tuple[str, ...] = ()) -> None:
        if not isinstance(values, list):
            return
        vocabulary = vocabularies.get((kind, target))
        if vocabulary is None:
            vocabulary = vocabularies[(kind, target)] = _Known(kind, known[target], extra, lang)
        for i, value in enumerate(values):
            if isinstance(value, str) and value not in vocabulary:
                out.add(
                    typed.position(path + (i,)),
                    "unknown-reference",
                    "kb.unknown_reference",
                    what=vocabulary.what,
                    value=value,
                    hint=Later(vocabulary.hint, value),
                    choices=vocabulary.choices,
                )

    used_contacts: set[str] = set()
    for path, tool in _entries(view, "tools"):
        refer(path + ("contacts",), tool.get("contacts"), "kind.contact", "contacts")
        if isinstance(tool.get("contacts"), list):
            used_contacts.update(c for c in tool["contacts"] if isinstance(c, str))
        for step_path, step in _entries(tool, "setup_steps"):
            refer(path + step_path + ("platforms",), step.get("platforms"), "kind.platform", "platforms")
    serves_meeting: set[str] = set()
    for path, rule in _entries(view, "rules"):
        if rule.get("tools") != "all":
            refer(path + ("tools",), rule.get("tools"), "kind.tool", "tools")
        rule_kind = rule.get("kind")
        if isinstance(rule_kind, str) and rule_kind in _RULE_REFERENCES:
            key, target = _RULE_REFERENCES[rule_kind]
            refer(path + (key,), rule.get(key), _ID_LISTS[target], target)
        if rule_kind == "tasks" and isinstance(rule.get("tasks"), list) and "meeting" in rule["tasks"]:
            tools = rule.get("tools")
            if tools == "all":
                serves_meeting.update(known["tools"])
            elif isinstance(tools, list):
                serves_meeting.update(x for x in tools if isinstance(x, str))
    for path, notice in _entries(view, "notices"):
        refer(path + ("affects",), notice.get("affects"), "kind.tool_or_section", "tools", SECTIONS)
    _check_phones(view, typed, out)
    for path, contact in _entries(view, "contacts"):
        contact_id = contact.get("id")
        if isinstance(contact_id, str) and contact_id not in used_contacts:
            out.add(typed.position(path + ("id",)), "unused-contact", "kb.unused_contact", id=contact_id)
    for path, tool in _entries(view, "tools"):
        tool_id = tool.get("id")
        url = tool.get("server_url")
        schema_ok = isinstance(url, str) and re.match(r"https?://[^\s/?#]+", url) is not None  # else reported
        if schema_ok and isinstance(url, str) and not _is_server_url(url):
            # What `doctor` connects to: https, a host name, a port from 1 to 65535.
            out.add(typed.position(path + ("server_url",)), "bad-url", "kb.bad_server_url", tool=tool_id, url=url)
        official = tool.get("category") == "official"
        if isinstance(tool_id, str) and tool_id in serves_meeting and official and not tool.get("contacts"):
            out.add(typed.position(path + ("id",)), "no-contact", "kb.no_contact", id=tool_id)
    _check_translations(view, (), typed, out)


def _is_server_url(url: str) -> bool:
    """True for a server URL every reader reads alike (``gialai_remote.urls.check_server_url``)."""
    from gialai_remote.urls import check_server_url

    return check_server_url(url) is None


def _check_phones(view: dict[str, Any], typed: Typed, out: Collector) -> None:
    """Each contact's phone must be a valid Vietnamese number (region VN), written in quotes."""
    import phonenumbers

    for path, contact in _entries(view, "contacts"):
        phone = contact.get("phone")
        phone_path = path + ("phone",)
        if not isinstance(phone, str) or not phone.isascii() or not phone.isdigit():
            continue  # the schema reports numbers read by YAML and non-digits
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(phone, "VN"))
        except phonenumbers.NumberParseException:
            valid = False
        if not valid:
            out.add(typed.position(phone_path), "invalid-phone", "kb.invalid_phone", value=phone)
        elif phone_path not in typed.quoted:
            out.add(typed.position(phone_path), "unquoted-phone", "kb.unquoted_phone", raw=phone)


def _check_translations(value: Any, path: JsonPath, typed: Typed, out: Collector) -> None:
    """Warn about each text with Vietnamese but no English (missing or empty ``en``)."""
    if isinstance(value, dict):
        if "vi" in value and set(value) <= {"vi", "en"}:
            vi, en = value.get("vi"), value.get("en", "")
            if isinstance(vi, str) and vi.strip() and isinstance(en, str) and not en.strip():
                at = path + ("en",) if "en" in value else path
                out.add(typed.position(at), "missing-translation", "kb.missing_translation", vi=_clip(vi))
            return
        for key, item in value.items():
            _check_translations(item, path + (key,), typed, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_translations(item, path + (i,), typed, out)


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
