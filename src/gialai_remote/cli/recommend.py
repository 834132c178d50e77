"""``recommend`` and ``check``: collect the query (from flags or prompts) and hand it to the core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from gialai_remote.cli import complete
from gialai_remote.cli.app import DataOption, DateOption, FormatOption, LangOption, NoInputOption, app
from gialai_remote.cli.context import (
    Settings,
    check_format,
    finish,
    load_kb,
    parse_date,
    parse_participants,
    print_json,
    print_lines,
    settings,
)
from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import t
from gialai_remote.match import Candidate, resolve

if TYPE_CHECKING:
    from gialai_remote.advice import Query
    from gialai_remote.model import KnowledgeBase

#: The vocabularies a flag may name, with the flag and the catalogue key of the kind's name.
KINDS = {
    "roles": ("--role", "kind.role"),
    "tasks": ("--task", "kind.task"),
    "sensitivities": ("--sensitivity", "kind.sensitivity"),
    "platforms": ("--platform", "kind.platform"),
    "tools": ("--tool", "kind.tool"),
}

# Tab completion of ids comes from the active knowledge base (see cli/complete.py).
RoleOption = Annotated[
    Optional[str],
    typer.Option("--role", "-r", metavar="ROLE", help="help.opt.role", autocompletion=complete.roles),
]
TaskOption = Annotated[
    Optional[str],
    typer.Option("--task", "-t", metavar="TASK", help="help.opt.task", autocompletion=complete.tasks),
]
ParticipantsOption = Annotated[
    Optional[str], typer.Option("--participants", "-n", metavar="N", help="help.opt.participants")
]
SensitivityOption = Annotated[
    Optional[str],
    typer.Option(
        "--sensitivity",
        "-s",
        metavar="normal|internal|secret",
        help="help.opt.sensitivity",
        autocompletion=complete.sensitivities,
    ),
]
PlatformOption = Annotated[
    Optional[str],
    typer.Option("--platform", "-p", metavar="PLATFORM", help="help.opt.platform", autocompletion=complete.platforms),
]
NoDeviceOption = Annotated[bool, typer.Option("--no-device", help="help.opt.no_device")]
NoInternetOption = Annotated[bool, typer.Option("--no-internet", help="help.opt.no_internet")]


def candidates(kb: KnowledgeBase, kind: str, lang: str) -> list[Candidate]:
    """The entries of vocabulary ``kind`` ("roles", "tasks", ...) as match candidates."""
    items = kb.tools if kind == "tools" else getattr(kb, kind)
    return [
        Candidate(
            id=item.id,
            label=f"{item.id} ({item.name.get(lang)})",
            spellings=(item.name.vi, item.name.en, *item.aliases),
        )
        for item in items
    ]


def resolve_id(kb: KnowledgeBase, kind: str, value: str, lang: str, flag: str | None = None) -> str:
    """Resolve what the user typed for ``kind`` to a canonical id. Raises UsageError.

    ``flag`` names where the value came from in messages (default: the kind's option, e.g.
    "--tool"; "TOOL" for a positional argument).
    """
    default_flag, what = KINDS[kind]
    return resolve(value, candidates(kb, kind, lang), what=t(what, lang), flag=flag or default_flag, lang=lang)


def ask_or_fail(
    kb: KnowledgeBase, kind: str, s: Settings, flag: str | None = None, empty_hint: str | None = None
) -> str:
    """Prompt for ``kind`` when possible; otherwise a usage error naming the flag and choices.

    With ``empty_hint`` an empty answer is allowed and returns "" (see ``prompt.choose``).
    """
    default_flag, what = KINDS[kind]
    flag = flag or default_flag
    items = getattr(kb, kind)
    if not s.interactive:
        choices = ", ".join(item.id for item in items)
        raise UsageError(t("error.missing_option", s.lang, flag=flag, what=t(what, s.lang), choices=choices))
    from gialai_remote.cli.prompt import choose

    return choose(
        t(f"prompt.{kind}", s.lang),
        candidates(kb, kind, s.lang),
        [item.name.get(s.lang) for item in items],
        what=t(what, s.lang),
        flag=flag,
        lang=s.lang,
        empty_hint=empty_hint,
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
    date: str | None,
) -> Query:
    """Turn the flags (and, on a terminal, the answers to prompts) into a :class:`Query`.

    Prompts in the letter's order: role, task, sensitivity, then for a meeting the number of
    participants. Without a terminal a missing role or task is a usage error and a missing
    sensitivity is assumed "internal" (the safe side: public apps are ruled out).
    """
    from gialai_remote.advice import Query

    lang = s.lang
    day = parse_date(date, lang)
    role_id = resolve_id(kb, "roles", role, lang) if role is not None else ask_or_fail(kb, "roles", s)
    task_id: str | None = None
    if task is not None:
        task_id = resolve_id(kb, "tasks", task, lang)
    elif task_required:
        task_id = ask_or_fail(kb, "tasks", s)
    assumed = False
    if sensitivity is not None:
        sensitivity_id = resolve_id(kb, "sensitivities", sensitivity, lang)
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
    platform_id = resolve_id(kb, "platforms", platform, lang) if platform is not None else None
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


@app.command("recommend", help="help.recommend", epilog="help.recommend.epilog")
def recommend(
    ctx: typer.Context,
    role: RoleOption = None,
    task: TaskOption = None,
    participants: ParticipantsOption = None,
    sensitivity: SensitivityOption = None,
    platform: PlatformOption = None,
    no_device: NoDeviceOption = False,
    no_internet: NoInternetOption = False,
    date: DateOption = None,
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format", "-f", metavar="text|json|markdown|html", help="help.opt.format", autocompletion=complete.formats
        ),
    ] = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """help.recommend"""
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, ("text", "json", "markdown", "html"), s.lang)
    count = parse_participants(participants, s.lang)
    parse_date(date, s.lang)  # a bad date is a usage error before the knowledge base is read
    kb = load_kb(s)
    query = build_query(
        kb,
        s,
        role=role,
        task=task,
        task_required=True,
        participants=count,
        sensitivity=sensitivity,
        platform=platform,
        no_device=no_device,
        no_internet=no_internet,
        date=date,
    )
    from gialai_remote.decide import decide

    advice = decide(kb, query)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import advice_dict, dumps

            print_json(dumps(advice_dict(advice)))
        elif output in ("markdown", "html"):
            from gialai_remote.cli.handout import print_advice_document

            print_advice_document(advice, output)
        else:
            from gialai_remote.render.text.advice import render_advice

            print_lines(render_advice(advice))

    finish(ExitCode.OK if advice.recommendations else ExitCode.NEGATIVE, write)


@app.command("check", help="help.check", epilog="help.check.epilog")
def check(
    ctx: typer.Context,
    tool: Annotated[
        Optional[str], typer.Option("--tool", metavar="TOOL", help="help.opt.tool", autocompletion=complete.tools)
    ] = None,
    role: RoleOption = None,
    task: TaskOption = None,
    participants: ParticipantsOption = None,
    sensitivity: SensitivityOption = None,
    platform: PlatformOption = None,
    no_device: NoDeviceOption = False,
    no_internet: NoInternetOption = False,
    date: DateOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="help.opt.quiet")] = False,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """help.check"""
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, ("text", "json"), s.lang)
    count = parse_participants(participants, s.lang)
    parse_date(date, s.lang)
    kb = load_kb(s)
    tool_id = resolve_id(kb, "tools", tool, s.lang) if tool is not None else ask_or_fail(kb, "tools", s)
    query = build_query(
        kb,
        s,
        role=role,
        task=task,
        task_required=False,
        participants=count,
        sensitivity=sensitivity,
        platform=platform,
        no_device=no_device,
        no_internet=no_internet,
        date=date,
    )
    from gialai_remote.decide import check as check_plan

    result = check_plan(kb, query, tool_id)

    def write() -> None:
        if quiet:
            return
        if output == "json":
            from gialai_remote.render.json import check_dict, dumps

            print_json(dumps(check_dict(result)))
        else:
            from gialai_remote.render.text.advice import render_check

            print_lines(render_check(result))

    finish(ExitCode.OK if result.allowed else ExitCode.NEGATIVE, write)
