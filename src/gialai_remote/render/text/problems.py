"""Text output of ``validate``: one line per problem found in a knowledge-base file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gialai_remote.render.text.lines import Lines
from gialai_remote.render.text.lines import line as _line

if TYPE_CHECKING:
    from gialai_remote.errors import Problem


def render_problems(problems: Sequence[Problem]) -> Lines:
    """``validate``: one ``PATH:LINE:COLUMN: CODE message`` line per problem, warnings in yellow."""
    return [_line((str(p), "yellow" if p.severity == "warning" else "")) for p in problems]
