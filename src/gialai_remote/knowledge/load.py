"""Loading a knowledge base: the built-in fast path, or validate-then-build for any other file.

The built-in ``guidance.yaml`` ships inside the package and is read through
``importlib.resources`` (:func:`gialai_remote.package_data.package_file`); the test suite
validates it, so it takes the fast path (libyaml's ``CSafeLoader`` and
:func:`~gialai_remote.knowledge.build.build`). A file named by ``--data`` or
``GIALAI_REMOTE_DATA`` is first checked in full by :func:`validate_file`, so a broken file gives
the same ``PATH:LINE:COLUMN`` problems as ``gialai-remote validate`` and never falls back
silently.

Validation runs these steps, each on what the previous one produced (each module's doc says
what it checks): :mod:`~gialai_remote.knowledge.read` (bytes, the size bound, UTF-8),
:mod:`~gialai_remote.knowledge.parse` (YAML events with the hostile-file bounds, the JSON view
with positions), :mod:`~gialai_remote.knowledge.structure` (the JSON Schema, YAML 1.1 traps),
:mod:`~gialai_remote.knowledge.meaning` (ids, references, phones, URLs, translations), then
:mod:`~gialai_remote.knowledge.build`. Problems go to one
:class:`~gialai_remote.knowledge.report.Collector`, and the result is a
:class:`~gialai_remote.knowledge.report.Report`.

Those modules, and the heavy libraries they use (PyYAML, jsonschema, phonenumbers), are
imported inside the functions: a command using the built-in file imports only this module,
the builder and the cache.

With ``cache=True`` (what the command line passes unless ``--no-cache`` is given) the result
of parsing the built-in file, or of validating any other file without an error, is kept by
:mod:`~gialai_remote.knowledge.cache`, keyed by the file's bytes; the next run with the same
bytes rebuilds the model from the kept view without PyYAML, jsonschema or phonenumbers. A
``--data`` file is still read by :func:`~gialai_remote.knowledge.read.read_file` first, with
its bounds, and only a file that validated without an error is ever kept.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gialai_remote.errors import KnowledgeBaseError, Problem
from gialai_remote.knowledge.build import BuildError, build
from gialai_remote.package_data import package_file, package_path

if TYPE_CHECKING:
    from gialai_remote.knowledge.cache import Store
    from gialai_remote.knowledge.report import Collector, Report
    from gialai_remote.model import KnowledgeBase

#: The display path of the shipped file in problems ("<built-in>:0:0: unreadable ...").
BUILTIN = "<built-in>"
#: What ``--data`` (and ``extends:``) call the shipped file (``knowledge.layers.BUILTIN_NAME``).
_BUILTIN_NAME = "builtin"


def builtin_bytes() -> bytes:
    """Return the bytes of the shipped ``guidance.yaml`` (package data ``data/guidance.yaml``).

    Read as a plain file when the package is a folder on disk (no :mod:`importlib.resources`
    machinery on the start-up path), else through :func:`~gialai_remote.package_data.package_file`.

    Raises:
        OSError: the package is installed without its data file.
    """
    plain = package_path("data", "guidance.yaml")
    if plain is not None:
        with open(plain, "rb") as fh:
            return fh.read()
    return package_file("data", "guidance.yaml").read_bytes()


def load_knowledge_base(
    path: str | Sequence[str] | None = None, *, lang: str = "vi", cache: bool = False
) -> KnowledgeBase:
    """Load and check the knowledge base.

    Args:
        path: a YAML file ("-": standard input), or None for the built-in one; or a stack:
            several files, the first a base (a full file, or ``builtin`` for the built-in one)
            or a layer, the others layers on it, later winning (:mod:`~.layers`). A layer
            alone is stacked on what it extends.
        lang: language of problem messages ("vi" or "en").
        cache: use the knowledge-base cache (:mod:`~gialai_remote.knowledge.cache`): a file
            whose bytes were parsed (the built-in one) or validated without an error before
            is rebuilt from the kept view; a miss is read the long way and kept.

    Returns:
        The :class:`~gialai_remote.model.KnowledgeBase`.

    Raises:
        KnowledgeBaseError: the file cannot be read or has errors (warnings do not raise);
            each problem carries the file's path, line and column.
    """
    paths = [path] if isinstance(path, str) else list(path or ())
    if not paths or paths == [_BUILTIN_NAME]:
        try:
            return _load_builtin(_open_store(cache))
        except (BuildError, OSError, _NotYaml) as exc:  # a broken install, not user input
            raise KnowledgeBaseError(
                [Problem(BUILTIN, 0, 0, "unreadable", f"built-in knowledge base: {exc}")]
            ) from None

    report = validate_paths(paths, lang=lang, cache=cache)
    if report.errors or report.knowledge_base is None:
        raise KnowledgeBaseError(report.errors or report.problems)
    return report.knowledge_base


def _open_store(cache: bool) -> Store | None:
    """The cache folder in use, or None (``cache`` false, or no usable folder)."""
    if not cache:
        return None
    from gialai_remote.knowledge.cache import Store

    return Store.open()


def _load_builtin(store: Store | None) -> KnowledgeBase:
    """The built-in knowledge base: from the cache when its bytes were parsed before, else parsed.

    Raises:
        OSError: the data file is missing.
        _NotYaml: the file is not YAML.
        BuildError: a value has the wrong shape.
    """
    data = builtin_bytes()
    if store is not None:
        from gialai_remote.knowledge.cache import digest, entry_key

        name = entry_key("builtin", digest(data))
        kept = store.get(name)
        if isinstance(kept, dict) and "view" in kept and isinstance(kept.get("readings"), dict):
            with collector_paused():
                try:
                    return _with_readings(build(kept["view"], BUILTIN), kept["readings"], data)
                except BuildError:  # the builder changed what it accepts: parse again
                    pass
    import yaml

    with collector_paused():
        try:
            document = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader
        except yaml.YAMLError as exc:
            raise _NotYaml(str(exc)) from None
        kb = build(document, BUILTIN)
    if store is not None:
        from gialai_remote.knowledge.cache import code_files
        from gialai_remote.phones import readings

        # Worked out once, when the file is parsed, and kept: the phone library costs 25 ms.
        kb = _with_readings(kb, readings(c.phone for c in kb.contacts), data)
        view = _plain(document)
        if view is not _UNPLAIN:
            store.put(name, {"view": view, "readings": readings(c.phone for c in kb.contacts)}, code_files())
    return kb


def _with_readings(kb: KnowledgeBase, readings: dict[str, str], data: bytes | None = None) -> KnowledgeBase:
    """``kb`` with the stack of its one file (the built-in one unless ``data`` is given) and
    its phone numbers' readings (:attr:`gialai_remote.stack.Stack.readings`)."""
    from gialai_remote.knowledge.cache import digest, stack_digest
    from gialai_remote.stack import Layer, Stack

    file_digest = digest(builtin_bytes() if data is None else data).hex()
    stack = Stack((Layer(kb.path, file_digest),), stack_digest([file_digest]), {}, {}, dict(readings))
    return kb._replace(stack=stack)


