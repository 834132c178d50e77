"""The results of the core: the query, and everything a renderer needs to show an answer.

:func:`gialai_remote.decide.decide` returns an :class:`Advice`, :func:`gialai_remote.decide.check`
a :class:`CheckResult`. Both are immutable, in one language (the query's), and complete: a
renderer (``render/``) takes one of them and nothing else (the display names of the query's
ids travel with it as :class:`QueryNames`). The small builders below (and in
:mod:`gialai_remote.since`) turn knowledge-base entries into these result types; ``decide``,
``describe``, ``handout`` and ``doctor`` share them so a contact, a notice, a citation or a
setup step reads the same everywhere.

Nothing here decides anything, reads a clock, a file or a terminal, or names a rule kind.
"""

from __future__ import annotations

import datetime as dt

from gialai_remote.errors import UnknownIdError
from gialai_remote.freshness import freshness_words, letter_section
from gialai_remote.i18n import t
from gialai_remote.memo import per_kb
from gialai_remote.model import Cite, Contact, KnowledgeBase, Source, Tool
from gialai_remote.records import Record

#: The query's fields that name an entry of a vocabulary, with that vocabulary.
QUERY_VOCABULARIES: dict[str, str] = {
    "role": "roles",
    "task": "tasks",
    "sensitivity": "sensitivities",
    "platform": "platforms",
}

#: The catalogue key naming each vocabulary or entry list, for messages ("roles": "kind.role").
_WHAT = {**{vocabulary: f"kind.{field}" for field, vocabulary in QUERY_VOCABULARIES.items()}, "tools": "kind.tool"}


class Query(Record):
    """What the user asks about.

    Attributes:
        role: role id ("agency-staff").
        task: task id, or None (``check`` without ``--task``: task rules are not applied).
        date: the day the advice is for.
        participants: how many people will take part (people, >= 1), or None when unknown.
        sensitivity: sensitivity id; "internal" when none was given (the safe side).
        sensitivity_assumed: True when the sensitivity was not given but assumed.
        platform: platform id, or None for every platform.
        has_device: the user has a smart mobile device or a computer (section 1).
        has_internet: the user has an Internet connection (section 1).
        lang: language of every text in the advice ("vi" or "en").
    """

    role: str
    task: str | None
    date: dt.date
    participants: int | None = None
    sensitivity: str = "internal"
    sensitivity_assumed: bool = False
    platform: str | None = None
    has_device: bool = True
    has_internet: bool = True
    lang: str = "vi"


class QueryNames(Record):
    """The display names of a query's ids, in the query's language.

    Attributes:
        role: the role's name ("Cán bộ, công chức, viên chức").
        sensitivity: the sensitivity level's name.
        task: the task's name, or None when the query has no task.
        platform: the platform's name, or None when the query names none.
    """

    role: str
    sensitivity: str
    task: str | None = None
    platform: str | None = None


class Citation(Record):
    """Where a fact comes from, as results show it (the JSON ``source`` object).

    Attributes:
        id: the source's id ("letter-415", "law-117-2025-qh15").
        document: the source's official number ("415/STTTT-CNTT"), or None.
        section: the letter's section ("2.2.b") for a citation of the letter, else None.
        article: the part of a later document, in the result's language, or None.
        label: the citation in words, as messages write it in brackets: "mục 2.2.b",
            "Luật Bảo vệ bí mật nhà nước số 117/2025/QH15, Điều 5 khoản 2".
    """

    id: str
    document: str | None
    section: str | None
    article: str | None
    label: str


class WarningInfo(Record):
    """A warning: a code scripts act on (``docs/contract.md``), one sentence, where it comes from.

    Attributes:
        code: "letter_age", "sensitivity_assumed", "tool_unverified", "contact_unverified"...
        message: one or two sentences for a person, in the result's language.
        source: what it rests on, or None (a warning about the query itself).
        opening: True for the lines of the block that opens an answer given more than a year
            after the letter (text output prints them first; JSON lists them first).
    """

    code: str
    message: str
    source: Citation | None = None
    opening: bool = False


class StatusInfo(Record):
    """A dated status entry of a tool in force on the result's date (see :class:`gialai_remote.model.Status`).

    Attributes:
        kind: "discontinued", "renamed", "changed-hands" or "unverified".
        start: its first day.
        confidence: "high", "medium" or "low".
        text: what happened, in the result's language.
        head: what and since when: "Đã ngừng hoạt động từ 5/5/2025", "Chưa xác minh được sau năm 2020".
        message: ``head: text``, with the confidence when not high, as one line for a person.
        sources: where it comes from, at least one.
    """

    kind: str
    start: dt.date
    confidence: str
    text: str
    head: str
    message: str
    sources: tuple[Citation, ...]


