"""The registry of rule kinds: the one place that knows what each kind of rule means.

A rule of ``guidance.yaml`` (``rules:``) has a ``kind``. For each kind, one :class:`RuleKind`
entry of :data:`KINDS` says everything the rest of the program needs:

- where its value is: the YAML key (``key``) and the :class:`gialai_remote.model.Rule` field
  (``field``) that hold it, and the vocabulary (``vocabulary``, a list of the knowledge base)
  or the fixed words (``choices``) its values name;
- how it is applied to a :class:`gialai_remote.advice.Query` (``fails``: the reason's
  parameters when the rule rules a tool out, None when it holds), with its reason code
  (``code``), and whether one of its rules is enough (``any_of``: a tool serves a task when
  any of its task rules names it; the other kinds' rules must all hold);
- what it adds to an answer: a note when it holds (``held``), a warning about the query when
  it rules tools out (``excluded_warning``) or cannot judge a recommended tool (``open_warning``),
  and whether it is the precondition of remote work (``unmet``);
- how it narrows "who and what may use this tool" (``narrow``; :func:`scope` is the one
  function ``tools show`` and the handouts use), how that reads in ``tools show``
  (``show``) and in a handout (``handout``), how one rule reads (:func:`says`), and whether a
  failing rule means the tool cannot be used as a handout describes it (``blocks_handout``);
- what ``validate`` warns about when a tool is not covered by a rule of the kind
  (``coverage``).

The shape of an entry and the parts entries share are in :mod:`gialai_remote.rulekind`.
Every other module asks this registry; none names a kind. Adding a kind is one entry here,
its catalogue texts (``rule.kind.<name>``, ``reason.<code>`` and the labels its readings
use), the knowledge-base schema and the output schemas' reason codes, and its tests.

The kinds come from Công văn 415/STTTT-CNTT: ``requires`` (the precondition, section 1),
``roles`` (who may use a system, sections 2.1 and 2.2), ``tasks`` (what a tool is for,
sections 1, 2.1, 2.2, 2.3), ``capacity`` (at most 26 members, section 2.1.a), ``sensitivity``
(public apps for normal content only, section 2.3), ``offer`` (VNPT free until 31/5/2020,
section 2.2.a) and ``platforms`` (the app stores the letter names).
"""

from __future__ import annotations

import datetime as dt

from gialai_remote.advice import Query, WarningInfo, term_names
from gialai_remote.i18n import format_date, t
from gialai_remote.memo import per_kb
from gialai_remote.model import KnowledgeBase, Rule, Tool
from gialai_remote.rulekind import (
    Coverage,
    Limit,
    Params,
    Reading,
    RuleKind,
    Scope,
    Value,
    all_named,
    complement,
    day,
    fixed_words,
    intersect,
    least,
    limit_words,
    names,
    number,
    union,
    when_set,
)

__all__ = [
    "ANY_OF",
    "KINDS",
    "NAMES",
    "NEEDS",
    "REASON_CODES",
    "Coverage",
    "Limit",
    "Params",
    "Reading",
    "RuleKind",
    "Scope",
    "Value",
    "blocks_handout",
    "by_code",
    "handout_rows",
    "kind",
    "kind_of",
    "says",
    "scope",
    "scope_vocabularies",
    "serving",
    "show_rows",
]


# ---- requires (section 1) ------------------------------------------------------------------------

#: What a ``requires`` rule may ask the user to have (the letter's preamble and section 1).
NEEDS: tuple[str, ...] = ("device", "internet")


def _has(query: Query, need: str) -> bool:
    if need == "device":
        return query.has_device
    return query.has_internet if need == "internet" else True


def _requires_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    if query.has_device and query.has_internet:  # nothing can be missing (_has)
        return None
    missing = [need for need in rule.values if not _has(query, need)]
    return {"missing": ", ".join(t(f"need.{m}", query.lang) for m in missing)} if missing else None


def _requires_unmet(query: Query, lang: str) -> str:
    return ", ".join(t(f"need.{m}", lang) for m in NEEDS if not _has(query, m))