class _NotYaml(Exception):
    """The built-in file is not YAML (a broken install); the message is PyYAML's."""


def load_bytes(data: bytes, path: str) -> KnowledgeBase:
    """Parse checked knowledge-base bytes with libyaml's ``CSafeLoader`` and build the model.

    The fast path of the built-in file, which the test suite validates; nothing is checked
    here beyond the shapes :func:`~gialai_remote.knowledge.build.build` needs.

    Args:
        data: the file's bytes (UTF-8).
        path: the display path, kept on the result.

    Raises:
        yaml.YAMLError: not YAML.
        BuildError: a value has the wrong shape.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with collector_paused():
        return build(yaml.load(data, Loader=loader), path)  # noqa: S506 - safe loader


#: What :func:`_plain` returns for a value the cache cannot keep.
_UNPLAIN = object()


def _plain(value: Any) -> Any:
    """``value`` (what the safe loader gives) with its dates as ISO text, as validation's JSON view has them.

    The builder reads a date either way. Returns :data:`_UNPLAIN` when something else than
    mappings, lists, text, numbers, booleans, None and dates is found (a YAML tag the file
    should not have): such a document is not cached.
    """
    import datetime as dt

    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            plain = _plain(item)
            if plain is _UNPLAIN or not isinstance(key, (str, int, float, bool)):
                return _UNPLAIN
            out[key] = plain
        return out
    if isinstance(value, list):
        items = [_plain(item) for item in value]
        return _UNPLAIN if any(item is _UNPLAIN for item in items) else items
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _UNPLAIN


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a knowledge base is parsed, checked and built.

    Parsing allocates a tree of containers that all stay alive, and the collector's repeated
    passes over that growing heap free nothing: they made loading grow faster than the file
    (22x the time for 10x the tools, 11x without them; see benchmarks/scale.py), and took a
    quarter of ``validate``'s time at 1,000 tools (issue 16). Mercurial's ``util.nogc`` does
    the same for the same reason. Collection resumes afterwards, so any cycle made meanwhile
    (a YAML alias can make one) is still freed; pauses may nest.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def validate_file(path: str, *, lang: str = "vi", cache: bool = False) -> Report:
    """Validate the knowledge base at ``path``.

    Args:
        path: the file, as the user named it (also used in every problem); "-" reads standard
            input. Anything but a regular file (a FIFO, a device) is refused without blocking.
        lang: language of the messages, "vi" or "en".
        cache: use the knowledge-base cache (see :func:`validate_bytes`).

    Returns:
        A :class:`~gialai_remote.knowledge.report.Report`; ``report.document`` is None when
        the file has errors, and ``report.unreadable`` is true when it could not be read.
    """
    from gialai_remote.knowledge.read import read_file
    from gialai_remote.knowledge.report import Report

    read = read_file(path, lang)
    if read.data is None:
        return Report(path, [read.problem] if read.problem else [])
    return validate_bytes(read.data, path, lang=lang, size=read.size, cache=cache)


def validate_paths(paths: Sequence[str], *, lang: str = "vi", cache: bool = False) -> Report:
    """Validate the knowledge base ``paths`` name: one file, or a stack (see :mod:`~.layers`).

    Args:
        paths: the ``--data`` values in order; ``builtin`` names the built-in file.
        lang: language of the messages, "vi" or "en".
        cache: use the knowledge-base cache.

    Returns:
        The :class:`~gialai_remote.knowledge.report.Report` (of the last file, for a stack; a
        file that cannot be read gives its ``unreadable`` problem alone).
    """
    if len(paths) == 1 and paths[0] != _BUILTIN_NAME:
        return validate_file(paths[0], lang=lang, cache=cache)
    from gialai_remote.knowledge.layers import Given
    from gialai_remote.knowledge.read import MAX_BYTES, read_file
    from gialai_remote.knowledge.report import Report

    given = []
    for path in paths:
        if path == _BUILTIN_NAME:
            given.append(Given(path, None))
            continue
        read = read_file(path, lang)
        if read.data is None:
            return Report(path, [read.problem] if read.problem else [])
        given.append(Given(path, read.data, read.size))
    bounded = all(g.data is None or len(g.data) <= MAX_BYTES for g in given)
    return _stack(given, lang, _open_store(cache) if bounded else None)


def _stack(given: Sequence[Any], lang: str, store: Store | None) -> Report:
    """:func:`~.layers.validate_stack` with the garbage collector paused."""
    from gialai_remote.knowledge.layers import validate_stack

    with collector_paused():
        return validate_stack(given, lang=lang, builtin=builtin_bytes, store=store)


#: What :func:`_check` returns when the file could not be parsed into a document.
_FAILED = object()
#: What :func:`_check` returns when the file is a layer (checked by :mod:`~.layers` instead).
_LAYER = object()


def validate_bytes(data: bytes, path: str, *, lang: str = "vi", size: int | None = None, cache: bool = False) -> Report:
    """Validate knowledge-base ``data`` read from ``path`` (used only in messages).

    The garbage collector is paused meanwhile (:func:`collector_paused`).

    Args:
        data: the file's bytes (at most :data:`~gialai_remote.knowledge.read.MAX_BYTES` are
            read; more is reported as "too-large").
        path: the display path.
        lang: language of the messages.
        size: the file's real size in bytes when ``data`` is only its beginning.
        cache: use the knowledge-base cache: bytes that validated without an error before (with
            messages in ``lang``) give the kept report (its warnings, the document) and a model
            rebuilt from the document, without validating again; bytes that validate without
            an error now are kept. Bytes with errors are never kept.

    Returns:
        A :class:`~gialai_remote.knowledge.report.Report` with the problems found in line
        order (at most :data:`~gialai_remote.knowledge.report.MAX_PROBLEMS`, then one counting
        the rest), and the document and model when there is no error.
    """
    from gialai_remote.knowledge.read import MAX_BYTES
    from gialai_remote.knowledge.report import Collector, Report

    # Bytes over the reading bound are never looked up: the bounds apply before the cache.
    store = _open_store(cache) if len(data) <= MAX_BYTES else None
    name = ""
    if store is not None:
        from gialai_remote.knowledge.cache import digest, entry_key

        name = entry_key("checked", lang, digest(data))
        kept = _kept_report(store.get(name), path)
        if kept is not None:
            return kept
        from gialai_remote.knowledge.layers import Given, kept_stack

        stacked = kept_stack(store, [Given(path, data, size)], lang, builtin_bytes)
        if stacked is not None:
            return stacked
    out = Collector(path, lang)
    with collector_paused():
        view = _check(data, out, size)
    if view is _LAYER:
        from gialai_remote.knowledge.layers import Given

        return _stack([Given(path, data, size)], lang, store)
    report = Report(path, out.problems(), unlisted=out.unlisted, unlisted_errors=out.unlisted_errors)
    if view is not _FAILED and not out.has_errors:
        from gialai_remote.phones import readings

        assert out.built is not None
        kb = _with_readings(out.built, readings(c.phone for c in out.built.contacts), data)
        report.document = view
        report.stack = kb.stack
        report.knowledge_base = kb
        if store is not None:
            _keep_report(store, name, report)
    return report


def _keep_report(store: Store, name: str, report: Report) -> None:
    """Keep an error-free ``report`` (its document and problems) under ``name``."""
    from gialai_remote.knowledge.cache import code_files
    from gialai_remote.package_data import package_path

    problems = [(p.line, p.column, p.code, p.message, p.severity) for p in report.problems]
    schema = package_path("schemas", "knowledge-base.schema.json")
    readings = report.stack.readings if report.stack else {}
    file_digest = report.stack.layers[0].digest if report.stack else ""
    value = {
        "view": report.document,
        "problems": problems,
        "unlisted": report.unlisted,
        "readings": readings,
        "digest": file_digest,
    }
    store.put(name, value, code_files([schema] if schema else []))


def _kept_report(kept: Any, path: str) -> Report | None:
    """The :class:`Report` a cache entry holds, for the file at ``path``; None when it is not one.

    The model is rebuilt from the kept document; a document the builder refuses now (the
    builder changed) is a miss.
    """
    from gialai_remote.knowledge.report import ERROR, Report

    if not isinstance(kept, dict) or not isinstance(kept.get("problems"), list):
        return None
    try:
        problems = [Problem(path, *fields) for fields in kept["problems"]]
    except (TypeError, ValueError):
        return None
    if any(p.severity == ERROR for p in problems) or not isinstance(kept.get("unlisted"), int):
        return None
    if not isinstance(kept.get("readings"), dict) or not isinstance(kept.get("digest"), str):
        return None
    try:
        with collector_paused():
            kb = build(kept.get("view"), path)
    except BuildError:
        return None
    from gialai_remote.knowledge.cache import stack_digest
    from gialai_remote.stack import Layer, Stack

    stack = Stack((Layer(path, kept["digest"]),), stack_digest([kept["digest"]]), {}, {}, dict(kept["readings"]))
    kb = kb._replace(stack=stack)
    return Report(path, problems, document=kept["view"], knowledge_base=kb, unlisted=kept["unlisted"], stack=stack)


def _check(data: bytes, out: Collector, size: int | None) -> Any:
    """Run every check; return the JSON view, or :data:`_FAILED` when there is none."""
    from gialai_remote.knowledge.parse import parse
    from gialai_remote.knowledge.read import decode

    text = decode(data, out, size)
    if text is None:
        return _FAILED
    parsed = parse(text, out)
    if parsed is None:
        return _FAILED
    view, typed = parsed
    from gialai_remote.knowledge.layers import check_document, is_layer

    if is_layer(view):
        return _LAYER
    out.built = check_document(view, typed, out, out.path)  # None with an error, each reported
    return view
