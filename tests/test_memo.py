"""memo.per_kb: derived data kept per knowledge base, bounded, never mixed between two of them."""

from __future__ import annotations

import datetime as dt

from gialai_remote import memo
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.since import date_warnings


class _Base:
    """A stand-in for a knowledge base (any object works)."""


def test_a_value_is_worked_out_once_per_object_and_key() -> None:
    memo.forget()
    calls: list[str] = []
    first, second = _Base(), _Base()

    def build(name: str) -> str:
        calls.append(name)
        return name

    assert memo.per_kb(first, ("k", 1), lambda: build("a")) == "a"
    assert memo.per_kb(first, ("k", 1), lambda: build("b")) == "a"  # kept
    assert memo.per_kb(first, ("k", 2), lambda: build("c")) == "c"  # another key
    assert memo.per_kb(second, ("k", 1), lambda: build("d")) == "d"  # another object
    assert calls == ["a", "c", "d"]


def test_the_memos_are_bounded_and_still_right_after_forgetting() -> None:
    memo.forget()
    base = _Base()
    for i in range(memo.MAX_VALUES + 10):
        assert memo.per_kb(base, ("n", i), (2 * i).__int__) == i * 2
    assert len(memo._MEMOS[id(base)][1]) <= memo.MAX_VALUES
    bases = [_Base() for _ in range(memo.MAX_KBS + 3)]
    for n, each in enumerate(bases):
        assert memo.per_kb(each, ("x",), n.__int__) == n
    assert len(memo._MEMOS) <= memo.MAX_KBS
    assert [memo.per_kb(each, ("x",), lambda: -1) for each in bases[-2:]] == [len(bases) - 2, len(bases) - 1]


def test_a_kept_list_is_never_shared_with_a_caller() -> None:
    """date_warnings keeps a tuple and gives each caller a list of its own to append to."""
    kb = load_knowledge_base()
    day = dt.date(2026, 11, 29)
    first = date_warnings(kb, day, "vi")
    first.append(first[0])
    assert date_warnings(kb, day, "vi") == first[:-1]
    assert date_warnings(kb, day, "en") != first[:-1]
