"""The meaning of a knowledge base: ids, references, phone numbers, server URLs, translations.

:func:`check_meaning` runs on the JSON view once its structure was checked (whatever was
found there: every check here skips a value of the wrong shape, which the schema reported):

- unique ids in each list, and the ids the code relies on (``normal``, ``internal``,
  ``secret``: a query without a sensitivity assumes "internal", ``docs/contract.md``);
- every reference names an entry that exists: a tool's contacts and its steps' platforms, a
  rule's tools and the values of its kind (section 2 of the letter: roles, tasks, sensitivity
  levels, platforms), a notice's tools or sections; in format 2, every source a tool, rule,
  contact, status entry or notice cites, and the notice a notice is ``superseded_by``;
- a rule or contact citing the letter names its section; a dated rule's ``in_force`` and a
  notice's ``effective``/``until`` do not end before they start (``bad-period``);
- Vietnamese phone numbers (``phonenumbers``, region VN), written in quotes;
- unused contacts and meeting systems without a contact (warnings);
- coverage (warnings, from the registry's :class:`gialai_remote.rulekind.Coverage`): a tool
  that no task rule names (it could never be recommended) and a public app that no
  sensitivity rule written for it covers (it would be recommended for internal content,
  against section 2.3); a rule's ``tools:`` may be "all", a list of ids or a selector mapping;
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
from typing import Any, get_args

from gialai_remote import rules
from gialai_remote.i18n import t
from gialai_remote.knowledge.parse import Typed
from gialai_remote.knowledge.report import Collector, JsonPath, Later, listed
from gialai_remote.model import SECTIONS, Category

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
    "sources": "kind.source",
}

#: Ids the code relies on, so an agency's copy must keep them: a query without a sensitivity
#: assumes "internal" (docs/contract.md), and "secret" content gets its own warning.
REQUIRED_IDS: dict[str, tuple[str, ...]] = {"sensitivities": ("normal", "internal", "secret")}

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

    def refer_at(at: JsonPath, value: Any, kind: str, target: str, extra: tuple[str, ...] = ()) -> None:
        """Report ``value`` (at ``at``) unless it names an entry of ``target`` (or ``extra``)."""
        if not isinstance(value, str):
            return
        vocabulary = vocabularies.get((kind, target))
        if vocabulary is None:
            vocabulary = vocabularies[(kind, target)] = _Known(kind, known[target], extra, lang)
        if value not in vocabulary:
            out.add(
                typed.position(at),
                "unknown-reference",
                "kb.unknown_reference",
                what=vocabulary.what,
                value=value,
                hint=Later(vocabulary.hint, value),
                choices=vocabulary.choices,
            )

    def refer(path: JsonPath, values: Any, kind: str, target: str, extra: tuple[str, ...] = ()) -> None:
        if isinstance(values, list):
            for i, value in enumerate(values):
                refer_at(path + (i,), value, kind, target, extra)

    used_contacts: set[str] = set()
    for path, tool in _entries(view, "tools"):
        refer(path + ("contacts",), tool.get("contacts"), "kind.contact", "contacts")
        if isinstance(tool.get("contacts"), list):
            used_contacts.update(c for c in tool["contacts"] if isinstance(c, str))
        for step_path, step in _entries(tool, "setup_steps"):
            refer(path + step_path + ("platforms",), step.get("platforms"), "kind.platform", "platforms")
    tools_view = list(_entries(view, "tools"))
    select = _Selection(tools_view)
    serves_meeting: set[str] = set()
    covered: dict[str, set[str]] = {entry.name: set() for entry in rules.KINDS}
    unknown: set[str] = set()  # kinds with a rule whose tools the schema rejected: coverage unknown
    merged: set[tuple[str, int]] = set()  # (kind, kept selection) merged already: "all" once per kind

    def merge(name: str, into: set[str], selected: frozenset[str]) -> None:
        """Add ``selected`` to ``into``; a kept selection ("all", a selector) only once."""
        if (name, id(selected)) not in merged:
            into.update(selected)
            if select.cached(selected):
                merged.add((name, id(selected)))

    for path, rule in _entries(view, "rules"):
        raw_tools = rule.get("tools")
        if isinstance(raw_tools, list):
            refer(path + ("tools",), raw_tools, "kind.tool", "tools")
        kind_entry = _kind_of(rule)
        if kind_entry is None:
            continue  # the schema reported the kind
        key, vocabulary, coverage = kind_entry.key, kind_entry.vocabulary, kind_entry.coverage
        if vocabulary is not None:
            refer(path + (key,), rule.get(key), _ID_LISTS[vocabulary], vocabulary)
        selected = select(raw_tools)
        if selected is None:
            unknown.add(kind_entry.name)
            continue
        if coverage is None or coverage.counts_all or raw_tools != "all":
            merge(kind_entry.name, covered[kind_entry.name], selected)
        values = rule.get(key)
        if vocabulary == "tasks" and isinstance(values, list) and "meeting" in values:
            merge("meeting", serves_meeting, selected)
    for path, notice in _entries(view, "notices"):
        refer(path + ("affects",), notice.get("affects"), "kind.tool_or_section", "tools", SECTIONS)
    _check_sources(view, typed, out, refer_at)
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
    _check_coverage(tools_view, {k: v for k, v in covered.items() if k not in unknown}, typed, out)
    _check_translations(view, (), typed, out)


def _check_sources(view: dict[str, Any], typed: Typed, out: Collector, refer_at: Any) -> None:
    """Format 2: each citation names a source of ``sources``; a ``superseded_by`` names a notice;
    a rule or contact citing the letter names its section; no period ends before it starts.

    ``refer_at(path, value, kind, target)`` reports a reference that names no entry."""
    listed = view.get("sources")
    if not isinstance(listed, list):
        return  # format 1 (or reported by the schema): the letter is the only source
    letter = listed[0].get("id") if listed and isinstance(listed[0], dict) else None

    def cited(path: JsonPath, items: Any) -> None:
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                refer_at(path + (i, "source"), item.get("source"), "kind.source", "sources")
            else:
                refer_at(path + (i,), item, "kind.source", "sources")

    for key in ("tools", "rules", "contacts"):
        for path, entry in _entries(view, key):
            refer_at(path + ("source",), entry.get("source"), "kind.source", "sources")
            if key != "tools" and entry.get("source", letter) == letter and "section" not in entry:
                out.add(typed.position(path), "missing-key", "kb.missing_key", key="section")
            for status_path, status in _entries(entry, "status"):
                cited(path + status_path + ("sources",), status.get("sources"))
    for path, rule in _entries(view, "rules"):
        period = rule.get("in_force")
        if isinstance(period, dict):
            _period(typed, out, path + ("in_force",), period.get("from"), period.get("until"))
    for path, notice in _entries(view, "notices"):
        cited(path + ("sources",), notice.get("sources"))
        refer_at(path + ("superseded_by",), notice.get("superseded_by"), "kind.notice", "notices")
        _period(typed, out, path, notice.get("effective"), notice.get("until"))


def _period(typed: Typed, out: Collector, path: JsonPath, start: Any, end: Any) -> None:
    """Report a period whose end (``path + ("until",)``) is before its start; ISO dates compare as text."""
    if isinstance(start, str) and isinstance(end, str) and end < start:
        out.add(typed.position(path + ("until",)), "bad-period", "kb.bad_period", start=start, end=end)


def _kind_of(rule: Mapping[str, Any]) -> rules.RuleKind | None:
    """The registry's entry for the rule's ``kind``, or None for a kind it does not have."""
    name = rule.get("kind")
    try:
        return rules.kind(name) if isinstance(name, str) else None
    except KeyError:
        return None


def _is_selector(raw: dict[str, Any]) -> bool:
    """True for a selector mapping the schema allows: category and/or section, known values."""
    return (
        bool(raw)
        and set(raw) <= {"category", "section"}
        and raw.get("category", "official") in get_args(Category)
        and raw.get("section", "1") in SECTIONS
    )


class _Selection:
    """The ids of the tools a rule's ``tools:`` names: every tool for "all", the ids listed, or
    the tools a selector mapping matches (``{category: public-app}``, ``{section: "2.3"}``:
    every key must match, as :class:`gialai_remote.model.ToolSelector` reads it). What "all" and
    each selector select is worked out once and kept, so many rules cost no more than one per
    tool.

    Args:
        tools_view: the ``tools:`` entries of the view, with their paths.
    """

    def __init__(self, tools_view: Sequence[tuple[JsonPath, dict[str, Any]]]) -> None:
        self._tools = [tool for _, tool in tools_view if isinstance(tool.get("id"), str)]
        self._cache: dict[object, frozenset[str]] = {}

    def __call__(self, raw_tools: Any) -> frozenset[str] | None:
        """The ids selected; None when ``raw_tools`` is not a value the schema allows (what it
        would select is then unknown)."""
        if isinstance(raw_tools, list):
            return frozenset(x for x in raw_tools if isinstance(x, str))
        if raw_tools == "all":
            wanted: tuple[tuple[str, Any], ...] = ()
        elif isinstance(raw_tools, dict) and _is_selector(raw_tools):
            wanted = tuple((k, raw_tools[k]) for k in ("category", "section") if k in raw_tools)
        else:
            return None
        found = self._cache.get(wanted)
        if found is None:
            found = frozenset(t["id"] for t in self._tools if all(t.get(k) == v for k, v in wanted))
            self._cache[wanted] = found
        return found

    def cached(self, selected: frozenset[str]) -> bool:
        """True when ``selected`` is the kept answer for "all" or a selector (not a list)."""
        return any(selected is found for found in self._cache.values())


def _check_coverage(
    tools_view: Sequence[tuple[JsonPath, dict[str, Any]]], covered: dict[str, set[str]], typed: Typed, out: Collector
) -> None:
    """Warn about each tool a kind's rules must cover but do not (the registry's ``coverage``);
    a kind missing from ``covered`` (a rule's tools could not be read) is not judged."""
    for entry in rules.KINDS:
        coverage = entry.coverage
        if coverage is None or entry.name not in covered:
            continue
        for path, tool in tools_view:
            tool_id = tool.get("id")
            if not isinstance(tool_id, str) or tool_id in covered[entry.name]:
                continue
            if coverage.category is None or tool.get("category") == coverage.category:
                out.add(typed.position(path + ("id",)), coverage.code, coverage.message, id=tool_id)


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
        if "vi" in value and set(value) <= {"vi", "en", "later"}:
            vi, en = value.get("vi"), value.get("en", "")
            if isinstance(vi, str) and vi.strip() and isinstance(en, str) and not en.strip():
                at = path + ("en",) if "en" in value else path
                out.add(typed.position(at), "missing-translation", "kb.missing_translation", vi=_clip(vi))
            if "later" in value:
                _check_translations(value["later"], path + ("later",), typed, out)
            return
        for key, item in value.items():
            _check_translations(item, path + (key,), typed, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_translations(item, path + (i,), typed, out)


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
