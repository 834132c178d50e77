"""The knowledge base from file to model: read, parse, check, build, load.

    guidance.yaml -> read (bytes, size bound, UTF-8) -> parse (YAML events and bounds, the JSON
    view with positions) -> structure (JSON Schema) -> meaning (ids, references, phones, URLs,
    translations) -> build -> model.KnowledgeBase

with every problem collected by :mod:`~gialai_remote.knowledge.report` and the whole run by
:mod:`~gialai_remote.knowledge.load`. A stack of files (a base and its layers, ``docs/layers.md``)
goes through :mod:`~gialai_remote.knowledge.layers` (reading each file, the layer schema, the
cache of stacks) and :mod:`~gialai_remote.knowledge.merge` (the merged document with every
value's position in its own file). Imports between these modules point one way, counting
those inside functions: ``report``, ``build`` and ``cache`` import none of them; ``read`` and
``parse`` import ``report``; ``structure`` and ``meaning`` import ``parse`` and ``report``;
``merge`` imports ``parse``, ``report`` and ``meaning``; ``layers`` imports ``merge`` and the
steps; ``load`` imports ``build`` (and, when it validates, the others); nothing imports
``load`` (tests/test_knowledge.py checks it).

The public names are re-exported here and imported on first use (PEP 562), so importing the
package costs nothing: the built-in fast path loads only ``load`` and ``build``. The builder
itself is :func:`gialai_remote.knowledge.build.build` (the name ``build`` here is its module).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gialai_remote.knowledge.build import SUPPORTED_SCHEMA_VERSIONS, BuildError
    from gialai_remote.knowledge.load import (
        BUILTIN,
        builtin_bytes,
        collector_paused,
        load_bytes,
        load_knowledge_base,
        validate_bytes,
        validate_file,
    )
    from gialai_remote.knowledge.parse import MAX_DEPTH, MAX_NODES
    from gialai_remote.knowledge.read import MAX_BYTES
    from gialai_remote.knowledge.report import CODES, ERROR, MAX_LISTED, MAX_PROBLEMS, WARNING, Report

#: Each public name, with the module that defines it.
_HOME = {
    "BUILTIN": "load",
    "builtin_bytes": "load",
    "collector_paused": "load",
    "load_bytes": "load",
    "load_knowledge_base": "load",
    "validate_bytes": "load",
    "validate_file": "load",
    "BuildError": "build",
    "SUPPORTED_SCHEMA_VERSIONS": "build",
    "MAX_BYTES": "read",
    "MAX_DEPTH": "parse",
    "MAX_NODES": "parse",
    "CODES": "report",
    "ERROR": "report",
    "WARNING": "report",
    "MAX_LISTED": "report",
    "MAX_PROBLEMS": "report",
    "Report": "report",
}

__all__ = [
    "BUILTIN",
    "CODES",
    "ERROR",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_LISTED",
    "MAX_NODES",
    "MAX_PROBLEMS",
    "SUPPORTED_SCHEMA_VERSIONS",
    "WARNING",
    "BuildError",
    "Report",
    "builtin_bytes",
    "collector_paused",
    "load_bytes",
    "load_knowledge_base",
    "validate_bytes",
    "validate_file",
]


def __getattr__(name: str) -> Any:
    """Import the module defining public ``name`` and return its value (PEP 562).

    Raises:
        AttributeError: ``name`` is not a public name of the package.
    """
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
