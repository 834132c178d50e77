"""Records (gialai_remote.records): what typing.NamedTuple gives, at collections.namedtuple's cost."""

from __future__ import annotations

import pickle
from typing import Any, NamedTuple

import pytest

from gialai_remote import records
from gialai_remote.records import Record


class Point(Record):
    """A point on a sheet."""

    x: int
    y: int = 0
    label: str | None = None

    def moved(self, dx: int) -> Point:
        """The point ``dx`` to the right."""
        return self._replace(x=self.x + dx)

    @property
    def far(self) -> bool:
        """True beyond 100 on either axis."""
        return abs(self.x) > 100 or abs(self.y) > 100


class TypedPoint(NamedTuple):
    """The same declaration through typing.NamedTuple, to compare with."""

    x: int
    y: int = 0
    label: str | None = None


def test_a_record_is_a_named_tuple_like_typing_gives() -> None:
    p = Point(3, label="A")
    t = TypedPoint(3, label="A")
    assert tuple(p) == tuple(t) == (3, 0, "A")
    assert Point._fields == TypedPoint._fields == ("x", "y", "label")
    assert Point._field_defaults == TypedPoint._field_defaults == {"y": 0, "label": None}
    assert repr(p) == "Point(x=3, y=0, label='A')"
    assert p._asdict() == t._asdict()
    assert Point(x=1) == Point(1, 0, None) and hash(Point(1)) == hash(Point(1, 0))
    assert Point.__doc__ == "A point on a sheet." and Point.__module__ == __name__
    assert Point.__qualname__ == "Point" and Point.__name__ == "Point"
    assert Point.__annotations__ == {"x": "int", "y": "int", "label": "str | None"}
    assert Point.__match_args__ == ("x", "y", "label")


def test_methods_properties_and_replace() -> None:
    p = Point(50, 2)
    assert p.moved(60) == Point(110, 2) and p.moved(60).far and not p.far
    assert p._replace(label="B").label == "B" and p.label is None
    with pytest.raises(ValueError):
        p._replace(z=1)  # type: ignore[call-arg]


def test_a_record_is_immutable() -> None:
    p = Point(1)
    with pytest.raises(AttributeError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.z = 2  # type: ignore[attr-defined]
    assert not hasattr(p, "__dict__")


def test_a_record_pickles_by_value() -> None:
    p = Point(4, 5, "C")
    assert pickle.loads(pickle.dumps(p)) == p


def test_super_in_a_method_reaches_the_tuple() -> None:
    """typing.NamedTuple of Python 3.11 refuses a body using super(); a record's reaches tuple's."""

    class Named(Record):
        name: str

        def count_of(self, value: str) -> int:
            return super().count(value)

    assert Named("a").count_of("a") == 1


def test_a_field_without_a_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow default field"):

        class Bad(Record):
            a: int = 0
            b: int  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(records._PROHIBITED))
def test_a_body_cannot_redefine_the_named_tuples_machinery(name: str) -> None:
    with pytest.raises(AttributeError, match=f"Cannot overwrite NamedTuple attribute {name}"):
        meta: Any = type(Record)
        meta("Bad", (Record,), {"__module__": __name__, "__annotations__": {"a": "int"}, name: None})


def test_a_record_derives_from_record_alone() -> None:
    with pytest.raises(TypeError, match="derives from Record alone"):

        class Both(Record, dict):  # type: ignore[misc,type-arg]
            a: int


def test_the_model_and_the_advice_are_records() -> None:
    """The start-up path builds no dataclass (each costs a compile of generated source)."""
    import dataclasses

    from gialai_remote import advice, errors, rulekind, stack
    from gialai_remote.model import entries, knowledge_base

    for module in (entries, knowledge_base, advice, rulekind, errors, stack):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                assert not dataclasses.is_dataclass(value), value
