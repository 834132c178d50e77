"""The entries of the knowledge base as typed, immutable records: texts, sources, citations,
vocabulary terms, contacts, tools and their setup steps and status, rules and notices.

Built by :mod:`gialai_remote.knowledge` from ``guidance.yaml``; read by :mod:`gialai_remote.decide`.
Nothing here reads files, prints or knows a rule kind: what each kind means is the registry's
(:mod:`gialai_remote.rules`); a :class:`Rule` carries the kind's name and its value in one of
three generic fields. Import them from :mod:`gialai_remote.model`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from gialai_remote.records import Record

#: The sections of Công văn 415/STTTT-CNTT an entry may cite: the six leaf ones and the headings.
SECTIONS: tuple[str, ...] = ("1", "2", "2.1", "2.1.a", "2.1.b", "2.2", "2.2.a", "2.2.b", "2.3")

#: The languages every user-facing text is written in; the first is the default.
LANGS: tuple[str, ...] = ("vi", "en")

Lang = Literal["vi", "en"]
Category = Literal["official", "public-app"]

#: How sure the knowledge base is of a later fact (``docs/contract.md``): high, medium, low.
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")

#: What can happen to a tool after the letter: its service ended, it was renamed, another
#: company owns it, or nothing after the letter confirms it (``docs/contract.md``).
STATUS_KINDS: tuple[str, ...] = ("discontinued", "renamed", "changed-hands", "unverified")

#: The status kinds that mean the tool itself changed (the others: it could not be checked).
CHANGED: tuple[str, ...] = ("renamed", "changed-hands")

#: The kinds of document a source may be; the letter is the only ``letter``, ``layer`` a layer's.
SOURCE_KINDS: tuple[str, ...] = ("letter", "law", "ordinance", "resolution", "decree", "decision", "announcement")
SOURCE_KINDS += ("report", "web-page", "layer")


class Text(Record):
    """A user-facing text in Vietnamese and English.

    Attributes:
        vi: the Vietnamese text, as in the letter where the letter has words for it.
        en: the English text.
        later: how the text reads once the letter is more than a year old, in the letter's
            time ("Theo Công văn (năm 2020), hệ thống chỉ phục vụ ..." instead of "Hệ thống
            hiện tại ..."), or None when it reads the same at any time.
    """

    vi: str
    en: str
    later: Text | None = None

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("vi" or "en"); any other value, or an English text not
        yet written (empty), gives Vietnamese."""
        return self.en if lang == "en" and self.en else self.vi

    def at(self, lang: str, late: bool) -> str:
        """The text in ``lang`` as it reads when ``late`` (the advice date is more than a year
        after the letter: :func:`gialai_remote.advice.is_late`): its ``later`` wording when it
        has one, else :meth:`get`."""
        return self.later.get(lang) if late and self.later is not None else self.get(lang)


class Letter(Record):
    """The letter itself: Công văn 415/STTTT-CNTT of 01/04/2020 (the first of the sources).

    Attributes:
        document: the letter's number, "415/STTTT-CNTT".
        issuer: the issuing body (Sở Thông tin và Truyền thông tỉnh Gia Lai).
        date: the letter's date (2020-04-01).
        title: the letter's subject line.
        based_on: the three documents the letter cites as its basis.
        signed_by: the signer's name.
        notes: editorial notes on the letter's text.
        id: the letter's source id ("letter-415"), which citations name.
    """

    document: str
    issuer: Text
    date: dt.date
    title: Text
    based_on: tuple[Text, ...]
    signed_by: str = ""
    notes: tuple[Text, ...] = ()
    id: str = "letter-415"


class Source(Record):
    """A document the knowledge base relies on: the letter, or a later law, decree, resolution,
    announcement or report (``sources:`` in the file; the letter first).

    Attributes:
        id: kebab-case id that citations name ("law-117-2025-qh15").
        kind: one of :data:`SOURCE_KINDS`.
        title: its title or a short description, as it is cited in text.
        issuer: who issued or published it, or None when no one body did (press reports).
        date: the document's own date (issued, adopted, announced), or None when that day was
            not verified (only its number's year is known).
        document: its official number ("117/2025/QH15"), or None.
        effective: the day it took effect, when that matters and is known, or None.
        references: where it can be read or checked: addresses or bibliographic text, as the
            research that found it names them.
        notes: editorial notes.
    """

    id: str
    kind: str
    title: Text
    issuer: Text | None
    date: dt.date | None
    document: str | None = None
    effective: dt.date | None = None
    references: tuple[str, ...] = ()
    notes: tuple[Text, ...] = ()


class Cite(Record):
    """Where an entry comes from: a source, and the part of it.

    Attributes:
        source: a source id; the letter's for the letter's own facts.
        section: the letter's section ("2.1.a"), for a citation of the letter; None otherwise.
        article: the part of a later document ("Điều 5 khoản 2"), or None.
    """

    source: str
    section: str | None = None
    article: Text | None = None


class Status(Record):
    """One dated fact about a tool's life after the letter (``status:`` of a tool).

    Attributes:
        kind: one of :data:`STATUS_KINDS`.
        start: the first day it holds (``from`` in YAML).
        sources: where it comes from, at least one.
        confidence: one of :data:`CONFIDENCES`.
        text: what happened, in the user's words.
    """

    kind: str
    start: dt.date
    sources: tuple[Cite, ...]
    confidence: str
    text: Text

    def in_force(self, on: dt.date) -> bool:
        """True when ``on`` is on or after the status's first day."""
        return on >= self.start


class Term(Record):
    """A named entry of a vocabulary: a role, task, sensitivity level or platform.

    Attributes:
        id: the canonical kebab-case id of ``docs/contract.md``.
        name: its display name.
        aliases: other spellings users type (matched after folding).
        section: the letter's section it comes from ("" for platforms, which the letter only
            implies through the app stores it names).
        description: a longer explanation, or None.
    """

    id: str
    name: Text
    aliases: tuple[str, ...] = ()
    section: str = ""
    description: Text | None = None


class Contact(Record):
    """A support contact named by the letter.

    Attributes:
        id: kebab-case id.
        name: the person's name, as the letter writes it, without honorific ("Phan Đình Hiếu").
        phone: digits only, e.g. "0935076079".
        section: the letter's section that names the contact.
        honorific: how the letter addresses the person ("Ông" / "Mr"), or None.
        title: the person's title, when the letter gives one.
        organization: the person's organization, when the letter gives one.
        notes: editorial notes (ambiguities of the letter).
        source: the source id that names the contact ("" only in hand-made objects: the
            builder always sets it, the letter's by default).
        verified_on: the last day the name and number were known to be right: the letter's
            date for the letter's contacts; None only in hand-made objects.
    """

    id: str
    name: str
    phone: str
    section: str
    honorific: Text | None = None
    title: Text | None = None
    organization: Text | None = None
    notes: tuple[Text, ...] = ()
    source: str = ""
    verified_on: dt.date | None = None

    def display_name(self, lang: str) -> str:
        """The name with its honorific in ``lang``: "Ông Phan Đình Hiếu", "Mr Phan Đình Hiếu"."""
        return f"{self.honorific.get(lang)} {self.name}" if self.honorific else self.name


class SetupStep(Record):
    """One setup step of a tool.

    Attributes:
        text: what to do.
        platforms: the platform ids the step is for; empty means every platform.
        label: how to name those platforms when every platform's steps are shown
            ("Trên máy tính"); None: their names are listed.
    """

    text: Text
    platforms: tuple[str, ...] = ()
    label: Text | None = None

    def applies_to(self, platform: str | None) -> bool:
        """True when the step is for ``platform`` (None: the step is shown for every platform)."""
        return platform is None or not self.platforms or platform in self.platforms


class Tool(Record):
    """A tool the letter names: software, a meeting system or a public app.

    Attributes:
        id: the canonical id of ``docs/contract.md`` ("polycom").
        name: display name.
        section: the letter's section ("2.1.a").
        category: "official" for the systems of sections 1, 2.1 and 2.2; "public-app" for 2.3.
        priority: ranking weight, lower first; encodes the letter's order (2.1 before 2.2,
            official systems before public apps).
        aliases: other spellings users type.
        description: what the letter says the tool is and is for.
        operator: who runs or provides it.
        app: which app to install, in the letter's words.
        server_url: the server address users enter, when the letter gives one.
        bridge_points: how many district-level bridge points it links to (section 2.1.a).
        contacts: ids of its support contacts.
        setup_steps: how to set it up, in order.
        notes: editorial notes (typos, ambiguities of the letter).
        source: the source id that names the tool (the letter's; "" in hand-made objects).
        status: what happened to it after the letter, in date order.
    """

    id: str
    name: Text
    section: str
    category: Category
    priority: int
    aliases: tuple[str, ...] = ()
    description: Text | None = None
    operator: Text | None = None
    app: Text | None = None
    server_url: str | None = None
    bridge_points: int | None = None
    contacts: tuple[str, ...] = ()
    setup_steps: tuple[SetupStep, ...] = ()
    notes: tuple[Text, ...] = ()
    source: str = ""
    status: tuple[Status, ...] = ()

    def status_on(self, on: dt.date) -> tuple[Status, ...]:
        """The status entries in force on ``on``, in file order."""
        return tuple(s for s in self.status if s.in_force(on))


class ToolSelector(Record):
    """Which tools a rule written with a mapping under ``tools:`` applies to.

    ``tools: {category: public-app}`` selects every public app, ``tools: {section: "2.3"}``
    every tool of section 2.3; with both keys a tool must match both. So a rule of the
    letter about "public apps" (section 2.3) covers any public app an agency adds to its copy.

    Attributes:
        category: the tools' category ("official" or "public-app"), or None for any.
        section: the tools' section of the letter ("2.3"), or None for any.
    """

    category: str | None = None
    section: str | None = None

    def matches(self, tool: Tool) -> bool:
        """True when ``tool`` has every property the selector names."""
        return (self.category is None or tool.category == self.category) and (
            self.section is None or tool.section == self.section
        )

    def select(self, tools: tuple[Tool, ...]) -> tuple[str, ...]:
        """The ids of the ``tools`` the selector matches, in their order."""
        return tuple(tool.id for tool in tools if self.matches(tool))


class Rule(Record):
    """One rule of the letter.

    Which kinds exist, which YAML key holds each kind's value and in which of the fields
    ``values`` / ``max_participants`` / ``until`` the value is kept is said by the registry
    (:data:`gialai_remote.rules.KINDS`), the one place that knows the kinds.

    Attributes:
        id: kebab-case id naming the section, e.g. "2.1.a-capacity".
        kind: the name of a kind of :data:`gialai_remote.rules.KINDS`.
        section: the letter's section the rule comes from.
        tools: the ids of the tools it applies to, in the knowledge base's order when chosen
            by a selector; None means every tool ("all" in YAML).
        values: for a kind whose value is a list: the ids (or fixed words) it names.
        max_participants: for a kind whose value is a number of people: that number (people).
        until: for a kind whose value is a day: that day (inclusive).
        note: the letter's reason, shown with a tool the rule lets through.
        warning: a warning shown with every tool the rule lets through.
        selector: how the rule chose its tools when written as a mapping
            (``tools: {category: public-app}``); None when written as ids or "all".
            ``tools`` holds what it selected.
        source: the source id the rule comes from (the letter's unless a later law's).
        article: the part of a later source it comes from ("Điều 5 khoản 2"), or None.
        valid_from: the first day the rule is in force, or None. Generic for every kind
            (``in_force: {from, until}``), applied once by :meth:`KnowledgeBase.rules_for`.
        valid_until: the last day the rule is in force, or None (no end).
    """

    id: str
    kind: str
    section: str
    tools: tuple[str, ...] | None
    values: tuple[str, ...] = ()
    max_participants: int | None = None
    until: dt.date | None = None
    note: Text | None = None
    warning: Text | None = None
    selector: ToolSelector | None = None
    source: str = ""
    article: Text | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def in_force(self, on: dt.date | None) -> bool:
        """True when the rule is in force on ``on`` (None: any day, every rule)."""
        if on is None:
            return True
        return (self.valid_from is None or on >= self.valid_from) and (
            self.valid_until is None or on <= self.valid_until
        )

    def cite(self) -> Cite:
        """Where the rule comes from: its source, its letter section (none: ""), its article."""
        return Cite(self.source, self.section or None, self.article)


class Opening(Record):
    """A notice's line in the block opening a late answer: its warning ``code`` in JSON
    ("issuer_changed") and its ``text``."""

    code: str
    text: Text


class Notice(Record):
    """A dated, sourced fact from after the letter that changes how it reads.

    Attributes:
        id: kebab-case id; effective: the first day (inclusive) it is in force; text: what changed.
        sources: where it comes from, at least one (source ids, with an article).
        affects: tool ids or letter sections the notice bears on.
        confidence: one of :data:`CONFIDENCES`.
        until: its last day in force, when a later notice replaced it; None: no end.
        superseded_by: the id of the notice that replaced it, or None.
        opening: its line in the opening block of a late answer, or None.
        title: its short form, one line (its text's own words, shortened), or None.
    """

    id: str
    effective: dt.date
    text: Text
    sources: tuple[Cite, ...]
    affects: tuple[str, ...] = ()
    confidence: str = "high"
    until: dt.date | None = None
    superseded_by: str | None = None
    opening: Opening | None = None
    title: Text | None = None

    def shown(self, on: dt.date) -> bool:
        """True from the effective day on: shown, in force or (after ``until``) as ended."""
        return on >= self.effective

    def in_force(self, on: dt.date) -> bool:
        """True from the effective day to ``until`` (inclusive)."""
        return self.shown(on) and (self.until is None or on <= self.until)
