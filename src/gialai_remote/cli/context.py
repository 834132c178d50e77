"""What every command needs before it can work: settings, the knowledge base, output.

Resolves the shared options (a flag beats its environment variable; options given before the
command name count too), loads the knowledge base, decides whether prompting is possible, and
writes results to stdout.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from gialai_remote.cli.repeats import Given, conflict, given
from gialai_remote.errors import UsageError
from gialai_remote.i18n import LANGS, resolve_lang, t
from gialai_remote.records import Record

if TYPE_CHECKING:
    from rich.console import Console

    from gialai_remote.model import KnowledgeBase
    from gialai_remote.render.text.lines import Line

_TRUE = {"1", "true", "yes", "on", "y"}


class Settings(Record):
    """The shared options of one run.

    Attributes:
        lang: "vi" or "en".
        data: the knowledge-base paths (a file, or a base and its layers, later winning), or
            None for the built-in one.
        no_input: never prompt.
        interactive: prompts are possible (stdin and stdout are terminals, no ``--no-input``).
        cache: use the knowledge-base cache (no ``--no-cache`` before or after the command).
        repeated: id-taking options given more than once (``--role``, ``--tool``...), whose
            values :func:`load_kb` compares once the knowledge base can resolve them.
    """

    lang: str
    data: tuple[str, ...] | None
    no_input: bool
    interactive: bool
    cache: bool = True
    repeated: tuple[Given, ...] = ()


def _root_obj(ctx: typer.Context) -> dict[str, Any]:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, dict) else {}


#: Options whose values are ids of the knowledge base, and the vocabulary of each.
ID_OPTIONS = {
    "role": "roles",
    "task": "tasks",
    "sensitivity": "sensitivities",
    "platform": "platforms",
    "tool": "tools",
}


def settings(ctx: typer.Context, data: Sequence[str] | None, lang: str | None, no_input: bool = False) -> Settings:
    """Resolve the shared options of the command in ``ctx``.

    Also refuses an option given twice with values that mean different things (see
    :mod:`.repeats`): formats, languages, dates and numbers here, ids in :func:`load_kb`.

    Raises:
        UsageError: ``--lang`` (or GIALAI_REMOTE_LANG) is not "vi" or "en"; an option was
            given two different values.
    """
    root = _root_obj(ctx)
    repeated: list[Given] = []
    level: Any = ctx
    while level is not None:  # the command's own line, then what came before it (tools, the root)
        repeated += given(level)
        level = level.parent
    for item in repeated:
        if item.name == "lang":
            pair = conflict(item, lambda v: v.strip().lower())
            if pair is not None:
                # The language itself is in question: say it in both.
                raise UsageError(" / ".join(_repeated_message(item, pair, code) for code in LANGS))
    lang_flag = lang if lang is not None else root.get("lang")
    chosen = resolve_lang(lang_flag, os.environ)
    if chosen is None:
        bad = lang_flag if lang_flag is not None else os.environ.get("GIALAI_REMOTE_LANG", "")
        raise UsageError(t("error.bad_lang", "vi", value=bad))
    meanings: dict[str, Callable[[str], object]] = {
        "fmt": lambda v: v.strip().lower(),
        "date": lambda v: parse_date(v, chosen),
        "participants": lambda v: parse_participants(v, chosen),
    }
    for item in repeated:
        if item.name in ID_OPTIONS or item.name == "lang":
            continue
        pair = conflict(item, meanings.get(item.name, str.strip))
        if pair is not None:
            raise UsageError(_repeated_message(item, pair, chosen))
    data_path = tuple(data) if data else tuple(root.get("data") or ())
    if not data_path:
        # Several files joined by the platform's separator (":" on POSIX, ";" on Windows).
        data_path = tuple(p for p in os.environ.get("GIALAI_REMOTE_DATA", "").split(os.pathsep) if p)
    no_input = no_input or os.environ.get("GIALAI_REMOTE_NO_INPUT", "").strip().lower() in _TRUE
    interactive = not no_input and _isatty(sys.stdin) and _isatty(sys.stdout)
    # --no-cache counts wherever it is given: the command, its group (tools), the root.
    no_cache = False
    scope: Any = ctx
    while scope is not None and not no_cache:
        no_cache = bool(getattr(scope, "params", {}).get("no_cache"))
        scope = scope.parent
    deferred = tuple(item for item in repeated if item.name in ID_OPTIONS)
    return Settings(
        lang=chosen,
        data=data_path or None,
        no_input=no_input,
        interactive=interactive,
        cache=not no_cache,
        repeated=deferred,
    )


def _repeated_message(item: Given, pair: tuple[str, str], lang: str) -> str:
    """ "--sensitivity was given two different values, "nội bộ" and "normal"..." in ``lang``."""
    first, second = (shown(value)[:60] for value in pair)
    message = t("error.repeated_option", lang, flag=item.flag, first=first, second=second)
    if item.name == "tool":
        message += " " + t("error.repeated_tool", lang)
    return message


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (ValueError, OSError):
        return False


def load_kb(s: Settings) -> KnowledgeBase:
    """Load the knowledge base the settings name, then compare the values of an id-taking
    option given twice (``-s "nội bộ" -s internal`` is one value; ``-s "nội bộ" -s normal``
    is refused).

    Raises:
        KnowledgeBaseError: the knowledge base cannot be read or is invalid (exit 3).
        UsageError: an option was given two values naming different entries (exit 2).
    """
    from gialai_remote.knowledge.load import load_knowledge_base

    kb = load_knowledge_base(s.data, lang=s.lang, cache=s.cache)
    if s.repeated:
        from gialai_remote.cli.ids import resolve_id

        for item in s.repeated:

            def meaning(value: str, kind: str = ID_OPTIONS[item.name], flag: str = item.flag) -> str:
                return resolve_id(kb, kind, value, s.lang, flag=flag)

            pair = conflict(item, meaning)
            if pair is not None:
                raise UsageError(_repeated_message(item, pair, s.lang))
    return kb


def check_format(value: str | None, allowed: tuple[str, ...], lang: str) -> str:
    """Return ``--format``'s value (default "text"). Raises UsageError when not in ``allowed``."""
    fmt = (value or "text").strip().lower()
    if fmt not in allowed:
        raise UsageError(t("error.bad_format", lang, value=value, choices=", ".join(allowed)))
    return fmt


