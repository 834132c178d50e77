"""The entry point: the one place where errors become exit codes.

``main()`` prepares the standard streams (a terminal that cannot print Vietnamese gets it in
the nearest form it can show, and a one-line note on stderr when letters lost their marks),
translates every help text (the app's and Typer's own headings), runs the Typer app in
non-standalone mode and maps every outcome to a code of CONTRACT.md: usage errors 2, a
broken knowledge base 3, Ctrl-C and end of input 130, a closed pipe quietly.

The language is ``--lang``, else ``GIALAI_REMOTE_LANG``, else Vietnamese; the system locale
(``LANG``, ``LC_*``) is never consulted.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from gialai_remote.errors import ExitCode, GialaiError, KnowledgeBaseError
from gialai_remote.i18n import LANGS, resolve_lang, t

_FOLD_HANDLER = "gialai-remote-fold"
_folded = False
_stdout_closed = False

# The five Vietnamese tone marks. The Windows Vietnamese keyboard (and code page 1258) writes
# a vowel with its shape mark composed (â, ê, ô, ơ, ư, ă) and the tone as a combining mark.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Typographic characters many code pages lack, and their plain forms.
_PLAIN = {
    "\u201c": '"',
    "\u201d": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2192": "->",
    "\u00ab": '"',
    "\u00bb": '"',
}


def _windows_form(ch: str) -> str:
    """``ệ`` -> ``ê`` + combining dot below: the form code page 1258 can encode."""
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if c not in _TONE_MARKS)
    tones = "".join(c for c in decomposed if c in _TONE_MARKS)
    return unicodedata.normalize("NFC", base) + tones


def _unaccented(ch: str) -> str:
    """The letter without any mark, keeping its case (``Đ`` -> ``D``, ``ệ`` -> ``e``)."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_errors(exc: UnicodeError, encoding: str | None = None) -> tuple[str, int]:
    """Codec error handler: write what ``encoding`` cannot as the nearest form it can.

    Tries, per character: the Windows Vietnamese form (composed shape mark + combining tone,
    which cp1258 encodes), the fully decomposed form, the letter without its marks, a plain
    ASCII stand-in for typographic punctuation, and finally "?". Only the last three lose
    information; they set the flag that makes :func:`main` print the note on stderr.

    ``encoding`` is the stream's encoding: single-byte code pages report themselves as
    "charmap" in the error, so the handler is registered once per stream encoding.
    """
    global _folded
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    target = encoding or exc.encoding
    out = []
    for ch in exc.object[exc.start : exc.end]:
        lossless = (_windows_form(ch), unicodedata.normalize("NFD", ch))
        lossy = (_unaccented(ch), _PLAIN.get(ch, ""), "?")
        for number, candidate in enumerate((*lossless, *lossy)):
            if not candidate:
                continue
            try:
                candidate.encode(target)
            except UnicodeEncodeError:
                continue
            out.append(candidate)
            if number >= len(lossless):
                _folded = True
            break
    return "".join(out), exc.end


#: Every Vietnamese letter with a mark, lower and upper case.
_VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_VIETNAMESE += _VIETNAMESE.upper()
# Latin letters with marks, and combining marks on their own (text typed decomposed).
_MARKED = re.compile("[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")


