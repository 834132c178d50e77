"""``setup``: a printable one-page handout for a tool.

The command only resolves what the user typed, asks the core for a
:class:`gialai_remote.handout.Handout`, picks a renderer and writes the result to stdout or,
atomically, to ``--output FILE``.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gialai_remote.cli import complete
from gialai_remote.cli.context import (
    check_advice_date,
    check_format,
    finish,
    load_kb,
    parse_date,
    print_bytes,
    print_lines,
    settings,
)
from gialai_remote.cli.options import DataOption, DateOption, LangOption, NoInputOption
from gialai_remote.cli.query import ask_or_fail, resolve_id
from gialai_remote.errors import ExitCode

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

FORMATS = ("text", "markdown", "html")


@commands.command("setup", help="help.setup", epilog="help.setup.epilog")
def setup(
    ctx: typer.Context,
    tool: Annotated[
        Optional[str],
        typer.Argument(metavar="TOOL", help="help.arg.setup_tool", show_default=False, autocompletion=complete.tools),
    ] = None,
    platform: Annotated[
        Optional[str],
        typer.Option(
            "--platform", "-p", metavar="PLATFORM", help="help.opt.setup_platform", autocompletion=complete.platforms
        ),
    ] = None,
    date: DateOption = None,
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            "-f",
            metavar="text|markdown|html",
            help="help.opt.setup_format",
            autocompletion=complete.formats,
        ),
    ] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE", help="help.opt.output")] = None,
    force: Annotated[bool, typer.Option("--force", help="help.opt.force")] = False,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """help.setup"""
    from gialai_remote.cli.output import STDOUT, check_target

    s = settings(ctx, data, lang, no_input)
    output_format = check_format(fmt, FORMATS, s.lang)
    day = parse_date(date, s.lang)
    if output is not None:
        check_target(output, force=force, lang=s.lang)  # refuse before any work; the file stays untouched
    kb = load_kb(s)
    check_advice_date(kb, day, s.lang)
    if tool is not None:
        tool_id = resolve_id(kb, "tools", tool, s.lang, flag="TOOL")
    else:
        tool_id = ask_or_fail(kb, "tools", s, flag="TOOL")
    platform_id = resolve_id(kb, "platforms", platform, s.lang) if platform is not None else None
    from gialai_remote.handout import build_handout

    handout = build_handout(kb, tool_id, date=day, lang=s.lang, platform=platform_id)

    if output_format == "html":
        from gialai_remote.render.html import render_handout as render_html

        document: str | None = render_html(handout)
    elif output_format == "markdown":
        from gialai_remote.render.markdown import render_handout as render_markdown

        document = render_markdown(handout)
    else:
        document = None

    if output is not None and output != STDOUT:
        from gialai_remote.cli.output import write_atomic, written_note

        if document is None:
            from gialai_remote.render.text.handout import render_handout as render_text

            document = "\n".join(line.plain for line in render_text(handout)) + "\n"
        write_atomic(output, document.encode("utf-8"), force=force, lang=s.lang)
        typer.echo(written_note(output, s.lang), err=True)
        finish(ExitCode.OK, lambda: None)

    def write() -> None:
        if document is not None:
            print_bytes(document.encode("utf-8"))
        else:
            from gialai_remote.render.text.handout import render_handout as render_text

            print_lines(render_text(handout))

    finish(ExitCode.OK, write)
