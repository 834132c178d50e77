"""The entry point: the one place where errors become exit codes.

``main()`` prepares the standard streams (:mod:`.streams`), translates every help text
(:mod:`.helptext`), runs the Typer app in non-standalone mode and maps every outcome to a
code of docs/contract.md: usage errors 2, a broken knowledge base 3, Ctrl-C and end of input 130,
a bug 70 (one line, no traceback), a closed pipe quietly with the answer's code.
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import sys
from collections.abc import Sequence
from typing import Any

from gialai_remote.cli import helptext, repeats, streams
from gialai_remote.errors import ExitCode, GialaiError, KnowledgeBaseError
from gialai_remote.i18n import resolve_lang, t


def _error(message: str) -> None:
    """Write ``message`` to stderr, each line made terminal-safe; never raise."""
    from gialai_remote.render.words import safe

    try:
        for line in message.splitlines() or [""]:
            sys.stderr.write(safe(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


class _Errors:
    """How this run's errors are also written on stdout: "json" (``--format json``: an
    indented object), "lines" (``--batch``: one JSON line), or None (stderr only)."""

    json: str | None = None


def _fail(code: int, name: str, message: str, problems: Sequence[Any] = ()) -> int:
    """Report an error: its line(s) on stderr and, under ``--format json`` or ``--batch``, the
    error object of docs/contract.md on stdout (``render.json.error_dict``); return ``code``.

    Args:
        code: the exit code.
        name: the error's code in JSON ("usage_error", "knowledge_base_error", ...).
        message: what stderr shows (a knowledge base: one line per problem).
        problems: a knowledge base's problems, for the JSON object.
    """
    _error(message)
    if _Errors.json is not None:
        from gialai_remote.render.json import dumps, dumps_line, error_dict

        first = message.splitlines()[0] if message else ""
        obj = error_dict(name, int(code), first, problems)
        try:
            from gialai_remote.cli.context import print_json

            print_json(dumps_line(obj) if _Errors.json == "lines" else dumps(obj))
        except (OSError, ValueError):
            pass  # stdout closed or broken: the line on stderr is what is left
    return int(code)


def _prepare(command: Any, *, lang: str, context_class: type[Any], brief: bool) -> None:
    """Get a command built on first use ready: help in ``lang``, repeated values recorded."""
    helptext.localize(command, lang, context_class=context_class, brief=brief)
    repeats.record_all(command)


#: The JSON code of each exit code an error can have (docs/contract.md, "Errors in JSON").
_ERROR_NAMES = {
    int(ExitCode.USAGE): "usage_error",
    int(ExitCode.KNOWLEDGE_BASE): "knowledge_base_error",
    int(ExitCode.INTERRUPTED): "interrupted",
    int(ExitCode.INTERNAL): "internal_error",
    int(ExitCode.OUTPUT): "output_error",
}

#: The errors of a stream that cannot take the answer: a full disk or quota, a file grown too
#: large, an I/O error. Whatever raises one of them here was writing the output.
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})  # no EDQUOT on Windows
_OUTPUT_ERRNOS = _DISK_FULL | {errno.EFBIG, errno.EIO}


#: Codes whose error was already said on stderr: a failing final flush adds no second line.
_SAID = frozenset({ExitCode.INTERNAL, ExitCode.OUTPUT})


def _output_failed(exc: OSError, lang: str) -> int:
    """Say once, on stderr, that the answer could not be written; exit 74. Never raises."""
    if exc.errno in _DISK_FULL:
        reason = t("error.output.disk_full", lang)
    else:
        reason = (exc.strerror or type(exc).__name__)[:200]
    _error(t("error.output", lang, reason=reason))
    streams.silence_stdout()
    return int(ExitCode.OUTPUT)


def run(args: Sequence[str] | None = None) -> int:
    """Run the CLI with ``args`` (default ``sys.argv[1:]``) and return the exit code.

    Raises:
        SystemExit: only from Typer's shell-completion protocol, which must end the process
            with its own code.
    """
    import typer
    from typer.main import get_command

    from gialai_remote.cli.app import app

    argv = list(sys.argv[1:] if args is None else args)
    completing = bool(os.environ.get(helptext.COMPLETE_VAR))
    if completing:
        # Tab pressed: the words typed so far are in the environment, and an error would land
        # in the user's command line, so a bad --lang there just gives Vietnamese.
        lang = resolve_lang(helptext.lang_flag(helptext.completion_words()), os.environ) or "vi"
    else:
        flag = helptext.lang_flag(argv)
        if resolve_lang(flag, os.environ) is None:
            # Checked before parsing so that even `--lang xx --help` is a usage error.
            _error(helptext.bad_lang(flag if flag is not None else os.environ.get("GIALAI_REMOTE_LANG", "")))
            return ExitCode.USAGE
        lang = helptext.prescan_lang(argv)
    _Errors.json = None if completing else helptext.json_errors(argv)
    command = get_command(app)
    helptext.localize(command, lang, brief=completing)
    repeats.record_all(command)
    if hasattr(command, "prepare"):  # commands imported on first use are prepared then
        command.prepare = functools.partial(_prepare, lang=lang, context_class=command.context_class, brief=completing)
    try:
        result = command.main(argv, prog_name="gialai-remote", standalone_mode=False)
        if result == ExitCode.INTERRUPTED:
            # Typer turns a Ctrl-C inside a command into a silent Exit(130) that it returns.
            return _fail(ExitCode.INTERRUPTED, "interrupted", t("error.interrupted", lang))
        return int(result) if isinstance(result, int) else ExitCode.OK
    except typer.Exit as exc:
        if exc.exit_code == ExitCode.INTERRUPTED and isinstance(exc.__cause__, KeyboardInterrupt):
            # Typer turned Ctrl-C into Exit(130) silently
            return _fail(ExitCode.INTERRUPTED, "interrupted", t("error.interrupted", lang))
        return int(exc.exit_code)
    except SystemExit as exc:
        # Typer answers a closed pipe during help or --version with exit 1; the answer (the
        # help) was a success, and a reader closing the pipe early is not an error.
        if exc.__context__ is not None and streams.is_closed_pipe(exc.__context__):
            streams.silence_stdout()
            return ExitCode.OK
        raise
    except KnowledgeBaseError as exc:
        lines = "\n".join(str(problem) for problem in exc.problems)
        return _fail(ExitCode.KNOWLEDGE_BASE, "knowledge_base_error", lines, exc.problems)
    except GialaiError as exc:
        return _fail(exc.exit_code, _ERROR_NAMES.get(int(exc.exit_code), "terminated"), exc.message)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return _fail(ExitCode.INTERRUPTED, "interrupted", t("error.interrupted", lang))
    except typer.TyperException as exc:  # the parser's usage errors
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            # `gialai-remote` alone: the help, on stderr since it answers no question.
            _error(ctx.get_help())
        code = getattr(exc, "exit_code", ExitCode.USAGE)
        code = ExitCode.USAGE if code in (None, ExitCode.USAGE) else int(code)
        return _fail(code, _ERROR_NAMES.get(int(code), "usage_error"), helptext.usage_message(exc, lang))
    except OSError as exc:
        # A closed pipe Typer did not recognise (Windows says EINVAL) during help or --version.
        if streams.is_closed_pipe(exc):
            streams.silence_stdout()
            return ExitCode.OK
        if exc.errno in _OUTPUT_ERRNOS:
            return _output_failed(exc, lang)
        raise


def main(args: Sequence[str] | None = None) -> int:
    """Console-script entry point: run, flush, and exit with the contract's code.

    A reader that closes the pipe early (``| head``) ends the run quietly: nothing on stderr,
    and the exit code the answer had (see :func:`gialai_remote.cli.context.finish`).
    """
    streams.prepare()
    lang = helptext.prescan_lang(list(sys.argv[1:] if args is None else args))
    try:
        code = run(args)
    except KeyboardInterrupt:  # Ctrl-C while typer or a command is still being imported
        code = _fail(ExitCode.INTERRUPTED, "interrupted", t("error.interrupted", lang))
    except Exception as exc:  # a bug: one line, not a traceback (GIALAI_REMOTE_DEBUG=1 shows it)
        if os.environ.get("GIALAI_REMOTE_DEBUG"):
            raise
        code = _fail(
            ExitCode.INTERNAL, "internal_error", t("error.internal", lang, error=f"{type(exc).__name__}: {exc}"[:300])
        )
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as exc:
        if isinstance(exc, OSError) and not streams.is_closed_pipe(exc) and code not in _SAID:
            # stdout failed for another reason (a full disk): said once, never as a traceback.
            code = _output_failed(exc, lang)
        streams.silence_stdout()
    if not streams.stdout_closed():  # a reader that left early gets nothing on stderr
        replaced = streams.encoding_replaced()
        if replaced is not None:
            from gialai_remote.render.words import safe

            _error(t("note.encoding", lang, encoding=safe(replaced)[:40]))
        if streams.folded():
            _error(t("note.folded", lang))
    return code


def cli() -> None:
    """The ``gialai-remote`` console script: :func:`main`, then the exit.

    The cyclic garbage collector is off for the run (:func:`gc.disable`): start-up makes about
    100,000 objects (typer and click, our modules, the knowledge base) that all live until the
    process ends, and the collector's 50 or so passes over them while they are made cost about
    5 % of a command's time (``benchmarks/startup.py``). A command is a short process: what it
    drops is freed by reference counting, and the rest goes with the process. A ``--batch``,
    which may answer any number of lines, turns the collector back on before its first line
    (:func:`gialai_remote.cli.batch.run`). :func:`main` itself (tests, the Python API) leaves
    the collector as it is.

    Once the answer is written and flushed, the process ends at once (:func:`os._exit`) when
    nothing is left to do at exit (:func:`_nothing_pending`): the interpreter's teardown (every
    module and object freed one by one, about 15 ms after a command) would only make the user
    wait for nothing. Otherwise, and whenever a stream fails to flush, it exits the usual way.
    """
    gc.disable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # the usual exit deals with a stream that cannot be flushed
    except KeyboardInterrupt:  # Ctrl-C after the answer, while it is flushed
        code = _fail(ExitCode.INTERRUPTED, "interrupted", t("error.interrupted", helptext.prescan_lang(sys.argv[1:])))
    if _nothing_pending():
        os._exit(code)
    sys.exit(code)


def _nothing_pending() -> bool:
    """True when exiting without the interpreter's teardown loses nothing.

    That is: no exit handler was registered (:mod:`atexit`: logging, a temporary folder's
    finaliser, a coverage or profiling tool...), no thread but daemons is still running
    (Python would wait for it), no tracer or profiler is attached, Python's development mode
    (``-X dev``, which reports unclosed resources at exit) is off, and ``GIALAI_REMOTE_DEBUG``
    is not set. Every file the commands write is closed before they return (cli/folder.py).
    """
    import atexit

    count = getattr(atexit, "_ncallbacks", None)  # CPython; elsewhere assume there is work
    if count is None or count() != 0:
        return False
    if sys.gettrace() is not None or sys.getprofile() is not None or sys.flags.dev_mode:
        return False
    if os.environ.get("GIALAI_REMOTE_DEBUG"):
        return False
    threading = sys.modules.get("threading")
    if threading is not None:
        main_thread = threading.main_thread()
        if any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()):
            return False
    return True
