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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gialai_remote.advice import Query, term_names
from gialai_remote.i18n import format_date, t
from gialai_remote.model import KnowledgeBase, Rule, Tool

#: A kind's value: ids or words (a list), a number, a day, or nothing (no rule, no limit).
Value = tuple[str, ...] | int | dt.date | None
#: The parameters of a reason's message (``reason.<code>`` in the catalogue).
Params = dict[str, object]


@dataclass(frozen=True, slots=True)
class Limit:
    """What the rules of one kind allow one tool: that kind's part of its :class:`Scope`.

    Attributes:
        kind: the kind's name.
        limited: True when at least one rule of the kind applies to the tool.
        value: what they allow together: for a kind whose values name a vocabulary, the ids
            allowed, in the vocabulary's order (every id when no rule limits it); for the
            fixed words of ``choices``, the words its rules name; for a number or a day, the
            strictest one (None when no rule sets one).
    """

    kind: str
    limited: bool
    value: Value

    @property
    def ids(self) -> tuple[str, ...]:
        """The value as a tuple of ids or words (empty for a number, a day or nothing)."""
        return self.value if isinstance(self.value, tuple) else ()


@dataclass(frozen=True, slots=True)
class Scope:
    """Who and what may use one tool, kind by kind, as its rules say.

    Attributes:
        limits: one :class:`Limit` per kind of :data:`KINDS`, in the registry's order.
    """

    limits: tuple[Limit, ...]

    def of(self, kind: str) -> Limit:
        """The limit of ``kind``. Raises KeyError for a kind the registry does not have."""
        for limit in self.limits:
            if limit.kind == kind:
                return limit
        raise KeyError(kind)


@dataclass(frozen=True, slots=True)
class Reading:
    """How a kind's :class:`Limit` reads as one row of ``tools show`` or of a handout.

    Attributes:
        rank: the row's place among the kinds' rows (lower first; rows of equal rank keep the
            registry's order).
        label: the catalogue key of the row's label ("browse.who").
        words: the row's value in words for (knowledge base, limit, language); None leaves
            the row out (``tools show``), "" too (a handout shows only rows with a value).
        key: in ``tools show --format json``, the key holding the limit's value ("roles").
    """

    rank: int
    label: str
    words: Callable[[KnowledgeBase, Limit, str], str | None]
    key: str = ""


@dataclass(frozen=True, slots=True)
class Coverage:
    """A tool the kind's rules must cover, else ``validate`` warns.

    Attributes:
        code: the problem code ("tool-without-task").
        message: the catalogue key of the warning (placeholder ``{id}``: the tool's id).
        category: only tools of this category must be covered; None: every tool.
        counts_all: whether a rule for ``tools: all`` covers a tool; False when only a rule
            written for the tool (by id or by a selector) does.
    """

    code: str
    message: str
    category: str | None = None
    counts_all: bool = True


def _always(query: Query) -> bool:
    return True


def _no_note(rule: Rule, query: Query, lang: str) -> str | None:
    return None


def _no_query_warning(query: Query, lang: str) -> str | None:
    return None


def _no_tool_warning(rule: Rule, tool: Tool, query: Query, lang: str) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class RuleKind:
    """One kind of rule: everything the program knows about it.

    Attributes:
        name: the kind as written in YAML (``kind: capacity``).
        key: the YAML key holding the rule's value ("max_participants").
        field: the :class:`gialai_remote.model.Rule` field holding it: "values" (a list),
            "max_participants" (a number of people) or "until" (a day).
        code: the reason code of ``docs/contract.md`` when a rule of the kind rules a tool out.
        fails: (knowledge base, rule, query) -> the reason's message parameters when the rule
            rules the tool out (the message also gets ``tool`` and ``section``), or None when
            it holds. Words are in ``query.lang``.
        narrow: (knowledge base, the tool's rules of this kind) -> their combined
            :attr:`Limit.value`.
        reads: (knowledge base, a rule's or a limit's value, language) -> the value in words.
        vocabulary: the knowledge-base list its values name ("roles"), or None.
        choices: the fixed words its values may be when it names no vocabulary.
        words: the catalogue prefix of those words ("need": ``need.device``).
        any_of: one rule of the kind holding is enough (the others must all hold); a tool
            none of whose rules of such a kind holds is outside the query (left out of the
            advice rather than listed as excluded); with no rule of the kind it is judged
            against an empty rule at the tool's own section.
        applies: (query) -> whether the kind is applied at all (``check`` without a task).
        held: (rule, query, language) -> a note when the rule holds, or None.
        unmet: (query, language) -> what the user lacks, in words, for a kind that is the
            precondition of remote work; None for the other kinds.
        excluded_warning: (query, language) -> an advice-level warning when the kind rules
            tools out for this query, or None.
        open_warning: (rule, tool, query, language) -> a warning when a recommended tool's
            rule could not be judged for lack of an answer, or None.
        blocks_handout: a failing rule means the tool cannot be used as a handout describes it
            on its date or platform, whoever reads it.
        show: its row in ``tools show`` (text and JSON), or None.
        handout: its rows in a handout's facts.
        coverage: which tools must have a rule of this kind (``validate`` warns), or None.
    """

    name: str
    key: str
    field: str
    code: str
    fails: Callable[[KnowledgeBase, Rule, Query], Params | None]
    narrow: Callable[[KnowledgeBase, Sequence[Rule]], Value]
    reads: Callable[[KnowledgeBase, Value, str], str]
    vocabulary: str | None = None
    choices: tuple[str, ...] = ()
    words: str = ""
    any_of: bool = False
    applies: Callable[[Query], bool] = _always
    held: Callable[[Rule, Query, str], str | None] = _no_note
    unmet: Callable[[Query, str], str] | None = None
    excluded_warning: Callable[[Query, str], str | None] = _no_query_warning
    open_warning: Callable[[Rule, Tool, Query, str], str | None] = _no_tool_warning
    blocks_handout: bool = False
    show: Reading | None = None
    handout: tuple[Reading, ...] = ()
    coverage: Coverage | None = None

    def value(self, rule: Rule) -> Value:
        """The rule's value (its ``field``)."""
        value: Value = getattr(rule, self.field)
        return value


