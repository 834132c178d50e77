"""The files a knowledge base was made of: its base and the layers on it (``docs/layers.md``).

Kept by :attr:`gialai_remote.model.KnowledgeBase.stack`; built by
:mod:`gialai_remote.knowledge.layers`. Nothing here reads files or prints.
"""

from __future__ import annotations

import datetime as dt

from gialai_remote.records import Record


class Layer(Record):
    """One file of a knowledge base: the base (the built-in file or a full file) or a layer on it.

    Attributes:
        path: the file's display path ("<built-in>" for the shipped file).
        digest: the BLAKE2b-256 digest of the file's bytes, in hexadecimal.
        name: the layer's declared name (``layer: name:``), or None for a base.
        date: the layer's declared date (``layer: date:``), or None for a base.
        extends: what the layer extends, as written (``builtin`` or a path relative to the
            layer), or None for a base.
    """

    path: str
    digest: str
    name: str | None = None
    date: dt.date | None = None
    extends: str | None = None


class Stack(Record):
    """The files a knowledge base was made of, base first, and where each entry came from.

    Attributes:
        layers: the base, then each layer in the order they were stacked (later wins).
        digest: one BLAKE2b-256 digest (hexadecimal) of the whole stack: of every file's
            digest, in order; two machines with the same digest give the same advice.
        origins: list key ("contacts", "tools", ...) -> entry id -> index in ``layers`` of the
            layer that gave the entry, for entries given (added or replaced) by a layer only.
        removed: list key -> entry id -> index in ``layers`` of the layer that removed it.
        readings: phone digits -> the number as Vietnamese write it ("0269 3822 555"), worked
            out with the phone library when the files were read (and kept by the cache), so
            rendering needs no phone library; a number missing here is grouped when shown.
    """

    layers: tuple[Layer, ...]
    digest: str
    origins: dict[str, dict[str, int]]
    removed: dict[str, dict[str, int]]
    readings: dict[str, str]

    def origin(self, key: str, item_id: str) -> Layer | None:
        """The layer that gave entry ``item_id`` of list ``key``, or None when it is the base's."""
        index = self.origins.get(key, {}).get(item_id)
        return None if index is None else self.layers[index]

    def removed_by(self, key: str, item_id: str) -> Layer | None:
        """The layer that removed entry ``item_id`` of list ``key``, or None when none did."""
        index = self.removed.get(key, {}).get(item_id)
        return None if index is None else self.layers[index]
