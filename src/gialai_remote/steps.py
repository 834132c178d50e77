"""A tool's setup steps as a result shows them: for one platform, or every step labelled with
the platforms it is for; in the letter's time for a late answer. Used by ``decide`` (a
recommendation's steps), ``describe`` (``tools show``) and ``handout`` (a sheet)."""

from __future__ import annotations

from gialai_remote.advice import term_names
from gialai_remote.model import KnowledgeBase, Tool


def setup_steps(kb: KnowledgeBase, tool: Tool, platform: str | None, lang: str, late: bool = False) -> tuple[str, ...]:
    """The tool's setup steps for ``platform``; with None, every step, each platform-specific
    one prefixed with the platforms it is for ("iOS (iPhone, iPad): ..."). With ``late``
    (:func:`gialai_remote.advice.is_late`), each step as it reads in the letter's time."""
    steps = []
    for step in tool.setup_steps:
        if not step.applies_to(platform):
            continue
        text = step.text.at(lang, late)
        if platform is None and step.platforms:
            label = step.label.get(lang) if step.label else term_names(kb, "platforms", step.platforms, lang, " / ")
            text = f"{label}: {text}"
        steps.append(text)
    return tuple(steps)
