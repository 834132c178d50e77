"""The start-up floor: a minimal Typer app with the same options as ``gialai-remote recommend``.

It parses the same command line as ``recommend`` (a root callback with ``--data`` and
``--lang``, a ``recommend`` command with every option of ours) and prints one constant line.
Nothing of ours is imported, so timing it with the same interpreter and the same installed
typer shows what the framework alone costs; ``benchmarks/startup.py`` divides our times by it.

    python benchmarks/floor_app.py recommend --role agency-staff --task meeting --no-input --format json
    python benchmarks/floor_app.py --rich recommend --role agency-staff --task meeting --no-input

With ``--rich`` (given before the command) the line is printed through a ``rich`` Console, the
floor of our text output; without it, with ``print`` (the floor of ``--format json``).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="floor-app",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

LINE = '{"schema_version": 1, "floor": true}'


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", help="Show the version.")] = False,
    data: Annotated[Optional[str], typer.Option("--data", metavar="PATH", help="Knowledge base.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", metavar="vi|en", help="Language.")] = None,
    rich: Annotated[bool, typer.Option("--rich", help="Print through a rich Console.")] = False,
) -> None:
    """A minimal app with the options of gialai-remote."""
    ctx.obj = {"rich": rich}


@app.command("recommend")
def recommend(
    ctx: typer.Context,
    role: Annotated[Optional[str], typer.Option("--role", "-r", metavar="ROLE", help="Role.")] = None,
    task: Annotated[Optional[str], typer.Option("--task", "-t", metavar="TASK", help="Task.")] = None,
    participants: Annotated[Optional[str], typer.Option("--participants", "-n", metavar="N", help="People.")] = None,
    sensitivity: Annotated[Optional[str], typer.Option("--sensitivity", "-s", help="Sensitivity.")] = None,
    platform: Annotated[Optional[str], typer.Option("--platform", "-p", metavar="PLATFORM", help="Platform.")] = None,
    no_device: Annotated[bool, typer.Option("--no-device", help="No device.")] = False,
    no_internet: Annotated[bool, typer.Option("--no-internet", help="No Internet.")] = False,
    date: Annotated[Optional[str], typer.Option("--date", metavar="YYYY-MM-DD", help="Date.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", metavar="text|json", help="Format.")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    data: Annotated[Optional[str], typer.Option("--data", metavar="PATH", help="Knowledge base.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", metavar="vi|en", help="Language.")] = None,
) -> None:
    """Print one constant line."""
    if ctx.find_root().obj.get("rich"):
        from rich.console import Console

        Console(markup=False, emoji=False, highlight=False, soft_wrap=True).print(LINE)
    else:
        print(LINE)


if __name__ == "__main__":
    app()
