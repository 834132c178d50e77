"""What the knowledge base says about one tool, contact, role or task, for the browse commands.

Pure functions of the knowledge base (and, for notices, of the day asked about): they read
the rules the way :mod:`gialai_remote.decide` applies them (every rule of a kind must hold;
a tool serves the tasks any of its ``tasks`` rules names) and never print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gialai_remote.decide import age_warnings, tool_keys
from gialai_remote.model import Contact, KnowledgeBase, Notice, Rule, Tool


@dataclass(frozen=True, slots=True)
class ToolDescription:
    """Everything the knowledge base says about one tool.

    Attributes:
        tool: the tool itself (names, section, description, setup steps...).
        roles: role ids that may use it (every role when no ``roles`` rule limits it).
        tasks: task ids it serves.
        max_participants: the most people it serves (people), or None when unlimited.
        sensitivities: sensitivity ids it may carry.
        platforms: platform ids it runs on.
        offer_until: the last day (inclusive) the letter recommends it, or None.
        needs: what the user must have ("device", "internet").
        rules: every rule that applies to it, global ones first, in file order.
        contacts: its support contacts, in the tool's order.
        notices: notices in force on ``on`` that affect the tool, its section or one of its
            rules' sections (or affect nothing in particular).
        warnings: advice-level warnings for ``on`` (the letter's age).
        on: the day the description is for.
    """

    tool: Tool
    roles: tuple[str, ...]
    tasks: tuple[str, ...]
    max_participants: int | None
    sensitivities: tuple[str, ...]
    platforms: tuple[str, ...]
    offer_until: dt.date | None
    needs: tuple[str, ...]
    rules: tuple[Rule, ...]
    contacts: tuple[Contact, ...]
    notices: tuple[Notice, ...]
    warnings: tuple[str, ...]
    on: dt.date


def _allowed(rules: list[Rule], kind: str, everything: tuple[str, ...]) -> tuple[str, ...]:
    """The values every rule of ``kind`` allows (all of ``everything`` when there is none)."""
    allowed = list(everything)
    for rule in rules:
        if rule.kind == kind:
            allowed = [v for v in allowed if v in rule.values]
    return tuple(allowed)


def describe_tool(kb: KnowledgeBase, tool_id: str, on: dt.date, lang: str) -> ToolDescription:
    """Describe ``tool_id`` as the knowledge base has it on day ``on``.

    Args:
        kb: the knowledge base.
        tool_id: a canonical tool id (the CLI resolves what the user typed first).
        on: the day notices and warnings are for.
        lang: language of the warnings ("vi" or "en").

    Raises:
        KeyError: no tool has ``tool_id``.
    """
    tool = kb.tool(tool_id)
    rules = list(kb.rules_for(tool_id))
    tasks = tuple(dict.fromkeys(v for r in rules if r.kind == "tasks" for v in r.values))
    capacities = [r.max_participants for r in rules if r.kind == "capacity" and r.max_participants is not None]
    offers = [r.until for r in rules if r.kind == "offer" and r.until is not None]
    needs = tuple(dict.fromkeys(v for r in rules if r.kind == "requires" for v in r.values))
    keys = tool_keys(kb, tool)
    return ToolDescription(
        tool=tool,
        roles=_allowed(rules, "roles", tuple(r.id for r in kb.roles)),
        tasks=tuple(task.id for task in kb.tasks if task.id in tasks),
        max_participants=min(capacities) if capacities else None,
        sensitivities=_allowed(rules, "sensitivity", tuple(s.id for s in kb.sensitivities)),
        platforms=_allowed(rules, "platforms", tuple(p.id for p in kb.platforms)),
        offer_until=min(offers) if offers else None,
        needs=needs,
        rules=tuple(rules),
        contacts=tuple(kb.contact(c) for c in tool.contacts if kb.has("contacts", c)),
        notices=tuple(n for n in kb.notices_on(on) if not n.affects or keys.intersection(n.affects)),
        warnings=age_warnings(kb, on, lang),
        on=on,
    )


def tools_using(kb: KnowledgeBase, contact_id: str) -> tuple[str, ...]:
    """Ids of the tools that name ``contact_id`` as a support contact, in file order."""
    return tuple(tool.id for tool in kb.tools if contact_id in tool.contacts)


def contacts_for(kb: KnowledgeBase, tool_id: str | None) -> tuple[Contact, ...]:
    """The contacts of ``tool_id`` (in the tool's order), or every contact when None.

    Raises:
        KeyError: no tool has ``tool_id``.
    """
    if tool_id is None:
        return kb.contacts
    tool = kb.tool(tool_id)
    return tuple(kb.contact(c) for c in tool.contacts if kb.has("contacts", c))


def tools_serving(kb: KnowledgeBase, task_id: str) -> tuple[str, ...]:
    """Ids of the tools whose ``tasks`` rules name ``task_id``, in file order."""
    return tuple(tool.id for tool in kb.tools if kb.serves(tool.id, task_id))


def tools_for_role(kb: KnowledgeBase, role_id: str) -> tuple[str, ...]:
    """Ids of the tools no ``roles`` rule keeps from ``role_id``, in file order."""
    return tuple(
        tool.id for tool in kb.tools if all(role_id in r.values for r in kb.rules_for(tool.id) if r.kind == "roles")
    )
