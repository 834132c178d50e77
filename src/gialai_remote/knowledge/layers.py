"""Layers: a knowledge base made of a base and the files an agency stacks on it.

A layer file (``docs/contract.md``, "Layers"; ``docs/layers.md``) is a knowledge-base file whose
top level has a ``layer:`` mapping (``name``, ``extends``: ``builtin`` or a path relative to the
layer, ``date``) and holds only what it changes, under the keys of a full file: an entry with
an existing id replaces that entry, a new id adds one, and ``remove:`` maps a key to the ids it
removes. A layer's contact may also carry ``tools:``, the tools it supports: it is added to each
one's contacts, so a hotline needs no copy of the tool.

:func:`validate_stack` reads a stack the way :mod:`~gialai_remote.knowledge.load` reads one
file, with the same steps and bounds (:mod:`~.read`, :mod:`~.parse`), and checks it twice:

1. each layer alone, against the layer schema (:func:`layer_schema`, derived from the published
   knowledge-base schema): its keys, types and ids, duplicate ids, a removal of something the
   stack below does not have, a contact attached to no tool there;
2. the stack as a whole (:mod:`~.merge`: the merged document, with every value's position in
   its own file), with the checks of a full file (:mod:`~.structure`, :mod:`~.meaning`), then
   :mod:`~.build`. An entry removed by a layer but still named by another is reported at the
   removal's line (``removed-in-use``); two layers giving the same id is a ``layer-conflict``
   warning at the later one (later wins). Warnings about the base itself are the base's own
   business (``validate`` of the base reports them) and are left out.

Every problem names its own file, line and column. A stack without an error is kept by the
cache (:mod:`~.cache`), keyed by the digest of every file given and of the built-in file, and
valid only while every file it extends still has the digest it had.

This module is imported by :mod:`~.load` only; it imports neither ``load`` nor the CLI.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gialai_remote.errors import Problem
from gialai_remote.knowledge.build import BuildError, build
from gialai_remote.knowledge.cache import Store, code_files, digest, entry_key, stack_digest
from gialai_remote.knowledge.report import ERROR, At, Collector, Report
from gialai_remote.model import KnowledgeBase
from gialai_remote.stack import Layer, Stack

if TYPE_CHECKING:
    # Imported where a stack is read the long way: a stack seen before (:func:`kept_stack`,
    # :func:`validate_stack`'s cache hit) needs neither the merge nor the parser (issue 16).
    from gialai_remote.knowledge.merge import File, StackCollector

#: The top-level key that makes a file a layer, and the value of ``extends`` naming the
#: built-in file (also what ``--data builtin`` names).
LAYER_KEY = "layer"
BUILTIN_NAME = "builtin"
#: The display path of the shipped file.
BUILTIN_PATH = "<built-in>"
#: The most files a chain of ``extends`` may reach, base included.
MAX_CHAIN = 16


@dataclass(frozen=True, slots=True)
class Given:
    """One ``--data`` value, read.

    Attributes:
        path: as the user named it; :data:`BUILTIN_NAME` for the built-in base.
        data: its bytes (None for the built-in base: read when needed).
        size: its size as the system gave it, or None.
    """

    path: str
    data: bytes | None
    size: int | None = None


def is_layer(view: Any) -> bool:
    """True when the JSON view ``view`` is a layer's: a mapping with a ``layer:`` key."""
    return isinstance(view, dict) and LAYER_KEY in view


def list_keys(schema: dict[str, Any]) -> tuple[str, ...]:
    """The top-level keys of a knowledge base that hold lists of entries with ids (``contacts``...)."""
    return tuple(k for k, v in schema.get("properties", {}).items() if isinstance(v, dict) and v.get("type") == "array")


