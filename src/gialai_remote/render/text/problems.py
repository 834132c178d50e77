"""Text output of ``validate``: one line per problem found in a knowledge-base file, and the
lines describing a stack of files (also printed by ``--version``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gialai_remote.render.text.lines import Lines
from gialai_remote.render.text.lines import line as _line

if TYPE_CHECKING:
    from gialai_remote.errors import Problem
    from gialai_remote.stack import Stack


def render_problems(problems: Sequence[Problem]) -> Lines:
    """``validate``: one ``PATH:LINE:COLUMN: CODE message`` line per problem, warnings in yellow."""
    return [_line((str(p), "yellow" if p.severity == "warning" else "")) for p in problems]


def stack_lines(stack: Stack, lang: str) -> list[str]:
    """The files of a knowledge base, base first, then the digest of the whole stack.

    ``  1. <built-in>`` / ``  2. co-quan.yaml: tầng "Sở KH&CN Gia Lai", ngày 15/11/2026`` and
    ``mã nội dung của cả chồng: 3f2a...`` (plain strings: the caller prints them terminal-safe).
    """
    from gialai_remote.i18n import t
    from gialai_remote.render.words import format_date

    lines = [t("stack.head", lang, count=len(stack.layers))]
    for number, layer in enumerate(stack.layers, start=1):
        if layer.name is None:
            lines.append(t("stack.base", lang, number=number, path=layer.path))
        else:
            day = format_date(layer.date, lang) if layer.date else "?"
            lines.append(t("stack.layer", lang, number=number, path=layer.path, name=layer.name, date=day))
    lines.append(t("stack.digest", lang, digest=stack.digest))
    return lines
