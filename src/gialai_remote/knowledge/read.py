"""Reading a knowledge-base file: its bytes (from a file or standard input), the size bound, UTF-8.

The first checks of :func:`gialai_remote.knowledge.load.validate_file`, before any YAML:

- only a regular file is opened (or ``-``, standard input): a FIFO with no writer would block
  the command forever and a device never ends, so they are refused at once (issue 11), as
  ``unreadable`` (exit 3);
- at most :data:`MAX_BYTES` + 1 bytes are read, whatever the file's size says, so a file that
  grows while it is read is still refused as ``too-large`` without being read whole (issue 11);
- the text must be UTF-8 (a BOM is accepted).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
from typing import BinaryIO, NamedTuple

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


class _NotRegular(OSError):
    """The path names something other than a regular file (a FIFO, a device, a socket)."""


def read_file(path: str, lang: str) -> Read:
    """Read at most :data:`MAX_BYTES` + 1 bytes of ``path`` ("-": standard input).

    The file is opened without blocking where the system allows it (``O_NONBLOCK``), then
    checked with ``fstat``: anything but a regular file is refused before a byte is read, so a
    FIFO with no writer never blocks the command. Windows has no FIFOs in its file system.

    Args:
        path: the file as the user named it, or "-".
        lang: language of the problem's message, "vi" or "en".

    Returns:
        A :class:`Read`; when the file cannot be opened or read, its ``problem`` is one
        "unreadable" problem at 0:0 whose message gives the reason. Never raises.
    """
    if path == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            return Read(None, None, _unreadable(path, "stdin", lang))
        try:
            return Read(stream.read(MAX_BYTES + 1), None, None)
        except (OSError, ValueError) as exc:  # ValueError: standard input closed
            return Read(None, None, _unreadable(path, _reason(exc), lang))
    try:
        with _open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            return Read(fh.read(MAX_BYTES + 1), size, None)
    except _NotRegular:
        return Read(None, None, _unreadable(path, t("kb.not_regular", lang), lang))
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        return Read(None, None, _unreadable(path, _reason(exc), lang))


def _open_regular(path: str) -> BinaryIO:
    """Open ``path`` for reading in binary mode, refusing anything but a regular file.

    Raises:
        IsADirectoryError: a folder (the message Python gives when ``open`` meets one).
        _NotRegular: a FIFO, a device or a socket.
        OSError, ValueError: what ``os.open`` raises.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(mode):
            raise _NotRegular(path)
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)  # a regular file: reads wait for the disk, as usual
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


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
        # The size the system gave, unless the file grew past it while it was read.
        out.add((1, 1), "too-large", "kb.too_large", size=max(size or 0, len(data)), limit=MAX_BYTES)
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
