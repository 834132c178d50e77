"""The entry point: the one place where errors become exit codes.

``main()`` prepares the output streams (a terminal that cannot print Vietnamese gets it
without diacritics, and a note on stderr), translates the help texts, runs the Typer app in
non-standalone mode and maps every outcome to a code of CONTRACT.md: usage errors 2, a broken
knowledge base 3, Ctrl-C and end of input 130, a closed pipe quietly.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from gialai_remote.errors import ExitCode, GialaiError, KnowledgeBaseError
from gialai_remote.i18n import resolve_lang, t

_FOLD_HANDLER = "gialai-remote-fold"
_folded = False


def _fold_errors(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: write what the encoding cannot as the nearest it can.

    Tries the decomposed form first (cp1258 has the combining tone marks but not every
    composed letter), then the letters without their marks, then "?".
    """
    global _folded
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    _folded = True
    out = []
    for ch in exc.object[exc.start : exc.end]:
        for candidate in (unicodedata.normalize("NFD", ch), _strip_marks(ch), "?"):
            try:
                candidate.encode(exc.encoding)
            except UnicodeEncodeError:
                continue
            out.append(candidate)
            break
    return "".join(out), exc.end


def _strip_marks(ch: str) -> str:
    from gialai_remote.match import fold

    stripped = fold(ch) if ch.strip() else ch
    if ch.isupper():
        stripped = stripped.upper()
    return stripped or "?"


def _prepare_streams() -> None:
    """Let stdout and stderr fall back to unaccented text instead of raising."""
    codecs.register_error(_FOLD_HANDLER, _fold_errors)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            "ệđ€".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            try:
                reconfigure(errors=_FOLD_HANDLER)
            except (ValueError, OSError):  # pragma: no cover - a closed or detached stream
                pass


def _prescan_lang(args: Sequence[str]) -> str:
    """The language for help texts and early errors, read before the parser runs."""
    flag = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            flag = args[i + 1]
        elif arg.startswith("--lang="):
            flag = arg.split("=", 1)[1]
    return resolve_lang(flag, os.environ) or "vi"


def _localize(command: Any, lang: str) -> None:
    """Replace catalogue keys in help texts with their text in ``lang``, recursively."""
    from gialai_remote.catalogue import MESSAGES

    def tr(value: Any) -> Any:
        return t(value, lang) if isinstance(value, str) and value in MESSAGES else value

    command.help = tr(command.help)
    command.short_help = tr(getattr(command, "short_help", None))
    command.epilog = tr(getattr(command, "epilog", None))
    for param in getattr(command, "params", ()):
        if hasattr(param, "help"):
            param.help = tr(param.help)
    for sub in getattr(command, "commands", {}).values():
        _localize(sub, lang)


def _usage_message(exc: Any, lang: str) -> str:
    """One line for a parser error, in ``lang`` where the catalogue has the wording."""
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        return t("error.no_such_option", lang, option=exc.option_name)
    if kind == "NoArgsIsHelpError":
        return t("error.no_command", lang)
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if kind == "UsageError" and "No such command" in message:
        name = message.split("'")[1] if "'" in message else message
        return t("error.no_such_command", lang, command=name)
    if kind in ("BadOptionUsage", "BadParameter", "MissingParameter") or kind == "UsageError":
        return t("error.usage", lang, detail=message)
    return message


def _error(message: str) -> None:
    from gialai_remote.render.common import safe

    try:
        sys.stderr.write(safe(message).replace("\n", " ") + "\n" if "\n" not in message else safe(message) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def run(args: Sequence[str] | None = None) -> int:
    """Run the CLI with ``args`` (default ``sys.argv[1:]``) and return the exit code."""
    import typer
    from typer.main import get_command

    import gialai_remote.cli.commands  # noqa: F401 - registers every command on the app
    from gialai_remote.cli.app import app

    argv = list(sys.argv[1:] if args is None else args)
    lang = _prescan_lang(argv)
    command = get_command(app)
    _localize(command, lang)
    try:
        result = command.main(argv, prog_name="gialai-remote", standalone_mode=False)
        return int(result) if isinstance(result, int) else ExitCode.OK
    except typer.Exit as exc:
        return int(exc.exit_code)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            _error(str(problem))
        return ExitCode.KNOWLEDGE_BASE
    except GialaiError as exc:
        _error(exc.message)
        return int(exc.exit_code)
    except typer.Abort:
        _error(t("error.interrupted", lang))
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        _error(t("error.interrupted", lang))
        return ExitCode.INTERRUPTED
    except typer.TyperException as exc:  # the parser's usage errors
        _error(_usage_message(exc, lang))
        return ExitCode.USAGE if getattr(exc, "exit_code", 2) == 2 else int(getattr(exc, "exit_code", 2))


def main(args: Sequence[str] | None = None) -> int:
    """Console-script entry point: run, flush, and exit with the contract's code.

    A reader that closes the pipe early (``| head``) ends the run quietly: nothing on stderr,
    and the exit code the answer had (see :func:`gialai_remote.cli.context.finish`).
    """
    _prepare_streams()
    code = run(args)
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        silence_stdout()
    if _folded:
        lang = _prescan_lang(list(sys.argv[1:] if args is None else args))
        _error(t("note.folded", lang))
    return code


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so later flushes cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def cli() -> None:
    """The ``gialai-remote`` console script."""
    sys.exit(main())