def _writes_vietnamese(encoding: str) -> bool:
    """Whether ``encoding`` can write every Vietnamese letter, composed or in the Windows form."""
    try:
        for ch in _VIETNAMESE:
            try:
                ch.encode(encoding)
            except UnicodeEncodeError:
                _windows_form(ch).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _strip_marks(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _unaccented(ch) if ch.isalpha() else "" if unicodedata.combining(ch) else ch


class _Unaccented:
    """A text stream that writes Vietnamese without diacritics; everything else is delegated.

    Used for stdout and stderr whose encoding cannot write every Vietnamese letter (ASCII,
    cp1252, cp437): every marked Latin letter loses its marks, so the text is consistently
    unaccented rather than half-accented. ``buffer`` is the real one, so JSON written as
    bytes stays UTF-8.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def unaccent(self, text: str) -> str:
        """``text`` as this stream writes it: every marked Latin letter without its marks."""
        global _folded
        plain = _MARKED.sub(_strip_marks, text)
        if plain != text:
            _folded = True
        return plain

    def write(self, text: str) -> int:
        self._stream.write(self.unaccent(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _prepare_streams() -> None:
    """Make the standard streams unable to crash on Vietnamese.

    stdout and stderr fall back to :func:`_fold_errors` when their encoding cannot write
    Vietnamese; stdin replaces undecodable bytes instead of raising, and reads UTF-8 where it
    was told ASCII (a subset of UTF-8, so nothing that decoded before decodes differently).
    """
    for attr in ("stdout", "stderr"):
        stream = getattr(sys, attr)
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = getattr(stream, "encoding", None) or "ascii"
        if reconfigure is None or isinstance(stream, _Unaccented):
            continue
        try:
            "ệđ€".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            name = f"{_FOLD_HANDLER}-{encoding}"
            codecs.register_error(name, functools.partial(_fold_errors, encoding=encoding))
            with contextlib.suppress(ValueError, OSError, LookupError):  # a closed or detached stream
                reconfigure(errors=name)
            if not _writes_vietnamese(encoding):
                # Half-accented text ("Công van" for "Công văn") reads worse than the
                # unaccented Vietnamese everyone knows from text messages: drop every mark.
                setattr(sys, attr, _Unaccented(stream))
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    encoding = (getattr(sys.stdin, "encoding", None) or "").lower().replace("-", "_")
    if reconfigure is not None and encoding not in ("utf_8", "utf8"):
        with contextlib.suppress(ValueError, OSError, LookupError):  # a closed stream
            if encoding in ("ascii", "us_ascii", "646", "ansi_x3.4_1968"):
                reconfigure(encoding="utf-8", errors="replace")
            else:
                reconfigure(errors="replace")


#: The variable Typer's completion scripts set when the shell asks for completions.
_COMPLETE_VAR = "_GIALAI_REMOTE_COMPLETE"


def _completion_words() -> list[str]:
    """The words typed so far, as the completion script passes them (bash, or the others)."""
    words = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
    return words.split()[1:]


def _lang_flag(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` option in ``args`` (before ``--``), if any."""
    flag = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            flag = args[i + 1]
        elif arg.startswith("--lang="):
            flag = arg.split("=", 1)[1]
    return flag


def _prescan_lang(args: Sequence[str]) -> str:
    """The language for help texts and early errors, read before the parser runs."""
    return resolve_lang(_lang_flag(args), os.environ) or "vi"


# ---- help texts --------------------------------------------------------------------------

#: Typer's and click's own headings, and the catalogue key that translates each.
_HEADINGS = {
    "Options": "help.heading.options",
    "Commands": "help.heading.commands",
    "Arguments": "help.heading.arguments",
}


def _context_class(lang: str) -> type[Any]:
    """A Typer context whose help is written with headings in ``lang``.

    click builds help with ``ctx.make_formatter()``, an instance of ``ctx.formatter_class``;
    the subclass below translates the "Usage:" prefix and the section headings, and the
    context translates the help option's own line ("Show this message and exit.").
    """
    import typer
    from typer._click.formatting import HelpFormatter

    class LocalizedFormatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix=t("help.heading.usage", lang) + " ")

        def write_heading(self, heading: str) -> None:
            key = _HEADINGS.get(heading)
            super().write_heading(t(key, lang) if key else heading)

    class LocalizedContext(typer.Context):
        formatter_class = LocalizedFormatter

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            option = self.command.get_help_option(self)
            if option is not None:
                option.help = t("help.opt.help", lang)
                option.callback = _show_help

    return LocalizedContext


def _show_help(ctx: Any, param: Any, value: Any) -> None:
    """``--help``: the help on ``sys.stdout`` itself.

    click's own help callback writes through ``click.echo``, which swaps a stream it finds
    set to ASCII for a UTF-8 one; writing to ``sys.stdout`` keeps the folding set up by
    :func:`_prepare_streams`, so an ASCII terminal gets readable unaccented help.
    """
    if not value or ctx.resilient_parsing:
        return
    sys.stdout.write(ctx.get_help() + "\n")
    sys.stdout.flush()
    ctx.exit()


def _localize(command: Any, lang: str, context_class: type[Any] | None = None, brief: bool = False) -> None:
    """Replace catalogue keys in help texts with their text in ``lang``, recursively.

    Also gives every command a context that writes Typer's headings in ``lang``, and puts
    Typer's ``--install-completion``/``--show-completion`` in ``lang`` too. ``brief`` (shell
    completion) keeps each option's help to one short line: Typer wraps completion help at
    80 columns, and zsh and fish would take the wrapped part for a completion of its own.
    """
    from gialai_remote.catalogue import MESSAGES

    def tr(value: Any) -> Any:
        return t(value, lang) if isinstance(value, str) and value in MESSAGES else value

    context_class = context_class or _context_class(lang)
    command.context_class = context_class
    command.options_metavar = t("help.metavar.options", lang)
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = t("help.metavar.command", lang)
    command.help = tr(command.help)
    command.short_help = tr(getattr(command, "short_help", None))
    command.epilog = tr(getattr(command, "epilog", None))
    for param in getattr(command, "params", ()):
        if param.name in ("install_completion", "show_completion"):
            _localize_completion_option(param, lang)
        elif hasattr(param, "help"):
            param.help = tr(param.help)
            if brief and param.help:
                from rich.markup import escape

                from gialai_remote.cli.complete import one_line

                # Typer renders completion help as rich markup: brackets must stay text.
                param.help = escape(one_line(param.help, width=76))
        if getattr(param, "param_type_name", "") == "argument" and param.metavar:
            # Typer adds the Python type ("TOOL <str>"): jargon to the reader, and the metavar
            # already names what to type.
            param.display_type_rich = _no_type
    for sub in getattr(command, "commands", {}).values():
        _localize(sub, lang, context_class, brief)


