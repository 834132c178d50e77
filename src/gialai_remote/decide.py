"""The decision: which tools the letter allows for a query, ranked, with reasons.

:func:`decide` and :func:`check` are pure functions of (knowledge base, query): the query
carries the date the advice is for and the language of its texts; nothing here reads a clock,
the environment, a file or a terminal. ``recommend`` and ``check`` share :func:`evaluate`, so
``check`` allows a tool exactly when ``recommend`` would recommend it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gialai_remote.i18n import t
from gialai_remote.model import Contact, KnowledgeBase, Rule, Tool

#: Reason codes of CONTRACT.md, one per rule kind that can rule a tool out.
REASON_CODES: dict[str, str] = {
    "roles": "role_not_allowed",
    "tasks": "task_not_supported",
    "capacity": "capacity_exceeded",
    "sensitivity": "sensitivity_not_allowed",
    "offer": "offer_expired",
    "platforms": "platform_not_supported",
    "requires": "requires_device_and_internet",
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
class Reason:
    """Why a tool is ruled out.

    Attributes:
        code: a reason code of CONTRACT.md ("capacity_exceeded").
        message: one sentence for a person.
        section: the letter's section of the rule.
        rule: the rule's id ("2.1.a-capacity").
    """

    code: str
    message: str
    section: str
    rule: str


@dataclass(frozen=True, slots=True)
class ContactInfo:
    """A support contact as shown with a tool.

    Attributes:
        id: contact id.
        name: the person, as the letter writes it.
        phone: digits only.
        organization: the person's organization, or None when the letter gives none.
        title: the person's title, or None.
    """

    id: str
    name: str
    phone: str
    organization: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class NoticeInfo:
    """A notice in force on the advice date (see :class:`gialai_remote.model.Notice`)."""

    id: str
    effective: dt.date
    text: str
    source: str
    affects: tuple[str, ...]


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
    """A tool that serves the task but is ruled out, with every reason."""

    tool: str
    name: str
    section: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The letter the advice comes from: number, issuer (in the query's language), date."""

    document: str
    issuer: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Advice:
    """The answer to ``recommend``.

    Attributes:
        query: the query answered.
        eligible: False when the precondition of remote work (device and Internet) fails.
        recommendations: allowed tools, ordered by rank.
        excluded: tools that serve the task but are ruled out.
        warnings: advice-level warnings (assumptions, the letter's age, why nothing fits).
        notices: notices in force on the query's date that bear on this advice.
        source: the letter.
    """

    query: Query
    eligible: bool
    recommendations: tuple[Recommendation, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[str, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The answer to ``check``: is one tool allowed for the query?"""

    tool: str
    name: str
    allowed: bool
    query: Query
    reasons: tuple[Reason, ...]
    warnings: tuple[str, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo


@dataclass(slots=True)
class Evaluation:
    """The result of applying every rule of one tool to a query.

    Attributes:
        failures: reasons the tool is ruled out (empty: allowed).
        notes: the letter's reasons from the rules that held.
        warnings: warnings of the rules that held.
        serves_task: False when the tool's task rules do not name the query's task.
    """

    failures: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    serves_task: bool = True


def _names(kb: KnowledgeBase, kind: str, ids: tuple[str, ...], lang: str, sep: str = ", ") -> str:
    return sep.join(kb.term(kind, i).name.get(lang) if kb.has(kind, i) else i for i in ids)


def _failure(kb: KnowledgeBase, rule: Rule, tool: Tool, query: Query) -> Reason | None:
    """The reason ``rule`` rules ``tool`` out for ``query``, or None when it holds."""
    lang = query.lang
    name = tool.name.get(lang)
    params: dict[str, object] | None = None
    if rule.kind == "requires":
        missing = [need for need in rule.values if not _has(query, need)]
        if missing:
            params = {"missing": ", ".join(t(f"need.{m}", lang) for m in missing)}
    elif rule.kind == "roles":
        if query.role not in rule.values:
            params = {"allowed": _names(kb, "roles", rule.values, lang)}
    elif rule.kind == "capacity":
        assert rule.max_participants is not None
        if query.participants is not None and query.participants > rule.max_participants:
            params = {"max": rule.max_participants, "participants": query.participants}
    elif rule.kind == "sensitivity":
        if query.sensitivity not in rule.values:
            params = {
                "sensitivity": _names(kb, "sensitivities", (query.sensitivity,), lang),
                "allowed": _names(kb, "sensitivities", rule.values, lang),
            }
    elif rule.kind == "offer":
        assert rule.until is not None
        if query.date > rule.until:
            params = {"until": format_date(rule.until, lang)}
    elif rule.kind == "platforms" and query.platform is not None and query.platform not in rule.values:
        params = {
            "platform": _names(kb, "platforms", (query.platform,), lang),
            "allowed": _names(kb, "platforms", rule.values, lang),
        }
    if params is None:
        return None
    code = REASON_CODES[rule.kind]
    message = t(f"reason.{code}", lang, tool=name, section=rule.section, **params)
    return Reason(code=code, message=message, section=rule.section, rule=rule.id)


def _has(query: Query, need: str) -> bool:
    return {"device": query.has_device, "internet": query.has_internet}.get(need, True)


def evaluate(kb: KnowledgeBase, tool: Tool, query: Query) -> Evaluation:
    """Apply every rule of ``tool`` to ``query``.

    Rules of one kind all have to hold, except ``tasks`` rules: a tool serves a task when any
    of its task rules names it. Runs in time linear in the tool's rules.
    """
    result = Evaluation()
    lang = query.lang
    task_rules: list[Rule] = []
    for rule in kb.rules_for(tool.id):
        if rule.kind == "tasks":
            task_rules.append(rule)
            continue
        failure = _failure(kb, rule, tool, query)
        if failure is not None:
            result.failures.append(failure)
            continue
        if rule.note is not None:
            result.notes.append(rule.note.get(lang))
        if rule.kind == "capacity" and query.participants is not None:
            result.notes.append(t("why.capacity", lang, max=rule.max_participants, participants=query.participants))
        if rule.warning is not None:
            result.warnings.append(rule.warning.get(lang))
    if query.task is not None:
        serving = [r for r in task_rules if query.task in r.values]
        result.serves_task = bool(serving)
        if serving:
            result.notes[:0] = [r.note.get(lang) for r in serving if r.note is not None]
        else:
            section = task_rules[0].section if task_rules else tool.section
            rule_id = task_rules[0].id if task_rules else ""
            result.failures.insert(
                0,
                Reason(
                    code="task_not_supported",
                    message=t(
                        "reason.task_not_supported",
                        lang,
                        tool=tool.name.get(lang),
                        task=_names(kb, "tasks", (query.task,), lang),
                        section=section,
                    ),
                    section=section,
                    rule=rule_id,
                ),
            )
    result.notes = list(dict.fromkeys(result.notes))
    result.warnings = list(dict.fromkeys(result.warnings))
    return result


def format_date(day: dt.date, lang: str) -> str:
    """A date as Vietnamese readers write it (31/5/2020) or ISO for English (2020-05-31)."""
    return f"{day.day}/{day.month}/{day.year}" if lang != "en" else day.isoformat()


def contact_infos(kb: KnowledgeBase, tool: Tool, lang: str) -> tuple[ContactInfo, ...]:
    """The support contacts of ``tool`` (its ``contacts`` ids, in order), as shown with it."""
    out = []
    for contact_id in tool.contacts:
        if not kb.has("contacts", contact_id):
            continue
        c: Contact = kb.contact(contact_id)
        out.append(
            ContactInfo(
                id=c.id,
                name=c.display_name(lang),
                phone=c.phone,
                organization=c.organization.get(lang) if c.organization else None,
                title=c.title.get(lang) if c.title else None,
            )
        )
    return tuple(out)


def setup_steps(kb: KnowledgeBase, tool: Tool, platform: str | None, lang: str) -> tuple[str, ...]:
    """The tool's setup steps for ``platform``; with None, every step, each platform-specific
    one prefixed with the platforms it is for ("iOS (iPhone, iPad): ...")."""
    steps = []
    for step in tool.setup_steps:
        if not step.applies_to(platform):
            continue
        text = step.text.get(lang)
        if platform is None and step.platforms:
            label = step.label.get(lang) if step.label else _names(kb, "platforms", step.platforms, lang, " / ")
            text = f"{label}: {text}"
        steps.append(text)
    return tuple(steps)


def tool_warnings(tool: Tool, evaluation: Evaluation, lang: str) -> tuple[str, ...]:
    """The warnings of the rules that let ``tool`` through, then the tool's own notes."""
    return tuple(dict.fromkeys([*evaluation.warnings, *(n.get(lang) for n in tool.notes)]))


def tool_keys(kb: KnowledgeBase, tool: Tool) -> set[str]:
    """What a notice about one tool may name: its id, its section and the sections of the
    rules written for it (not the rules for ``all`` tools, whose notices would otherwise crowd
    every page). Used by ``check``, ``tools show`` and the handouts alike."""
    return {tool.id, tool.section, *(r.section for r in kb.rules_for(tool.id) if r.tools is not None)}


def relevant_notices(kb: KnowledgeBase, query: Query, keys: set[str]) -> tuple[NoticeInfo, ...]:
    """Notices in force on the query's date that affect any tool or section in ``keys``."""
    return tuple(
        NoticeInfo(n.id, n.effective, n.text.get(query.lang), n.source, n.affects)
        for n in kb.notices_on(query.date)
        if not n.affects or keys.intersection(n.affects)
    )


def source_info(kb: KnowledgeBase, lang: str) -> SourceInfo:
    """The letter as the advice cites it: number, issuer in ``lang``, date."""
    return SourceInfo(kb.source.document, kb.source.issuer.get(lang), kb.source.date)


def _general_warnings(kb: KnowledgeBase, query: Query) -> list[str]:
    """Warnings about the query itself and about the letter's age."""
    lang = query.lang
    out = []
    if query.sensitivity_assumed:
        out.append(
            t("warn.sensitivity_assumed", lang, sensitivity=_names(kb, "sensitivities", (query.sensitivity,), lang))
        )
    out.extend(age_warnings(kb, query.date, lang))
    return out


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


def decide(kb: KnowledgeBase, query: Query) -> Advice:
    """Recommend tools for ``query`` as the letter directs.

    Args:
        kb: the knowledge base.
        query: role, task (required here), participants, sensitivity, platform, equipment,
            date and language.

    Returns:
        An :class:`Advice`: tools allowed, ranked by the letter's order (``priority`` in the
        knowledge base: section 2.1 before 2.2, official systems before the section 2.3 public
        apps); every tool that serves the task but is ruled out, with reason codes; warnings;
        notices in force on the date.

    Raises:
        ValueError: ``query.task`` is None.
    """
    if query.task is None:
        raise ValueError("decide() needs a task")
    lang = query.lang
    allowed: list[tuple[Tool, Evaluation]] = []
    excluded: list[Exclusion] = []
    requires_failed = 0
    serving = 0
    for tool in kb.tools:
        evaluation = evaluate(kb, tool, query)
        if not evaluation.serves_task:
            continue
        serving += 1
        if evaluation.failures:
            excluded.append(Exclusion(tool.id, tool.name.get(lang), tool.section, tuple(evaluation.failures)))
            if any(f.code == "requires_device_and_internet" for f in evaluation.failures):
                requires_failed += 1
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
    eligible = not (serving and requires_failed == serving)
    warnings = _general_warnings(kb, query)
    if not eligible:
        missing = [m for m in ("device", "internet") if not _has(query, m)]
        warnings.append(t("warn.not_eligible", lang, missing=", ".join(t(f"need.{m}", lang) for m in missing)))
    elif not recommendations:
        codes = {r.code for e in excluded for r in e.reasons}
        if query.sensitivity == "secret" and "sensitivity_not_allowed" in codes:
            warnings.append(t("warn.secret", lang))
        elif serving == 0:
            warnings.append(t("warn.no_tool_serves", lang, task=_names(kb, "tasks", (query.task,), lang)))
        else:
            warnings.append(t("warn.all_excluded", lang))
    if query.participants is None and query.task == "meeting":
        limits = [
            (tool, r.max_participants) for tool, _ in allowed for r in kb.rules_for(tool.id) if r.kind == "capacity"
        ]
        for tool, limit in limits:
            warnings.append(t("warn.participants_unknown", lang, tool=tool.name.get(lang), max=limit))
    keys: set[str] = set()
    for rec in recommendations:
        keys.update((rec.tool, rec.section))
    for exc in excluded:
        keys.update((exc.tool, exc.section))
        keys.update(r.section for r in exc.reasons)
    return Advice(
        query=query,
        eligible=eligible,
        recommendations=recommendations,
        excluded=tuple(excluded),
        warnings=tuple(dict.fromkeys(warnings)),
        notices=relevant_notices(kb, query, keys),
        source=source_info(kb, lang),
    )


def check(kb: KnowledgeBase, query: Query, tool_id: str) -> CheckResult:
    """Is ``tool_id`` allowed for ``query``? The same rules as :func:`decide`.

    With ``query.task`` None the task rules are not applied. Raises KeyError for an unknown
    tool id (the CLI resolves ids first).
    """
    tool = kb.tool(tool_id)
    lang = query.lang
    evaluation = evaluate(kb, tool, query)
    warnings = _general_warnings(kb, query) + list(tool_warnings(tool, evaluation, lang))
    if (
        evaluation.failures
        and query.sensitivity == "secret"
        and any(f.code == "sensitivity_not_allowed" for f in evaluation.failures)
    ):
        warnings.append(t("warn.secret", lang))
    keys = tool_keys(kb, tool) | {f.section for f in evaluation.failures}
    return CheckResult(
        tool=tool.id,
        name=tool.name.get(lang),
        allowed=not evaluation.failures,
        query=query,
        reasons=tuple(evaluation.failures),
        warnings=tuple(dict.fromkeys(warnings)),
        notices=relevant_notices(kb, query, keys),
        source=source_info(kb, lang),
    )