REQUIRES = RuleKind(
    name="requires",
    key="needs",
    field="values",
    code="requires_device_and_internet",
    fails=_requires_fails,
    narrow=all_named,
    reads=fixed_words("need"),
    choices=NEEDS,
    words="need",
    unmet=_requires_unmet,
    show=Reading(7, "browse.needs", when_set(fixed_words("need")), key="needs"),
    handout=(Reading(6, "handout.needs", limit_words(fixed_words("need", "; "))),),
)


# ---- roles (sections 2.1, 2.2) --------------------------------------------------------------------


def _roles_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    if query.role in rule.values:
        return None
    return {"allowed": term_names(kb, "roles", rule.values, query.lang)}


ROLES = RuleKind(
    name="roles",
    key="roles",
    field="values",
    code="role_not_allowed",
    fails=_roles_fails,
    narrow=intersect("roles"),
    reads=names("roles"),
    vocabulary="roles",
    show=Reading(1, "browse.who", limit_words(names("roles")), key="roles"),
    handout=(Reading(1, "handout.who", limit_words(names("roles", "; ", None))),),
)


# ---- tasks (sections 1, 2.1, 2.2, 2.3) ---------------------------------------------------------------


def _tasks_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    if query.task is None or query.task in rule.values:
        return None
    return {"task": term_names(kb, "tasks", (query.task,), query.lang)}


TASKS = RuleKind(
    name="tasks",
    key="tasks",
    field="values",
    code="task_not_supported",
    fails=_tasks_fails,
    narrow=union("tasks"),
    reads=names("tasks"),
    vocabulary="tasks",
    any_of=True,
    applies=lambda query: query.task is not None,
    show=Reading(2, "browse.tasks", limit_words(names("tasks")), key="tasks"),
    handout=(Reading(2, "handout.tasks", limit_words(names("tasks", "; ", None))),),
    coverage=Coverage("tool-without-task", "kb.tool_without_task"),
)


# ---- capacity (section 2.1.a: at most 26 members) ------------------------------------------------------


def _capacity_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    limit = rule.max_participants
    if limit is None or query.participants is None or query.participants <= limit:
        return None
    return {"max": limit, "participants": query.participants}


def _capacity_held(rule: Rule, query: Query, lang: str) -> str | None:
    if query.participants is None:
        return None
    return t("why.capacity", lang, max=rule.max_participants, participants=query.participants)


def _capacity_open(rule: Rule, tool: Tool, query: Query, lang: str) -> WarningInfo | None:
    # Only a meeting has a number of people the letter limits (section 2.1.a).
    if query.participants is not None or query.task != "meeting":
        return None
    message = t("warn.participants_unknown", lang, tool=tool.name.get(lang), max=rule.max_participants)
    return WarningInfo("participants_unknown", message)


CAPACITY = RuleKind(
    name="capacity",
    key="max_participants",
    field="max_participants",
    code="capacity_exceeded",
    fails=_capacity_fails,
    narrow=least("max_participants"),
    reads=number,
    held=_capacity_held,
    open_warning=_capacity_open,
    show=Reading(
        3,
        "browse.capacity",
        lambda kb, limit, lang: t("browse.people", lang, count=limit.value) if limit.value is not None else None,
        key="max_participants",
    ),
    handout=(
        Reading(
            4,
            "handout.capacity",
            lambda kb, limit, lang: t("handout.capacity_value", lang, max=limit.value) if limit.value else "",
        ),
    ),
)


# ---- sensitivity (section 2.3: public apps for normal content only) ----------------------------------


def _sensitivity_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    if query.sensitivity in rule.values:
        return None
    return {
        "sensitivity": term_names(kb, "sensitivities", (query.sensitivity,), query.lang),
        "allowed": term_names(kb, "sensitivities", rule.values, query.lang),
    }


def _sensitivity_excluded(query: Query, lang: str) -> WarningInfo | None:
    # State secrets: no tool of the letter may carry them (2.3 and the state-secrets law).
    return WarningInfo("no_tool_for_secret", t("warn.secret", lang)) if query.sensitivity == "secret" else None


SENSITIVITY = RuleKind(
    name="sensitivity",
    key="allowed",
    field="values",
    code="sensitivity_not_allowed",
    fails=_sensitivity_fails,
    narrow=intersect("sensitivities"),
    reads=names("sensitivities"),
    vocabulary="sensitivities",
    excluded_warning=_sensitivity_excluded,
    show=Reading(4, "browse.sensitivity", limit_words(names("sensitivities")), key="sensitivities"),
    handout=(
        Reading(3, "handout.content", limit_words(names("sensitivities", "; ", None))),
        Reading(3, "handout.not_for", complement("sensitivities", "; ")),
    ),
    coverage=Coverage("public-app-without-sensitivity", "kb.public_app_without_sensitivity", "public-app", False),
)


