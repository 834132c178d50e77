"""``help [COMMAND...|environment]``: the help of a command, or the environment variables.

``gialai-remote help`` is ``gialai-remote --help``; ``help check`` is ``check --help``;
``help tools show`` the sub-command's; ``help environment`` lists every variable the tool
reads (:mod:`.environment`). An unknown topic is a usage error with the closest names.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, Optional

import typer

from gialai_remote.cli.context import finish, print_lines, settings
from gialai_remote.cli.options import LangOption
from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import t

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

#: What ``help environment`` may be typed as.
ENVIRONMENT = ("environment", "env", "environ", "variables", "moi-truong", "bien-moi-truong")


@commands.command("help", help="help.help", epilog="help.help.epilog")
def help_command(
    ctx: typer.Context,
    topic: Annotated[
        Optional[list[str]], typer.Argument(metavar="COMMAND|environment", help="help.arg.help_topic")
    ] = None,
    lang: LangOption = None,
) -> None:
    """help.help"""
    s = settings(ctx, None, lang)
    words = [w.strip() for w in topic or () if w.strip()]
    if words and len(words) == 1 and words[0].lower() in ENVIRONMENT:
        finish(ExitCode.OK, lambda: print_lines(_environment_lines(s.lang)))
    root = ctx.find_root()
    command: Any = root.command
    context: Any = root
    for word in words:
        sub = command.get_command(context, word) if hasattr(command, "get_command") else None
        if sub is None or getattr(sub, "hidden", False):
            raise UsageError(_unknown(command, context, word, s.lang))
        context = sub.make_context(word, [], parent=context, resilient_parsing=True)
        command = sub
    text = context.get_help()

    def write() -> None:
        sys.stdout.write(text + "\n")

    finish(ExitCode.OK, write)


def _unknown(command: Any, context: Any, word: str, lang: str) -> str:
    """The message for a topic that names no command, with the closest commands."""
    from gialai_remote.cli.match import suggest

    names = [n for n in command.list_commands(context) if n != "help"] if hasattr(command, "list_commands") else []
    message = t("error.no_such_topic", lang, topic=word[:40], commands=", ".join(names))
    close = suggest(word, [*names, "environment"])
    return message + (" " + t("match.did_you_mean", lang, names=", ".join(close)) if close else "")


def _environment_lines(lang: str) -> list[Any]:
    """``help environment``: a title, then each variable, its meaning and who reads it."""
    from gialai_remote.cli.environment import VARIABLES
    from gialai_remote.render.text.lines import Line, line

    lines: list[Line] = [line((t("env.title", lang), "bold"))]
    for variable in VARIABLES:
        lines += [
            Line(),
            line((", ".join((variable.name, *variable.also)), "bold")),
            line(variable.meaning(lang), indent=2),
            line((t("env.reader", lang, reader=variable.reader), "dim"), indent=2),
        ]
    return lines