class SourceEntry(Record):
    """A source as results list it (JSON ``sources``): the fields of :class:`gialai_remote.model.Source`,
    ``title`` and ``issuer`` (or None) in the result's language."""

    id: str
    kind: str
    title: str
    issuer: str | None
    date: dt.date | None
    document: str | None
    effective: dt.date | None
    references: tuple[str, ...]


class Reason(Record):
    """Why a tool is ruled out: one cause, one sentence.

    Attributes:
        code: a reason code of ``docs/contract.md`` ("capacity_exceeded"): each rule kind of
            :data:`gialai_remote.rules.KINDS` has one, and "discontinued" comes from the tool's
            status.
        message: one sentence for a person, ending with its citations in brackets.
        section: the letter's section of the rule ("" when the cause is not the letter's).
        rule: the rule's id ("2.1.a-capacity"); "" when no rule of the file is the cause.
        sources: what the cause rests on, the letter first; several when rules of one kind
            from different sources agree (section 2.3 and the state-secrets law).
        cause: the cause without the tool's name, from the same parameters: reasons with equal
            ``code`` and ``cause`` are listed on one line; "" when unknown (shown by ``message``).
    """

    code: str
    message: str
    section: str
    rule: str
    sources: tuple[Citation, ...] = ()
    cause: str = ""


class ContactInfo(Record):
    """A support contact, as every command shows it.

    Attributes:
        id: contact id.
        name: the person, with the honorific in the result's language ("Ông Lê Văn Hải").
        phone: digits only.
        organization: the person's organization, or None when the letter gives none.
        title: the person's title, or None.
        section: the letter's section that names the contact ("" for a later source).
        tools: ids of the tools that name the contact, in file order.
        verified_on: the last day the name and number were known to be right (the letter's
            date for the letter's contacts), or None when unknown.
        source: where the contact comes from, or None.
        reading: the number as Vietnamese write it ("0269 3822 555"), or "" (renderers group it).
        freshness: how fresh the number is, in the result's language, printed next to it:
            "theo Công văn, 2020", "xác minh ngày 15/11/2026, Sở KH&CN Gia Lai" (the layer or
            source that confirmed it); "" in hand-made objects.
    """

    id: str
    name: str
    phone: str
    organization: str | None
    title: str | None
    section: str = ""
    tools: tuple[str, ...] = ()
    verified_on: dt.date | None = None
    source: Citation | None = None
    reading: str = ""
    freshness: str = ""


class NoticeInfo(Record):
    """A notice shown on the result's date (see :class:`gialai_remote.model.Notice`).

    Attributes:
        id: notice id.
        effective: the first day it is in force.
        text: what changed, in the result's language.
        source: its sources in words, joined by "; " (the labels of ``sources``).
        affects: tool ids or letter sections it bears on (empty: everything).
        sources: where it comes from, at least one.
        confidence: "high", "medium" or "low".
        until: its last day in force, or None.
        superseded_by: the id of the notice that replaced it, or None.
        in_force: False when the result's date is after ``until`` (the notice is shown as ended).
        title: its short form (the notice's own words, shortened), in the result's language;
            the text itself when the knowledge base gives none.
    """

    id: str
    effective: dt.date
    text: str
    source: str
    affects: tuple[str, ...]
    sources: tuple[Citation, ...] = ()
    confidence: str = "high"
    until: dt.date | None = None
    superseded_by: str | None = None
    in_force: bool = True
    title: str = ""


class SourceInfo(Record):
    """The letter a result comes from: number, issuer (in the result's language), date, and
    its source id."""

    document: str
    issuer: str
    date: dt.date
    id: str = "letter-415"


