"""``check --batch FILE|-`` and ``recommend --batch FILE|-``: many queries in one process.

The input is JSON Lines: one JSON object per line, whose keys are the long flag names
(``tool``, ``role``, ``task``, ``participants``, ``sensitivity``, ``platform``, ``date``,
``lang``, ``no-device``, ``no-internet``; ``_`` may stand for ``-``) and whose values are
matched as forgivingly as the flags'. Flags given on the command line are the defaults of
every line; a line's own key wins. Blank lines are skipped.

The output is JSON Lines too, one object per non-blank input line, in order, written as each
line is answered: the object ``--format json`` gives for that one query, with ``"line"`` (the
1-based line number in the input) first; a line that cannot be answered gives
``{"line", "schema_version", "error": {"code", "exit_code", "message"}}`` (and the message on
stderr, after "dòng N:" / "line N:"), and the lines after it still run. The exit code is the
worst of the lines': 2 (a bad line) > 1 (not allowed, nothing recommended) > 0.

The knowledge base is loaded once; ids are resolved with the matchers of :mod:`.ids`, built
once per vocabulary and language; nothing here re-reads or rebuilds per line (``docs/
scripting.md`` has the measured time).
"""

from __future__ import annotations

import errno
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from gialai_remote.errors import ExitCode, UsageError
from gialai_remote.i18n import LANGS, t

if TYPE_CHECKING:
    from gialai_remote.cli.context import Settings
    from gialai_remote.model import KnowledgeBase

#: The value of ``--batch`` that means standard input.
STDIN = "-"
#: The longest line read, in bytes: far above any query, small enough to hold in memory.
MAX_LINE = 1 << 20
#: The keys a line may have (the long flag names), per command.
KEYS: dict[str, tuple[str, ...]] = {
    "check": ("tool", "role", "task", "participants", "sensitivity", "platform", "date", "lang", "no-device",
              "no-internet"),
    "recommend": ("role", "task", "participants", "sensitivity", "platform", "date", "lang", "no-device",
                  "no-internet"),
}  # fmt: skip
_FLAGS = ("no-device", "no-internet")
#: Exit codes from best to worst, for "the worst of the lines".
_ORDER = (ExitCode.OK, ExitCode.NEGATIVE, ExitCode.USAGE, ExitCode.KNOWLEDGE_BASE)


def worst(codes: Iterator[int] | list[int]) -> int:
    """The worst exit code of ``codes`` by 3 > 2 > 1 > 0 (0 when there are none)."""
    rank = {int(code): position for position, code in enumerate(_ORDER)}
    return max(codes, key=lambda code: rank.get(code, len(_ORDER)), default=int(ExitCode.OK))


@dataclass(frozen=True, slots=True)
class Answer:
    """What one line gave.

    Attributes:
        line: its 1-based line number in the input.
        code: its exit code (0, 1 or 2).
        obj: the JSON object written for it (with ``"line"`` first).
        error: the error message (also written on stderr), or None.
    """

    line: int
    code: int
    obj: dict[str, Any]
    error: str | None = None


