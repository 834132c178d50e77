"""``layer init PATH``: write a small, commented layer file for an agency to fill in.

The file (``docs/layers.md``) extends the built-in knowledge base, is dated today in Vietnam,
and holds one example contact attached to a tool: it validates as written (``validate
--strict`` too), so the agency can change it step by step and check it after each change.
It is written as every ``--output`` is (:func:`gialai_remote.cli.output.write_atomic`): whole or
not at all, never through a symbolic link, and never over an existing file.
"""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from gialai_remote.cli.context import settings, shown
from gialai_remote.cli.options import LangOption, NoInputOption
from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import t

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

layer_app = typer.Typer(
    name="layer",
    help="help.layer",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
commands.add_typer(layer_app, name="layer")


def template(name: str, date: str, lang: str) -> str:
    """The text of a new layer named ``name``, dated ``date`` (YYYY-MM-DD), commented in ``lang``."""
    return t("layer.template", lang, name=name.replace('"', "'"), date=date)


@layer_app.command("init", help="help.layer.init", epilog="help.layer.init.epilog")
def init(
    ctx: typer.Context,
    path: Annotated[
        Optional[str], typer.Argument(metavar="PATH", help="help.arg.layer_path", show_default=False)
    ] = None,
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="help.opt.layer_name")] = None,
    no_input: NoInputOption = False,
    lang: LangOption = None,
) -> None:
    """help.layer.init"""
    from gialai_remote.cli.output import write_atomic, written_note
    from gialai_remote.dates import vietnam_today

    s = settings(ctx, None, lang, no_input)
    if path is None or not path.strip() or path == "-" or os.path.isdir(path):
        # a layer is a file the agency keeps: not stdout ("-"), not a folder, not an empty name
        raise UsageError(t("error.layer_path", s.lang))
    if os.path.lexists(path):  # said plainly here: there is no --force for a layer (write_atomic refuses too)
        raise UsageError(t("error.layer_exists", s.lang, path=shown(path)))
    chosen = (name or "").strip() or t("layer.default_name", s.lang)
    text = template(" ".join(chosen.split()), vietnam_today().isoformat(), s.lang)
    write_atomic(path, text.encode("utf-8"), force=False, lang=s.lang)
    typer.echo(written_note(path, s.lang), err=True)
    raise typer.Exit(ExitCode.OK)
