"""Derived data worked out once per knowledge base (and day, language...) and kept for the process.

A knowledge base is immutable once loaded, so what is computed from it alone (with a day or a
language) is the same every time: the opening block of a late answer for a day, the list of
sources in a language, the rules in force on a day. ``check --batch`` and ``recommend --batch``
answer thousands of lines in one process against one knowledge base; each line asks for the same
few of these, which :func:`per_kb` then works out once.

Only immutable results are kept (tuples, frozen result objects), never a whole answer: a line's
answer is always worked out fresh from its query. Each memo is keyed by the knowledge base's
identity with the knowledge base itself kept beside it, so an ``id()`` reused by another object
never returns a stale value; the memos are bounded (a process rarely sees more than one
knowledge base; a batch may name many days).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: At most this many knowledge bases have memos at once (more: all are forgotten).
MAX_KBS = 8
#: At most this many values per knowledge base (more: its memos are forgotten and rebuilt).
MAX_VALUES = 4096

_MEMOS: dict[int, tuple[object, dict[Hashable, Any]]] = {}


def per_kb(kb: object, key: Hashable, build: Callable[[], T]) -> T:
    """The value of ``build()`` for ``kb`` and ``key``, worked out at the first call and kept.

    Args:
        kb: the knowledge base (any immutable object the value derives from).
        key: what else the value depends on, hashable, naming the function first
            (``("date_warnings", day, lang)``): two functions never share a key.
        build: () -> the value; called only when it is not kept yet. It must be a pure
            function of ``kb`` and ``key`` returning an immutable value.

    Returns:
        The kept value (the same object at every call while it is kept).
    """
    entry = _MEMOS.get(id(kb))
    if entry is None or entry[0] is not kb:
        if len(_MEMOS) >= MAX_KBS:
            _MEMOS.clear()
        entry = (kb, {})
        _MEMOS[id(kb)] = entry
    values = entry[1]
    try:
        return values[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    if len(values) >= MAX_VALUES:
        values.clear()
    value = values[key] = build()
    return value


def forget() -> None:
    """Forget every memo (tests; a long-lived process that loads many knowledge bases)."""
    _MEMOS.clear()
