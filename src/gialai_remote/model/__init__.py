"""The knowledge base as typed, immutable objects.

Built by :mod:`gialai_remote.knowledge` from ``guidance.yaml``; read by :mod:`gialai_remote.decide`.
Nothing here reads files, prints or knows a rule kind: what each kind means is the registry's
(:mod:`gialai_remote.rules`); a :class:`Rule` carries the kind's name and its value in one of
three generic fields. :mod:`.entries` holds the entries (records, :mod:`gialai_remote.records`),
:mod:`.knowledge_base` the :class:`KnowledgeBase` that holds them and its indexes; both are
imported from here.
"""

from gialai_remote.model.entries import (
    CHANGED,
    CONFIDENCES,
    LANGS,
    SECTIONS,
    SOURCE_KINDS,
    STATUS_KINDS,
    Category,
    Cite,
    Contact,
    Lang,
    Letter,
    Notice,
    Opening,
    Rule,
    SetupStep,
    Source,
    Status,
    Term,
    Text,
    Tool,
    ToolSelector,
)
from gialai_remote.model.knowledge_base import KnowledgeBase

__all__ = [
    "CHANGED",
    "CONFIDENCES",
    "LANGS",
    "SECTIONS",
    "SOURCE_KINDS",
    "STATUS_KINDS",
    "Category",
    "Cite",
    "Contact",
    "KnowledgeBase",
    "Lang",
    "Letter",
    "Notice",
    "Opening",
    "Rule",
    "SetupStep",
    "Source",
    "Status",
    "Term",
    "Text",
    "Tool",
    "ToolSelector",
]
