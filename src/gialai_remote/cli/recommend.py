"""``recommend`` and ``check``: collect the query (:mod:`.query`) and hand it to the core.

Also the Markdown and HTML documents of ``recommend --format markdown|html``.
"""

# No ``from __future__ import annotations`` here: typer reads the commands' signatures
# (``typing.get_type_hints``) twice a run, and string annotations are compiled each time
# (about 1.5 ms of start-up for ``recommend``'s 16 options, issue 16).
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer

from gialai_remote.cli import complete
from gialai_remote.cli.context import (
    check_advice_date,
    check_format,
    finish,
    load_kb,
    parse_date,
    parse_participants,
    print_bytes,
    print_json,
    print_lines,
    settings,
)
from gialai_remote.cli.options import DataOption, DateOption, FormatOption, LangOption, NoCacheOption, NoInputOption
from gialai_remote.cli.query import ask_or_fail, build_query, resolve_id
from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import t

if TYPE_CHECKING:
    from gialai_remote.advice import Advice, Query
    from gialai_remote.cli.context import Settings
    from gialai_remote.model import KnowledgeBase

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

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
BatchOption = Annotated[Optional[str], typer.Option("--batch", metavar="FILE|-", help="help.opt.batch")]
#: ``--verbose``: the detail the text output shortens (every excluded tool with its reasons,
#: the notices in full). JSON always carries everything.
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="help.opt.verbose")]


def advice_document(advice: "Advice", fmt: str, verbose: bool = False) -> str:
    """The advice of ``recommend`` as a Markdown (``fmt`` "markdown") or HTML ("html") document;
    ``verbose`` lists the excluded tools one by one instead of by cause."""
    if fmt == "html":
        from gialai_remote.render.html import render_advice as render_html

        return render_html(advice, verbose)
    from gialai_remote.render.markdown import render_advice as render_markdown

    return render_markdown(advice, verbose)


@commands.command("recommend", help="help.recommend", epilog="help.recommend.epilog")
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
    batch: BatchOption = None,
    verbose: VerboseOption = False,
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            "-f",
            metavar="text|json|markdown|html",
            help="help.opt.recommend_format",
            autocompletion=complete.formats,
        ),
    ] = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.recommend"""
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, ("text", "json", "markdown", "html"), s.lang)
    if batch is not None:
        values = {"role": role, "task": task, "participants": participants, "sensitivity": sensitivity}
        values |= {"platform": platform, "date": date}
        _batch(s, "recommend", batch, output, fmt, values, no_device, no_internet, quiet=False)
    count = parse_participants(participants, s.lang)
    day = parse_date(date, s.lang)  # a bad date is a usage error before the knowledge base is read
    kb = load_kb(s)
    check_advice_date(kb, day, s.lang)
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
        day=day,
    )
    from gialai_remote.decide import decide

    advice = decide(kb, query)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import advice_dict, dumps

            print_json(dumps(advice_dict(advice)))
        elif output in ("markdown", "html"):
            print_bytes(advice_document(advice, output, verbose).encode("utf-8"))
        else:
            from gialai_remote.render.text.advice import render_advice

            print_lines(render_advice(advice, verbose))

    finish(ExitCode.OK if advice.recommendations else ExitCode.NEGATIVE, write)


@commands.command("check", help="help.check", epilog="help.check.epilog")
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
    batch: BatchOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="help.opt.quiet")] = False,
    verbose: VerboseOption = False,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.check"""
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, ("text", "json"), s.lang)
    if batch is not None:
        values = {"tool": tool, "role": role, "task": task, "participants": participants, "sensitivity": sensitivity}
        values |= {"platform": platform, "date": date}
        _batch(s, "check", batch, output, fmt, values, no_device, no_internet, quiet=quiet)
    count = parse_participants(participants, s.lang)
    day = parse_date(date, s.lang)
    kb = load_kb(s)
    check_advice_date(kb, day, s.lang)
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
        day=day,
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

            print_lines(render_check(result, verbose))

    finish(ExitCode.OK if result.allowed else ExitCode.NEGATIVE, write)


def _respond_check(kb: "KnowledgeBase", query: "Query", tool: str | None) -> tuple[int, dict[str, Any]]:
    """One ``check --batch`` line's exit code and JSON object (``check --format json``'s)."""
    from gialai_remote.decide import check as check_plan
    from gialai_remote.render.json import check_dict

    assert tool is not None  # the batch requires the key
    result = check_plan(kb, query, tool)
    return (ExitCode.OK if result.allowed else ExitCode.NEGATIVE), check_dict(result)


def _respond_recommend(kb: "KnowledgeBase", query: "Query", tool: str | None) -> tuple[int, dict[str, Any]]:
    """One ``recommend --batch`` line's exit code and JSON object (``recommend --format json``'s)."""
    from gialai_remote.decide import decide
    from gialai_remote.render.json import advice_dict

    advice = decide(kb, query)
    return (ExitCode.OK if advice.recommendations else ExitCode.NEGATIVE), advice_dict(advice)


def _batch(
    s: "Settings",
    command: str,
    source: str,
    output: str,
    fmt: str | None,
    values: dict[str, str | None],
    no_device: bool,
    no_internet: bool,
    *,
    quiet: bool,
) -> NoReturn:
    """Run ``--batch``: JSON Lines in and out (:mod:`.batch`); ends the command.

    Raises:
        UsageError: ``--format`` other than json, or the input cannot be read (exit 2).
        typer.Exit: always, with the worst exit code of the lines.
    """
    from gialai_remote.cli.batch import Defaults, run

    if fmt is not None and output != "json":
        raise UsageError(t("error.batch_format", s.lang, value=fmt))
    kb = load_kb(s)
    respond = _respond_check if command == "check" else _respond_recommend
    defaults = Defaults(values=values, no_device=no_device, no_internet=no_internet)
    raise typer.Exit(run(kb, s, command, source, defaults, respond, quiet=quiet))
