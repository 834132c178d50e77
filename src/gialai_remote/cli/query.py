"""Collecting what a command asks about: ids from flags or prompts, then the core's Query.

Every command that takes a role, task, sensitivity, platform or tool resolves what the user
typed here (forgiving: see :mod:`.match`) or, on a terminal, asks for it; without a terminal
a missing answer is a usage error naming the flag and the choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gialai_remote.cli.ids import KINDS, candidates, matcher, resolve_id
from gialai_remote.errors import UsageError
from gialai_remote.i18n import t

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from gialai_remote.advice import Query
    from gialai_remote.cli.context import Settings
    from gialai_remote.model import KnowledgeBase


# resolve_id and candidates are part of this module's interface (defined in cli/ids.py).
__all__ = ["KINDS", "ask_or_fail", "build_query", "candidates", "resolve_id"]


def ask_or_fail(
    kb: KnowledgeBase, kind: str, s: Settings, flag: str | None = None, empty_hint: str | None = None
) -> str:
    """Prompt for ``kind`` when possible; otherwise a usage error naming the flag and choices.

    With ``empty_hint`` an empty answer is allowed and returns "" (see ``prompt.choose``).
    The role question asks whose meeting or work it is, and answers naming someone at the
    desk get the explanation of :mod:`.desk` before the question is asked again.

    Raises:
        UsageError: no terminal to ask on, or three answers in a row matched nothing (exit 2).
        Interrupted: Ctrl-C or end of input at the prompt (exit 130).
    """
    default_flag, what = KINDS[kind]
    flag = flag or default_flag
    items = kb.tools if kind == "tools" else getattr(kb, kind)
    if not s.interactive:
        choices = ", ".join(item.id for item in items)
        raise UsageError(t("error.missing_option", s.lang, flag=flag, what=t(what, s.lang), choices=choices))
    from gialai_remote.cli.prompt import choose

    found = matcher(kb, kind, s.lang)
    explain = None
    if kind == "roles":
        from gialai_remote.cli import desk

        def explain(answer: str) -> str | None:
            return desk.explain(answer, found.candidates, s.lang, flag=flag, numbered=True)

    return choose(
        t(f"prompt.{kind}", s.lang),
        found,
        [item.name.get(s.lang) for item in items],
        what=t(what, s.lang),
        flag=flag,
        lang=s.lang,
        empty_hint=empty_hint,
        explain=explain,
    )


def build_query(
    kb: KnowledgeBase,
    s: Settings,
    *,
    role: str | None,
    task: str | None,
    task_required: bool,
    participants: int | None,
    sensitivity: str | None,
    platform: str | None,
    no_device: bool,
    no_internet: bool,
    day: dt.date,
    flags: Mapping[str, str] | None = None,
) -> Query:
    """Turn the flags (and, on a terminal, the answers to prompts) into a :class:`Query`.

    Args:
        kb: the knowledge base the ids are resolved in.
        s: the run's settings (language, whether prompting is possible).
        role, task, sensitivity, platform: what the user typed, or None when not given.
        task_required: a missing task is asked for (``recommend``) rather than left out.
        participants: the number of people, already parsed, or None.
        no_device, no_internet: the flags of the same names.
        day: the date the advice is for, already parsed (``--date``, or today).
        flags: how messages name where each kind's value came from (``{"roles": "role"}``
            for a ``--batch`` line's key); default: its option (``--role``).

    Prompts in the letter's order: role, task, sensitivity, then for a meeting the number of
    participants. Without a terminal a missing role or task is a usage error and a missing
    sensitivity is assumed "internal" (the safe side: public apps are ruled out, section 2.3).

    Raises:
        UsageError: an id that matches nothing or several entries, or a missing answer where
            no prompt is possible (exit 2).
        Interrupted: Ctrl-C or end of input at a prompt (exit 130).
    """
    from gialai_remote.advice import Query

    lang = s.lang
    named = flags or {}
    role_id = (
        resolve_id(kb, "roles", role, lang, named.get("roles")) if role is not None else ask_or_fail(kb, "roles", s)
    )
    task_id: str | None = None
    if task is not None:
        task_id = resolve_id(kb, "tasks", task, lang, named.get("tasks"))
    elif task_required:
        task_id = ask_or_fail(kb, "tasks", s)
    assumed = False
    if sensitivity is not None:
        sensitivity_id = resolve_id(kb, "sensitivities", sensitivity, lang, named.get("sensitivities"))
    elif s.interactive:
        # Enter keeps the safe side, as without a terminal; the advice then says it assumed it.
        sensitivity_id = ask_or_fail(kb, "sensitivities", s, empty_hint="internal")
        if not sensitivity_id:
            sensitivity_id, assumed = "internal", True
    else:
        sensitivity_id, assumed = "internal", True
    if participants is None and task_id == "meeting" and s.interactive:
        from gialai_remote.cli.prompt import ask_participants

        participants = ask_participants(lang)
    platform_id = resolve_id(kb, "platforms", platform, lang, named.get("platforms")) if platform is not None else None
    return Query(
        role=role_id,
        task=task_id,
        date=day,
        participants=participants,
        sensitivity=sensitivity_id,
        sensitivity_assumed=assumed,
        platform=platform_id,
        has_device=not no_device,
        has_internet=not no_internet,
        lang=lang,
    )
