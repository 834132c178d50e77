"""The shape of a rule kind, and the helpers the registry's entries share.

:class:`RuleKind` is what one entry of :data:`gialai_remote.rules.KINDS` holds;
:class:`Limit` and :class:`Scope` are what a tool's rules allow together
(:func:`gialai_remote.rules.scope`); :class:`Reading` is how a limit reads as one row of
``tools show`` or of a handout; :class:`Coverage` is what ``validate`` checks. The functions
below build the parts entries have in common (names of a vocabulary's ids, "every rule must
hold", "any rule is enough", "the strictest number"...). Nothing here knows a kind: the kinds
are :mod:`gialai_remote.rules`'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from gialai_remote.advice import Query, WarningInfo, term_names
from gialai_remote.i18n import format_date, t
from gialai_remote.model import KnowledgeBase, Rule, Tool
from gialai_remote.records import Record

#: A kind's value: ids or words (a list), a number, a day, or nothing (no rule, no limit).
Value = tuple[str, ...] | int | dt.date | None
#: The parameters of a reason's message (``reason.<code>`` in the catalogue).
Params = dict[str, object]


class Limit(Record):
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


class Scope(Record):
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


class Reading(Record):
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


class Coverage(Record):
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


def _no_query_warning(query: Query, lang: str) -> WarningInfo | None:
    return None


def _no_tool_warning(rule: Rule, tool: Tool, query: Query, lang: str) -> WarningInfo | None:
    return None


class RuleKind(Record):
    """One kind of rule: everything the program knows about it.

    Attributes:
        name: the kind as written in YAML (``kind: capacity``).
        key: the YAML key holding the rule's value ("max_participants").
        field: the :class:`gialai_remote.model.Rule` field holding it: "values" (a list),
            "max_participants" (a number of people) or "until" (a day).
        code: the reason code of ``docs/contract.md`` when a rule of the kind rules a tool out.
        fails: (knowledge base, rule, query) -> the reason's message parameters when the rule
            rules the tool out (the message also gets ``tool`` and ``cite``, the rule's
            citations in words), or None when it holds. Words are in ``query.lang``.
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
        excluded_warning: (query, language) -> an advice-level warning (with its code) when the
            kind rules tools out for this query, or None.
        open_warning: (rule, tool, query, language) -> a warning (with its code) when a
            recommended tool's rule could not be judged for lack of an answer, or None.
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
    excluded_warning: Callable[[Query, str], WarningInfo | None] = _no_query_warning
    open_warning: Callable[[Rule, Tool, Query, str], WarningInfo | None] = _no_tool_warning
    blocks_handout: bool = False
    show: Reading | None = None
    handout: tuple[Reading, ...] = ()
    coverage: Coverage | None = None

    def value(self, rule: Rule) -> Value:
        """The rule's value (its ``field``)."""
        value: Value = getattr(rule, self.field)
        return value


# ---- parts the entries share ----------------------------------------------------------------


def as_ids(value: Value) -> tuple[str, ...]:
    """A value as a tuple of ids or words (empty for a number, a day or nothing)."""
    return value if isinstance(value, tuple) else ()


def names(
    vocabulary: str, sep: str = ", ", empty: str | None = "browse.none"
) -> Callable[[KnowledgeBase, Value, str], str]:
    """Words for ids of ``vocabulary``: their names joined by ``sep`` ("(không có)" when none)."""

    def words(kb: KnowledgeBase, value: Value, lang: str) -> str:
        listed = as_ids(value)
        if not listed and empty is not None:
            return t(empty, lang)
        return term_names(kb, vocabulary, listed, lang, sep)

    return words


def fixed_words(prefix: str, sep: str = ", ") -> Callable[[KnowledgeBase, Value, str], str]:
    """Words for fixed values: each value's catalogue text ``<prefix>.<value>``, joined."""

    def words(kb: KnowledgeBase, value: Value, lang: str) -> str:
        return sep.join(t(f"{prefix}.{v}", lang) for v in as_ids(value))

    return words


def number(kb: KnowledgeBase, value: Value, lang: str) -> str:
    """A number as digits ("26")."""
    return str(value)


def day(kb: KnowledgeBase, value: Value, lang: str) -> str:
    """A day as the language writes it (31/5/2020, 2020-05-31); "" for no day."""
    return format_date(value, lang) if isinstance(value, dt.date) else ""


def limit_words(read: Callable[[KnowledgeBase, Value, str], str]) -> Callable[[KnowledgeBase, Limit, str], str]:
    """A reading's words that show the limit's value always, as ``read`` writes it."""
    return lambda kb, limit, lang: read(kb, limit.value, lang)


def when_set(read: Callable[[KnowledgeBase, Value, str], str]) -> Callable[[KnowledgeBase, Limit, str], str | None]:
    """A reading shown only when the limit has a value (a number, a day, some words)."""
    return lambda kb, limit, lang: read(kb, limit.value, lang) if limit.value not in (None, ()) else None


def intersect(vocabulary: str) -> Callable[[KnowledgeBase, Sequence[Rule]], Value]:
    """Every rule must hold: the ids of ``vocabulary`` every rule allows (all when none)."""

    def narrow(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
        allowed = [item.id for item in getattr(kb, vocabulary)]
        for rule in rules:
            allowed = [v for v in allowed if v in rule.values]
        return tuple(allowed)

    return narrow


def union(vocabulary: str) -> Callable[[KnowledgeBase, Sequence[Rule]], Value]:
    """Any rule is enough: the ids of ``vocabulary`` some rule names, in its order."""

    def narrow(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
        named = {v for rule in rules for v in rule.values}
        return tuple(item.id for item in getattr(kb, vocabulary) if item.id in named)

    return narrow


def all_named(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
    """Every value any rule names, in the rules' order (each once)."""
    return tuple(dict.fromkeys(v for rule in rules for v in rule.values))


def least(field: str) -> Callable[[KnowledgeBase, Sequence[Rule]], Value]:
    """The strictest (smallest) number or day the rules set, or None."""

    def narrow(kb: KnowledgeBase, rules: Sequence[Rule]) -> Value:
        values = [getattr(rule, field) for rule in rules if getattr(rule, field) is not None]
        return min(values) if values else None

    return narrow


def complement(vocabulary: str, sep: str) -> Callable[[KnowledgeBase, Limit, str], str]:
    """The names of the ids of ``vocabulary`` the limit does not allow."""

    def words(kb: KnowledgeBase, limit: Limit, lang: str) -> str:
        left_out = tuple(item.id for item in getattr(kb, vocabulary) if item.id not in limit.ids)
        return term_names(kb, vocabulary, left_out, lang, sep)

    return words