# ---- helpers the entries share ----------------------------------------------------------------


def _ids(value: Value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _names(
    vocabulary: str, sep: str = ", ", empty: str | None = "browse.none"
) -> Callable[[KnowledgeBase, Value, str], str]:
    """Words for ids of ``vocabulary``: their names joined by ``sep`` ("(không có)" when none)."""

    def words(kb: KnowledgeBase, value: Value, lang: str) -> str:
        ids = _ids(value)
        if not ids and empty is not None:
            return t(empty, lang)
        return term_names(kb, vocabulary, ids, lang, sep)

    return words


def _fixed_words(prefix: str, sep: str = ", ") -> Callable[[KnowledgeBase, Value, str], str]:
    """Words for fixed values: each value's catalogue text ``<prefix>.<value>``, joined."""

    def words(kb: KnowledgeBase, value: Value, lang: str) -> str:
        return sep.join(t(f"{prefix}.{v}", lang) for v in _ids(value))

    return words


def _number(kb: KnowledgeBase, value: Value, lang: str) -> str:
    return str(value)


def _day(kb: KnowledgeBase, value: Value, lang: str) -> str:
    return format_date(value, lang) if isinstance(value, dt.date) else ""


def _limit_words(read: Callable[[KnowledgeBase, Value, str], str]) -> Callable[[KnowledgeBase, Limit, str], str]:
    """A reading that shows the limit's value always."""
    return lambda kb, limit, lang: read(kb, limit.value, lang)


def _when_set(read: Callable[[KnowledgeBase, Value, str], str]) -> Callable[[KnowledgeBase, Limit, str], str | None]:
    """A reading shown only when the limit has a value (a number, a day, some words)."""
    return lambda kb, limit, lang: read(kb, limit.value, lang) if limit.value not in (None, ()) else None


def _intersect(vocabulary: str) -> Callable[[KnowledgeBase, Sequence[Rule]], Value]:
    """Every rule must hold: the ids of ``vocabulary`` every rule allows (all when none)."""

    def narrow(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
        allowed = [item.id for item in getattr(kb, vocabulary)]
        for rule in rules:
            allowed = [v for v in allowed if v in rule.values]
        return tuple(allowed)

    return narrow


def _union(vocabulary: str) -> Callable[[KnowledgeBase, Sequence[Rule]], Value]:
    """Any rule is enough: the ids of ``vocabulary`` some rule names, in its order."""

    def narrow(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
        named = {v for rule in rules for v in rule.values}
        return tuple(item.id for item in getattr(kb, vocabulary) if item.id in named)

    return narrow


def _all_named(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
    """Every value any rule names, in the rules' order (each once)."""
    return tuple(dict.fromkeys(v for rule in rules for v in rule.values))


def _least(field: str) -> Callable[[KnowledgeBase, Sequence[Rule]], Value]:
    """The strictest (smallest) number or day the rules set, or None."""

    def narrow(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
        values = [getattr(rule, field) for rule in rules if getattr(rule, field) is not None]
        return min(values) if values else None

    return narrow


def _complement(vocabulary: str, sep: str) -> Callable[[KnowledgeBase, Limit, str], str]:
    """The names of the ids of ``vocabulary`` the limit does not allow."""

    def words(kb: KnowledgeBase, limit: Limit, lang: str) -> str:
        left_out = tuple(item.id for item in getattr(kb, vocabulary) if item.id not in limit.ids)
        return term_names(kb, vocabulary, left_out, lang, sep)

    return words


# ---- requires (section 1) ------------------------------------------------------------------------

#: What a ``requires`` rule may ask the user to have (the letter's preamble and section 1).
NEEDS: tuple[str, ...] = ("device", "internet")


def _has(query: Query, need: str) -> bool:
    return {"device": query.has_device, "internet": query.has_internet}.get(need, True)


def _requires_fails(kb: KnowledgeBase, rule: Rule, query: Query) -> Params | None:
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
    narrow=_all_named,
    reads=_fixed_words("need"),
    choices=NEEDS,
    words="need",
    unmet=_requires_unmet,
    show=Reading(7, "browse.needs", _when_set(_fixed_words("need")), key="needs"),
    handout=(Reading(6, "handout.needs", _limit_words(_fixed_words("need", "; "))),),
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
    narrow=_intersect("roles"),
    reads=_names("roles"),
    vocabulary="roles",
    show=Reading(1, "browse.who", _limit_words(_names("roles")), key="roles"),
    handout=(Reading(1, "handout.who", _limit_words(_names("roles", "; ", None))),),
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
    narrow=_union("tasks"),
    reads=_names("tasks"),
    vocabulary="tasks",
    any_of=True,
    applies=lambda query: query.task is not None,
    show=Reading(2, "browse.tasks", _limit_words(_names("tasks")), key="tasks"),
    handout=(Reading(2, "handout.tasks", _limit_words(_names("tasks", "; ", None))),),
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


def _capacity_open(rule: Rule, tool: Tool, query: Query, lang: str) -> str | None:
    # Only a meeting has a number of people the letter limits (section 2.1.a).
    if query.participants is not None or query.task != "meeting":
        return None
    return t("warn.participants_unknown", lang, tool=tool.name.get(lang), max=rule.max_participants)


CAPACITY = RuleKind(
    name="capacity",
    key="max_participants",
    field="max_participants",
    code="capacity_exceeded",
    fails=_capacity_fails,
    narrow=_least("max_participants"),
    reads=_number,
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


def _sensitivity_excluded(query: Query, lang: str) -> str | None:
    # State secrets: no tool of the letter may carry them (2.3 and the state-secrets law).
    return t("warn.secret", lang) if query.sensitivity == "secret" else None


SENSITIVITY = RuleKind(
    name="sensitivity",
    key="allowed",
    field="values",
    code="sensitivity_not_allowed",
    fails=_sensitivity_fails,
    narrow=_intersect("sensitivities"),
    reads=_names("sensitivities"),
    vocabulary="sensitivities",
    excluded_warning=_sensitivity_excluded,
    show=Reading(4, "browse.sensitivity", _limit_words(_names("sensitivities")), key="sensitivities"),
    handout=(
        Reading(3, "handout.content", _limit_words(_names("sensitivities", "; ", None))),
        Reading(3, "handout.not_for", _complement("sensitivities", "; ")),
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
    narrow=_least("until"),
    reads=_day,
    blocks_handout=True,
    show=Reading(6, "browse.offer", _when_set(_day), key="offer_until"),
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
    narrow=_intersect("platforms"),
    reads=_names("platforms"),
    vocabulary="platforms",
    blocks_handout=True,
    show=Reading(5, "browse.platforms", _limit_words(_names("platforms")), key="platforms"),
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


def scope(kb: KnowledgeBase, tool: Tool) -> Scope:
    """Who and what may use ``tool``: for every kind, what its rules for the tool allow together.

    The one narrowing both ``tools show`` (:func:`gialai_remote.describe.describe_tool`) and
    the handouts (:func:`gialai_remote.handout.build_handout`) use; it reads the rules as
    :func:`gialai_remote.decide.evaluate` applies them (every rule of a kind must hold, or,
    for an ``any_of`` kind, one), so it allows an id exactly when ``check`` would.

    Args:
        kb: the knowledge base.
        tool: one of its tools.

    Returns:
        A :class:`Scope` with one :class:`Limit` per kind, in registry order.
    """
    by_kind: dict[str, list[Rule]] = {entry.name: [] for entry in KINDS}
    for rule in kb.rules_for(tool.id):
        by_kind.setdefault(rule.kind, []).append(rule)
    return Scope(
        tuple(Limit(entry.name, bool(by_kind[entry.name]), entry.narrow(kb, by_kind[entry.name])) for entry in KINDS)
    )


def serving(kb: KnowledgeBase, vocabulary: str, item_id: str) -> tuple[str, ...]:
    """Ids of the tools whose scope allows ``item_id`` of ``vocabulary`` for every kind whose
    values name that vocabulary ("tasks": the tools that serve a task), in file order."""
    kinds = [entry.name for entry in KINDS if entry.vocabulary == vocabulary]
    out = []
    for tool in kb.tools:
        tool_scope = scope(kb, tool)
        if all(item_id in tool_scope.of(name).ids for name in kinds):
            out.append(tool.id)
    return tuple(out)


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
