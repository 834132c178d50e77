"""``setup``: a printable one-page handout for a tool, or the whole set for a training day.

The command only resolves what the user typed, asks the core for a
:class:`gialai_remote.handout.Handout` (or, with ``--all``, a
:class:`gialai_remote.handout.HandoutSet`), picks a renderer and writes the result to stdout
or, atomically, to ``--output`` (:mod:`.output`):

- ``--output FILE``: that file; without ``--format`` the format follows its extension
  (``.html``/``.htm``, ``.md``/``.markdown``, ``.txt``; an unknown extension is a usage error,
  never a guess), and a ``--format`` that contradicts the extension is a usage error.
- ``--output DIR/`` (a trailing separator, or an existing folder): into that folder, the file
  named by the tool's id (``DIR/polycom.html``).
- ``--all --output DIR``: every tool's sheet (``DIR/TOOL.EXT``) and ``DIR/index.EXT`` linking
  them, the whole set or nothing (:func:`gialai_remote.cli.output.write_set`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

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
    shown,
)
from gialai_remote.cli.options import DataOption, DateOption, LangOption, NoCacheOption, NoInputOption
from gialai_remote.cli.query import ask_or_fail, resolve_id
from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import t

if TYPE_CHECKING:
    import datetime as dt

    from gialai_remote.handout import Handout, HandoutSet
    from gialai_remote.model import KnowledgeBase

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

FORMATS = ("text", "markdown", "html")
#: What a file's extension says its format is (lower case).
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
#: The extension of each format's files, in a folder (``--output DIR/``, ``--all``).
SUFFIXES = {"html": ".html", "markdown": ".md", "text": ".txt"}
#: The index page's name in a set, without its extension.
INDEX = "index"


def output_format(fmt: str | None, output: str | None, folder: bool, lang: str) -> str:
    """The handout's format: ``--format``, else what ``--output``'s extension says, else text.

    Args:
        fmt: ``--format`` as typed, or None.
        output: ``--output`` as typed, or None.
        folder: ``output`` names a folder (then its name says nothing about the format).
        lang: message language.

    Raises:
        UsageError: an unknown ``--format``; a ``--format`` that contradicts the file's
            extension; an extension with no known format and no ``--format`` (exit 2).
    """
    chosen = check_format(fmt, FORMATS, lang) if fmt is not None else None
    if output is None or output == "-" or folder:
        return chosen or "text"
    extension = os.path.splitext(output)[1]
    implied = EXTENSIONS.get(extension.lower())
    if chosen is not None and implied is not None and chosen != implied:
        raise UsageError(t("error.format_conflict", lang, format=chosen, path=shown(output), implied=implied))
    if chosen is not None:
        return chosen
    if implied is not None:
        return implied
    if extension:
        raise UsageError(t("error.unknown_extension", lang, extension=shown(extension)[:20], path=shown(output)))
    return "text"


def _document(handout: Handout, fmt: str) -> str | None:
    """The handout as an HTML or Markdown document; None for text (printed as rich lines)."""
    if fmt == "html":
        from gialai_remote.render.html import render_handout as render_html

        return render_html(handout)
    if fmt == "markdown":
        from gialai_remote.render.markdown import render_handout as render_markdown

        return render_markdown(handout)
    return None


def _file_text(handout: Handout, fmt: str) -> str:
    """The handout as a file's text in ``fmt`` (plain text: the lines, unstyled)."""
    document = _document(handout, fmt)
    if document is not None:
        return document
    from gialai_remote.render.text.handout import render_handout as render_text

    return "\n".join(line.plain for line in render_text(handout)) + "\n"


def _index_text(hs: HandoutSet, files: dict[str, str], fmt: str) -> str:
    """The set's index page in ``fmt``, linking each tool to its file."""
    if fmt == "html":
        from gialai_remote.render.html import render_index

        return render_index(hs, files)
    if fmt == "markdown":
        from gialai_remote.render.markdown import render_index as render_markdown_index

        return render_markdown_index(hs, files)
    from gialai_remote.render.text.handout import render_index as render_text_index

    return "\n".join(line.plain for line in render_text_index(hs, files)) + "\n"


