"""When text lines need no rich: a file or a pipe without colour (issue 16).

rich writes a line to such a stream as its plain text and a line break, nothing else;
:func:`gialai_remote.cli.context.print_lines` then writes that itself and rich is not imported
(about 20 ms of start-up). tests/test_text_lines.py holds the two to the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gialai_remote.render.text.lines import Line


def rich_writes_plain(tty: bool) -> bool:
    """True when rich would write a stream no terminal codes at all: the stream is not a
    terminal (``tty`` False: its ``isatty()`` said no, or failed) and nothing makes rich take
    it for one.

    rich's Console counts as a terminal a stream whose ``isatty()`` is true, any stream when
    ``FORCE_COLOR`` or ``TTY_COMPATIBLE`` is set, and colours a Jupyter notebook's output
    (``get_ipython`` among the builtins); any of these, even with a value that turns colour
    off, sends the lines through rich. Otherwise rich has no colour system for the stream and
    writes each segment's text as it is (``Console._render_buffer``).
    """
    import builtins

    environ = os.environ
    return not (tty or "FORCE_COLOR" in environ or "TTY_COMPATIBLE" in environ or hasattr(builtins, "get_ipython"))


#: The longest line written without rich: rich trims trailing spaces past its width (10,000
#: columns in a pipe; a character is at most 2 columns wide).
PLAIN_MAX = 4_999


def plain_texts(lines: Iterable[Line], tty: bool) -> list[str] | None:
    """Each line's plain text, when that is exactly what rich would write to a stream
    (:func:`rich_writes_plain`, no tab, which rich expands, no line longer than
    :data:`PLAIN_MAX`); else None (the lines go through rich)."""
    if not rich_writes_plain(tty):
        return None
    texts = [line.plain for line in lines]
    if any(len(text) > PLAIN_MAX or "\t" in text for text in texts):
        return None
    return texts
