"""Building blocks of the text renderers: lines of plain strings and styles, never markup.

A :class:`Line` records what a rich ``Text`` is made of (its first string, then each string
appended with its style) and builds that ``Text`` only when the line goes through rich: on a
terminal, in colour (``FORCE_COLOR``), or when rich would change the text (a tab, a control
code). In a file or a pipe without colour, rich writes each line's plain text and nothing
else, so :func:`gialai_remote.cli.context.print_lines` writes it without importing rich (about
20 ms of start-up, issue 16).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gialai_remote.render.words import safe

if TYPE_CHECKING:
    from rich.text import Text

#: The control codes rich's ``Text`` removes from what it is given (``rich.control``'s
#: ``STRIP_CONTROL_CODES``: BEL, BS, VT, FF, CR). A line holding one is asked to rich.
_STRIPPED_BY_RICH = re.compile("[\x07\x08\x0b\x0c\x0d]")


class Line:
    """One line of text output: plain strings, some with a rich style (``"bold"``, ``"dim"``...).

    ``Line(text)`` is ``rich.text.Text(text)``, and :meth:`append` is ``Text.append``; the
    ``Text`` itself is built by :meth:`to_text`, when the line is printed through rich.

    Attributes:
        parts: the first string (no style), then each appended string and its style (None:
            none), in order.
    """

    __slots__ = ("parts",)

    def __init__(self, text: str = "") -> None:
        self.parts: list[tuple[str, str | None]] = [(text, None)]

    def append(self, text: str, style: str | None = None) -> Line:
        """Add ``text`` (with ``style``, a rich style string, or None) at the end; returns the line."""
        self.parts.append((text, style))
        return self

    @property
    def plain(self) -> str:
        """The line's text without styles, as ``Text.plain`` gives it (rich's own answer when the
        line holds a control code rich removes)."""
        text = "".join(part for part, _ in self.parts)
        return self.to_text().plain if _STRIPPED_BY_RICH.search(text) else text

    def to_text(self) -> Text:
        """The rich ``Text`` of the line: ``Text(first)``, then ``append(string, style=style)``
        for every other part, exactly as the renderers built it before."""
        from rich.text import Text

        (first, _), *rest = self.parts
        text = Text(first)
        for part, style in rest:
            text.append(part, style=style)
        return text

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Line({self.parts!r})"


Lines = list[Line]


def line(*parts: str | tuple[str, str], indent: int = 0) -> Line:
    """One line from plain strings and (string, style) pairs.

    Every string goes through :func:`gialai_remote.render.words.safe` and is appended as
    plain text, so brackets print literally and no control character reaches the terminal.
    """
    text = Line(" " * indent)
    for part in parts:
        if isinstance(part, tuple):
            text.append(safe(part[0]), style=part[1])
        else:
            text.append(safe(part))
    return text


def heading(label: str, indent: int = 0) -> Line:
    """A bold heading line."""
    return line((label, "bold"), indent=indent)


def bullets(items: Iterable[str], indent: int, style: str = "") -> Lines:
    """One "- item" line per item."""
    return [line(("- ", "dim"), (item, style), indent=indent) for item in items]