def read_lines(source: str, stdin: IO[bytes] | None = None) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of ``source`` (a file, or "-" for ``stdin``) with their numbers.

    Lines are read as they come (a pipe is answered line by line). A line over
    :data:`MAX_LINE` bytes is yielded cut at that length plus one byte, so that it is refused.

    Raises:
        OSError: the file cannot be opened or read (the caller makes it a usage error).
    """
    with ExitStack() as stack:
        if source == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
        else:
            try:
                stream = stack.enter_context(open(source, "rb"))
            except ValueError:  # a NUL byte in the path: no such file can exist
                raise OSError(errno.EINVAL, os.strerror(errno.EINVAL), source) from None
        number = 0
        while True:
            raw = stream.readline(MAX_LINE + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while (rest := stream.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of the over-long line
            if raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark (PowerShell; files put end to end)
                raw = raw[3:]
            if raw.strip():
                yield number, raw


def parse_line(raw: bytes, command: str, lang: str) -> dict[str, Any]:
    """One input line as ``{key: value}`` with the keys normalised ("no_device" -> "no-device").

    Raises:
        UsageError: not UTF-8, too long, not JSON, not an object, a key the command does
            not take (with the closest keys), or one key given twice with two different values
            (``"role"`` and ``"Role"`` are one key): as on the command line, the later value
            never silently wins.
    """
    if len(raw) > MAX_LINE:
        raise UsageError(t("batch.too_long", lang, max=MAX_LINE))
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_Pairs)
    except UnicodeDecodeError:
        raise UsageError(t("batch.not_utf8", lang)) from None
    except ValueError as exc:
        raise UsageError(t("batch.not_json", lang, detail=str(exc)[:80])) from None
    except RecursionError:  # "[[[[...]]]]" a thousand deep: the parser's own limit, that line only
        raise UsageError(t("batch.too_deep", lang)) from None
    if not isinstance(value, _Pairs):
        raise UsageError(t("batch.not_object", lang))
    _check_text(value, lang)
    keys = KEYS[command]
    out: dict[str, Any] = {}
    for key, item in value:
        name = str(key).strip().lower().replace("_", "-")
        if name not in keys:
            from gialai_remote.cli.match import suggest

            close = suggest(name, keys)
            message = t("batch.unknown_key", lang, key=str(key)[:40], keys=", ".join(keys))
            raise UsageError(message + (" " + t("match.did_you_mean", lang, names=", ".join(close)) if close else ""))
        if name in out and out[name] != item:
            first, second = (json.dumps(v, ensure_ascii=False)[:60] for v in (out[name], item))
            raise UsageError(t("batch.repeated_key", lang, key=name, first=first, second=second))
        out[name] = item
    return out


def _check_text(value: Any, lang: str) -> None:
    """Refuse a line whose keys or strings hold a lone UTF-16 surrogate (JSON's ``"\\ud800"``):
    valid JSON, but no character, so nothing could write it back (the answer, the error).

    Raises:
        UsageError: the first such string, its escape shown (``\\ud800``).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError as exc:
                    escape = f"\\u{ord(item[exc.start]):04x}"
                    raise UsageError(t("batch.lone_surrogate", lang, escape=escape)) from None
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs in order, repeats kept (``object_pairs_hook``)."""


def _text(line: Mapping[str, Any], key: str, lang: str) -> str | None:
    """The value of ``key`` as text (a number is taken as its digits); None when absent or null.

    Raises:
        UsageError: a value that is neither text nor a whole number.
    """
    value = line.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise UsageError(t("batch.not_text", lang, key=key))
    return str(value)


def _flag(line: Mapping[str, Any], key: str, default: bool, lang: str) -> bool:
    """The value of a flag key: true or false (null or absent: the command line's).

    Raises:
        UsageError: anything but true, false or null.
    """
    value = line.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise UsageError(t("batch.not_bool", lang, key=key))
    return value


@dataclass(frozen=True, slots=True)
class Defaults:
    """What the command line gave, as the defaults of every line (None: not given).

    Attributes:
        values: ``{key: text}`` for the keys that take a value (``role``, ``date``...).
        no_device, no_internet: the flags.
    """

    values: Mapping[str, str | None]
    no_device: bool = False
    no_internet: bool = False


def answer(
    kb: KnowledgeBase,
    s: Settings,
    command: str,
    number: int,
    raw: bytes,
    defaults: Defaults,
    respond: Callable[[KnowledgeBase, Any, str | None], tuple[int, dict[str, Any]]],
) -> Answer:
    """Answer one input line.

    Args:
        kb: the knowledge base, loaded once.
        s: the run's settings (the language of a line without ``lang``).
        command: "check" or "recommend".
        number: the line's number.
        raw: the line's bytes.
        defaults: the command line's values.
        respond: ``(kb, query, tool) -> (exit code, JSON object)``, the command's own answer.

    Returns:
        An :class:`Answer`; a line that cannot be answered gives an error answer (code 2).
    """
    from gialai_remote.cli.context import check_advice_date, parse_date, parse_participants
    from gialai_remote.cli.query import build_query, resolve_id
    from gialai_remote.render.json import error_dict

    lang = s.lang
    try:
        line = parse_line(raw, command, lang)
        chosen = _text(line, "lang", lang)
        if chosen is not None:
            lang = chosen.strip().lower()
            if lang not in LANGS:
                lang = s.lang
                raise UsageError(t("error.bad_lang", lang, value=chosen[:20]))
        values = {
            key: (_text(line, key, lang) if key in line else defaults.values.get(key))
            for key in KEYS[command]
            if key not in _FLAGS
        }
        day = parse_date(values["date"], lang)
        check_advice_date(kb, day, lang)
        count = parse_participants(values["participants"], lang)
        settings = s._replace(lang=lang, interactive=False, repeated=())  # a line never prompts
        for key in ("role", "task", "tool"):
            if key in KEYS[command] and values[key] is None and (key != "task" or command == "recommend"):
                raise UsageError(t("batch.missing_key", lang, key=key))
        named_tool = values.get("tool")
        tool = resolve_id(kb, "tools", named_tool, lang, flag="tool") if named_tool is not None else None
        query = build_query(
            kb,
            settings,
            role=values["role"],
            task=values["task"],
            task_required=command == "recommend",
            participants=count,
            sensitivity=values["sensitivity"],
            platform=values["platform"],
            no_device=_flag(line, "no-device", defaults.no_device, lang),
            no_internet=_flag(line, "no-internet", defaults.no_internet, lang),
            day=day,
            flags=_KEY_FLAGS,
        )
    except UsageError as exc:
        error = error_dict("usage_error", ExitCode.USAGE, exc.message)
        return Answer(number, ExitCode.USAGE, {"line": number, **error}, exc.message)
    code, obj = respond(kb, query, tool)
    return Answer(number, code, {"line": number, **obj})


#: In a batch line, a value is named by its key ("role: ..."), not by a flag.
_KEY_FLAGS = {"roles": "role", "tasks": "task", "sensitivities": "sensitivity", "platforms": "platform"}


def run(
    kb: KnowledgeBase,
    s: Settings,
    command: str,
    source: str,
    defaults: Defaults,
    respond: Callable[[KnowledgeBase, Any, str | None], tuple[int, dict[str, Any]]],
    *,
    quiet: bool = False,
) -> int:
    """Answer every line of ``source`` in order, writing each result as it is made.

    Args:
        kb, s, command, defaults, respond: as for :func:`answer`.
        source: the ``--batch`` value: a file, or "-" for standard input.
        quiet: write no results (``check --quiet``); errors still go to stderr.

    Returns:
        The worst exit code of the lines (:func:`worst`); 0 for an input with no lines.

    Raises:
        UsageError: ``source`` cannot be opened or read (exit 2).
        OSError: writing an answer failed for another reason than a closed pipe (a reader
            that closes the pipe ends the run quietly, with the worst code so far).
    """
    from gialai_remote.cli.context import print_bytes, shown
    from gialai_remote.render.json import line_bytes

    # The console script runs with the garbage collector off (start-up, cli.main.cli); a batch
    # may answer any number of lines, so what its lines drop in cycles is collected again.
    gc.enable()
    codes: list[int] = []
    lines = read_lines(source)
    while True:
        try:
            number, raw = next(lines)
        except StopIteration:
            break
        except OSError as exc:  # reading the input, never writing the answers
            reason = exc.strerror or type(exc).__name__
            raise UsageError(t("batch.unreadable", s.lang, path=shown(source), reason=reason)) from None
        result = answer(kb, s, command, number, raw, defaults, respond)
        codes.append(result.code)
        if result.error is not None:
            sys.stderr.write(shown(t("batch.line_error", s.lang, line=number, message=result.error)) + "\n")
            sys.stderr.flush()
        if not quiet:
            try:
                print_bytes(line_bytes(result.obj))
            except OSError as exc:
                from gialai_remote.cli.streams import is_closed_pipe, silence_stdout

                if not is_closed_pipe(exc):
                    raise
                silence_stdout()  # the reader has gone: stop, with the worst code so far
                break
    return worst(codes)
