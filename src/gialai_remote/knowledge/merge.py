"""Stacking layers on a base: the merged document, where each value came from, and what changed.

:func:`merge` takes the files of a stack (base first, each parsed with its positions, each
layer checked alone against the layer schema; see :mod:`~gialai_remote.knowledge.layers`) and
gives the document a full file would be, with a :class:`~gialai_remote.knowledge.parse.Typed`
whose every position is an :class:`~gialai_remote.knowledge.report.At` in its own file, so the
checks of a full file report each problem where it is written. Per layer, in order:

1. ``remove:``: each id is taken out of its list (``nothing-to-remove`` when the stack below
   has none); a removed tool is also taken out of the rules and notices naming it, and a rule
   or notice left naming no tool goes with it;
2. each entry: an existing id is replaced in place, a new id is appended (a duplicate id in
   the layer is an error; an id another layer gave or removed is a ``layer-conflict`` warning,
   and this layer's entry wins);
3. each contact's ``tools:``: the contact is added to those tools' contacts (after theirs).

Each layer is also a source of the merged document (``sources:``, kind ``layer``, id
``layer-N`` for the N-th file of the stack, titled with the layer's name and dated with its
date): a contact the layer gives without a ``source`` of its own cites it, so it counts as
verified on the layer's date unless it says ``verified_on``, and every answer says which layer
the number comes from (``docs/layers.md``).

:class:`StackCollector` words the problems the later checks find about removed entries as
``removed-in-use`` at the removal's line, and leaves out warnings about the base itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gialai_remote.i18n import t
from gialai_remote.knowledge.parse import Typed
from gialai_remote.knowledge.report import CODES, WARNING, At, Collector, JsonPath, Position, listed
from gialai_remote.stack import Layer

#: The top-level key of a layer's own mapping (``layer:``).
LAYER_PATH = "layer"


def layer_source(index: int) -> str:
    """The id of the source standing for the ``index``-th file of a stack ("layer-1")."""
    return f"layer-{index}"


#: The keys that name a tool inside rules and notices, pruned when a layer removes the tool.
_NAMING_TOOLS = (("rules", "tools"), ("notices", "affects"))


@dataclass
class File:
    """One file of a stack, parsed.

    Attributes:
        path: its display path.
        real: its real path (links resolved), or None (the built-in file, standard input).
        digest: the BLAKE2b-256 digest of its bytes, hexadecimal.
        view: its JSON view; typed: where each value is.
        name, date, extends: a layer's ``layer:`` values (ISO text for the date); None for a base.
    """

    path: str
    real: str | None
    digest: str
    view: Any
    typed: Typed
    name: str | None = None
    date: str | None = None
    extends: str | None = None

    def layer(self) -> Layer:
        """The :class:`~gialai_remote.model.Layer` describing this file."""
        day = dt.date.fromisoformat(self.date) if self.date else None
        return Layer(self.path, self.digest, self.name, day, self.extends)

    def at(self, path: JsonPath, key: bool = False) -> At:
        """The position of ``path`` (of its key when ``key``) in this file."""
        line, column = self.typed.key_position(path) if key else self.typed.position(path)
        return At(line, column, self.path)


class StackCollector(Collector):
    """The problems of a stack: a :class:`~gialai_remote.knowledge.report.Collector` that puts
    each problem in its own file and words references to removed entries as ``removed-in-use``.

    Attributes:
        final_path: the display path of the last file given (the report's).
        quiet: files whose warnings are left out (the base).
        removals: (the kind's words, id) -> the position of the removal, for every entry removed.
    """

    def __init__(self, path: str, lang: str) -> None:
        super().__init__(path, lang)
        self._files = {}  # ranked as the files are read: the base first
        self.final_path = path
        self.quiet: set[str] = set()
        self.removals: dict[tuple[str, str], Position] = {}
        #: (file, line, column) of a value of the merged document -> (list key, entry id) of its
        #: entry, for saying who still names a removed entry (set by :func:`merge`).
        self.owners: dict[tuple[str, int, int], tuple[str, str]] = {}

    def add(self, pos: Position, code: str, message_key: str, /, **params: object) -> None:
        """As :meth:`Collector.add`; a reference to a removed entry is reported at its removal."""
        if code in ("unknown-reference", "missing-id") and self.removals:
            item = params.get("value" if code == "unknown-reference" else "id")
            removal = self.removals.get((str(params.get("what")), str(item)))
            if removal is not None:
                file = getattr(pos, "path", self.path)
                where = f"{file}:{pos[0]}:{pos[1]}"
                owner = self.owners.get((file, pos[0], pos[1]))
                if owner is not None:
                    where = f"{_kind(owner[0], self.lang)} {owner[1]} ({where})"
                key = "kb.removed_in_use" if code == "unknown-reference" else "kb.removed_required"
                super().add(removal, "removed-in-use", key, what=params.get("what"), id=item, where=where)
                return
        if CODES.get(code) == WARNING and getattr(pos, "path", self.path) in self.quiet:
            return
        super().add(pos, code, message_key, **params)


@dataclass
class _Entry:
    """One entry of the merged document: its value and where it was written."""

    value: dict[str, Any]
    file: File
    path: JsonPath  # (key, index) in ``file``
    layer: int
    extra: dict[JsonPath, Position] = field(default_factory=dict)  # positions of values added to it
    dropped: set[JsonPath] = field(default_factory=set)  # lists whose items moved


def _kind(key: str, lang: str) -> str:
    """The words naming an entry of list ``key`` ("người liên hệ"), as the meaning checks say them."""
    from gialai_remote.knowledge.meaning import _ID_LISTS

    return t(_ID_LISTS.get(key, "kind.tool"), lang)


def _ids_of(value: Any) -> list[tuple[int, dict[str, Any], str]]:
    """(index, entry, id) of each entry with a text id in list ``value``."""
    if not isinstance(value, list):
        return []
    return [(j, e, e["id"]) for j, e in enumerate(value) if isinstance(e, dict) and isinstance(e.get("id"), str)]


class _Merger:
    """The merged lists of one stack, as layers are applied."""

    def __init__(self, files: Sequence[File], out: StackCollector, keys: Sequence[str]) -> None:
        self.files, self.out, self.keys = files, out, keys
        base = files[0]
        self.lists: dict[str, dict[str, _Entry]] = {}
        for key in keys:
            self.lists[key] = {i: _Entry(e, base, (key, j), 0) for j, e, i in _ids_of(base.view.get(key))}
        self.origins: dict[str, dict[str, int]] = {}
        self.removed: dict[str, dict[str, int]] = {}
        self.given: dict[tuple[str, str], tuple[int, At]] = {}

    def conflict(self, key: str, item_id: str, layer: int, pos: At) -> None:
        """Warn when another layer gave or removed ``item_id`` already (this one wins)."""
        previous = self.given.get((key, item_id))
        other = previous[0] if previous else self.removed.get(key, {}).get(item_id)
        if other is not None and other != layer:
            before = self.files[other]
            where = f"{previous[1].path}:{previous[1][0]}" if previous else before.path
            self.out.add(
                pos,
                "layer-conflict",
                "kb.layer_conflict",
                what=_kind(key, self.out.lang),
                id=item_id,
                other=before.name or before.path,
                where=where,
            )

    def remove(self, layer: int, file: File) -> None:
        """Apply ``file``'s ``remove:``."""
        removals = file.view.get("remove")
        if not isinstance(removals, dict):
            return
        lang = self.out.lang
        for key, ids in removals.items():
            if key not in self.lists or not isinstance(ids, list):
                continue
            own = {i for _, _, i in _ids_of(file.view.get(key))}
            seen: dict[Any, int] = {}
            for n, item_id in enumerate(ids):
                pos = file.at(("remove", key, n))
                what = _kind(key, lang)
                if isinstance(item_id, str) and item_id in seen:  # the same id twice in one list
                    self.out.add(pos, "duplicate-id", "kb.duplicate_id", what=what, id=item_id, line=seen[item_id])
                    continue
                if isinstance(item_id, str):
                    seen[item_id] = pos[0]
                if item_id in own:
                    self.out.add(pos, "duplicate-id", "kb.removed_and_given", what=what, id=item_id)
                    continue
                if item_id not in self.lists[key] and self.removed.get(key, {}).get(item_id) is not None:
                    # An earlier layer removed it already (the province and the agency both forbid
                    # a public app): the same outcome, noted as a conflict, never an error.
                    self.conflict(key, item_id, layer, pos)
                    self.removed[key][item_id] = layer
                    continue
                if item_id not in self.lists[key]:
                    choices = listed(sorted(self.lists[key]), lang)
                    self.out.add(
                        pos, "nothing-to-remove", "kb.nothing_to_remove", what=what, id=item_id, choices=choices
                    )
                    continue
                self.conflict(key, item_id, layer, pos)
                del self.lists[key][item_id]
                self.origins.get(key, {}).pop(item_id, None)
                self.given.pop((key, item_id), None)
                self.removed.setdefault(key, {})[item_id] = layer
                self.out.removals[(what, item_id)] = pos
                if key == "tools":
                    self.prune(item_id)

    def prune(self, tool_id: str) -> None:
        """Take ``tool_id`` out of the rules and notices naming it; drop those left naming nothing."""
        for key, name in _NAMING_TOOLS:
            for item_id, entry in list(self.lists.get(key, {}).items()):
                named = entry.value.get(name)
                if isinstance(named, list) and tool_id in named:
                    kept = [x for x in named if x != tool_id]
                    if not kept:
                        del self.lists[key][item_id]
                        continue
                    entry.value = {**entry.value, name: kept}
                    entry.dropped.add((name,))

    def cite_layer(self, layer: int, file: File) -> None:
        """Add the source standing for ``file`` (the ``layer``-th file of the stack), when the
        document has ``sources``."""
        if "sources" not in self.lists:
            return
        source_id = layer_source(layer)
        source: dict[str, Any] = {
            "id": source_id,
            "kind": "layer",
            "title": {"vi": file.name or file.path, "en": file.name or file.path},
            "issuer": None,
            "date": file.date,
        }
        entry = _Entry(source, file, (LAYER_PATH,), layer)
        entry.extra[()] = file.at((LAYER_PATH,))
        self.lists["sources"][source_id] = entry

    def give(self, layer: int, file: File) -> list[tuple[str, list[Any], JsonPath]]:
        """Apply ``file``'s entries; return the contacts' ``tools:`` to attach afterwards."""
        attach: list[tuple[str, list[Any], JsonPath]] = []
        for key in self.keys:
            first: dict[str, int] = {}
            for j, value, item_id in _ids_of(file.view.get(key)):
                pos = file.at((key, j, "id"))
                if item_id in first:
                    what = _kind(key, self.out.lang)
                    self.out.add(pos, "duplicate-id", "kb.duplicate_id", what=what, id=item_id, line=first[item_id])
                    continue
                first[item_id] = pos[0]
                entry = _Entry(value, file, (key, j), layer)
                if key == "contacts" and "tools" in value:
                    if isinstance(value["tools"], list):
                        attach.append((item_id, value["tools"], (key, j, "tools")))
                    entry.value = {k: v for k, v in value.items() if k != "tools"}
                    entry.dropped.add(("tools",))
                if (
                    key == "tools"
                    and "source" not in value
                    and item_id not in self.lists[key]
                    and "sources" in self.lists
                ):
                    # a system the agency added is not one the letter names (the late answer counts those)
                    entry.value = {**entry.value, "source": layer_source(layer)}
                if key == "contacts" and "source" not in value and "sources" in self.lists:
                    entry.value = {**entry.value, "source": layer_source(layer)}  # verified by the layer
                self.conflict(key, item_id, layer, pos)
                self.lists[key][item_id] = entry  # in place when it exists: dicts keep their order
                self.origins.setdefault(key, {})[item_id] = layer
                self.removed.get(key, {}).pop(item_id, None)
                self.given[(key, item_id)] = (layer, pos)
        return attach

    def attach(self, file: File, contact_id: str, tool_ids: list[Any], path: JsonPath) -> None:
        """Add contact ``contact_id`` to each of ``tool_ids``' contacts."""
        tools = self.lists.get("tools", {})
        for n, tool_id in enumerate(tool_ids):
            pos = file.at(path + (n,))
            tool = tools.get(tool_id) if isinstance(tool_id, str) else None
            if tool is None:
                what = _kind("tools", self.out.lang)
                choices = listed(sorted(tools), self.out.lang)
                self.out.add(
                    pos, "unknown-reference", "kb.unknown_reference", what=what, value=tool_id, hint="", choices=choices
                )
                continue
            contacts = tool.value.get("contacts")
            contacts = list(contacts) if isinstance(contacts, list) else []
            if contact_id in contacts:
                continue
            if not contacts:
                tool.extra[("contacts",)] = pos
            tool.extra[("contacts", len(contacts))] = pos
            tool.value = {**tool.value, "contacts": [*contacts, contact_id]}

    def document(self) -> tuple[dict[str, Any], Typed]:
        """The merged document and where each of its values is."""
        base = self.files[0]
        view = dict(base.view)
        typed = Typed()
        groups = {id(f): _groups(f, self.keys) for f in self.files}
        for path, pos in groups[id(base)][None]:
            _copy(typed, path, pos, base)
        for key in self.keys:
            if key not in view and not self.lists[key]:
                continue
            view[key] = [entry.value for entry in self.lists[key].values()]
            if (key,) not in typed.positions:
                giver = next((e.file for e in self.lists[key].values()), base)
                typed.positions[(key,)] = giver.at((key,))
                typed.key_positions[(key,)] = giver.at((key,), key=True)
            for i, entry in enumerate(self.lists[key].values()):
                prefix = (key, i)
                for rest, pos in groups[id(entry.file)].get(entry.path, ()):
                    if any(len(rest) > len(d) and rest[: len(d)] == d for d in entry.dropped):
                        continue
                    _copy(typed, prefix + rest, pos, entry.file)
                for rest, at in entry.extra.items():
                    typed.positions[prefix + rest] = at
        return view, typed


#: What :func:`_groups` gives: the entry path (key, index), or None for the rest of the
#: document -> (the path below it, [kind, value]) where kind is 0 position, 1 key position,
#: 2 retyped scalar, 3 quoted.
_Groups = dict[Any, list[tuple[JsonPath, tuple[int, Any]]]]


def _groups(file: File, keys: Sequence[str]) -> _Groups:
    """Everything ``file.typed`` knows, grouped by the entry each path belongs to."""
    out: _Groups = {None: []}
    typed = file.typed
    sources: list[tuple[int, Any]] = [
        (0, typed.positions.items()),
        (1, typed.key_positions.items()),
        (2, typed.scalars.items()),
        (3, ((p, None) for p in typed.quoted)),
    ]
    for kind, items in sources:
        for path, value in items:
            if len(path) >= 2 and path[0] in keys and isinstance(path[1], int):
                out.setdefault(path[:2], []).append((path[2:], (kind, value)))
            else:
                out[None].append((path, (kind, value)))
    return out


def _copy(typed: Typed, path: JsonPath, item: tuple[int, Any], file: File) -> None:
    """Record ``item`` (see :data:`_Groups`) at ``path`` of the merged document."""
    kind, value = item
    if kind == 0:
        typed.positions[path] = At(value[0], value[1], file.path)
    elif kind == 1:
        typed.key_positions[path] = At(value[0], value[1], file.path)
    elif kind == 2:
        typed.scalars[path] = value
    else:
        typed.quoted.add(path)


def merge(
    files: Sequence[File], out: StackCollector, keys: Sequence[str]
) -> tuple[dict[str, Any], Typed, dict[str, dict[str, int]], dict[str, dict[str, int]]] | None:
    """Stack ``files[1:]`` on ``files[0]``.

    Args:
        files: the base, then each layer (checked alone already), in order.
        out: where problems go; its ``quiet`` and ``removals`` are filled here.
        keys: the list keys of a knowledge base (:func:`~.layers.list_keys`).

    Returns:
        (document, typed, origins, removed): the merged JSON view, where each of its values is
        (:class:`~.report.At` positions), list key -> id -> index of the layer that gave each
        entry a layer gave, and of the layer that removed each entry removed; None when the
        base is not a mapping (reported by the checks of a full file instead).
    """
    if not isinstance(files[0].view, dict):
        return None
    if files[0].view.get("schema_version") == 1:  # an agency's format-1 copy: layers are format 2's
        from gialai_remote.knowledge.upgrade import from_v1

        files[0].view = from_v1(files[0].view)
    out.quiet.add(files[0].path)
    merger = _Merger(files, out, keys)
    for layer, file in enumerate(files[1:], start=1):
        merger.cite_layer(layer, file)
        merger.remove(layer, file)
        for contact_id, tool_ids, path in merger.give(layer, file):
            merger.attach(file, contact_id, tool_ids, path)
    view, typed = merger.document()
    if out.removals:
        for path, pos in typed.positions.items():
            if len(path) > 2 and isinstance(path[0], str) and isinstance(path[1], int) and isinstance(pos, At):
                items = view.get(path[0])
                entry = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    out.owners[(pos.path, pos[0], pos[1])] = (str(path[0]), entry["id"])
    return view, typed, merger.origins, merger.removed