#: ``--date`` in the forms people write: year first (ISO 8601), or day first as Vietnamese
#: readers always write it (day/month/year: 15/4/2020, 15/04/2020, 15-4-2020, 15.4.2020).
_YEAR_FIRST = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_DAY_FIRST = r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})"
#: What "today" may be typed as (folded: any case, with or without diacritics, spaces).
TODAY_WORDS = frozenset({"hom nay", "homnay", "today"})


def parse_date(value: str | None, lang: str, today: dt.date | None = None) -> dt.date:
    """``--date``: the day the advice is for, as people write it; today in Vietnam when not given.

    Accepted: ``YYYY-MM-DD`` (ISO 8601, year first), ``D/M/YYYY`` or ``DD/MM/YYYY`` (day
    first, always: Vietnamese dates are never month first, so ``1/12/2026`` is 1 December;
    ``-`` or ``.`` may stand for ``/``), and ``hôm nay`` / ``hom nay`` / ``today`` (any case,
    with or without diacritics). Spaces around the value are ignored.

    Args:
        value: what was typed, or None when ``--date`` was not given.
        lang: message language.
        today: the day "today" means (default: :func:`gialai_remote.dates.vietnam_today`).

    Raises:
        UsageError: not a real calendar day in one of those forms (exit 2).
    """
    if value is None:
        return today or _today()
    text = value.strip()
    from gialai_remote.cli.match import fold

    if fold(text) in TODAY_WORDS:
        return today or _today()
    year_first = re.fullmatch(_YEAR_FIRST, text)
    day_first = re.fullmatch(_DAY_FIRST, text)
    try:
        if year_first:
            return dt.date(int(year_first[1]), int(year_first[2]), int(year_first[3]))
        if day_first:
            return dt.date(int(day_first[4]), int(day_first[3]), int(day_first[1]))
    except ValueError:
        pass
    raise UsageError(t("error.bad_date", lang, value=value[:40]))


def _today() -> dt.date:
    from gialai_remote.dates import vietnam_today

    return vietnam_today()


def check_advice_date(kb: KnowledgeBase, day: dt.date, lang: str) -> None:
    """Refuse an advice date before the letter: the letter gave no advice before it existed.

    Raises:
        UsageError: ``day`` is before the knowledge base's letter (exit 2).
    """
    if day < kb.source.date:
        from gialai_remote.i18n import format_date

        raise UsageError(
            t(
                "error.before_letter",
                lang,
                date=format_date(day, lang),
                document=kb.source.document,
                letter=format_date(kb.source.date, lang),
            )
        )


