"""The results of the core: the query, and everything a renderer needs to show an answer.

:func:`gialai_remote.decide.decide` returns an :class:`Advice`, :func:`gialai_remote.decide.check`
a :class:`CheckResult`. Both are immutable, in one language (the query's), and complete: a
renderer (``render/``) takes one of them and nothing else (the display names of the query's
ids travel with it as :class:`QueryNames`). The small builders below turn knowledge-base
entries into these result types; ``decide``, ``describe``, ``handout`` and ``doctor`` share
them so a contact, a notice or a setup step reads the same everywhere.

Nothing here decides anything, reads a clock, a file or a terminal, or names a rule kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gialai_remote.errors import UnknownIdError
from gialai_remote.i18n import format_date, t
from gialai_remote.model import Contact, KnowledgeBase, Notice, Tool

#: The query's fields that name an entry of a vocabulary, with that vocabulary.
QUERY_VOCABULARIES: dict[str, str] = {
    "role": "roles",
    "task": "tasks",
    "sensitivity": "sensitivities",
    "platform": "platforms",
}

#: The catalogue key naming each vocabulary or entry list, for messages.
_WHAT = {
    "roles": "kind.role",
    "tasks": "kind.task",
    "sensitivities": "kind.sensitivity",
    "platforms": "kind.platform",
    "tools": "kind.tool",
}


@dataclass(frozen=True, slots=True)
class Query:
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


@dataclass(frozen=True, slots=True)
class QueryNames:
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


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a tool is ruled out.

    Attributes:
        code: a reason code of ``docs/contract.md`` ("capacity_exceeded"); each rule kind of
            :data:`gialai_remote.rules.KINDS` has one.
        message: one sentence for a person.
        section: the letter's section of the rule.
        rule: the rule's id ("2.1.a-capacity"); "" when the tool has no rule of that kind.
    """

    code: str
    message: str
    section: str
    rule: str


@dataclass(frozen=True, slots=True)
class ContactInfo:
    """A support contact, as every command shows it.

    Attributes:
        id: contact id.
        name: the person, with the honorific in the result's language ("Ông Lê Văn Hải").
        phone: digits only.
        organization: the person's organization, or None when the letter gives none.
        title: the person's title, or None.
        section: the letter's section that names the contact.
        tools: ids of the tools that name the contact, in file order.
        reading: the phone number grouped as Vietnamese write it ("0269 3822 555"), or ""
            when the knowledge base did not work it out (renderers group it then).
    """

    id: str
    name: str
    phone: str
    organization: str | None
    title: str | None
    section: str = ""
    tools: tuple[str, ...] = ()
    reading: str = field(default="", compare=False)  # derived: equal contacts may differ in it