# ---- offer (section 2.2.a: free until 31/5/2020) ---------------------------------------------------------


def _offer_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    if rule.until is None or query.date <= rule.until:
        return None
    return {"until": format_date(rule.until, query.lang)}


OFFER = RuleKind(
    name="offer",
    key="until",
    field="until",
    code="offer_expired",
    fails=_offer_fails,
    narrow=least("until"),
    reads=day,
    blocks_handout=True,
    show=Reading(6, "browse.offer", when_set(day), key="offer_until"),
)


# ---- platforms (the app stores the letter names) -----------------------------------------------------------


def _platforms_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
    if query.platform is None or query.platform in rule.values:
        return None
    return {
        "platform": term_names(kb, "platforms", (query.platform,), query.lang),
        "allowed": term_names(kb, "platforms", rule.values, query.lang),
    }


def _platforms_handout(kb: KnowledgeBase, limit: Limit, lang: str) -> str:
    # The letter names no platform: say so rather than list every one.
    names = term_names(kb, "platforms", limit.ids, lang) if limit.limited else ""
    return names or t("handout.platforms_any", lang)


PLATFORMS = RuleKind(
    name="platforms",
    key="platforms",
    field="values",
    code="platform_not_supported",
    fails=_platforms_fails,
    narrow=intersect("platforms"),
    reads=names("platforms"),
    vocabulary="platforms",
    blocks_handout=True,
    show=Reading(5, "browse.platforms", limit_words(names("platforms")), key="platforms"),
    handout=(Reading(5, "handout.platforms", _platforms_handout),),
)


# ---- the registry -------------------------------------------------------------------------------------------

#: Every kind, in the order of the knowledge-base schema's ``kind`` enum.
KINDS: tuple[RuleKind, ...] = (REQUIRES, ROLES, TASKS, CAPACITY, SENSITIVITY, OFFER, PLATFORMS)

_BY_NAME: dict[str, RuleKind] = {kind.name: kind for kind in KINDS}
_BY_CODE: dict[str, RuleKind] = {kind.code: kind for kind in KINDS}

#: The kinds' names, in registry order.
NAMES: tuple[str, ...] = tuple(_BY_NAME)

#: The reason codes of ``docs/contract.md``, one per kind, in registry order.
REASON_CODES: tuple[str, ...] = tuple(_BY_CODE)

#: The kinds of which one rule holding is enough (``any_of``), in registry order.
ANY_OF: tuple[RuleKind, ...] = tuple(entry for entry in KINDS if entry.any_of)


def kind(name: str) -> RuleKind:
    """The entry of kind ``name``. Raises KeyError for a kind the registry does not have."""
    return _BY_NAME[name]


def kind_of(rule: Rule) -> RuleKind:
    """The entry of ``rule``'s kind. Raises KeyError (the loader admits only registered kinds)."""
    return _BY_NAME[rule.kind]


def by_code(code: str) -> RuleKind | None:
    """The kind whose reason code is ``code``, or None (a code of no kind)."""
    return _BY_CODE.get(code)


def blocks_handout(code: str) -> bool:
    """True when a reason with ``code`` means the tool cannot be used as a handout describes it
    on its date or platform, whoever reads it (who reads it, and for what content, the handout
    says itself)."""
    entry = _BY_CODE.get(code)
    return entry is not None and entry.blocks_handout


def scope(kb: KnowledgeBase, tool: Tool, on: dt.date | None = None) -> Scope:
    """Who and what may use ``tool``: for every kind, what its rules for the tool allow together.

    The one narrowing both ``tools show`` (:func:`gialai_remote.describe.describe_tool`) and
    the handouts (:func:`gialai_remote.handout.build_handout`) use; it reads the rules as
    :func:`gialai_remote.decide.evaluate` applies them (every rule of a kind must hold, or,
    for an ``any_of`` kind, one), so it allows an id exactly when ``check`` would.

    Args:
        kb: the knowledge base.
        tool: one of its tools.
        on: only the rules in force that day (dated rules: ``in_force``); None: every rule.

    Returns:
        A :class:`Scope` with one :class:`Limit` per kind, in registry order.
    """
    by_kind: dict[str, list[Rule]] = {entry.name: [] for entry in KINDS}
    for rule in kb.rules_for(tool.id, on):
        by_kind.setdefault(rule.kind, []).append(rule)
    return Scope(
        tuple(Limit(entry.name, bool(by_kind[entry.name]), entry.narrow(kb, by_kind[entry.name])) for entry in KINDS)
    )


