"""Printable setup handouts: everything an official needs about one tool, as pure data.

:func:`build_handout` gathers, for one tool of Công văn 415/STTTT-CNTT, what it is for and who
may use it, its setup steps (for one platform, or every platform), the server URL, support
contacts, warnings, the notices in force and the letter's section, for a given day and
language. It decides nothing of its own: who and what may use the tool is
:func:`gialai_remote.rules.scope` (the narrowing ``tools show`` uses too), the reasons,
warnings and blockers come from :func:`gialai_remote.decide.evaluate` (the code ``recommend``
and ``check`` run), and the steps from :func:`gialai_remote.steps.setup_steps`. Renderers
(``render/text/handout.py``, ``render/markdown.py``, ``render/html.py``) only format the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gialai_remote import rules, since
from gialai_remote.advice import (
    ContactInfo,
    NoticeInfo,
    Query,
    Reason,
    SourceInfo,
    StatusInfo,
    WarningInfo,
    contact_infos,
    is_late,
    require_id,
    source_info,
)
from gialai_remote.decide import evaluate, tool_warnings
from gialai_remote.i18n import t
from gialai_remote.model import KnowledgeBase, Text, Tool
from gialai_remote.steps import setup_steps


@dataclass(frozen=True, slots=True)
class Handout:
    """One tool's one-page instructions, in one language, for one day.

    Attributes:
        tool: tool id ("aic-emeeting").
        name: display name.
        section: the letter's section of the tool ("2.2.b").
        category: "official" or "public-app" (section 2.3).
        lang: "vi" or "en": the language of every text here.
        date: the day the handout is for.
        platform: platform id the steps are for, or None for every platform.
        platform_name: that platform's display name, or None.
        purpose: what the tool is and what the letter says it is for (description, then the
            letter's reasons from the rules that hold), in order.
        operator: who runs or provides it, or None.
        app: which app to install, in the letter's words, or None.
        scope: who and what may use it, kind by kind, as ids (:func:`gialai_remote.rules.scope`).
        limits: the rows of what its rules allow, in reading order, as (label, value) in
            ``lang`` (who may use it, tasks, content it may and must never carry, at most how
            many people, platforms, what a user must have); a row whose value is "" is not shown.
        steps: the setup steps, in order (platform-specific ones labelled when no platform is chosen).
        server_url: the server address users enter, or None.
        contacts: whom to call; phones are digits only.
        blockers: reasons the tool cannot be used as described on this date or platform
            (service discontinued, offer expired, platform not supported); empty when it can.
        warnings: what to keep in mind (the rules' warnings, the letter's notes, the tool's
            status, stale contacts, then the opening block of a late answer).
        notices: notices in force on ``date`` about the tool or its section (see :func:`_printed`).
        source: the letter (number, issuer, date).
        title: the letter's subject line.
        status: the tool's status entries in force on ``date``, shown near the top.
    """

    tool: str
    name: str
    section: str
    category: str
    lang: str
    date: dt.date
    platform: str | None
    platform_name: str | None
    purpose: tuple[str, ...]
    operator: str | None
    app: str | None
    scope: rules.Scope
    limits: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    server_url: str | None
    contacts: tuple[ContactInfo, ...]
    blockers: tuple[Reason, ...]
    warnings: tuple[WarningInfo, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo
    title: str
    status: tuple[StatusInfo, ...] = ()


def _printed(kb: KnowledgeBase, tool: Tool, date: dt.date, lang: str) -> tuple[NoticeInfo, ...]:
    """The notices a handout prints: those about the tool itself (its id or its section), in
    force on its date (the page is for that day) and without an opening line (that line is
    among the page's warnings already). ``tools show`` lists them all; a printed handout stays
    one A4 page."""
    return tuple(
        info
        for info in since.relevant_notices(kb, date, lang, {tool.id, tool.section})
        if info.in_force and kb.notice(info.id).opening is None
    )


def _first_allowed(tool_scope: rules.Scope, vocabulary: str, default: str | None) -> str | None:
    """The first id of ``vocabulary`` the tool's scope allows for every kind naming it."""
    allowed: list[str] | None = None
    for entry in rules.KINDS:
        if entry.vocabulary == vocabulary:
            ids = tool_scope.of(entry.name).ids
            allowed = [i for i in (ids if allowed is None else allowed) if i in ids]
    if allowed is None:
        return default
    return allowed[0] if allowed else default


def build_handout(
    kb: KnowledgeBase,
    tool_id: str,
    *,
    date: dt.date,
    lang: str = "vi",
    platform: str | None = None,
) -> Handout:
    """Build the handout of ``tool_id`` for ``date`` in ``lang``.

    Args:
        kb: the knowledge base.
        tool_id: a tool id of the knowledge base (the CLI resolves what the user typed first).
        date: the day the handout is for (offers and notices depend on it).
        lang: "vi" or "en".
        platform: a platform id to show only its steps, or None for every platform's.

    Returns:
        A :class:`Handout`. Who may use the tool, for which content and on which platforms is
        :func:`gialai_remote.rules.scope`, which allows an id exactly when ``check`` would.

    Raises:
        UnknownIdError: unknown ``tool_id`` or ``platform`` (a :class:`KeyError`).
    """
    require_id(kb, "tools", tool_id, lang)
    if platform is not None:
        require_id(kb, "platforms", platform, lang)
    tool = kb.tool(tool_id)
    tool_scope = rules.scope(kb, tool, date)
    late = is_late(kb, date)

    # The handout describes the tool at its most permissive: a role, task and content level it
    # is allowed for, so the rules that hold contribute their reasons and warnings (for the
    # section 2.3 apps, the warning never to carry internal content or state secrets).
    query = Query(
        role=_first_allowed(tool_scope, "roles", kb.roles[0].id) or kb.roles[0].id,
        task=_first_allowed(tool_scope, "tasks", None),
        sensitivity=_first_allowed(tool_scope, "sensitivities", kb.sensitivities[0].id) or "internal",
        platform=platform,
        date=date,
        lang=lang,
    )
    evaluation = evaluate(kb, tool, query)
    blockers = tuple(f for f in evaluation.failures if f.code == since.DISCONTINUED or rules.blocks_handout(f.code))

    def text(value: Text | None) -> str | None:
        return value.at(lang, late) if value is not None else None

    purpose = [text(tool.description) or ""] if tool.description else []
    purpose += evaluation.notes

    # A handout answers no query: of the general warnings, only those of its date apply, and of a
    # late answer's opening block not the count of the letter's tools that changed (the page is
    # about one tool, whose own status it shows): a printed handout stays one A4 page.
    dated = [w for w in since.date_warnings(kb, date, lang) if w.code not in ("tools_changed", "check_before_use")]
    if late:  # the letter's age and "check before use" in one line
        years = (date - kb.source.date).days // 365
        short = t("handout.late", lang, year=kb.source.date.year, years=years)
        dated = [WarningInfo("letter_age", short, dated[0].source, opening=True), *dated[1:]]
    warnings = [*tool_warnings(kb, tool, evaluation, query), *dated]

    platform_name = kb.term("platforms", platform).name.get(lang) if platform else None
    return Handout(
        tool=tool.id,
        name=tool.name.get(lang),
        section=tool.section,
        category=tool.category,
        lang=lang,
        date=date,
        platform=platform,
        platform_name=platform_name,
        purpose=tuple(dict.fromkeys(purpose)),
        operator=text(tool.operator),
        app=text(tool.app),
        scope=tool_scope,
        limits=rules.handout_rows(kb, tool_scope, lang),
        steps=setup_steps(kb, tool, platform, lang, late),
        server_url=tool.server_url,
        contacts=contact_infos(kb, tool, lang),
        blockers=blockers,
        warnings=tuple(dict.fromkeys(warnings)),
        notices=_printed(kb, tool, date, lang),
        source=source_info(kb, lang),
        title=kb.source.title.get(lang),
        status=since.status_infos(kb, tool, date, lang),
    )


@dataclass(frozen=True, slots=True)
class HandoutSet:
    """Every tool's handout for one day, language and platform: the sheets of a training day.

    Attributes:
        handouts: one :class:`Handout` per tool, in the knowledge base's order.
        lang: "vi" or "en".
        date: the day the handouts are for.
        platform_name: the platform the steps are for, or None for every platform.
        source: the letter.
        title: the letter's subject line.
    """

    handouts: tuple[Handout, ...]
    lang: str
    date: dt.date
    platform_name: str | None
    source: SourceInfo
    title: str


def build_handouts(kb: KnowledgeBase, *, date: dt.date, lang: str = "vi", platform: str | None = None) -> HandoutSet:
    """Build the handout of every tool of ``kb`` (see :func:`build_handout`), for an index.

    Raises:
        UnknownIdError: unknown ``platform`` (a :class:`KeyError`).
    """
    handouts = tuple(build_handout(kb, tool.id, date=date, lang=lang, platform=platform) for tool in kb.tools)
    platform_name = kb.term("platforms", platform).name.get(lang) if platform else None
    return HandoutSet(
        handouts=handouts,
        lang=lang,
        date=date,
        platform_name=platform_name,
        source=source_info(kb, lang),
        title=kb.source.title.get(lang),
    )
