"""Help and parser errors in the user's language.

The commands' help texts are catalogue keys (``help="help.recommend"``); :func:`localize`
replaces them with their text in the chosen language, translates the headings Typer and
click write themselves ("Usage:", "Options", "Commands"), and puts Typer's completion options
in that language too. :func:`usage_message` turns the English errors of the vendored click
parser into the catalogue's wording, with close suggestions for a mistyped option or command.

The language is read before the parser runs (:func:`prescan_lang`): ``--lang``, else
``GIALAI_REMOTE_LANG``, else Vietnamese; the system locale (``LANG``, ``LC_*``) is never
consulted.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from gialai_remote.i18n import LANGS, resolve_lang, t

#: The variable Typer's completion scripts set when the shell asks for completions.
COMPLETE_VAR = "_GIALAI_REMOTE_COMPLETE"


def completion_words() -> list[str]:
    """The words typed so far, as the completion script passes them (bash, or the others)."""
    words = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
    return words.split()[1:]


def lang_flag(args: Sequence[str]) -> str | None:
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


def json_errors(args: Sequence[str]) -> str | None:
    """How errors are also written on stdout: "lines" (one JSON line) with ``--batch``, whose
    answers are JSON Lines; "json" (indented) when the last ``--format``/``-f`` in ``args``
    (before ``--``) is ``json``; None otherwise."""
    chosen: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        following = args[i + 1] if i + 1 < len(args) else None
        if arg in ("--format", "-f"):
            chosen = following
        elif arg.startswith("--format="):
            chosen = arg.split("=", 1)[1]
        elif arg.startswith("-f") and not arg.startswith("--") and len(arg) > 2:
            chosen = arg[2:]
        elif arg == "--batch" or arg.startswith("--batch="):
            return "lines"
    return "json" if chosen is not None and chosen.strip().lower() == "json" else None


def prescan_lang(args: Sequence[str]) -> str:
    """The language ("vi" or "en") for help texts and early errors, read before the parser runs.

    A bad value gives Vietnamese here; the entry point reports it as a usage error.
    """
    return resolve_lang(lang_flag(args), os.environ) or "vi"


def bad_lang(value: str) -> str:
    """The bad-language error in both languages: the reader's language is what is unknown."""
    return " / ".join(t("error.bad_lang", lang, value=value) for lang in LANGS)


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

    from gialai_remote.catalogue import MESSAGES

    class LocalizedFormatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix=t("help.heading.usage", lang) + " ")

        def write_heading(self, heading: str) -> None:
            # click's own headings, or a catalogue key (the command groups of the root help).
            key = _HEADINGS.get(heading) or (heading if heading in MESSAGES else None)
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
    :func:`gialai_remote.cli.streams.prepare`, so an ASCII terminal gets readable unaccented
    help.
    """
    if not value or ctx.resilient_parsing:
        return
    sys.stdout.write(ctx.get_help() + "\n")
    sys.stdout.flush()
    ctx.exit()


def localize(command: Any, lang: str, context_class: type[Any] | None = None, brief: bool = False) -> None:
    """Replace catalogue keys in help texts with their text in ``lang``, recursively.

    Args:
        command: a click command or group (the app, or one command built on first use).
        lang: "vi" or "en".
        context_class: the localized context to give every command (made when None).
        brief: shell completion: keep each option's help to one short line. Typer wraps
            completion help at 80 columns, and zsh and fish would take the wrapped part for
            a completion of its own.

    Also gives every command a context that writes Typer's headings in ``lang``, and puts
    Typer's ``--install-completion``/``--show-completion`` in ``lang`` too.
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
        localize(sub, lang, context_class, brief)


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


# ---- parser errors -----------------------------------------------------------------------

_EXTRA_ARGS = r"(?is)unexpected extra argument(?:\(s\)|s)? \((.*)\)"
_QUOTED = r"'([^']*)'"


def usage_message(exc: Any, lang: str) -> str:
    """One line for a parser error, in ``lang``, ending with where to read the help.

    Args:
        exc: the vendored click's exception (a ``UsageError`` subclass, or
            ``NoArgsIsHelpError``), with its ``ctx`` when it has one.
        lang: "vi" or "en".

    The vendored click raises its errors with English text; each kind of error it can raise
    for this app's options is recognised here and given the catalogue's wording, with close
    suggestions for a mistyped option or command. Anything not recognised keeps click's
    detail behind the translated "Usage error:" prefix.
    """
    from gialai_remote.cli.match import suggest

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
        found = re.search(_QUOTED, raw)
        name = found.group(1) if found else raw
        group: Any = getattr(ctx, "command", None)
        # A lazy group lists every command, built or not (cli/lazy.py).
        names = sorted(group.list_commands(ctx) if hasattr(group, "list_commands") else ())
        close = suggest(name, names)
        text = t("error.no_such_command", lang, command=name)
        return text + (" " + t("match.did_you_mean", lang, names=", ".join(close)) if close else "") + see
    extra = re.search(_EXTRA_ARGS, raw)
    if extra:
        return t("error.extra_args", lang, args=extra.group(1)) + see
    return t("error.usage", lang, detail=message) + see