@dataclass(frozen=True, slots=True)
class NoticeInfo:
    """A notice in force on the result's date (see :class:`gialai_remote.model.Notice`).

    Attributes:
        id: notice id.
        effective: the first day it is in force.
        text: what changed, in the result's language.
        source: the legal or official source.
        affects: tool ids or letter sections it bears on (empty: everything).
    """

    id: str
    effective: dt.date
    text: str
    source: str
    affects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The letter a result comes from: number, issuer (in the result's language), date."""

    document: str
    issuer: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A tool the letter allows for the query.

    Attributes:
        tool: tool id.
        rank: 1 = best.
        name: display name.
        section: the letter's section of the tool.
        category: "official" or "public-app".
        reasons: why it is recommended, from the letter.
        warnings: what to keep in mind when using it.
        setup_steps: how to set it up for the query's platform (all platforms when none).
        contacts: whom to call.
        server_url: the server address, when the letter gives one.
    """

    tool: str
    rank: int
    name: str
    section: str
    category: str
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    setup_steps: tuple[str, ...]
    contacts: tuple[ContactInfo, ...]
    server_url: str | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A tool that serves the query but is ruled out, with every reason (one per failing rule)."""

    tool: str
    name: str
    section: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Advice:
    """The answer to ``recommend``.

    Attributes:
        query: the query answered.
        names: the display names of the query's ids.
        eligible: False when the precondition of remote work (device and Internet) fails.
        recommendations: allowed tools, ordered by rank.
        excluded: tools that serve the task but are ruled out.
        warnings: advice-level warnings (assumptions, the letter's age, why nothing fits).
        notices: notices in force on the query's date that bear on this advice.
        source: the letter.
    """

    query: Query
    names: QueryNames
    eligible: bool
    recommendations: tuple[Recommendation, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[str, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo


@dataclass(frozen=True, slots=True)
class ToolName:
    """A tool named for the reader.

    Attributes:
        tool: tool id.
        name: its display name in the query's language.
    """

    tool: str
    name: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The answer to ``check``: is one tool allowed for the query?

    Attributes:
        tool: tool id.
        name: its display name.
        allowed: True when no rule rules it out.
        query: the query answered.
        names: the display names of the query's ids.
        reasons: every reason it is ruled out (empty when allowed).
        warnings: advice-level warnings, then the tool's own.
        notices: notices in force on the query's date that bear on the tool.
        source: the letter.
        alternatives: when not allowed, the other tools the letter allows for the same query,
            best first (the order ``recommend`` ranks them in); empty when allowed.
    """

    tool: str
    name: str
    allowed: bool
    query: Query
    names: QueryNames
    reasons: tuple[Reason, ...]
    warnings: tuple[str, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo
    alternatives: tuple[ToolName, ...] = ()


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
    """The display names of ``ids`` of vocabulary ``kind``, joined by ``sep`` (an unknown id as itself)."""
    return sep.join(kb.term(kind, i).name.get(lang) if kb.has(kind, i) else i for i in ids)


def query_names(kb: KnowledgeBase, query: Query) -> QueryNames:
    """The display names of the query's role, sensitivity, task and platform. Raises KeyError."""
    lang = query.lang
    return QueryNames(
        role=kb.term("roles", query.role).name.get(lang),
        sensitivity=kb.term("sensitivities", query.sensitivity).name.get(lang),
        task=kb.term("tasks", query.task).name.get(lang) if query.task is not None else None,
        platform=kb.term("platforms", query.platform).name.get(lang) if query.platform is not None else None,
    )


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
        reading=kb.readings.get(contact.phone, ""),
    )


def contact_infos(kb: KnowledgeBase, tool: Tool, lang: str) -> tuple[ContactInfo, ...]:
    """The support contacts of ``tool`` (its ``contacts`` ids, in order; unknown ids skipped)."""
    return tuple(contact_info(kb, kb.contact(c), lang) for c in tool.contacts if kb.has("contacts", c))


def notice_info(notice: Notice, lang: str) -> NoticeInfo:
    """``notice`` as results show it, its text in ``lang``."""
    return NoticeInfo(notice.id, notice.effective, notice.text.get(lang), notice.source, notice.affects)


def relevant_notices(kb: KnowledgeBase, on: dt.date, lang: str, keys: set[str]) -> tuple[NoticeInfo, ...]:
    """Notices in force on ``on`` that affect any tool or section in ``keys`` (or affect nothing
    in particular), in file order, in ``lang``."""
    return tuple(notice_info(n, lang) for n in kb.notices_on(on) if not n.affects or keys.intersection(n.affects))


def tool_keys(kb: KnowledgeBase, tool: Tool) -> set[str]:
    """What a notice about one tool may name: its id, its section and the sections of the
    rules written for it (not the rules for ``all`` tools, whose notices would otherwise crowd
    every page). Used by ``check``, ``tools show`` and the handouts alike."""
    return {tool.id, tool.section, *(r.section for r in kb.rules_for(tool.id) if r.tools is not None)}


def source_info(kb: KnowledgeBase, lang: str) -> SourceInfo:
    """The letter as results cite it: number, issuer in ``lang``, date."""
    return SourceInfo(kb.source.document, kb.source.issuer.get(lang), kb.source.date)


def setup_steps(kb: KnowledgeBase, tool: Tool, platform: str | None, lang: str) -> tuple[str, ...]:
    """The tool's setup steps for ``platform``; with None, every step, each platform-specific
    one prefixed with the platforms it is for ("iOS (iPhone, iPad): ...")."""
    steps = []
    for step in tool.setup_steps:
        if not step.applies_to(platform):
            continue
        text = step.text.get(lang)
        if platform is None and step.platforms:
            label = step.label.get(lang) if step.label else term_names(kb, "platforms", step.platforms, lang, " / ")
            text = f"{label}: {text}"
        steps.append(text)
    return tuple(steps)


def age_warnings(kb: KnowledgeBase, on: dt.date, lang: str) -> tuple[str, ...]:
    """The warning about the letter's age on day ``on``: more than a year (365 days) after the
    letter, how old it is and to confirm phone numbers; before the letter, that it did not
    exist yet. Empty otherwise."""
    letter = kb.source.date
    if on < letter:
        return (t("warn.before_letter", lang, date=format_date(letter, lang)),)
    if (on - letter).days > 365:
        years = (on - letter).days // 365
        return (t("warn.letter_age", lang, date=format_date(letter, lang), years=years),)
    return ()