#: The largest participant count accepted: far above any meeting, small enough to print.
MAX_PARTICIPANTS = 1_000_000

_WHOLE = r"[0-9]+"
_DECIMAL = r"[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+"
# More significant digits than this is above every range an option has; int() is then not
# asked to convert thousands of digits (Python refuses more than 4,300).
_MAX_DIGITS = 30


def parse_number(value: str, *, decimal: bool = False) -> float | None:
    """The one rule for the numbers of every option (``--participants``, ``--timeout``).

    ASCII digits only: no sign, exponent, digit separator (``1_000``), or digits of another
    script (Arabic-Indic ``٥``, full-width ``５``); leading zeros are allowed (``012`` is 12,
    ``0000000000000000000000000026`` is 26); with ``decimal``, one ``.`` or ``,`` as the
    decimal mark (``2.5``, ``2,5``, ``.5``). Spaces around the number are ignored. The
    range is the caller's to check, on the value, never on the number of digits.

    Args:
        value: the text as typed.
        decimal: allow a fractional part.

    Returns:
        The value (a whole number when ``decimal`` is False), or None when ``value`` is not a
        number by this rule. A value with more than 30 significant digits is returned as
        ``math.inf`` (above every range).
    """
    text = value.strip()
    if not re.fullmatch(_DECIMAL if decimal else _WHOLE, text):
        return None
    whole, _, fraction = text.replace(",", ".").partition(".")
    significant = whole.lstrip("0")
    if len(significant) > _MAX_DIGITS:
        return math.inf
    return float(f"{significant or '0'}.{fraction or '0'}") if decimal else int(significant or "0")


def parse_participants(value: str | None, lang: str) -> int | None:
    """``--participants``: a whole number of people from 1 to :data:`MAX_PARTICIPANTS`, or
    None when not given (numbers as :func:`parse_number` reads them).

    Raises:
        UsageError: anything else (0, negative, fractions, words, other scripts' digits,
            numbers above the maximum).
    """
    if value is None:
        return None
    number = parse_number(value)
    if number is None or not 1 <= number <= MAX_PARTICIPANTS:
        raise UsageError(t("error.bad_participants", lang, value=value[:40], max=MAX_PARTICIPANTS))
    return int(number)


def console(stderr: bool = False) -> Console:
    """A rich Console for stdout (or stderr) that never wraps hard when not a terminal.

    Colour follows rich's rules: only on a terminal; ``NO_COLOR`` turns it off and
    ``FORCE_COLOR`` on. Markup, emoji codes and highlighting are off: the data is printed
    as it is.
    """
    from rich.console import Console

    class PipeSafeConsole(Console):
        # rich's default ends the process with exit code 1 on a closed pipe; :func:`finish`
        # must see the BrokenPipeError to exit with the answer's code instead.
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    stream = sys.stderr if stderr else sys.stdout
    tty = _isatty(stream)
    return PipeSafeConsole(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=not tty,
        width=None if tty else 10_000,
    )


def terminal_width() -> int | None:
    """stdout's width in columns when it is a terminal; None for a file or a pipe."""
    if not _isatty(sys.stdout):  # what console() decides; no rich needed to say it
        return None
    out = console()
    return None if out.soft_wrap else out.width


def finish(code: int, write: Callable[[], None]) -> NoReturn:
    """Run ``write`` (which prints the answer) and end the command with ``code``.

    The exit code is decided before anything is printed, so a reader that closes the pipe
    early (``| head -c 10``) still gets it; the closed pipe itself (``BrokenPipeError``, or
    ``OSError(EINVAL)`` on Windows) is silent.

    Raises:
        typer.Exit: always, with ``code``.
        OSError: writing failed for another reason than a closed pipe.
    """
    try:
        write()
        sys.stdout.flush()
    except OSError as exc:
        from gialai_remote.cli.streams import is_closed_pipe, silence_stdout

        if not is_closed_pipe(exc):
            raise
        silence_stdout()
    raise typer.Exit(code)


