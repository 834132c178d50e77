"""The Typer application and the options every command shares.

Commands live in their own modules (``recommend``, ``browse``, ``handout``, ``doctor`` ...)
and register themselves on :data:`app`. Help texts are catalogue keys; :mod:`.main` swaps
them for the user's language before the command line is parsed.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from gialai_remote.cli import complete
from gialai_remote.cli.lazy import LazyGroup


class AppGroup(LazyGroup):
    """The root group of :data:`app`: its commands are imported and built on first use."""

    def typer_app(self) -> typer.Typer:
        """:data:`app`, whose registered commands this group builds."""
        return app


app = typer.Typer(
    name="gialai-remote",
    help="help.app",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Commands are imported when used, not at start-up (see cli/lazy.py and cli/commands.py).
    cls=AppGroup,
)

# Options every command takes (CONTRACT.md, "Options every command takes"). A flag beats its
# environment variable. Their values are read in :func:`gialai_remote.cli.context.settings`.
DataOption = Annotated[
    Optional[str],
    typer.Option("--data", metavar="PATH", help="help.opt.data"),
]
LangOption = Annotated[
    Optional[str],
    typer.Option("--lang", metavar="vi|en", help="help.opt.lang", autocompletion=complete.langs),
]
NoInputOption = Annotated[
    bool,
    typer.Option("--no-input", help="help.opt.no_input"),
]
DateOption = Annotated[
    Optional[str],
    typer.Option("--date", metavar="YYYY-MM-DD", help="help.opt.date"),
]


#: ``--format text|json``, the output option of every command that has no document form.
FormatOption = Annotated[
    Optional[str],
    typer.Option("--format", "-f", metavar="text|json", help="help.opt.format", autocompletion=complete.formats),
]


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", help="help.opt.version")] = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    """help.app"""
    # Options given before the command apply to it unless it repeats them.
    ctx.obj = {"data": data, "lang": lang}
    if version:
        from gialai_remote.cli.context import print_version

        print_version(ctx, data, lang)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        # sys.stdout, not typer.echo: see cli/streams.py (ASCII terminals get unaccented text).
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(0)