def _no_type(ctx: Any) -> None:
    """No type next to an argument's name in the help."""
    return None


def _localize_completion_option(param: Any, lang: str) -> None:
    """Typer's completion options, with help in ``lang`` and a clear error when the shell is unknown.

    Typer detects the shell from the process tree; when it cannot (a service account, an IDE
    terminal, ``sh``), its own message is "Shell None is not supported." and exit 1. Here
    that becomes a usage error (exit 2) telling how to install completion by hand.
    """
    install = param.name == "install_completion"
    param.help = t("help.opt.install_completion" if install else "help.opt.show_completion", lang)
    original: Callable[..., Any] = param.callback

    def callback(ctx: Any, parameter: Any, value: Any) -> Any:
        if not value or ctx.resilient_parsing:
            return value
        # With Typer's test switch the option takes the shell's name; otherwise detect it.
        shell = value.strip().lower() if isinstance(value, str) else _detect_shell()
        if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
            from gialai_remote.errors import UsageError

            raise UsageError(t("error.completion_shell", lang, shell=shell or "?"))
        if not install:
            return original(ctx, parameter, value)
        import typer
        from typer._completion_shared import install as install_completion

        name, path = install_completion(shell=shell)
        sys.stdout.write(t("completion.installed", lang, shell=name, path=str(path)) + "\n")
        raise typer.Exit(0)

    param.callback = callback


def _detect_shell() -> str | None:
    """The shell this command runs under, as shellingham (Typer's own detector) sees it."""
    try:
        import shellingham  # type: ignore[import-untyped]

        name, _path = shellingham.detect_shell()
    except Exception:  # shellingham raises ShellDetectionFailure, or RuntimeError on odd systems
        return None
    return str(name).lower()


# ---- errors ------------------------------------------------------------------------------

_EXTRA_ARGS = re.compile(r"unexpected extra argument(?:\(s\)|s)? \((.*)\)", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"'([^']*)'")


def _usage_message(exc: Any, lang: str) -> str:
    """One line for a parser error, in ``lang``, ending with where to read the help.

    The vendored click raises its errors with English text; each kind of error it can raise
    for this app's options is recognised here and given the catalogue's wording, with close
    suggestions for a mistyped option or command. Anything not recognised keeps click's
    detail behind the translated "Usage error:" prefix.
    """
    from gialai_remote.match import suggest

    kind = type(exc).__name__
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    raw = str(getattr(exc, "message", message))
    ctx = getattr(exc, "ctx", None)
    see = " " + t("error.see_help", lang, command=getattr(ctx, "command_path", None) or "gialai-remote")
    if kind == "NoSuchOption":
        text = t("error.no_such_option", lang, option=exc.option_name)
        close = sorted(exc.possibilities or ())
        return text + (" " + t("match.did_you_mean", lang, names=", ".join(close)) if close else "") + see
    if kind == "NoArgsIsHelpError" or raw.startswith("Missing command"):
        return t("error.no_command", lang)
    if kind == "BadOptionUsage":
        option = getattr(exc, "option_name", "")
        if "does not take a value" in raw:
            return t("error.option_takes_no_value", lang, option=option) + see
        if "requires" in raw:
            return t("error.option_needs_value", lang, option=option) + see
    if raw.startswith("No such command"):
        found = _QUOTED.search(raw)
        name = found.group(1) if found else raw
        group: Any = getattr(ctx, "command", None)
        # A lazy group lists every command, built or not (cli/lazy.py).
        names = sorted(group.list_commands(ctx) if hasattr(group, "list_commands") else ())
        close = suggest(name, names)
        text = t("error.no_such_command", lang, command=name)
        return text + (" " + t("match.did_you_mean", lang, names=", ".join(close)) if close else "") + see
    extra = _EXTRA_ARGS.search(raw)
    if extra:
        return t("error.extra_args", lang, args=extra.group(1)) + see
    return t("error.usage", lang, detail=message) + see


