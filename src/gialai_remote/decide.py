"""The decision: which tools the letter allows for a query, ranked, with reasons.

:func:`decide` and :func:`check` are pure functions of (knowledge base, query): the query
carries the date the advice is for and the language of its texts; nothing here reads a clock,
the environment, a file or a terminal. ``recommend`` and ``check`` share :func:`evaluate`, so
``check`` allows a tool exactly when ``recommend`` would recommend it. What each kind of rule
means is the registry's (:mod:`gialai_remote.rules`); this module only combines the kinds'
answers, for the rules in force on the query's date. What is known since the letter (a
discontinued service, a tool's status, the opening block of a late answer) is
:mod:`gialai_remote.since`'s. The result types are in :mod:`gialai_remote.advice`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gialai_remote import rules, since
from gialai_remote.advice import (
    Advice,
    CheckResult,
    Citation,
    Exclusion,
    Query,
    Reason,
    Recommendation,
    ToolName,
    WarningInfo,
    cite_info,
    cite_label,
    contact_infos,
    is_late,
    query_names,
    require_id,
    require_query_ids,
    source_info,
    term_names,
    tool_keys,
)
from gialai_remote.i18n import t
from gialai_remote.memo import per_kb
from gialai_remote.model import Cite, KnowledgeBase, Rule, Tool
from gialai_remote.records import Record
from gialai_remote.steps import setup_steps


class Evaluation:
    """The result of applying every rule of one tool to a query.

    Attributes:
        failures: reasons the tool is ruled out (empty: allowed), one per cause: a
            discontinued service, then one per kind of rule that fails (rules of one kind
            from several sources give one sentence citing them all).
        notes: the letter's reasons from the rules that held.
        warnings: warnings of the rules that held (code ``rule_warning``, citing the rule).
        in_scope: False when the tool does not serve the query at all (none of its rules of
            an ``any_of`` kind holds: its task rules do not name the query's task).
    """

    __slots__ = ("failures", "in_scope", "notes", "warnings")

    def __init__(self) -> None:
        self.failures: list[Reason] = []
        self.notes: list[str] = []
        self.warnings: list[WarningInfo] = []
        self.in_scope = True


def _reason(
    kb: KnowledgeBase, entry: rules.RuleKind, failed: list[Rule], tool: Tool, query: Query, params: rules.Params
) -> Reason:
    """One reason for the rules ``failed`` (of one kind): citing each, the letter first; its
    sentence naming the tool, and the same cause without it (``cause.<code>``, from the same
    parameters and citations), by which renderers list every tool ruled out for one cause on
    one line."""
    lang = query.lang
    cited: dict[str, tuple[Citation, Rule]] = {}
    for rule in sorted(failed, key=lambda r: r.source != kb.source.id):
        citation = cite_info(kb, rule.cite(), lang)
        cited.setdefault(citation.label, (citation, rule))
    sources = tuple(c for c, _ in cited.values())
    primary = next(iter(cited.values()))[1]
    message = t(f"reason.{entry.code}", lang, tool=tool.name.get(lang), cite=cite_label(sources), **params)
    cause = t(f"cause.{entry.code}", lang, cite=cite_label(sources), **params)
    return Reason(
        code=entry.code, message=message, section=primary.section, rule=primary.id, sources=sources, cause=cause
    )


def _merged_params(kb: KnowledgeBase, entry: rules.RuleKind, failed: list[Rule], query: Query) -> rules.Params:
    """The parameters of one reason for several failing rules of one kind: what they allow
    together (the kind's own narrowing: the strictest list, number or day), so the sentence
    never lists two different allowances."""
    if len(failed) == 1:
        return entry.fails(kb, failed[0], query) or {}
    changes: dict[str, Any] = {entry.field: entry.narrow(kb, failed)}
    combined = failed[0]._replace(**changes)
    return entry.fails(kb, combined, query) or entry.fails(kb, failed[0], query) or {}


def _warning(kb: KnowledgeBase, rule: Rule, text: str, lang: str) -> WarningInfo:
    return WarningInfo("rule_warning", text, cite_info(kb, rule.cite(), lang))


def evaluate(kb: KnowledgeBase, tool: Tool, query: Query) -> Evaluation:
    """Apply every rule of ``tool`` to ``query``.

    Rules of one kind all have to hold, except those of an ``any_of`` kind (``tasks``): a tool
    serves a task when any of its task rules names it (section 1 and 2 of the letter assign
    tasks tool by tool). Failures and notes keep the rules' order, those of ``any_of`` kinds
    first. Runs in time linear in the tool's rules.

    Args:
        kb: the knowledge base.
        tool: one of its tools.
        query: the query (its ids are not checked here: :func:`decide` and :func:`check` do).

    Returns:
        An :class:`Evaluation`.
    """
    result = Evaluation()
    lang = query.lang
    late = is_late(kb, query.date)
    day = _on_day(kb, tool, query.date)
    # kind -> (entry, its failing rules, the first one's parameters), kinds in order of first failure
    failed: dict[str, tuple[rules.RuleKind, list[Rule], rules.Params]] = {}
    for entry, rule in day.each:
        params = entry.fails(kb, rule, query)
        if params is not None:
            if entry.name in failed:
                failed[entry.name][1].append(rule)
            else:
                failed[entry.name] = (entry, [rule], params)
            continue
        if rule.note is not None:
            result.notes.append(rule.note.at(lang, late))
        held = entry.held(rule, query, lang)
        if held is not None:
            result.notes.append(held)
        if rule.warning is not None:
            result.warnings.append(_warning(kb, rule, rule.warning.at(lang, late), lang))
    for entry, failing, params in failed.values():
        merged = params or {} if len(failing) == 1 else _merged_params(kb, entry, failing, query)
        result.failures.append(_reason(kb, entry, failing, tool, query, merged))
    ended = since.discontinued(kb, tool, query.date, lang) if day.ended else None
    if ended is not None:
        result.failures.insert(0, ended)
    for entry, group in reversed(day.any_of):
        if not entry.applies(query):
            continue
        holding = [r for r in group if entry.fails(kb, r, query) is None]
        if holding:
            result.notes[:0] = [r.note.at(lang, late) for r in holding if r.note is not None]
            continue
        # None holds: one reason, at the first rule of the kind (or the tool's own section).
        first = group[0] if group else Rule(id="", kind=entry.name, section=tool.section, tools=None)
        params = entry.fails(kb, first, query)
        result.in_scope = False
        result.failures.insert(0, _reason(kb, entry, [first], tool, query, params or {}))
    result.notes = list(dict.fromkeys(result.notes))
    result.warnings = list(dict.fromkeys(result.warnings))
    return result


def allows(kb: KnowledgeBase, tool: Tool, query: Query) -> bool:
    """True when :func:`evaluate` would find no failure for ``tool`` (``not
    evaluate(kb, tool, query).failures``), without building the reasons, notes and warnings
    nobody reads: :func:`alternatives` asks it for every tool of every ``check`` that fails.

    The same tests in the same terms: every rule of a kind that is not ``any_of`` holds, the
    service has not ended by the query's day, and for every ``any_of`` kind that applies to the
    query, one of the tool's rules of that kind holds (a tool with none fails it).
    """
    return _allows(kb, _on_day(kb, tool, query.date), query)


def _allows(kb: KnowledgeBase, day: _ToolOnDay, query: Query) -> bool:
    """:func:`allows` for one tool on the query's day. The tests are pure, so their order is
    free: the ``any_of`` kinds first, which rule out at once most tools that do not serve the
    query's task."""
    # Plain loops: this runs for every tool of every failing check (no generator per call).
    if day.ended:
        return False
    for entry, group in day.any_of:
        if entry.applies(query):
            for rule in group:
                if entry.fails(kb, rule, query) is None:
                    break
            else:
                return False
    for entry, rule in day.each:  # noqa: SIM110
        if entry.fails(kb, rule, query) is not None:
            return False
    return True


class _ToolOnDay(Record):
    """One tool on one day: its rules in force (``kb.rules_for``), those of the kinds that must
    all hold (with their kind), those of each ``any_of`` kind (registry order), and whether its
    service had ended (what :func:`allows` tests)."""

    tool: Tool
    rules: tuple[Rule, ...]
    each: tuple[tuple[rules.RuleKind, Rule], ...]
    any_of: tuple[tuple[rules.RuleKind, tuple[Rule, ...]], ...]
    ended: bool


def _tool_on_day(kb: KnowledgeBase, tool: Tool, on: dt.date) -> _ToolOnDay:
    in_force = kb.rules_for(tool.id, on)
    each = tuple((rules.kind_of(r), r) for r in in_force if not rules.kind_of(r).any_of)
    groups = tuple((e, tuple(r for r in in_force if r.kind == e.name)) for e in rules.ANY_OF)
    return _ToolOnDay(tool, in_force, each, groups, since.has_ended(tool, on))


def _day_table(kb: KnowledgeBase, on: dt.date) -> dict[str, _ToolOnDay]:
    """``{tool id: _ToolOnDay}`` for every tool of ``kb`` on ``on``, worked out once per
    knowledge base and day (:func:`gialai_remote.memo.per_kb`)."""
    return per_kb(kb, ("decide.on_day", on), lambda: {one.id: _tool_on_day(kb, one, on) for one in kb.tools})


def _on_day(kb: KnowledgeBase, tool: Tool, on: dt.date) -> _ToolOnDay:
    """``tool`` (one of ``kb``'s) on ``on``; the table of every tool is worked out once per
    knowledge base and day (:func:`gialai_remote.memo.per_kb`); another tool object is worked
    out alone."""
    found = _day_table(kb, on).get(tool.id)
    return found if found is not None and found.tool is tool else _tool_on_day(kb, tool, on)


def tool_warnings(kb: KnowledgeBase, tool: Tool, evaluation: Evaluation, query: Query) -> tuple[WarningInfo, ...]:
    """What to keep in mind with ``tool`` on the query's date: the warnings of the rules that let
    it through, the letter's notes on it (``tool_note``), each of its status entries in force
    (``tool_changed``, ``tool_unverified``), when its contacts were last verified more than
    a year before, ``contact_unverified``, and for an official tool the letter names no
    contact for (section 1), ``no_contact``: ask the unit's IT."""
    lang = query.lang
    letter = cite_info(kb, Cite(tool.source, tool.section), lang)
    out = [*evaluation.warnings, *(WarningInfo("tool_note", n.get(lang), letter) for n in tool.notes)]
    out += since.status_warnings(kb, tool, query.date, lang)
    stale = since.contact_warning(kb, tool, query.date, lang)
    if stale is not None:
        out.append(stale)
    if tool.category == "official" and not any(kb.has("contacts", c) for c in tool.contacts):
        # Section 1's systems: the letter names nobody to call; say whom to ask instead.
        out.append(WarningInfo("no_contact", t("handout.no_contacts", lang), letter))
    return tuple(dict.fromkeys(out))


def _excluded_warning(query: Query, codes: set[str]) -> WarningInfo | None:
    """The first advice-level warning a kind gives for ruling tools out with ``codes``."""
    for entry in rules.KINDS:
        if entry.code in codes:
            warning = entry.excluded_warning(query, query.lang)
            if warning is not None:
                return warning
    return None


def _general_warnings(kb: KnowledgeBase, query: Query) -> list[WarningInfo]:
    """The opening block of a late answer (or the warning of a date before the letter), then
    the warnings about the query itself."""
    lang = query.lang
    out = since.date_warnings(kb, query.date, lang)
    if query.sensitivity_assumed:
        names = term_names(kb, "sensitivities", (query.sensitivity,), lang)
        out.append(WarningInfo("sensitivity_assumed", t("warn.sensitivity_assumed", lang, sensitivity=names)))
    return out


def decide(kb: KnowledgeBase, query: Query) -> Advice:
    """Recommend tools for ``query`` as the letter directs.

    Args:
        kb: the knowledge base.
        query: role, task (required here), participants, sensitivity, platform, equipment,
            date and language; its ids must be the knowledge base's (canonical ids: the CLI
            resolves what users type first).

    Returns:
        An :class:`gialai_remote.advice.Advice`: tools allowed, ranked by the letter's order
        (``priority`` in the knowledge base: section 2.1 before 2.2, official systems before
        the section 2.3 public apps); every tool that serves the task but is ruled out, with
        reason codes; warnings; notices in force on the date; the query's display names.

    Raises:
        ValueError: ``query.task`` is None.
        UnknownIdError: the role, task, sensitivity or platform is not in the knowledge base
            (a :class:`KeyError`; see :mod:`gialai_remote.errors`).
    """
    if query.task is None:
        raise ValueError("decide() needs a task")
    require_query_ids(kb, query)
    lang = query.lang
    allowed: list[tuple[Tool, Evaluation]] = []
    excluded: list[Exclusion] = []
    unmet = 0
    serving = 0
    preconditions = {k.code for k in rules.KINDS if k.unmet is not None}
    late = is_late(kb, query.date)
    for tool in kb.tools:
        evaluation = evaluate(kb, tool, query)
        if not evaluation.in_scope:
            continue
        serving += 1
        if evaluation.failures:
            status = since.status_infos(kb, tool, query.date, lang)
            excluded.append(Exclusion(tool.id, tool.name.get(lang), tool.section, tuple(evaluation.failures), status))
            if any(f.code in preconditions for f in evaluation.failures):
                unmet += 1
        else:
            allowed.append((tool, evaluation))
    allowed.sort(key=lambda pair: pair[0].priority)  # stable: ties keep file order
    recommendations = tuple(
        Recommendation(
            tool=tool.id,
            rank=rank,
            name=tool.name.get(lang),
            section=tool.section,
            category=tool.category,
            reasons=tuple(evaluation.notes),
            warnings=tool_warnings(kb, tool, evaluation, query),
            setup_steps=setup_steps(kb, tool, query.platform, lang, late),
            contacts=contact_infos(kb, tool, lang),
            server_url=tool.server_url,
            status=since.status_infos(kb, tool, query.date, lang),
            source=cite_info(kb, Cite(tool.source, tool.section), lang),
        )
        for rank, (tool, evaluation) in enumerate(allowed, start=1)
    )
    eligible = not (serving and unmet == serving)
    warnings = _general_warnings(kb, query)
    # When nothing is recommended, the instruction that answers instead (the text puts it first);
    # "every tool is ruled out, see the reasons" is no instruction: the reasons are the answer.
    explanation: WarningInfo | None = None
    if not eligible:
        missing = [k.unmet(query, lang) for k in rules.KINDS if k.unmet is not None]
        text = t("warn.not_eligible", lang, missing=", ".join(m for m in missing if m))
        explanation = WarningInfo("not_eligible", text, cite_info(kb, Cite(kb.source.id, "1"), lang))
        warnings.append(explanation)
    elif not recommendations:
        explanation = _excluded_warning(query, {r.code for e in excluded for r in e.reasons})
        if explanation is None and serving == 0:
            task = term_names(kb, "tasks", (query.task,), lang)
            explanation = WarningInfo("no_tool_serves", t("warn.no_tool_serves", lang, task=task))
        warnings.append(explanation or WarningInfo("all_excluded", t("warn.all_excluded", lang)))
    for tool, _ in allowed:
        for rule in _on_day(kb, tool, query.date).rules:
            open_warning = rules.kind_of(rule).open_warning(rule, tool, query, lang)
            if open_warning is not None:
                warnings.append(open_warning)
    keys: set[str] = set()
    for rec in recommendations:
        keys.update((rec.tool, rec.section))
    for exc in excluded:
        keys.update((exc.tool, exc.section))
        keys.update(c.section or c.id for r in exc.reasons for c in r.sources)
    return Advice(
        query=query,
        names=query_names(kb, query),
        eligible=eligible,
        recommendations=recommendations,
        excluded=tuple(excluded),
        warnings=tuple(dict.fromkeys(warnings)),
        notices=since.relevant_notices(kb, query.date, lang, keys),
        source=source_info(kb, lang),
        sources=since.source_entries(kb, lang),
        explanation=explanation,
    )


def check(kb: KnowledgeBase, query: Query, tool_id: str) -> CheckResult:
    """Is ``tool_id`` allowed for ``query``? The same rules as :func:`decide`.

    Args:
        kb: the knowledge base.
        query: as for :func:`decide`, but the task may be None: then the task rules are not
            applied.
        tool_id: a tool id of the knowledge base.

    Returns:
        A :class:`gialai_remote.advice.CheckResult`: allowed or not, every reason, warnings,
        the notices in force that bear on the tool.

    Raises:
        UnknownIdError: the tool, role, task, sensitivity or platform is not in the
            knowledge base (a :class:`KeyError`).
    """
    require_id(kb, "tools", tool_id, query.lang)
    require_query_ids(kb, query)
    tool = kb.tool(tool_id)
    lang = query.lang
    evaluation = evaluate(kb, tool, query)
    warnings = _general_warnings(kb, query) + list(tool_warnings(kb, tool, evaluation, query))
    explained = _excluded_warning(query, {f.code for f in evaluation.failures}) if evaluation.failures else None
    if explained is not None:
        warnings.append(explained)
    keys = tool_keys(kb, tool, query.date) | {c.section or c.id for f in evaluation.failures for c in f.sources}
    return CheckResult(
        tool=tool.id,
        name=tool.name.get(lang),
        allowed=not evaluation.failures,
        query=query,
        names=query_names(kb, query),
        reasons=tuple(evaluation.failures),
        warnings=tuple(dict.fromkeys(warnings)),
        notices=since.relevant_notices(kb, query.date, lang, keys),
        source=source_info(kb, lang),
        status=since.status_infos(kb, tool, query.date, lang),
        sources=since.source_entries(kb, lang),
        alternatives=alternatives(kb, query, tool.id) if evaluation.failures else (),
        explanation=explained,
        contacts=() if evaluation.failures else contact_infos(kb, tool, lang),
    )


def alternatives(kb: KnowledgeBase, query: Query, tool_id: str) -> tuple[ToolName, ...]:
    """The tools other than ``tool_id`` that the letter allows for ``query``, best first.

    "Allowed" is :func:`check`'s answer and the order is :func:`decide`'s ranking
    (``priority``: section 2.1 before 2.2, official systems before the section 2.3 apps; ties
    in file order), so with a task these are ``recommend``'s recommendations without
    ``tool_id``. Without a task, an alternative must do what ``tool_id`` does: it is allowed
    for the same query with one of the tasks ``tool_id`` serves (an alternative to a meeting
    system is a meeting system, not the official e-mail).

    Args:
        kb: the knowledge base.
        query: the query (ids already checked by the caller).
        tool_id: the tool to leave out.

    Returns:
        :class:`gialai_remote.advice.ToolName` entries, names in ``query.lang``; empty when
        no other tool is allowed (secret content, no device or Internet...).
    """
    if query.task is not None:
        queries = [query]
    else:
        tasks = [task.id for task in kb.tasks if tool_id in rules.serving(kb, "tasks", task.id)]
        queries = [query._replace(task=task) for task in tasks] or [query]
    table = _day_table(kb, query.date)  # every query has its day
    found = []
    for tool in _by_priority(kb):
        if tool.id == tool_id:
            continue
        day = table[tool.id]
        for each in queries:
            if _allows(kb, day, each):
                found.append(ToolName(tool.id, tool.name.get(query.lang)))
                break
    return tuple(found)


def _by_priority(kb: KnowledgeBase) -> tuple[Tool, ...]:
    """``kb``'s tools in :func:`decide`'s order (``priority``; ties in file order), worked out
    once per knowledge base."""
    return per_kb(kb, ("decide.by_priority",), lambda: tuple(sorted(kb.tools, key=lambda tool: tool.priority)))
