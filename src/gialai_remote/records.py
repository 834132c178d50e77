"""Immutable records: ``typing.NamedTuple`` for the type checker, ``collections.namedtuple`` at run time.

Every object of the model (:mod:`gialai_remote.model`), the advice (:mod:`gialai_remote.advice`)
and the other start-up modules is a record declared like a ``typing.NamedTuple``::

    class Cite(Record):
        source: str
        section: str | None = None

        def label(self) -> str: ...

The type checker sees exactly ``typing.NamedTuple`` (``Record`` is that name when type
checking). At run time the class is made by ``collections.namedtuple`` from the annotated
names and their defaults, and the class body's methods, properties and docstring are copied
onto it, which is what ``typing.NamedTuple`` does too, without turning every annotation into a
``typing.ForwardRef`` (a ``compile()`` per field). Measured on CPython 3.11 (``benchmarks/
startup.py``'s machine, instructions counted with callgrind): 2.3 M instructions per class of
eight fields for ``typing.NamedTuple``, 0.8 M for this; the 37 records imported by
``recommend`` cost 85 M against 30 M, and a frozen ``dataclass`` 4-6 times more than
``typing.NamedTuple`` (its methods are generated as source text and compiled at import).

The records are what ``typing.NamedTuple`` gives: ``_fields``, ``_field_defaults``,
``_replace``, ``_asdict``, equality and hashing by value, no attribute assignment. The same
declaration errors are raised: a field without a default after one with a default
(TypeError), and a body that defines one of the names a named tuple owns (AttributeError).
The annotations are kept unevaluated in ``__annotations__`` (strings under ``from __future__
import annotations``).
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

__all__ = ["Record"]

#: What a class body may not define: the named tuple's own machinery (as ``typing.NamedTuple``).
_PROHIBITED = frozenset(
    {
        "__new__",
        "__init__",
        "__slots__",
        "__getnewargs__",
        "_fields",
        "_field_defaults",
        "_make",
        "_replace",
        "_asdict",
        "_source",
    }
)
#: What is not copied from the class body onto the class (it has its own).
_OWN = frozenset({"__module__", "__qualname__", "__annotations__", "__classcell__"})


class _RecordMeta(type):
    """Makes each subclass of :class:`Record` a ``collections.namedtuple`` class."""

    def __new__(mcls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        """Return the named-tuple class declared by the body ``ns`` (``Record`` itself for the
        base). Raises TypeError (a field without a default after a defaulted one) and
        AttributeError (a body defining a name of :data:`_PROHIBITED`)."""
        if not bases:  # Record itself
            return super().__new__(mcls, typename, bases, ns)
        if bases != (Record,):
            raise TypeError(f"{typename}: a record derives from Record alone")
        annotations: dict[str, Any] = ns.get("__annotations__", {})
        fields = list(annotations)
        defaults = []
        for name in fields:
            if name in ns:
                defaults.append(ns[name])
            elif defaults:
                raise TypeError(f"Non-default namedtuple field {name} cannot follow default field(s)")
        cls = collections.namedtuple(typename, fields, defaults=defaults, module=ns.get("__module__"))  # type: ignore[misc]
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            if key not in _OWN and key not in annotations:
                setattr(cls, key, value)
        cls.__qualname__ = ns.get("__qualname__", typename)
        cls.__annotations__ = dict(annotations)
        if "__classcell__" in ns:  # a method uses super() or __class__
            ns["__classcell__"].cell_contents = cls
        return cls


if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class Record(metaclass=_RecordMeta):
        """The base of a record: ``class Name(Record):`` with annotated fields (module docstring)."""
