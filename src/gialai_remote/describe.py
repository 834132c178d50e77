"""What the knowledge base says about one tool, contact, role or task, for the browse commands.

Pure functions of the knowledge base and of the day asked about (the rules in force that day,
its notices, the tool's status, the letter's texts as they read then) that never print. Who
and what may use a tool is :func:`gialai_remote.rules.scope`, the same narrowing the handouts
use, which reads the rules the way :func:`gialai_remote.decide.evaluate` applies them.
Results are in one language and complete: a renderer needs nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gialai_remote import rules, since
from gialai_remote.advice import (
    Citation,
    ContactInfo,
    NoticeInfo,
    SourceEntry,
    SourceInfo,
    StatusInfo,
    WarningInfo,
    cite_info,
    contact_info,
    contact_infos,
    is_late,
    require_id,
    source_info,
    tool_keys,
)
from gialai_remote.i18n import t
from gialai_remote.model import Cite, KnowledgeBase, Rule, Text, Tool
from gialai_remote.steps import setup_steps


@dataclass(frozen=True, slots=True)
class Fact:
    """One row of what a kind of rule allows a tool (``tools show``).

    Attributes:
        key: the key of the value in ``tools show --format json`` ("roles", "max_participants").
        value: the value there: ids (a tuple), a number, a day, or None.
        label: the row's label in the description's language ("Ai được dùng:").
        text: the value in words, or None when the text output leaves the row out.
    """

    key: str
    value: rules.Value
    label: str
    text: str | None


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One rule of a tool as ``tools show`` lists it.

    Attributes:
        rule: the rule itself (its id, kind, section, tool ids, value fields).
        says: what it says, in words ("số người tối đa: 26.").
        note: the letter's reason it carries, in the description's language, or None.
        warning: the warning it carries, or None.
        source: where the rule comes from (the letter's section, or a later law's article).
    """

    rule: Rule
    says: str
    note: str | None
    warning: str | None
    source: Citation | None = None