@functools.cache
def layer_schema() -> dict[str, Any]:
    """The schema of a layer file, derived from the published knowledge-base schema.

    The same definitions; at the top, ``layer`` (required: ``name``, ``extends``, ``date``),
    ``remove`` (a list of ids per list key), ``schema_version`` and the list keys, none of them
    required; a layer's contacts may carry ``tools`` (ids). Cached: do not modify it.
    """
    import copy

    from gialai_remote.schema import load_schema

    base = load_schema("knowledge-base")
    schema: dict[str, Any] = copy.deepcopy(base)
    keys = list_keys(base)
    properties: dict[str, Any] = {
        k: schema["properties"][k] for k in ("schema_version", *keys) if k in schema["properties"]
    }
    defs = schema["$defs"]
    if "contact" in defs and "contacts" in properties:
        contact = copy.deepcopy(defs["contact"])
        contact["properties"]["tools"] = {
            "description": "The tools this contact supports: it is added to each one's contacts.",
            "$ref": "#/$defs/ids",
        }
        defs["layer_contact"] = contact
        properties["contacts"] = {"type": "array", "items": {"$ref": "#/$defs/layer_contact"}}
    if "sources" in properties and "later_source" in defs:  # the letter is the base's: a layer adds later ones
        properties["sources"] = {"type": "array", "items": {"$ref": "#/$defs/later_source"}}
    properties[LAYER_KEY] = {
        "type": "object",
        "required": ["name", "extends", "date"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "extends": {"type": "string", "minLength": 1},
            "date": {"$ref": "#/$defs/date"},
            "comment": {"$ref": "#/$defs/comment"},
        },
    }
    properties["remove"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {k: {"$ref": "#/$defs/ids"} for k in keys},
    }
    properties["comment"] = {"$ref": "#/$defs/comment"}
    schema["properties"] = properties
    schema["required"] = [LAYER_KEY]
    schema["title"] = "gialai-remote knowledge-base layer"
    return schema


def single(path: str, data: bytes) -> Stack:
    """The :class:`~gialai_remote.model.Stack` of a knowledge base made of one file."""
    file_digest = digest(data).hex()
    return Stack((Layer(path, file_digest),), stack_digest([file_digest]), {}, {}, {})


# ---- reading the files ----------------------------------------------------------------------------


class _Stop(Exception):
    """The stack cannot be assembled; the reasons were reported."""


class _Reader:
    """Reads, parses and checks the files of one stack into :class:`~.merge.File` objects."""

    def __init__(self, out: StackCollector, builtin: Callable[[], bytes]) -> None:
        self.out = out
        self.builtin = builtin
        self.builtin_file: File | None = None
        self.deps: list[tuple[str, str]] = []  # (real path, digest): files reached by extends

    def open(self, path: str, data: bytes, size: int | None, real: str | None) -> File:
        """Decode and parse ``data`` (the file ``path``), check a layer alone; raise :class:`_Stop` on errors."""
        from gialai_remote.knowledge.merge import File
        from gialai_remote.knowledge.parse import parse
        from gialai_remote.knowledge.read import decode
        from gialai_remote.knowledge.structure import check_structure

        out = self.out
        out.register(path)
        before = out.error_count
        out.path = path
        try:
            text = decode(data, out, size)
            parsed = parse(text, out) if text is not None else None
            if parsed is None:
                raise _Stop
            view, typed = parsed
            file = File(path, real, digest(data).hex(), view, typed)
            if is_layer(view):
                check_structure(view, typed, out, schema=layer_schema())
                if out.error_count > before:
                    raise _Stop
                meta = view[LAYER_KEY]
                file.name, file.date, file.extends = meta["name"], meta["date"], meta["extends"]
            return file
        finally:
            out.path = out.final_path

    def open_builtin(self) -> File:
        """The built-in base, parsed with positions (once)."""
        if self.builtin_file is None:
            self.builtin_file = self.open(BUILTIN_PATH, self.builtin(), None, None)
        return self.builtin_file

    def base_of(self, layer: File) -> File | str:
        """The file ``layer`` extends: :data:`BUILTIN_NAME` or the file read (raises :class:`_Stop`)."""
        extends = layer.extends or ""
        if extends == BUILTIN_NAME:
            return BUILTIN_NAME
        return self.target(layer, extends)

    def target(self, layer: File, extends: str) -> File:
        """Read and parse the file ``extends`` names, relative to ``layer``'s folder."""
        from gialai_remote.knowledge.read import read_file

        here = os.path.dirname(layer.path) if layer.path != "-" else ""
        display = os.path.normpath(os.path.join(here, extends))
        read = read_file(display, self.out.lang)
        if read.data is None:
            reason = read.problem.message if read.problem else ""
            self.fail(layer, "kb.unknown_base", extends=extends, reason=reason)
        assert read.data is not None
        real = os.path.realpath(display)
        file = self.open(display, read.data, read.size, real)
        self.deps.append((real, file.digest))
        return file

    def fail(self, layer: File, key: str, **params: object) -> None:
        """Report ``unknown-base`` at ``layer``'s ``extends`` and stop."""
        line, column = layer.typed.position((LAYER_KEY, "extends"))
        self.out.add(At(line, column, layer.path), "unknown-base", key, **params)
        raise _Stop


