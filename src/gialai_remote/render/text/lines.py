"""Building blocks of the text renderers: rich ``Text`` lines whose data is never markup."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from gialai_remote.render.words import safe

Lines = list[Text]


def line(*parts: str | tuple[str, str], indent: int = 0) -> Text:
    """One line from plain strings and (string, style) pairs.

    Every string goes through :func:`gialai_remote.render.words.safe` and is appended as
    plain text, so brackets print literally and no control character reaches the terminal.
    """
    text = Text(" " * indent)
    for part in parts:
        if isinstance(part, tuple):
            text.append(safe(part[0]), style=part[1])
        else:
            text.append(safe(part))
    return text


def heading(label: str, indent: int = 0) -> Text:
    """A bold heading line."""
    return line((label, "bold"), indent=indent)


def bullets(items: Iterable[str], indent: int, style: str = "") -> Lines:
    """One "- item" line per item."""
    return [line(("- ", "dim"), (item, style), indent=indent) for item in items]