@dataclass(frozen=True, slots=True)
class ToolDescription:
    """Everything the knowledge base says about one tool, in one language, for one day.

    Attributes:
        tool: the tool itself (names, section, description, setup steps...).
        lang: the language of every text here.
        scope: what its rules allow, kind by kind (:func:`gialai_remote.rules.scope`).
        facts: the kinds' rows, in reading order (who may use it, tasks, limits...).
        steps: its setup steps for every platform, platform-specific ones labelled.
        rules: every rule that applies to it, global ones first, in file order.
        contacts: its support contacts, in the tool's order.
        notices: notices shown on ``on`` that affect the tool, its section or one of its
            rules' sections (or affect nothing in particular).
        warnings: warnings for ``on``: the opening block of a late answer, then the tool's
            status entries and stale contacts (codes as in ``recommend``).
        on: the day the description is for.
        source: the letter.
        status: its status entries in force on ``on``.
        description, operator, app: the tool's texts as they read on ``on``, or None.
        sources: every source of the knowledge base, the letter first.
    """

    tool: Tool
    lang: str
    scope: rules.Scope
    facts: tuple[Fact, ...]
    steps: tuple[str, ...]
    rules: tuple[RuleInfo, ...]
    contacts: tuple[ContactInfo, ...]
    notices: tuple[NoticeInfo, ...]
    warnings: tuple[WarningInfo, ...]
    on: dt.date
    source: SourceInfo
    status: tuple[StatusInfo, ...] = ()
    description: str | None = None
    operator: str | None = None
    app: str | None = None
    sources: tuple[SourceEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class TermInfo:
    """One role, task, sensitivity level or platform, as the browse commands list it.

    Attributes:
        id: its id.
        name: its display name.
        section: the letter's section, or "" when none.
        description: a longer explanation, or None.
        aliases: other spellings users type.
        tools: for a task (a vocabulary of :func:`gialai_remote.rules.scope_vocabularies`):
            the ids of the tools serving it; None for the other vocabularies.
    """

    id: str
    name: str
    section: str
    description: str | None
    aliases: tuple[str, ...]
    tools: tuple[str, ...] | None


def describe_tool(kb: KnowledgeBase, tool_id: str, on: dt.date, lang: str) -> ToolDescription:
    """Describe ``tool_id`` as the knowledge base has it on day ``on``.

    Args:
        kb: the knowledge base.
        tool_id: a canonical tool id (the CLI resolves what the user typed first).
        on: the day notices and warnings are for.
        lang: language of every text ("vi" or "en").

    Raises:
        UnknownIdError: no tool has ``tool_id`` (a :class:`KeyError`).
    """
    require_id(kb, "tools", tool_id, lang)
    tool = kb.tool(tool_id)
    late = is_late(kb, on)
    tool_scope = rules.scope(kb, tool, on)
    facts = tuple(
        Fact(reading.key, limit.value, t(reading.label, lang), reading.words(kb, limit, lang))
        for reading, limit in rules.show_rows(tool_scope)
    )

    def text(value: Text | None) -> str | None:
        return value.at(lang, late) if value is not None else None

    rule_infos = tuple(
        RuleInfo(
            rule=r,
            says=rules.says(kb, r, lang),
            note=text(r.note),
            warning=text(r.warning),
            source=cite_info(kb, r.cite(), lang),
        )
        for r in kb.rules_for(tool_id, on)
    )
    warnings = since.date_warnings(kb, on, lang) + since.status_warnings(kb, tool, on, lang)
    stale = since.contact_warning(kb, tool, on, lang)
    return ToolDescription(
        tool=tool,
        lang=lang,
        scope=tool_scope,
        facts=facts,
        steps=setup_steps(kb, tool, None, lang, late),
        rules=rule_infos,
        contacts=contact_infos(kb, tool, lang),
        notices=since.relevant_notices(kb, on, lang, tool_keys(kb, tool, on)),
        warnings=tuple(warnings + ([stale] if stale else [])),
        on=on,
        source=source_info(kb, lang),
        status=since.status_infos(kb, tool, on, lang),
        description=text(tool.description),
        operator=text(tool.operator),
        app=text(tool.app),
        sources=since.source_entries(kb, lang),
    )


def contact_warnings(kb: KnowledgeBase, on: dt.date, lang: str, tool_id: str | None = None) -> tuple[WarningInfo, ...]:
    """The warnings of ``contacts`` for day ``on``: the opening block of a late answer, then
    ``contact_unverified`` when a listed contact (of tool ``tool_id`` only, when given) was
    last verified more than a year before."""
    tools = kb.tools if tool_id is None else (kb.tool(tool_id),)
    stale = [w for tool in tools if (w := since.contact_warning(kb, tool, on, lang)) is not None]
    if tool_id is not None and tools[0].category == "official" and not contacts_for(kb, tool_id, lang):
        letter = cite_info(kb, Cite(tools[0].source, tools[0].section), lang)
        stale.insert(0, WarningInfo("no_contact", t("handout.no_contacts", lang), letter))  # whom to ask instead
    return tuple(dict.fromkeys([*since.date_warnings(kb, on, lang), *stale[:1]]))


def notices_for(kb: KnowledgeBase, on: dt.date, tool_id: str | None, lang: str) -> tuple[NoticeInfo, ...]:
    """The notices shown on ``on`` (``notices``; one replaced by a later one is marked as ended),
    in file order and in ``lang``: every one, or
    with ``tool_id`` those bearing on the tool (its id, its section, the sections of its own
    rules, or nothing in particular), as ``check`` and ``tools show`` choose them.

    Raises:
        UnknownIdError: no tool has ``tool_id`` (a :class:`KeyError`).
    """
    if tool_id is None:
        return tuple(since.notice_info(kb, n, on, lang) for n in kb.notices_on(on))
    require_id(kb, "tools", tool_id, lang)
    return since.relevant_notices(kb, on, lang, tool_keys(kb, kb.tool(tool_id), on))


def contacts_for(kb: KnowledgeBase, tool_id: str | None, lang: str) -> tuple[ContactInfo, ...]:
    """The contacts of ``tool_id`` (in the tool's order), or every contact when None, in ``lang``.

    Raises:
        UnknownIdError: no tool has ``tool_id`` (a :class:`KeyError`).
    """
    if tool_id is None:
        return tuple(contact_info(kb, c, lang) for c in kb.contacts)
    require_id(kb, "tools", tool_id, lang)
    return contact_infos(kb, kb.tool(tool_id), lang)


def tools_for(kb: KnowledgeBase, vocabulary: str, item_id: str) -> tuple[str, ...]:
    """Ids of the tools whose rules allow ``item_id`` of ``vocabulary`` ("tasks": the tools
    that serve a task; "roles": the tools a role may use), in file order (every rule counted,
    whatever its dates)."""
    return rules.serving(kb, vocabulary, item_id)


def describe_terms(kb: KnowledgeBase, vocabulary: str, lang: str) -> tuple[TermInfo, ...]:
    """The entries of ``vocabulary`` ("roles", "tasks", "sensitivities", "platforms") in file
    order, in ``lang``; for a task, with the tools that serve it."""
    with_tools = vocabulary in rules.scope_vocabularies()
    return tuple(
        TermInfo(
            id=term.id,
            name=term.name.get(lang),
            section=term.section,
            description=term.description.get(lang) if term.description else None,
            aliases=term.aliases,
            tools=tools_for(kb, vocabulary, term.id) if with_tools else None,
        )
        for term in getattr(kb, vocabulary)
    )