def _assemble(given: Sequence[Given], reader: _Reader) -> list[File]:
    """The files of the stack ``given`` names, base first (raises :class:`_Stop` on errors).

    The first value may be the built-in base, a full file or a layer (whose chain of
    ``extends`` is followed down to its base); every later value must be a layer extending a
    file already in the stack (it is put on top: later wins).
    """
    stack: list[File] = []
    out = reader.out
    for index, item in enumerate(given):
        if item.path == BUILTIN_NAME and item.data is None:
            if index:
                out.register(item.path)
                out.add(At(0, 0, item.path), "not-a-layer", "kb.builtin_not_first")
                raise _Stop
            stack.append(reader.open_builtin())
            continue
        assert item.data is not None
        real = os.path.realpath(item.path) if item.path != "-" else None
        file = reader.open(item.path, item.data, item.size, real)
        if file.extends is None:
            if index:
                out.add(At(1, 1, file.path), "not-a-layer", "kb.not_a_layer")
                raise _Stop
            stack.append(file)
            continue
        if not stack:
            stack = _chain(file, reader)
            continue
        if file.extends == BUILTIN_NAME:
            known = stack[0].path == BUILTIN_PATH
        else:
            here = os.path.dirname(file.path) if file.path != "-" else ""
            wanted = os.path.realpath(os.path.join(here, file.extends))
            known = any(f.real == wanted for f in stack)
        if not known:
            reader.fail(file, "kb.base_not_in_stack", extends=file.extends, stack=", ".join(f.path for f in stack))
        stack.append(file)
    return stack


def _chain(top: File, reader: _Reader) -> list[File]:
    """``top`` and every layer it extends, down to the base: base first."""
    chain = [top]
    seen = {top.real}
    current = top
    while True:
        base = reader.base_of(current)
        if base == BUILTIN_NAME:
            return [reader.open_builtin(), *reversed(chain)]
        assert not isinstance(base, str)
        if base.real in seen or len(chain) >= MAX_CHAIN:
            reader.fail(current, "kb.base_cycle", extends=current.extends, limit=MAX_CHAIN)
        if base.extends is None:
            return [base, *reversed(chain)]
        chain.append(base)
        seen.add(base.real)
        current = base


# ---- the whole stack ------------------------------------------------------------------------------


def validate_stack(
    given: Sequence[Given],
    *,
    lang: str,
    builtin: Callable[[], bytes],
    store: Store | None = None,
) -> Report:
    """Read, check and build the knowledge base the stack ``given`` names.

    Args:
        given: the ``--data`` values in order, read (each at most the reading bound).
        lang: language of the messages, "vi" or "en".
        builtin: returns the built-in file's bytes (:func:`gialai_remote.knowledge.load.builtin_bytes`).
        store: the cache folder in use, or None: a stack seen before is rebuilt from its entry;
            one without an error is kept.

    Returns:
        A :class:`~gialai_remote.knowledge.report.Report` for the last file given, whose
        problems each name their own file; ``stack`` holds the files read (when they could be),
        ``knowledge_base`` the model (with its ``stack``) when there is no error.
    """
    name = _key(given, lang, builtin) if store is not None else ""
    if store is not None:
        kept = _kept(store.get(name), given, lang)
        if kept is not None:
            return kept
    from gialai_remote.knowledge.merge import StackCollector, merge

    final = given[-1].path if given[-1].path != BUILTIN_NAME else BUILTIN_PATH
    out = StackCollector(final, lang)
    reader = _Reader(out, builtin)
    try:
        files = _assemble(given, reader)
    except _Stop:
        return Report(final, out.problems(), unlisted=out.unlisted, unlisted_errors=out.unlisted_errors)
    layers = tuple(f.layer() for f in files)
    stack = Stack(layers, stack_digest([f.digest for f in files]), {}, {}, {})
    report = Report(final, [], stack=stack)
    merged = merge(files, out, list_keys(layer_schema()))
    if merged is None or out.has_errors:
        report.problems, report.unlisted, report.unlisted_errors = out.problems(), out.unlisted, out.unlisted_errors
        return report
    view, typed, origins, removed = merged
    kb = check_document(view, typed, out, final)
    report.problems, report.unlisted, report.unlisted_errors = out.problems(), out.unlisted, out.unlisted_errors
    if kb is None or out.has_errors:
        return report
    stack = Stack(layers, stack.digest, origins, removed, _readings(kb))
    kb = kb._replace(stack=stack)
    report.document, report.knowledge_base, report.stack = view, kb, stack
    if store is not None:
        _keep(store, name, report, files, reader.deps)
    return report


