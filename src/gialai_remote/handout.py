"""Printable setup handouts: everything an official needs about one tool, as pure data.

:func:`build_handout` gathers, for one tool of Công văn 415/STTTT-CNTT, what it is for and who
may use it, its setup steps (for one platform, or every platform), the server URL, support
contacts, warnings, the notices in force and the letter's section, for a given day and
language. It decides nothing of its own: who and what may use the tool is
:func:`gialai_remote.rules.scope` (the narrowing ``tools show`` uses too), the reasons,
warnings and blockers come from :func:`gialai_remote.decide.evaluate` (the code ``recommend``
and ``check`` run), and the steps from :func:`gialai_remote.advice.setup_steps`. Renderers
(``render/text/handout.py``, ``render/markdown.py``, ``render/html.py``) only format the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gialai_remote import rules
from gialai_remote.advice import (
    ContactInfo,
    NoticeInfo,
    Query,
    Reason,
    SourceInfo,
    age_warnings,
    contact_infos,
    relevant_notices,
    require_id,
    setup_steps,
    source_info,
    tool_keys,
)
from gialai_remote.decide import evaluate, tool_warnings
from gialai_remote.model import KnowledgeBase


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
            (offer expired, platform not supported); empty when it can.
        warnings: what to keep in mind (the rules' warnings, the letter's notes, its age).
        notices: notices in force on ``date`` that bear on the tool or its section.
        source: the letter (number, issuer, date).
        title: the letter's subject line.
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
    warnings: tuple[str, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo
    title: str


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
    tool_scope = rules.scope(kb, tool)

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
    blockers = tuple(f for f in evaluation.failures if rules.blocks_handout(f.code))

    purpose = [tool.description.get(lang)] if tool.description else []
    purpose += evaluation.notes

    # A handout answers no query, so of the general warnings only the letter's age applies.
    warnings = [*tool_warnings(tool, evaluation, lang), *age_warnings(kb, date, lang)]

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
        operator=tool.operator.get(lang) if tool.operator else None,
        app=tool.app.get(lang) if tool.app else None,
        scope=tool_scope,
        limits=rules.handout_rows(kb, tool_scope, lang),
        steps=setup_steps(kb, tool, platform, lang),
        server_url=tool.server_url,
        contacts=contact_infos(kb, tool, lang),
        blockers=blockers,
        warnings=tuple(dict.fromkeys(warnings)),
        notices=relevant_notices(kb, date, lang, tool_keys(kb, tool)),
        source=source_info(kb, lang),
        title=kb.source.title.get(lang),
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