@commands.command("setup", help="help.setup", epilog="help.setup.epilog")
def setup(
    ctx: typer.Context,
    tool: Annotated[
        Optional[str],
        typer.Argument(metavar="TOOL", help="help.arg.setup_tool", show_default=False, autocompletion=complete.tools),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="help.opt.all")] = False,
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
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", metavar="FILE|DIR/", help="help.opt.output")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="help.opt.force")] = False,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.setup"""
    from gialai_remote.cli.output import STDOUT, check_target, is_folder

    s = settings(ctx, data, lang, no_input)
    if every:
        if tool is not None:
            raise UsageError(t("error.all_and_tool", s.lang, tool=shown(tool)[:40]))
        if output is None or output == STDOUT or not output.strip():
            raise UsageError(t("error.all_needs_folder", s.lang))
    folder = every or (output is not None and is_folder(output))
    output_fmt = output_format(fmt, output, folder, s.lang)
    day = parse_date(date, s.lang)
    if output is not None and not folder:
        check_target(output, force=force, lang=s.lang)  # refuse before any work; the file stays untouched
    kb = load_kb(s)
    check_advice_date(kb, day, s.lang)
    platform_id = resolve_id(kb, "platforms", platform, s.lang) if platform is not None else None
    if every:
        assert output is not None
        _write_set(kb, output, output_fmt, day, platform_id, force, s.lang)
    if tool is not None:
        tool_id = resolve_id(kb, "tools", tool, s.lang, flag="TOOL")
    else:
        tool_id = ask_or_fail(kb, "tools", s, flag="TOOL")
    from gialai_remote.handout import build_handout

    handout = build_handout(kb, tool_id, date=day, lang=s.lang, platform=platform_id)

    if output is not None and output != STDOUT:
        from gialai_remote.cli.output import write_atomic, written_note

        target = os.path.join(output, tool_id + SUFFIXES[output_fmt]) if folder else output
        write_atomic(target, _file_text(handout, output_fmt).encode("utf-8"), force=force, lang=s.lang)
        typer.echo(written_note(target, s.lang), err=True)
        finish(ExitCode.OK, lambda: None)

    document = _document(handout, output_fmt)

    def write() -> None:
        if document is not None:
            print_bytes(document.encode("utf-8"))
        else:
            from gialai_remote.render.text.handout import render_handout as render_text

            print_lines(render_text(handout))

    finish(ExitCode.OK, write)


def _write_set(
    kb: KnowledgeBase, output: str, fmt: str, day: dt.date, platform: str | None, force: bool, lang: str
) -> NoReturn:
    """``setup --all``: every tool's sheet and the index into the folder ``output``, the whole
    set or nothing (:func:`gialai_remote.cli.output.write_set`); ends the command.

    Raises:
        UsageError, Terminated, KeyboardInterrupt: as :func:`~gialai_remote.cli.output.write_set`.
        typer.Exit: always, with exit code 0 once written.
    """
    from gialai_remote.cli.output import write_set
    from gialai_remote.handout import build_handouts

    hs = build_handouts(kb, date=day, lang=lang, platform=platform)
    suffix = SUFFIXES[fmt]
    files = {ho.tool: ho.tool + suffix for ho in hs.handouts}
    index = INDEX + suffix
    if index in files.values():  # a tool with the index's id: the index takes another name
        index = f"{INDEX}-all{suffix}"
    # Everything is rendered before the first byte is written.
    contents = [(files[ho.tool], _file_text(ho, fmt).encode("utf-8")) for ho in hs.handouts]
    contents.append((index, _index_text(hs, files, fmt).encode("utf-8")))
    write_set(output, contents, force=force, lang=lang)
    base = output.rstrip(os.sep + (os.altsep or "")) or output
    note = t(
        "note.output_written_all",
        lang,
        count=len(contents),
        folder=shown(output),
        index=shown(os.path.join(base, index)),
    )
    typer.echo(note, err=True)
    finish(ExitCode.OK, lambda: None)