def check_document(view: Any, typed: Any, out: Collector, path: str) -> KnowledgeBase | None:
    """The checks of a full knowledge base (a file, or a stack's merged document), then its model.

    Args:
        view: the document's JSON view; typed: where each of its values is (the parser's).
        out: where problems go (its ``path`` becomes ``path``); path: the display path.

    Returns:
        The model, or None when a problem is an error (each reported in ``out``).
    """
    from gialai_remote.knowledge.meaning import check_meaning
    from gialai_remote.knowledge.report import CODES
    from gialai_remote.knowledge.structure import check_structure

    out.path = path
    if not check_structure(view, typed, out):
        return None
    check_meaning(view, typed, out)
    if out.has_errors:
        return None
    # The schema is stricter than the model builder (a test proves it), so this only fails
    # when the two have drifted apart; the problem is still reported, never a traceback.
    try:
        return build(view, path)
    except BuildError as exc:
        out.raw(typed.position(exc.path), exc.code if exc.code in CODES else "wrong-type", exc.detail)
        return None


def _readings(kb: KnowledgeBase) -> dict[str, str]:
    """The phone numbers of ``kb`` as Vietnamese write them (:mod:`gialai_remote.phones`)."""
    from gialai_remote.phones import readings

    return readings(c.phone for c in kb.contacts)


# ---- the cache ------------------------------------------------------------------------------------


def kept_stack(store: Store, given: Sequence[Given], lang: str, builtin: Callable[[], bytes]) -> Report | None:
    """The report of the stack ``given`` kept by the cache, or None (never seen, or changed since).

    Args:
        store: the cache folder in use.
        given: the ``--data`` values, read; lang: the messages' language.
        builtin: returns the built-in file's bytes.
    """
    return _kept(store.get(_key(given, lang, builtin)), given, lang)


def _key(given: Sequence[Given], lang: str, builtin: Callable[[], bytes]) -> str:
    """The cache entry's name: every file given (its absolute path, the path as it was given,
    and its digest) and the built-in file. The path as given is part of the name because the
    entry's problems and stack show it: the same file named ``p.yaml`` from its folder and
    ``/srv/p.yaml`` from elsewhere has two entries, each showing the path its user typed."""
    parts: list[str | bytes] = [lang, digest(builtin())]
    for item in given:
        where = os.path.abspath(item.path) if item.path not in ("-", BUILTIN_NAME) else item.path
        parts += [where, item.path, digest(item.data) if item.data is not None else b""]
    return entry_key("stack", *parts)


def _keep(store: Store, name: str, report: Report, files: Sequence[File], deps: list[tuple[str, str]]) -> None:
    """Keep an error-free stack's report under ``name``."""
    from gialai_remote.package_data import package_path

    assert report.knowledge_base is not None and report.stack is not None
    paths = [f.path for f in files]
    problems = [
        (paths.index(p.path) if p.path in paths else -1, p.line, p.column, p.code, p.message, p.severity)
        for p in report.problems
    ]
    layers = [
        (x.path, x.digest, x.name, x.date.isoformat() if x.date else None, x.extends) for x in report.stack.layers
    ]
    value = {
        "view": report.document,
        "problems": problems,
        "unlisted": report.unlisted,
        "layers": layers,
        "deps": deps,
        "origins": report.stack.origins,
        "removed": report.stack.removed,
        "readings": report.stack.readings,
    }
    schema = package_path("schemas", "knowledge-base.schema.json")
    store.put(name, value, code_files([schema] if schema else []))


def _kept(kept: Any, given: Sequence[Given], lang: str) -> Report | None:
    """The report a cache entry holds, or None when it is not one or a file it extends changed."""
    from gialai_remote.knowledge.read import read_file

    if not isinstance(kept, dict):
        return None
    try:
        for real, want in kept["deps"]:
            read = read_file(real, lang)
            if read.data is None or digest(read.data).hex() != want:
                return None
        layers = tuple(Layer(p, d, n, _date(w), e) for p, d, n, w, e in kept["layers"])
        paths = [x.path for x in layers]
        final = given[-1].path if given[-1].path != BUILTIN_NAME else BUILTIN_PATH
        problems = [Problem(paths[i] if 0 <= i < len(paths) else final, *rest) for i, *rest in kept["problems"]]
        if any(p.severity == ERROR for p in problems):
            return None
        digest_all = stack_digest([x.digest for x in layers])
        stack = Stack(layers, digest_all, kept["origins"], kept["removed"], dict(kept["readings"]))
        kb = build(kept["view"], final)._replace(stack=stack)
    except (KeyError, TypeError, ValueError, BuildError):
        return None
    return Report(final, problems, document=kept["view"], knowledge_base=kb, unlisted=kept["unlisted"], stack=stack)


def _date(value: Any) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if isinstance(value, str) else None


__all__ = [
    "BUILTIN_NAME",
    "Given",
    "is_layer",
    "kept_stack",
    "layer_schema",
    "single",
    "stack_digest",
    "validate_stack",
]