def _error(message: str) -> None:
    """Write ``message`` to stderr, each line made terminal-safe; never raise."""
    from gialai_remote.render.words import safe

    try:
        for line in message.splitlines() or [""]:
            sys.stderr.write(safe(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _bad_lang(value: str) -> str:
    """The bad-language error in both languages: the reader's language is what is unknown."""
    return " / ".join(t("error.bad_lang", lang, value=value) for lang in LANGS)


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
    completing = bool(os.environ.get(_COMPLETE_VAR))
    if completing:
        # Tab pressed: the words typed so far are in the environment, and an error would land
        # in the user's command line, so a bad --lang there just gives Vietnamese.
        lang = resolve_lang(_lang_flag(_completion_words()), os.environ) or "vi"
    else:
        flag = _lang_flag(argv)
        if resolve_lang(flag, os.environ) is None:
            # Checked before parsing so that even `--lang xx --help` is a usage error.
            _error(_bad_lang(flag if flag is not None else os.environ.get("GIALAI_REMOTE_LANG", "")))
            return ExitCode.USAGE
        lang = _prescan_lang(argv)
    command = get_command(app)
    _localize(command, lang, brief=completing)
    if hasattr(command, "prepare"):  # commands imported on first use are translated then
        command.prepare = functools.partial(_localize, lang=lang, context_class=command.context_class, brief=completing)
    try:
        result = command.main(argv, prog_name="gialai-remote", standalone_mode=False)
        if result == ExitCode.INTERRUPTED:
            # Typer turns a Ctrl-C inside a command into a silent Exit(130) that it returns.
            _error(t("error.interrupted", lang))
        return int(result) if isinstance(result, int) else ExitCode.OK
    except typer.Exit as exc:
        if exc.exit_code == ExitCode.INTERRUPTED and isinstance(exc.__cause__, KeyboardInterrupt):
            _error(t("error.interrupted", lang))  # Typer turned Ctrl-C into Exit(130) silently
        return int(exc.exit_code)
    except SystemExit as exc:
        # Typer answers a closed pipe during help or --version with exit 1; the answer (the
        # help) was a success, and a reader closing the pipe early is not an error.
        context = exc.__context__
        if isinstance(context, OSError) and context.errno == errno.EPIPE:
            silence_stdout()
            return ExitCode.OK
        raise
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            _error(str(problem))
        return ExitCode.KNOWLEDGE_BASE
    except GialaiError as exc:
        _error(exc.message)
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        _error(t("error.interrupted", lang))
        return ExitCode.INTERRUPTED
    except typer.TyperException as exc:  # the parser's usage errors
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            # `gialai-remote` alone: the help, on stderr since it answers no question.
            _error(ctx.get_help())
        _error(_usage_message(exc, lang))
        code = getattr(exc, "exit_code", ExitCode.USAGE)
        return ExitCode.USAGE if code in (None, ExitCode.USAGE) else int(code)


def main(args: Sequence[str] | None = None) -> int:
    """Console-script entry point: run, flush, and exit with the contract's code.

    A reader that closes the pipe early (``| head``) ends the run quietly: nothing on stderr,
    and the exit code the answer had (see :func:`gialai_remote.cli.context.finish`).
    """
    global _folded, _stdout_closed
    _folded = _stdout_closed = False
    _replace_closed_streams()
    _prepare_streams()
    try:
        code = run(args)
    except Exception as exc:  # a bug: one line, not a traceback (GIALAI_REMOTE_DEBUG=1 shows it)
        if os.environ.get("GIALAI_REMOTE_DEBUG"):
            raise
        lang = _prescan_lang(list(sys.argv[1:] if args is None else args))
        _error(t("error.internal", lang, error=f"{type(exc).__name__}: {exc}"[:300]))
        code = ExitCode.INTERNAL
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        silence_stdout()
    if _folded and not _stdout_closed:  # a reader that left early gets nothing on stderr
        _error(t("note.folded", _prescan_lang(list(sys.argv[1:] if args is None else args))))
    return code


def _replace_closed_streams() -> None:
    """A stream the shell closed (``>&-``, ``2>&-``) is None in Python: give it /dev/null.

    Without this, the first write or flush raises AttributeError (a traceback, exit 1) and a
    usage error would lose its exit code 2.
    """
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            with contextlib.suppress(OSError):
                setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so later flushes cannot fail."""
    global _stdout_closed
    _stdout_closed = True
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def cli() -> None:
    """The ``gialai-remote`` console script."""
    sys.exit(main())
