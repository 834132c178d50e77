"""Printable setup handouts: everything an official needs about one tool, as pure data.

:func:`build_handout` gathers, for one tool of Công văn 415/STTTT-CNTT, what it is for and who
may use it, its setup steps (for one platform, or every platform), the server URL, support
contacts, warnings, the notices in force and the letter's section, for a given day and
language. It decides nothing of its own: who may use the tool, for what content and on which
platform is asked of :func:`gialai_remote.decide.evaluate`, the same code ``recommend`` and
``check`` run, and the steps come from :func:`gialai_remote.decide.setup_steps`. Renderers
(``render/markdown.py``, ``render/html.py``, ``render/handout_text.py``) only format the result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from gialai_remote.decide import (
    ContactInfo,
    NoticeInfo,
    Query,
    Reason,
    SourceInfo,
    age_warnings,
    contact_infos,
    evaluate,
    relevant_notices,
    setup_steps,
    source_info,
    tool_keys,
    tool_warnings,
)
from gialai_remote.i18n import t
from gialai_remote.model import KnowledgeBase, Tool

#: Reason codes that say the tool cannot be used as the handout describes it on its date or
#: platform, whoever reads it (who reads it, and for what content, the handout says itself).
BLOCKING_CODES = ("offer_expired", "platform_not_supported")


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
        tasks: display names of the tasks it serves.
        roles: display names of the roles that may use it.
        sensitivities: display names of the content levels it may carry.
        not_for: display names of the content levels it must never carry.
        platforms: display names of the platforms it runs on; empty when the letter sets no limit.
        max_participants: the most people it serves, or None when the letter sets no limit.
        needs: what a user must have before any remote work (section 1), as phrases.
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
    tasks: tuple[str, ...]
    roles: tuple[str, ...]
    sensitivities: tuple[str, ...]
    not_for: tuple[str, ...]
    platforms: tuple[str, ...]
    max_participants: int | None
    needs: tuple[str, ...]
    steps: tuple[str, ...]
    server_url: str | None
    contacts: tuple[ContactInfo, ...]
    blockers: tuple[Reason, ...]
    warnings: tuple[str, ...]
    notices: tuple[NoticeInfo, ...]
    source: SourceInfo
    title: str


def _codes(kb: KnowledgeBase, tool: Tool, query: Query) -> set[str]:
    return {f.code for f in evaluate(kb, tool, query).failures}


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
        found by running :func:`gialai_remote.decide.evaluate` for each role, sensitivity and
        platform, so the handout and ``check`` cannot disagree.

    Raises:
        KeyError: unknown ``tool_id`` or ``platform``.
    """
    tool = kb.tool(tool_id)
    if platform is not None:
        kb.term("platforms", platform)

    base = Query(role=kb.roles[0].id, task=None, date=date, lang=lang)

    def probe(**changes: Any) -> Query:
        return dataclasses.replace(base, **changes)

    roles = [r for r in kb.roles if "role_not_allowed" not in _codes(kb, tool, probe(role=r.id))]
    sensitivities = [
        s for s in kb.sensitivities if "sensitivity_not_allowed" not in _codes(kb, tool, probe(sensitivity=s.id))
    ]
    platforms = [p for p in kb.platforms if "platform_not_supported" not in _codes(kb, tool, probe(platform=p.id))]
    if not any(r.kind == "platforms" for r in kb.rules_for(tool.id)):
        platforms = []  # the letter names no platform: say so rather than list every one
    tasks = [task for task in kb.tasks if kb.serves(tool.id, task.id)]

    # The handout describes the tool at its most permissive: a role, task and content level it
    # is allowed for, so the rules that hold contribute their reasons and warnings (for the
    # section 2.3 apps, the warning never to carry internal content or state secrets).
    query = probe(
        role=(roles or kb.roles)[0].id,
        task=tasks[0].id if tasks else None,
        sensitivity=(sensitivities or kb.sensitivities)[0].id,
        platform=platform,
    )
    evaluation = evaluate(kb, tool, query)
    blockers = tuple(f for f in evaluation.failures if f.code in BLOCKING_CODES)

    purpose = [tool.description.get(lang)] if tool.description else []
    purpose += evaluation.notes
    limits = [r.max_participants for r in kb.rules_for(tool.id) if r.kind == "capacity" and r.max_participants]
    needs = [t(f"need.{need}", lang) for r in kb.rules_for(tool.id) if r.kind == "requires" for need in r.values]

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
        tasks=tuple(task.name.get(lang) for task in tasks),
        roles=tuple(r.name.get(lang) for r in roles),
        sensitivities=tuple(s.name.get(lang) for s in sensitivities),
        not_for=tuple(s.name.get(lang) for s in kb.sensitivities if s not in sensitivities),
        platforms=tuple(p.name.get(lang) for p in platforms),
        max_participants=min(limits) if limits else None,
        needs=tuple(dict.fromkeys(needs)),
        steps=setup_steps(kb, tool, platform, lang),
        server_url=tool.server_url,
        contacts=contact_infos(kb, tool, lang),
        blockers=blockers,
        warnings=tuple(dict.fromkeys(warnings)),
        notices=relevant_notices(kb, query, tool_keys(kb, tool)),
        source=source_info(kb, lang),
        title=kb.source.title.get(lang),
    )
