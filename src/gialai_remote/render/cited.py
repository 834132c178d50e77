"""Which sources a JSON answer cites: the ids :func:`gialai_remote.render.json.with_sources`
lists after the letter.

A citation object is the one shape of :func:`gialai_remote.render.json.cite_dict`
(``{"id", "document", "section", "article"}``). :func:`cited_in` finds them by looking through
a finished document, for any command; :func:`check_cites` names them straight from a ``check``
result (what ``check --batch`` writes for every line), with the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gialai_remote.advice import CheckResult, Citation

#: The keys of a citation object, and of nothing else the JSON output writes.
CITE_KEYS = frozenset({"id", "document", "section", "article"})


def cited_in(value: Any, found: set[str]) -> set[str]:
    """The source ids of every citation object inside ``value`` (a dict or a list; anything
    else holds none), added to ``found``, which is returned."""
    if isinstance(value, dict):
        if len(value) == 4 and value.keys() == CITE_KEYS and isinstance(value.get("id"), str):
            found.add(value["id"])
        items: Iterable[Any] = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return found
    for item in items:
        if isinstance(item, (dict, list)):
            cited_in(item, found)
    return found


def check_cites(result: CheckResult) -> set[str]:
    """The source ids of every citation :func:`gialai_remote.render.json.check_dict` writes for
    ``result``: its status entries', reasons', warnings', notices' and contacts' (what
    :func:`cited_in` finds in the document, without looking through it)."""
    cites: Iterable[Citation | None] = chain(
        *(status.sources for status in result.status),
        *(reason.sources for reason in result.reasons),
        (warning.source for warning in result.warnings),
        *(notice.sources for notice in result.notices),
        (contact.source for contact in result.contacts),
    )
    return {cite.id for cite in cites if cite is not None}
