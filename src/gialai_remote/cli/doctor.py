"""``doctor``: can this machine reach the meeting servers the letter names?

Parses the options, resolves ``--tool`` names like ``check`` does, runs
:func:`gialai_remote.doctor.run_doctor` and picks a renderer. The only command that opens a
network connection.
"""

from __future__ import annotations

import math
import sys
from typing import Annotated, Optional

import typer

from gialai_remote.cli import complete
from gialai_remote.cli.context import (
    _isatty,
    check_format,
    finish,
    load_kb,
    parse_number,
    print_json,
    print_lines,
    settings,
)
from gialai_remote.cli.options import DataOption, FormatOption, LangOption, NoCacheOption, NoInputOption
from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import t

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

#: The accepted range of ``--timeout``, in seconds.
TIMEOUT_MIN = 0.1
TIMEOUT_MAX = 60.0


def parse_timeout(value: str | None, lang: str) -> float:
    """``--timeout``: seconds per step, from 0.1 to 60 ("5", "2.5", "2,5", "05"); 5 when not
    given. Numbers follow the rule of every option (``cli.context.parse_number``): ASCII
    digits, leading zeros allowed, one decimal mark; no sign, exponent or other scripts' digits.

    Raises:
        UsageError: not such a number, or not in that range.
    """
    from gialai_remote.doctor import DEFAULT_TIMEOUT

    if value is None:
        return DEFAULT_TIMEOUT
    number = parse_number(value, decimal=True)
    seconds = math.nan if number is None else float(number)
    if not math.isfinite(seconds) or not TIMEOUT_MIN <= seconds <= TIMEOUT_MAX:
        raise UsageError(t("error.bad_timeout", lang, value=value, min=f"{TIMEOUT_MIN:g}", max=f"{TIMEOUT_MAX:g}"))
    return seconds


@commands.command("doctor", help="help.doctor", epilog="help.doctor.epilog")
def doctor(
    ctx: typer.Context,
    tool: Annotated[
        Optional[list[str]],
        typer.Option("--tool", metavar="TOOL", help="help.opt.doctor_tool", autocompletion=complete.tools),
    ] = None,
    timeout: Annotated[Optional[str], typer.Option("--timeout", metavar="SECONDS", help="help.opt.timeout")] = None,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.doctor"""
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, ("text", "json"), s.lang)
    seconds = parse_timeout(timeout, s.lang)
    kb = load_kb(s)
    from gialai_remote.cli.query import resolve_id

    tool_ids = [resolve_id(kb, "tools", name, s.lang) for name in tool or ()]
    from gialai_remote.doctor import default_bound, run_doctor

    if output == "text" and _isatty(sys.stderr):
        typer.echo(t("doctor.progress", s.lang, bound=f"{default_bound(seconds):g}"), err=True)
    report = run_doctor(kb, tool_ids or None, timeout=seconds, lang=s.lang)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import dumps
            from gialai_remote.render.json_doctor import report_dict

            print_json(dumps(report_dict(report)))
        else:
            from gialai_remote.render.text.doctor import render_report

            print_lines(render_report(report))

    finish(ExitCode.OK if report.passed else ExitCode.NEGATIVE, write)
