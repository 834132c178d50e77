"""Reading a version-1 knowledge base: its JSON view turned into version 2's, in memory.

Version 1 (before issue 12) had one ``source:`` mapping, the letter, and notices whose
``source`` was free text. :func:`from_v1` gives the same facts in version 2's shape: the letter
becomes the first entry of ``sources`` (id :data:`LETTER_ID`), and each notice's source text
becomes a source of its own (kind ``report``, no date, the text as its title), cited by the
notice. Tools, rules and contacts need nothing: what version 2 adds to them (a ``source``, a
``status``, dated rules, ``verified_on``) is optional and defaults to the letter's.

An agency's copy therefore keeps working unchanged; ``docs/knowledge-base.md`` ("Version 1
files") says how to upgrade it by hand to add later sources and statuses. The input is checked
already (against the version-1 schema), so this only moves values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The source id a version-1 file's letter gets (the built-in file's letter has the same).
LETTER_ID = "letter-415"


def from_v1(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Return the version-2 view of the version-1 document ``doc`` (``doc`` is not changed).

    Args:
        doc: a version-1 knowledge base as plain data (mappings, lists, text, numbers, dates).

    Returns:
        A new mapping with ``schema_version`` 2, ``sources`` (the letter first, then one
        source per notice's source text) and notices citing those sources; every other key
        as it was. Values of the wrong shape are passed on for the builder to report.
    """
    out = {key: value for key, value in doc.items() if key != "source"}
    out["schema_version"] = 2
    letter = doc.get("source")
    sources: list[Any] = [{"id": LETTER_ID, "kind": "letter", **letter} if isinstance(letter, Mapping) else letter]
    notices = doc.get("notices")
    if isinstance(notices, list):
        upgraded = []
        for notice in notices:
            if not isinstance(notice, Mapping) or not isinstance(notice.get("source"), str):
                upgraded.append(notice)
                continue
            source_id = f"{notice.get('id')}-source"
            text = notice["source"]
            sources.append(
                {"id": source_id, "kind": "report", "title": {"vi": text, "en": text}, "issuer": None, "date": None}
            )
            upgraded.append({**{k: v for k, v in notice.items() if k != "source"}, "sources": [source_id]})
        out["notices"] = upgraded
    out["sources"] = sources
    return out
