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
imported inside the functions: a command using the built-in file imports only this module and
the builder.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gialai_remote.errors import KnowledgeBaseError, Problem
from gialai_remote.knowledge.build import BuildError, build
from gialai_remote.package_data import package_file

if TYPE_CHECKING:
    from gialai_remote.knowledge.report import Collector, Report
    from gialai_remote.model import KnowledgeBase

#: The display path of the shipped file in problems ("<built-in>:0:0: unreadable ...").
BUILTIN = "<built-in>"


def builtin_bytes() -> bytes:
    """Return the bytes of the shipped ``guidance.yaml`` (package data ``data/guidance.yaml``).

    Raises:
        OSError: the package is installed without its data file.
    """
    return package_file("data", "guidance.yaml").read_bytes()


def load_knowledge_base(path: str | None = None, *, lang: str = "vi") -> KnowledgeBase:
    """Load and check the knowledge base.

    Args:
        path: a YAML file ("-": standard input), or None for the built-in one.
        lang: language of problem messages ("vi" or "en").

    Returns:
        The :class:`~gialai_remote.model.KnowledgeBase`.

    Raises:
        KnowledgeBaseError: the file cannot be read or has errors (warnings do not raise);
            each problem carries the file's path, line and column.
    """
    if path is None:
        import yaml

        try:
            return load_bytes(builtin_bytes(), BUILTIN)
        except (yaml.YAMLError, BuildError, OSError) as exc:  # a broken install, not user input
            raise KnowledgeBaseError(
                [Problem(BUILTIN, 0, 0, "unreadable", f"built-in knowledge base: {exc}")]
            ) from None

    report = validate_file(path, lang=lang)
    if report.errors or report.knowledge_base is None:
        raise KnowledgeBaseError(report.errors or report.problems)
    return report.knowledge_base


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


def validate_file(path: str, *, lang: str = "vi") -> Report:
    """Validate the knowledge base at ``path``.

    Args:
        path: the file, as the user named it (also used in every problem); "-" reads standard
            input. Anything but a regular file (a FIFO, a device) is refused without blocking.
        lang: language of the messages, "vi" or "en".

    Returns:
        A :class:`~gialai_remote.knowledge.report.Report`; ``report.document`` is None when
        the file has errors, and ``report.unreadable`` is true when it could not be read.
    """
    from gialai_remote.knowledge.read import read_file
    from gialai_remote.knowledge.report import Report

    read = read_file(path, lang)
    if read.data is None:
        return Report(path, [read.problem] if read.problem else [])
    return validate_bytes(read.data, path, lang=lang, size=read.size)


#: What :func:`_check` returns when the file could not be parsed into a document.
_FAILED = object()


def validate_bytes(data: bytes, path: str, *, lang: str = "vi", size: int | None = None) -> Report:
    """Validate knowledge-base ``data`` read from ``path`` (used only in messages).

    The garbage collector is paused meanwhile (:func:`collector_paused`).

    Args:
        data: the file's bytes (at most :data:`~gialai_remote.knowledge.read.MAX_BYTES` are
            read; more is reported as "too-large").
        path: the display path.
        lang: language of the messages.
        size: the file's real size in bytes when ``data`` is only its beginning.

    Returns:
        A :class:`~gialai_remote.knowledge.report.Report` with the problems found in line
        order (at most :data:`~gialai_remote.knowledge.report.MAX_PROBLEMS`, then one counting
        the rest), and the document and model when there is no error.
    """
    from gialai_remote.knowledge.report import Collector, Report

    out = Collector(path, lang)
    with collector_paused():
        view = _check(data, out, size)
    report = Report(path, out.problems(), unlisted=out.unlisted)
    if view is not _FAILED and not out.has_errors:
        report.document = view
        report.knowledge_base = out.built
    return report


def _check(data: bytes, out: Collector, size: int | None) -> Any:
    """Run every check; return the JSON view, or :data:`_FAILED` when there is none."""
    from gialai_remote.knowledge.meaning import check_meaning
    from gialai_remote.knowledge.parse import parse
    from gialai_remote.knowledge.read import decode
    from gialai_remote.knowledge.report import CODES
    from gialai_remote.knowledge.structure import check_structure

    text = decode(data, out, size)
    if text is None:
        return _FAILED
    parsed = parse(text, out)
    if parsed is None:
        return _FAILED
    view, typed = parsed
    if not check_structure(view, typed, out):
        return _FAILED
    check_meaning(view, typed, out)
    if out.has_errors:
        return view
    # The schema is stricter than the model builder (a test proves it), so this only fails
    # when the two have drifted apart; the problem is still reported, never a traceback.
    try:
        out.built = build(view, out.path)
    except BuildError as exc:
        out.raw(typed.position(exc.path), exc.code if exc.code in CODES else "wrong-type", exc.detail)
    return view
