"""The options every command shares (docs/contract.md, "Options every command takes").

A flag beats its environment variable; the values are read in
:func:`gialai_remote.cli.context.settings`. Help texts are catalogue keys, translated by
:mod:`.helptext` before the command line is parsed. The command modules import these from
here rather than from :mod:`.app`, so that no command module imports the application (whose
group imports the command modules: :mod:`.lazy`).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gialai_remote.cli import complete

#: ``--data PATH``, given once or more: a knowledge base, or a stack of a base and its layers
#: (later wins; docs/layers.md). Not single-valued, so repeating it is no conflict (.repeats).
DataOption = Annotated[
    Optional[list[str]],
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
#: ``--no-cache``: read and check the knowledge base without the cache (docs/usage.md). Not in
#: the help (a troubleshooting switch; the help and its translations stay as they are).
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", hidden=True),
]
DateOption = Annotated[
    Optional[str],
    typer.Option("--date", metavar="DATE", help="help.opt.date"),
]

#: ``--format text|json``, the output option of every command that has no document form.
FormatOption = Annotated[
    Optional[str],
    typer.Option("--format", "-f", metavar="text|json", help="help.opt.format", autocompletion=complete.formats),
]