def print_lines(lines: Sequence[Line], out: Console | None = None) -> None:
    """Print rendered text lines on stdout (or on the console ``out``), through rich.

    On a terminal each line is wrapped at word boundaries with its hanging indent, long URLs
    whole (:class:`gialai_remote.cli.layout.Hanging`); anywhere else (a file, a pipe, even
    with ``FORCE_COLOR``) each line is written as it is, never wrapped. In a file or a pipe
    without colour (:func:`gialai_remote.cli.plain.plain_texts`), what rich would write is each line's plain
    text and a line break: that is written, one line a write as rich does, and rich is not
    imported (about 20 ms of start-up).
    """
    if out is None and sys.stdout is not None:
        from gialai_remote.cli.plain import plain_texts

        texts = plain_texts(lines, _isatty(sys.stdout))
        if texts is not None:
            write = sys.stdout.write
            for text in texts:
                write(text + "\n")
            return
    out = out or console()
    if out.soft_wrap:
        for line in lines:
            out.print(line.to_text())
        return
    from gialai_remote.cli.layout import Hanging

    for line in lines:
        out.print(Hanging(line.to_text()), crop=False)


_SURROGATE = "[\ud800-\udfff]"


def print_json(text: str) -> None:
    """Write JSON text to stdout as UTF-8 bytes, whatever the terminal's encoding.

    A lone surrogate (a file name's undecodable byte, as Python's file system encoding keeps
    it: ``\\udcff`` for byte 0xFF) cannot be written as UTF-8; it can only be inside a JSON
    string, where it is written as its ``\\uXXXX`` escape (valid JSON; ``json.loads`` gives
    the same string back).
    """
    escaped = text if text.isascii() else re.sub(_SURROGATE, lambda m: f"\\u{ord(m.group(0)):04x}", text)
    print_bytes(escaped.encode("utf-8"))


def print_bytes(data: bytes) -> None:
    """Write ``data`` to stdout unchanged (UTF-8 JSON, HTML, Markdown)."""
    stream = sys.stdout
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # an in-memory text stream
        stream.write(data.decode("utf-8"))


_UNDECODABLE = "[\udc80-\udcff]"


def shown(text: str) -> str:
    """``text`` (a path, or a value from the data) as messages print it: terminal-safe
    (``render.words.safe``), on one line (line breaks escaped), and a file name's
    undecodable bytes (kept by Python as lone surrogates) shown as ``\\xNN``.
    """
    from gialai_remote.errors import one_line
    from gialai_remote.render.words import safe

    visible = text if text.isascii() else re.sub(_UNDECODABLE, lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}", text)
    return safe(one_line(visible))


def print_version(ctx: typer.Context, data: Sequence[str] | None, lang: str | None, fmt: str | None = None) -> None:
    """``--version``: the tool's version, the knowledge base's document, date and schema, and
    the files it is made of with one digest of them all (``--format json``: one object).

    Raises:
        UsageError: ``--format`` is neither text nor json.
        KnowledgeBaseError: the knowledge base cannot be read or is invalid.
    """
    from gialai_remote import __version__

    s = settings(ctx, data, lang)
    output = check_format(fmt, ("text", "json"), s.lang)
    kb = load_kb(s)
    stack = kb.stack
    if stack is None:  # the built-in file, read by the fast path
        from gialai_remote.knowledge.layers import single
        from gialai_remote.knowledge.load import builtin_bytes

        stack = single(kb.path, builtin_bytes())
    if output == "json":
        from gialai_remote.render.json import dumps, version_dict

        print_json(dumps(version_dict(__version__, kb, stack)))
        return
    # sys.stdout, not typer.echo: click swaps a stdout it finds set to ASCII for a UTF-8 one,
    # which would bypass the unaccenting set up by cli/streams.py for such terminals. The
    # knowledge base's text and its path are shown terminal-safe, on one line, as everywhere.
    from gialai_remote.i18n import format_date

    text = t(
        "version",
        s.lang,
        version=__version__,
        document=shown(kb.source.document),
        date=format_date(kb.source.date, s.lang),
        schema=kb.schema_version,
        path=shown(kb.path),
    )
    lines = [text]
    if len(stack.layers) > 1:
        from gialai_remote.render.text.problems import stack_lines

        lines += [shown(x) for x in stack_lines(stack, s.lang)[1:-1]]
    lines.append(shown(t("stack.digest", s.lang, digest=stack.digest)))
    sys.stdout.write("\n".join(lines) + "\n")