def serving(kb: KnowledgeBase, vocabulary: str, item_id: str, on: dt.date | None = None) -> tuple[str, ...]:
    """Ids of the tools whose scope allows ``item_id`` of ``vocabulary`` for every kind whose
    values name that vocabulary ("tasks": the tools that serve a task), in file order; with
    ``on``, by the rules in force that day.

    Worked out for every item of ``vocabulary`` at the first call for ``kb`` (and ``on``) and
    kept (:func:`gialai_remote.memo.per_kb`): a ``check`` without a task asks it for every task,
    and ``--batch`` for every such line (it narrows every tool's rules, 0.15 ms for the shipped
    file); an ``item_id`` the vocabulary lacks is worked out alone.
    """
    items = getattr(kb, vocabulary, ()) if vocabulary in _VOCABULARIES else ()
    table = per_kb(
        kb, ("rules.serving", vocabulary, on), lambda: _serving_all(kb, vocabulary, [i.id for i in items], on)
    )
    found = table.get(item_id)
    return found if found is not None else _serving_all(kb, vocabulary, [item_id], on)[item_id]


#: The vocabularies of a knowledge base (attributes of :class:`KnowledgeBase`).
_VOCABULARIES = ("roles", "tasks", "sensitivities", "platforms")


def _serving_all(
    kb: KnowledgeBase, vocabulary: str, item_ids: list[str], on: dt.date | None = None
) -> dict[str, tuple[str, ...]]:
    """``{item id: serving tool ids}`` for ``item_ids``, each tool's scope narrowed once (by
    the rules in force on ``on``, or every rule)."""
    kinds = [entry.name for entry in KINDS if entry.vocabulary == vocabulary]
    out: dict[str, list[str]] = {item_id: [] for item_id in item_ids}
    for tool in kb.tools:
        tool_scope = scope(kb, tool, on)
        allowed = [tool_scope.of(name).ids for name in kinds]
        for item_id, tools in out.items():
            if all(item_id in ids for ids in allowed):
                tools.append(tool.id)
    return {item_id: tuple(tools) for item_id, tools in out.items()}


def scope_vocabularies() -> tuple[str, ...]:
    """The vocabularies of the ``any_of`` kinds (those that decide whether a tool serves a
    query at all): a listing of their terms shows the tools serving each ("tasks")."""
    return tuple(entry.vocabulary for entry in KINDS if entry.any_of and entry.vocabulary)


def says(kb: KnowledgeBase, rule: Rule, lang: str) -> str:
    """What one rule says, in words: "số người tối đa: 26.", "ai được dùng: Thành viên UBND tỉnh."."""
    entry = kind_of(rule)
    return f"{t(f'rule.kind.{entry.name}', lang)}: {entry.reads(kb, entry.value(rule), lang)}."


def show_rows(tool_scope: Scope) -> tuple[tuple[Reading, Limit], ...]:
    """The kinds' rows of ``tools show``, in reading order: (reading, limit) pairs."""
    rows = [(entry.show, tool_scope.of(entry.name)) for entry in KINDS if entry.show is not None]
    return tuple(sorted(rows, key=lambda row: row[0].rank))


def handout_rows(kb: KnowledgeBase, tool_scope: Scope, lang: str) -> tuple[tuple[str, str], ...]:
    """The kinds' rows of a handout's facts, in reading order: (label, value) pairs in ``lang``
    (a value may be "": the handout leaves such a row out)."""
    rows = [(reading, tool_scope.of(entry.name)) for entry in KINDS for reading in entry.handout]
    rows.sort(key=lambda row: row[0].rank)
    return tuple((t(reading.label, lang), reading.words(kb, limit, lang) or "") for reading, limit in rows)
