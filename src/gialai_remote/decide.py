"""The decision: which tools the letter allows for a query, ranked, with reasons.

:func:`decide` and :func:`check` are pure functions of (knowledge base, query): the query
carries the date the advice is for and the language of its texts; nothing here reads a clock,
the environment, a file or a terminal. ``recommend`` and ``check`` share :func:`evaluate`, so
``check`` allows a tool exactly when ``recommend`` would recommend it. What each kind of rule
means is the registry's (:mod:`gialai_remote.rules`); this module only combines the kinds'
answers. The result types are in :mod:`gialai_remote.advice`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from gialai_remote import rules
from gialai_remote.advice import (
    Advice,
    CheckResult,
    Exclusion,
    Query,
    Reason,
    Recommendation,
    ToolName,
    age_warnings,
    contact_infos,
    query_names,
    relevant_notices,
    require_id,
    require_query_ids,
    setup_steps,
    source_info,
    term_names,
    tool_keys,
)
from gialai_remote.i18n import t
from gialai_remote.model import KnowledgeBase, Rule, Tool


@dataclass(slots=True)
class Evaluation:
    """The result of applying every rule of one tool to a query.

    Attributes:
        failures: reasons the tool is ruled out (empty: allowed), one per failing rule.
        notes: the letter's reasons from the rules that held.
        warnings: warnings of the rules that held.
        in_scope: False when the tool does not serve the query at all (none of its rules of
            an ``any_of`` kind holds: its task rules do not name the query's task).
    """

    failures: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    in_scope: bool = True


def _reason(entry: rules.RuleKind, rule: Rule, tool: Tool, query: Query, params: rules.Params) -> Reason:
    """The reason ``rule`` rules ``tool`` out: its sentence naming the tool, and the same cause
    without it (``cause.<code>``, from the same parameters), by which renderers list every tool
    ruled out for one cause on one line."""
    message = t(f"reason.{entry.code}", query.lang, tool=tool.name.get(query.lang), section=rule.section, **params)
    cause = t(f"cause.{entry.code}", query.lang, section=rule.section, **params)
    return Reason(code=entry.code, message=message, section=rule.section, rule=rule.id, cause=cause)


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
    groups: dict[str, list[Rule]] = {}
    for rule in kb.rules_for(tool.id):
        entry = rules.kind_of(rule)
        if entry.any_of:
            groups.setdefault(entry.name, []).append(rule)
            continue
        params = entry.fails(kb, rule, query)
        if params is not None:
            result.failures.append(_reason(entry, rule, tool, query, params))
            continue
        if rule.note is not None:
            result.notes.append(rule.note.get(lang))
        held = entry.held(rule, query, lang)
        if held is not None:
            result.notes.append(held)
        if rule.warning is not None:
            result.warnings.append(rule.warning.get(lang))
    for entry in reversed(rules.ANY_OF):
        if not entry.applies(query):
            continue
        group = groups.get(entry.name, [])
        holding = [r for r in group if entry.fails(kb, r, query) is None]
        if holding:
            result.notes[:0] = [r.note.get(lang) for r in holding if r.note is not None]
            continue
        # None holds: one reason, at the first rule of the kind (or the tool's own section).
        first = group[0] if group else Rule(id="", kind=entry.name, section=tool.section, tools=None)
        params = entry.fails(kb, first, query)
        result.in_scope = False
        result.failures.insert(0, _reason(entry, first, tool, query, params or {}))
    result.notes = list(dict.fromkeys(result.notes))
    result.warnings = list(dict.fromkeys(result.warnings))
    return result


def tool_warnings(tool: Tool, evaluation: Evaluation, lang: str) -> tuple[str, ...]:
    """The warnings of the rules that let ``tool`` through, then the tool's own notes."""
    return tuple(dict.fromkeys([*evaluation.warnings, *(n.get(lang) for n in tool.notes)]))


def _excluded_warning(query: Query, codes: set[str]) -> str | None:
    """The first advice-level warning a kind gives for ruling tools out with ``codes``."""
    for entry in rules.KINDS:
        if entry.code in codes:
            warning = entry.excluded_warning(query, query.lang)
            if warning is not None:
                return warning
    return None


def _general_warnings(kb: KnowledgeBase, query: Query) -> list[str]:
    """Warnings about the query itself and about the letter's age."""
    lang = query.lang
    out = []
    if query.sensitivity_assumed:
        out.append(
            t("warn.sensitivity_assumed", lang, sensitivity=term_names(kb, "sensitivities", (query.sensitivity,), lang))
        )
    out.extend(age_warnings(kb, query.date, lang))
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
    for tool in kb.tools:
        evaluation = evaluate(kb, tool, query)
        if not evaluation.in_scope:
            continue
        serving += 1
        if evaluation.failures:
            excluded.append(Exclusion(tool.id, tool.name.get(lang), tool.section, tuple(evaluation.failures)))
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
            warnings=tool_warnings(tool, evaluation, lang),
            setup_steps=setup_steps(kb, tool, query.platform, lang),
            contacts=contact_infos(kb, tool, lang),
            server_url=tool.server_url,
        )
        for rank, (tool, evaluation) in enumerate(allowed, start=1)
    )
    eligible = not (serving and unmet == serving)
    warnings = _general_warnings(kb, query)
    # When nothing is recommended, the instruction that answers instead (the text puts it first);
    # "every tool is ruled out, see the reasons" is no instruction: the reasons are the answer.
    explanation: str | None = None
    if not eligible:
        missing = [k.unmet(query, lang) for k in rules.KINDS if k.unmet is not None]
        explanation = t("warn.not_eligible", lang, missing=", ".join(m for m in missing if m))
        warnings.append(explanation)
    elif not recommendations:
        explanation = _excluded_warning(query, {r.code for e in excluded for r in e.reasons})
        if explanation is None and serving == 0:
            explanation = t("warn.no_tool_serves", lang, task=term_names(kb, "tasks", (query.task,), lang))
        warnings.append(explanation if explanation is not None else t("warn.all_excluded", lang))
    for tool, _ in allowed:
        for rule in kb.rules_for(tool.id):
            open_warning = rules.kind_of(rule).open_warning(rule, tool, query, lang)
            if open_warning is not None:
                warnings.append(open_warning)
    keys: set[str] = set()
    for rec in recommendations:
        keys.update((rec.tool, rec.section))
    for exc in excluded:
        keys.update((exc.tool, exc.section))
        keys.update(r.section for r in exc.reasons)
    return Advice(
        query=query,
        names=query_names(kb, query),
        eligible=eligible,
        recommendations=recommendations,
        excluded=tuple(excluded),
        warnings=tuple(dict.fromkeys(warnings)),
        notices=relevant_notices(kb, query.date, lang, keys),
        source=source_info(kb, lang),
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
    warnings = _general_warnings(kb, query) + list(tool_warnings(tool, evaluation, lang))
    explained = _excluded_warning(query, {f.code for f in evaluation.failures}) if evaluation.failures else None
    if explained is not None:
        warnings.append(explained)
    keys = tool_keys(kb, tool) | {f.section for f in evaluation.failures}
    return CheckResult(
        tool=tool.id,
        name=tool.name.get(lang),
        allowed=not evaluation.failures,
        query=query,
        names=query_names(kb, query),
        reasons=tuple(evaluation.failures),
        warnings=tuple(dict.fromkeys(warnings)),
        notices=relevant_notices(kb, query.date, lang, keys),
        source=source_info(kb, lang),
        alternatives=alternatives(kb, query, tool.id) if evaluation.failures else (),
        explanation=explained,
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
        queries = [dataclasses.replace(query, task=task) for task in tasks] or [query]
    allowed = [
        tool
        for tool in kb.tools
        if tool.id != tool_id and any(not evaluate(kb, tool, each).failures for each in queries)
    ]
    allowed.sort(key=lambda tool: tool.priority)  # stable: ties keep file order
    return tuple(ToolName(tool.id, tool.name.get(query.lang)) for tool in allowed)
