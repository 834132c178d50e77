"""No silent overrides: a single-valued option given twice must mean one thing.

click keeps the last value of an option given twice (``-s "nội bộ" -s normal`` becomes
``normal`` and lets the public apps in). :func:`record_values` makes a command's parser keep
every value of each single-valued option instead, on the command's context
(:func:`given`); the command then compares them *after* resolving
(:func:`gialai_remote.cli.context.settings` for formats, dates, numbers and languages,
:func:`gialai_remote.cli.context.load_kb` for ids), so ``-s "nội bộ" -s internal`` is fine and
``-s "nội bộ" -s normal`` is a usage error naming both values (exit 2). Options that collect
values on purpose (``multiple=True``) and flags are left alone.

This reads the vendored click parser's option table (``parser._long_opt`` and
``parser._short_opt``, each ``_Option`` with ``action``, ``dest``, ``obj`` and ``process``):
``tests/test_repeats.py`` fails if those pieces change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gialai_remote.records import Record

#: The context attribute where the values are kept.
ATTRIBUTE = "gialai_given"


class Given(Record):
    """Every value one option received on one command's line, in order.

    Attributes:
        name: the parameter's name ("sensitivity").
        flag: its longest option name, for messages ("--sensitivity").
        values: what was typed, in order (two or more when repeated).
    """

    name: str
    flag: str
    values: tuple[str, ...]


def record_values(command: Any) -> None:
    """Make ``command``'s parser remember every value of its single-valued options.

    Args:
        command: a click command or group; wrapping it twice is harmless.
    """
    original: Callable[[Any], Any] = command.make_parser
    if getattr(original, "records_values", False):
        return

    def make_parser(ctx: Any) -> Any:
        parser = original(ctx)
        seen: dict[str, tuple[str, list[str]]] = {}
        setattr(ctx, ATTRIBUTE, seen)
        options = {id(o): o for o in (*parser._long_opt.values(), *parser._short_opt.values())}
        for option in options.values():
            if option.action == "store" and option.dest:
                _remember(option, seen)
        return parser

    make_parser.records_values = True  # type: ignore[attr-defined]
    command.make_parser = make_parser


def _remember(option: Any, seen: dict[str, tuple[str, list[str]]]) -> None:
    """Wrap one parser option so each value it stores is also appended to ``seen``."""
    process = option.process
    flag = max(getattr(option.obj, "opts", None) or [option.dest], key=len)

    def remembering(value: Any, state: Any) -> None:
        seen.setdefault(option.dest, (flag, []))[1].append(value)
        process(value, state)

    option.process = remembering


def given(ctx: Any) -> list[Given]:
    """The options given more than once on ``ctx``'s command line (not its parents')."""
    seen: dict[str, tuple[str, list[str]]] = getattr(ctx, ATTRIBUTE, None) or {}
    return [
        Given(name=name, flag=flag, values=tuple(str(v) for v in values))
        for name, (flag, values) in seen.items()
        if len(values) > 1
    ]


def conflict(item: Given, key: Callable[[str], object]) -> tuple[str, str] | None:
    """The first two values of ``item`` that mean different things, or None.

    Args:
        item: an option given more than once.
        key: what a value means (its id, its date...); may raise for a bad value, which is
            then reported as it would be for that value alone.
    """
    first = item.values[0]
    meaning = key(first)
    for other in item.values[1:]:
        if key(other) != meaning:
            return first, other
    return None


def record_all(command: Any) -> None:
    """:func:`record_values` for ``command`` and every sub-command it has already built."""
    record_values(command)
    for sub in getattr(command, "commands", {}).values():
        record_all(sub)
