"""Text on a terminal: wrapped lines keep their hanging indent, URLs are never broken.

The text renderers (:mod:`gialai_remote.render.text`) write one rich ``Text`` per logical
line, indented with spaces and often opened by a marker: ``- `` (a bullet, a contact),
``3) `` (a step), ``1. `` (a recommendation), ``[đạt] `` (a ``doctor`` step). On a terminal
narrower than a line, :class:`Hanging` lets rich wrap the line at word boundaries and starts
every continuation under the first word after the marker, so a list stays a list at 40
columns as at 120. A word longer than the room left (a long URL) is never cut: it goes on a
line of its own, whole, and the terminal shows it as it shows any long line, so it can still
be copied or clicked.

Files and pipes never get here: :func:`gialai_remote.cli.context.print_lines` prints each
line unwrapped when stdout is not a terminal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

#: Spaces, then at most one marker: a bullet, "3) " or "1. ", "=> ", or a bracketed tag
#: followed by its padding ("[đạt]    ").
_MARKER = re.compile(r" *(?:(?:[-*•+]|[0-9]{1,3}[.)]|=>) +|\[[^\]\n]{1,16}\] +)?")
#: A space inside a grouped phone number: between a digit and a group of three digits.
_PHONE_SPACE = re.compile(r"(?<=[0-9]) (?=[0-9]{3}(?![0-9]))")
#: Stands for such a space while a line is divided (one column wide, never a word break).
_GLUE = "\ue000"
#: Continuations start at least this many columns before the right edge: on a terminal too
#: narrow for the indent, lines start at the left edge instead.
MIN_TEXT_WIDTH = 20


def hang_of(plain: str) -> int:
    """The column where the continuation lines of ``plain`` start: after its indent and marker.

    >>> hang_of("   3) Tải ứng dụng")
    6
    >>> hang_of("- Ông Lê Văn Hải: 0934 121 298")
    2
    >>> hang_of("Khuyến nghị: 2 công cụ")
    0
    """
    found = _MARKER.match(plain)
    hang = found.end() if found else 0
    return hang if hang < len(plain) else 0


class Hanging:
    """One line of text, wrapped with a hanging indent by rich.

    Attributes:
        text: the line (its style spans are kept).
        hang: the continuation lines' indent in columns (default: :func:`hang_of` the line).
    """

    def __init__(self, text: Text, hang: int | None = None) -> None:
        self.text = text
        self.hang = hang_of(text.plain) if hang is None else hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The line's segments: rich's word wrapping at the room after the indent, each
        continuation line indented; a word longer than that room is kept whole."""
        width = options.max_width
        hang = self.hang if width - self.hang >= MIN_TEXT_WIDTH else 0
        head, body = self.text[:hang], self.text[hang:]
        # rich's own word wrapping, without folding: Text.wrap() would either cut a word
        # longer than the line ("crop", "fold") or not wrap at all ("ignore").
        from rich._wrap import divide_line

        # A phone number's groups ("0913 450 011") stay together: the spaces between them are
        # a placeholder of the same width while the line is divided.
        glued = _PHONE_SPACE.sub(_GLUE, body.plain)
        pieces = body.divide(divide_line(glued, max(width - hang, 1), fold=False)) if glued else [body]
        for number, piece in enumerate(pieces):
            piece.rstrip()
            start = head if number == 0 else Text(" " * hang)
            yield from (start + piece).render(console, end="")
            yield Segment.line()
