"""Reading a knowledge-base file: its bytes (from a file or standard input), the size bound, UTF-8.

The first checks of :func:`gialai_remote.knowledge.load.validate_file`, before any YAML:

- at most :data:`MAX_BYTES` + 1 bytes are read of a large file or a pipe;
- the text must be UTF-8 (a BOM is accepted).
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import NamedTuple

from gialai_remote.errors import Problem
from gialai_remote.i18n import t
from gialai_remote.knowledge.report import Collector

#: The largest file read, in bytes. guidance.yaml is about 50 KB; an agency's copy with
#: many more contacts stays far below this.
MAX_BYTES = 2 * 1024 * 1024

#: The path that names standard input (``validate -``).
STDIN = "-"


class Read(NamedTuple):
    """What :func:`read_file` got.

    Attributes:
        data: at most :data:`MAX_BYTES` + 1 bytes, or None when the file could not be read.
        size: the file's size in bytes as the system gives it (None for standard input or when
            unknown); names a file that is too large without reading it all.
        problem: the "unreadable" problem when ``data`` is None, else None.
    """

    data: bytes | None
    size: int | None
    problem: Problem | None


def read_file(path: str, lang: str) -> Read:
    """Read at most :data:`MAX_BYTES` + 1 bytes of ``path`` ("-": standard input).

    Args:
        path: the file as the user named it, or "-".
        lang: language of the problem's message, "vi" or "en".

    Returns:
        A :class:`Read`; when the file cannot be opened or read, its ``problem`` is one
        "unreadable" problem at 0:0 whose message gives the reason. A larger file gives its
        first bytes, so the size check names it without reading it all.
    """
    if path == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            return Read(None, None, _unreadable(path, "stdin", lang))
        return Read(stream.read(MAX_BYTES + 1), None, None)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            # A regular file is read whole when small enough; anything else (too large, a pipe)
            # only up to one byte past the bound, so the size check can name it.
            return Read(fh.read() if 0 < size <= MAX_BYTES else fh.read(MAX_BYTES + 1), size, None)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        return Read(None, None, _unreadable(path, _reason(exc), lang))


def _reason(exc: BaseException) -> str:
    """The system's words for why a file could not be read ("No such file or directory")."""
    return getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__


def _unreadable(path: str, reason: str, lang: str) -> Problem:
    return Problem(path, 0, 0, "unreadable", t("kb.unreadable", lang, reason=reason))


def decode(data: bytes, out: Collector, size: int | None = None) -> str | None:
    """Check the size bound and decode UTF-8: the text YAML reads.

    Args:
        data: the bytes read (at most :data:`MAX_BYTES` + 1).
        out: where problems go.
        size: the file's real size in bytes when ``data`` is only its beginning.

    Returns:
        The text without a BOM, CRLF line ends kept (YAML reads them), or None after reporting
        "too-large" (more than :data:`MAX_BYTES`) or "not-utf8" (with the first bad byte's
        line, column and offset).
    """
    if len(data) > MAX_BYTES:
        out.add((1, 1), "too-large", "kb.too_large", size=size or len(data), limit=MAX_BYTES)
        return None
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        before = data[bom:start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        out.add((line, column), "not-utf8", "kb.not_utf8", offset=start)
        return None