class Recommendation(Record):
    """A tool the letter allows for the query.

    Attributes:
        tool: tool id.
        rank: 1 = best.
        name: display name.
        section: the letter's section of the tool.
        category: "official" or "public-app".
        reasons: why it is recommended, from the letter.
        warnings: what to keep in mind when using it (the rules' warnings, the letter's notes,
            each status in force, contacts not verified for more than a year).
        setup_steps: how to set it up for the query's platform (all platforms when none).
        contacts: whom to call.
        server_url: the server address, when the letter gives one.
        status: the tool's status entries in force on the query's date.
        source: where the tool comes from (the letter's section).
    """

    tool: str
    rank: int
    name: str
    section: str
    category: str
    reasons: tuple[str, ...]
    warnings: tuple[WarningInfo, ...]
    setup_steps: tuple[str, ...]
    contacts: tuple[ContactInfo, ...]
    server_url: str | None = None
    status: tuple[StatusInfo, ...] = ()
    source: Citation | None = None


class Exclusion(Record):
    """A tool that serves the query but is ruled out, with every reason (one per cause), and
    its status entries in force on the query's date."""

    tool: str
    name: str
    section: str
    reasons: tuple[Reason, ...]
    status: tuple[StatusInfo, ...] = ()


class Advice(Record):
    """The answer to ``recommend``.

    Attributes:
        query: the query answered.
        names: the display names of the query's ids.
        eligible: False when the precondition of remote work (device and Internet) fails.
        recommendations: allowed tools, ordered by rank.
        excluded: tools that serve the task but are ruled out.
        warnings: advice-level warnings: first the opening block of a late answer
            (:attr:`WarningInfo.opening`), then assumptions and why nothing fits.
        notices: notices shown on the query's date that bear on this advice.
        source: the letter.
        sources: every source of the knowledge base, the letter first.
        explanation: when nothing is recommended, the instruction that answers instead (secret
            content, no device or Internet, no tool for the task), one of ``warnings``; else None.
    """

    query: Query
    names: QueryNames
    eligible: bool
    recommendations: tuple[Recommendation, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[WarningInfo, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo
    sources: tuple[SourceEntry, ...] = ()
    explanation: WarningInfo | None = None


class ToolName(Record):
    """A tool named for the reader.

    Attributes:
        tool: tool id.
        name: its display name in the query's language.
    """

    tool: str
    name: str


class CheckResult(Record):
    """The answer to ``check``: is one tool allowed for the query?

    Attributes:
        tool: tool id.
        name: its display name.
        allowed: True when no rule rules it out.
        query: the query answered.
        names: the display names of the query's ids.
        reasons: every reason it is ruled out (empty when allowed).
        warnings: advice-level warnings (the opening block first), then the tool's own.
        notices: notices shown on the query's date that bear on the tool.
        source: the letter.
        status: the tool's status entries in force on the query's date.
        sources: every source of the knowledge base, the letter first.
        alternatives: when not allowed, the other tools the letter allows for the same query,
            best first (the order ``recommend`` ranks them in); empty when allowed.
        explanation: when not allowed, a kind's instruction (secret content: not remotely, with
            the law), one of ``warnings``; else None.
        contacts: when allowed, the tool's support contacts (each with how fresh its number
            is); empty when not allowed.
    """

    tool: str
    name: str
    allowed: bool
    query: Query
    names: QueryNames
    reasons: tuple[Reason, ...]
    warnings: tuple[WarningInfo, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo
    status: tuple[StatusInfo, ...] = ()
    sources: tuple[SourceEntry, ...] = ()
    alternatives: tuple[ToolName, ...] = ()
    explanation: WarningInfo | None = None
    contacts: tuple[ContactInfo, ...] = ()


# ---- builders shared by decide, describe, handout and doctor -----------------------------------


def require_id(kb: KnowledgeBase, kind: str, item_id: str, lang: str = "en") -> None:
    """Raise :class:`gialai_remote.errors.UnknownIdError` unless list ``kind`` has ``item_id``.

    Args:
        kb: the knowledge base.
        kind: "roles", "tasks", "sensitivities", "platforms" or "tools".
        item_id: the id to look for (canonical: the CLI resolves what users type first).
        lang: language of the error's message.
    """
    if kb.has(kind, item_id):
        return
    items = kb.tools if kind == "tools" else getattr(kb, kind)
    choices = tuple(item.id for item in items)
    message = t("error.unknown_id", lang, what=t(_WHAT[kind], lang), value=item_id, choices=", ".join(choices))
    raise UnknownIdError(kind, item_id, choices, message)


def require_query_ids(kb: KnowledgeBase, query: Query) -> None:
    """Check that every id of ``query`` is in the knowledge base. Raises UnknownIdError."""
    for field_name, kind in QUERY_VOCABULARIES.items():
        value = getattr(query, field_name)
        if value is not None:
            require_id(kb, kind, value, query.lang)


def term_names(kb: KnowledgeBase, kind: str, ids: tuple[str, ...], lang: str, sep: str = ", ") -> str:
    """The display names of ``ids`` of vocabulary ``kind``, joined by ``sep`` (an unknown id as
    itself); worked out once per knowledge base and arguments (:func:`gialai_remote.memo.per_kb`)."""
    key = ("term_names", kind, tuple(ids), lang, sep)
    return per_kb(kb, key, lambda: sep.join(kb.term(kind, i).name.get(lang) if kb.has(kind, i) else i for i in ids))


def query_names(kb: KnowledgeBase, query: Query) -> QueryNames:
    """The display names of the query's role, sensitivity, task and platform. Raises KeyError."""
    lang = query.lang
    return QueryNames(
        role=kb.term("roles", query.role).name.get(lang),
        sensitivity=kb.term("sensitivities", query.sensitivity).name.get(lang),
        task=kb.term("tasks", query.task).name.get(lang) if query.task is not None else None,
        platform=kb.term("platforms", query.platform).name.get(lang) if query.platform is not None else None,
    )


def is_late(kb: KnowledgeBase, on: dt.date) -> bool:
    """True when ``on`` is more than a year (365 days) after the letter: the answer then opens
    with what changed since, and the letter's texts read in its own time (:meth:`Text.at`)."""
    return (on - kb.source.date).days > 365


def cite_info(kb: KnowledgeBase, cite: Cite, lang: str) -> Citation:
    """``cite`` as results show it, its label in ``lang``: "mục 2.2.b" for the letter (its number
    without a section), the source's title and the article for a later source."""
    letter = kb.source
    if cite.source in ("", letter.id):
        if cite.section:
            label = t("cite.section", lang, section=cite.section)
        else:
            label = t("cite.letter", lang, document=letter.document)
        return Citation(letter.id, letter.document, cite.section, None, label)
    source: Source | None = kb.source_entry(cite.source) if kb.has("sources", cite.source) else None
    article = cite.article.get(lang) if cite.article else None
    label = source.title.get(lang) if source else cite.source
    label = f"{label}, {article}" if article else label
    return Citation(cite.source, source.document if source else None, cite.section, article, label)


def cite_label(citations: tuple[Citation, ...]) -> str:
    """The labels of ``citations`` joined by "; ", as a message's brackets hold them."""
    return "; ".join(dict.fromkeys(c.label for c in citations))


def contact_info(kb: KnowledgeBase, contact: Contact, lang: str) -> ContactInfo:
    """``contact`` as results show it, in ``lang``, with the tools that name it."""
    return ContactInfo(
        id=contact.id,
        name=contact.display_name(lang),
        phone=contact.phone,
        organization=contact.organization.get(lang) if contact.organization else None,
        title=contact.title.get(lang) if contact.title else None,
        section=contact.section,
        tools=kb.tools_naming(contact.id),
        verified_on=contact.verified_on,
        source=cite_info(kb, Cite(contact.source, letter_section(kb, contact)), lang),
        reading=kb.stack.readings.get(contact.phone, "") if kb.stack else "",
        freshness=freshness_words(kb, contact, lang),
    )


def contact_infos(kb: KnowledgeBase, tool: Tool, lang: str) -> tuple[ContactInfo, ...]:
    """The support contacts of ``tool`` (its ``contacts`` ids, in order; unknown ids skipped)."""
    return tuple(contact_info(kb, kb.contact(c), lang) for c in tool.contacts if kb.has("contacts", c))


def tool_keys(kb: KnowledgeBase, tool: Tool, on: dt.date | None = None) -> set[str]:
    """What a notice about one tool may name or cite: its id, its section, the sections of the
    rules written for it (not the rules for ``all`` tools, whose notices would otherwise crowd
    every page) and the later sources of its rules in force on ``on`` (a law's rule brings the
    law's notices). Used by ``check``, ``tools show`` and the handouts alike."""
    rules = kb.rules_for(tool.id, on)
    later = {r.source for r in rules if r.source not in ("", kb.source.id)}
    return {tool.id, tool.section, *(r.section for r in rules if r.tools is not None), *later}


def source_info(kb: KnowledgeBase, lang: str) -> SourceInfo:
    """The letter as results cite it: number, issuer in ``lang``, date, id."""
    return SourceInfo(kb.source.document, kb.source.issuer.get(lang), kb.source.date, kb.source.id)
