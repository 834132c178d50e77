"""gialai-remote: the remote-work guidance of Công văn 415/STTTT-CNTT (Gia Lai, 2020) as a CLI.

Also a small Python API (``docs/contract.md``)::

    import datetime as dt
    import gialai_remote as gr

    kb = gr.load_knowledge_base()            # the shipped knowledge base (or a path)
    advice = gr.decide(kb, gr.Query(role="agency-staff", task="meeting", date=dt.date(2020, 4, 15)))
    [r.tool for r in advice.recommendations]  # ['vnpt-meeting', 'aic-emeeting']
    gr.check(kb, gr.Query(role="agency-staff", task=None, date=dt.date(2020, 4, 15)), "zalo").allowed

The names of :data:`__all__` are imported on first use (PEP 562), so ``import gialai_remote``
(which the command line does first) stays cheap. ``gialai_remote.decide`` and
``gialai_remote.check`` are always the functions, even once the module
``gialai_remote.decide`` is imported (``from gialai_remote.decide import evaluate`` still
reaches the module).
"""

from __future__ import annotations

import importlib
import sys
import types

# Not `from typing import TYPE_CHECKING`: importing typing here (the console script's first
# import, before cli/entry.py can catch Ctrl-C) would widen the window in which Ctrl-C while
# starting prints a traceback. Type checkers treat this name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

#: The public API: each name and the module it lives in.
_API: dict[str, str] = {
    "load_knowledge_base": "gialai_remote.knowledge.load",
    "decide": "gialai_remote.decide",
    "check": "gialai_remote.decide",
    "Query": "gialai_remote.advice",
    "QueryNames": "gialai_remote.advice",
    "Advice": "gialai_remote.advice",
    "CheckResult": "gialai_remote.advice",
    "Recommendation": "gialai_remote.advice",
    "Exclusion": "gialai_remote.advice",
    "Reason": "gialai_remote.advice",
    "ContactInfo": "gialai_remote.advice",
    "NoticeInfo": "gialai_remote.advice",
    "SourceInfo": "gialai_remote.advice",
    "KnowledgeBase": "gialai_remote.model",
    "GialaiError": "gialai_remote.errors",
    "UsageError": "gialai_remote.errors",
    "UnknownIdError": "gialai_remote.errors",
    "KnowledgeBaseError": "gialai_remote.errors",
    "Problem": "gialai_remote.errors",
}

__all__ = [
    "Advice",
    "CheckResult",
    "ContactInfo",
    "Exclusion",
    "GialaiError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "NoticeInfo",
    "Problem",
    "Query",
    "QueryNames",
    "Reason",
    "Recommendation",
    "SourceInfo",
    "UnknownIdError",
    "UsageError",
    "__version__",
    "check",
    "decide",
    "load_knowledge_base",
]

if TYPE_CHECKING:
    from gialai_remote.advice import (
        Advice,
        CheckResult,
        ContactInfo,
        Exclusion,
        NoticeInfo,
        Query,
        QueryNames,
        Reason,
        Recommendation,
        SourceInfo,
    )
    from gialai_remote.decide import check, decide
    from gialai_remote.errors import GialaiError, KnowledgeBaseError, Problem, UnknownIdError, UsageError
    from gialai_remote.knowledge.load import load_knowledge_base
    from gialai_remote.model import KnowledgeBase


def __getattr__(name: str) -> Any:
    """Import a name of the public API on first use (PEP 562). Raises AttributeError otherwise."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'gialai_remote' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily imported API included."""
    return sorted({*globals(), *_API})


class _Package(types.ModuleType):
    """The package's module type: the import system sets every imported submodule as an
    attribute of its package, which would make ``gialai_remote.decide`` the module
    ``gialai_remote/decide.py`` instead of the API's function of that name. A submodule
    named like an API name is therefore not set as an attribute; it stays reachable through
    ``sys.modules`` and ``from gialai_remote.decide import ...``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
