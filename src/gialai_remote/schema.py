"""The JSON Schemas gialai-remote publishes, read from the package.

The files live in the repository's ``schemas/`` folder and ship inside the package as
``gialai_remote/schemas/`` (copied there by the build backend, see
:mod:`gialai_remote.package_data`), so ``gialai-remote schema NAME`` prints exactly what
editors use through the ``# yaml-language-server: $schema=...`` comment of ``guidance.yaml``.
"""

from __future__ import annotations

import functools
from typing import Any

# json and package_data are imported where they are used: this module is imported at
# start-up (the ``schema`` command's choices come from SCHEMAS), and they cost ~15 ms there.

#: Every published schema: the name ``gialai-remote schema NAME`` takes -> its file in
#: ``schemas/``. Add an entry here (and the file in ``schemas/``) to publish another.
SCHEMAS: dict[str, str] = {
    "knowledge-base": "knowledge-base.schema.json",
    "doctor": "doctor.schema.json",
    "recommend": "recommend.schema.json",
    "check": "check.schema.json",
}

#: The schema ``gialai-remote schema`` prints when no name is given.
DEFAULT_SCHEMA = "knowledge-base"

#: Schemas the package reads but does not publish: the knowledge base's format 1, against
#: which a file written in that format is checked (:mod:`gialai_remote.knowledge.structure`).
READ_ONLY: dict[str, str] = {"knowledge-base-v1": "knowledge-base-v1.schema.json"}


def schema_text(name: str = DEFAULT_SCHEMA) -> str:
    """Return the text of the schema called ``name`` (a key of :data:`SCHEMAS`), UTF-8 JSON.

    Raises:
        KeyError: ``name`` is not a key of :data:`SCHEMAS` (or of :data:`READ_ONLY`).
        OSError: the package is installed without its schema files.
    """
    from gialai_remote.package_data import package_file

    filename = SCHEMAS[name] if name in SCHEMAS else READ_ONLY[name]
    return package_file("schemas", filename).read_text(encoding="utf-8")


@functools.cache
def load_schema(name: str = DEFAULT_SCHEMA) -> dict[str, Any]:
    """Return the schema called ``name`` as a parsed JSON object (cached; do not modify it).

    Raises:
        KeyError: ``name`` is not a key of :data:`SCHEMAS`.
    """
    import json

    value: dict[str, Any] = json.loads(schema_text(name))
    return value
