"""The Typer application: the root command, its ``--version``, and the group of commands.

Commands live in their own modules (``recommend``, ``browse``, ``handout``, ``doctor`` ...),
each registering them on its own ``commands`` Typer; the root group imports a module only
when one of its commands is used (:mod:`.lazy`, :mod:`.commands`). The shared options are in
:mod:`.options`. Help texts are catalogue keys; :mod:`.helptext` swaps them for the user's
language before the command line is parsed.
"""

# No ``from __future__ import annotations`` here: typer reads the root callback's signature
# (``typing.get_type_hints``) twice a run, compiling string annotations each time (issue 16).
import sys
from typing import Annotated, Optional

import typer

from gialai_remote.cli.lazy import LazyGroup
from gialai_remote.cli.options import DataOption, LangOption, NoCacheOption


class AppGroup(LazyGroup):
    """The root group of :data:`app`: its commands are imported and built on first use."""

    def typer_app(self) -> typer.Typer:
        """:data:`app`, whose settings the commands are built with."""
        return app


app = typer.Typer(
    name="gialai-remote",
    help="help.app",
    epilog="help.app.epilog",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Commands are imported when used, not at start-up (see cli/lazy.py and cli/commands.py).
    cls=AppGroup,
)


@app.callback(invoke_without_command=True, epilog="help.app.epilog")
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", help="help.opt.version")] = False,
    fmt: Annotated[
        Optional[str], typer.Option("--format", "-f", metavar="text|json", help="help.opt.version_format")
    ] = None,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.app"""
    # Options given before the command apply to it unless it repeats them.
    ctx.obj = {"data": data, "lang": lang, "no_cache": no_cache}
    if version:
        from gialai_remote.cli.context import print_version

        print_version(ctx, data, lang, fmt)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        # sys.stdout, not typer.echo: see cli/streams.py (ASCII terminals get unaccented text).
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(0)
