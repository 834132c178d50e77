"""The standard streams: made unable to crash on Vietnamese, on odd encodings or closed pipes.

:func:`prepare` runs once at start-up, before anything is written:

- a stream the shell closed (``>&-``) is given ``os.devnull``;
- on Windows, stdout and stderr that are a file or a pipe rather than the console
  (``> ketqua.txt``, ``| findstr``) write UTF-8, unless ``PYTHONIOENCODING`` names another
  encoding: Python would otherwise use the ANSI code page there (cp1252 on an English
  Windows, which has no Vietnamese letters), while the console itself already gets Unicode;
- stdout and stderr whose encoding is not one a reader can use (``PYTHONIOENCODING=idna``,
  ``punycode``, ``utf-7``, ``unicode_escape``, an EBCDIC code page: see :func:`usable_encoding`)
  write UTF-8 instead, and :func:`encoding_replaced` tells the entry point to say so in one
  line on stderr;
- stdout and stderr whose encoding cannot write Vietnamese write the nearest form it can
  (code page 1258's own form, else the letters without their marks), and :func:`folded`
  tells the entry point to add a one-line note on stderr;
- stdin replaces undecodable bytes instead of raising.

A reader that closes the pipe early (``| head``) is not an error: :func:`is_closed_pipe`
recognises that case (``BrokenPipeError``, and ``OSError(EINVAL)`` as Windows raises it for a
closed pipe), and :func:`silence_stdout` points stdout at ``os.devnull`` afterwards so the
last flushes cannot fail. Nothing here prints.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import os
import re
import sys
import unicodedata
from typing import Any, ClassVar

_FOLD_HANDLER = "gialai-remote-fold"
#: Windows: a closed pipe raises ``OSError(EINVAL)`` rather than ``BrokenPipeError``, and a
#: file or pipe gets the ANSI code page unless told otherwise (tests set this to simulate it).
_WINDOWS = sys.platform == "win32"


class _State:
    """What happened to the streams in this run (reset by :func:`prepare`).

    Attributes:
        folded: some letters lost their marks or a character became a stand-in.
        stdout_closed: the reader closed stdout (the entry point then prints no note).
        replaced: the stream encodings replaced by UTF-8, in the order found.
    """

    folded = False
    stdout_closed = False
    replaced: ClassVar[list[str]] = []


# The five Vietnamese tone marks. The Windows Vietnamese keyboard (and code page 1258) writes
# a vowel with its shape mark composed (â, ê, ô, ơ, ư, ă) and the tone as a combining mark.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Typographic characters many code pages lack, and their plain forms.
_PLAIN = {
    "\u201c": '"',
    "\u201d": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2192": "->",
    "\u00ab": '"',
    "\u00bb": '"',
}

#: Every Vietnamese letter with a mark, lower and upper case.
_VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_VIETNAMESE += _VIETNAMESE.upper()
# Latin letters with marks, and combining marks on their own (text typed decomposed).
_MARKED = "[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]"

#: ASCII text as the commands write it, in separate writes: words, a line longer than a
#: DNS label, runs of dots, Windows paths with backslashes, a URL, punctuation, blank lines.
#: An encoding a reader can use writes it as ASCII does (see :func:`usable_encoding`).
_ASCII_PROBE = (
    "Khuyen nghi: 3 cong cu phu hop theo Cong van 415/STTTT-CNTT\n",
    "",
    "\n",
    "  - " + "x" * 100 + "\n",
    "a..b ... C:\\Users\\u00e9\\x41\\n +-+ ~{}~ \"'<>&|[]`^%$#@!?;=*\t(1)\n",
    "https://emeetingjalai.hcdt.vn:2443/ 0935 076 079\r\n",
)
#: Unicode encodings with a byte-order mark: not ASCII's bytes, but every reader of them
#: (Notepad, PowerShell) knows them, so they are kept when they give the text back.
_UNICODE_WITH_BOM = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"})


def _windows_form(ch: str) -> str:
    """``ệ`` -> ``ê`` + combining dot below: the form code page 1258 can encode."""
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if c not in _TONE_MARKS)
    tones = "".join(c for c in decomposed if c in _TONE_MARKS)
    return unicodedata.normalize("NFC", base) + tones


def _unaccented(ch: str) -> str:
    """The letter without any mark, keeping its case (``Đ`` -> ``D``, ``ệ`` -> ``e``)."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _encodes(text: str, encoding: str) -> bool:
    """Whether ``encoding`` writes ``text`` without error.

    Any exception counts as "no": an odd codec raises what it likes (``idna`` raises a plain
    ``UnicodeError`` for a long word), and this is only a probe.
    """
    try:
        text.encode(encoding)
    except Exception:
        return False
    return True


def _fold_errors(exc: UnicodeError, encoding: str | None = None) -> tuple[str, int]:
    """Codec error handler: write what ``encoding`` cannot as the nearest form it can.

    Tries, per character: the Windows Vietnamese form (composed shape mark + combining tone,
    which cp1258 encodes), the fully decomposed form, the letter without its marks, a plain
    ASCII stand-in for typographic punctuation, and finally "?" (nothing when even that
    fails). Only the last ones lose information; they set the flag :func:`folded` reports.

    ``encoding`` is the stream's encoding: single-byte code pages report themselves as
    "charmap" in the error, so the handler is registered once per stream encoding.

    Raises:
        UnicodeError: ``exc`` itself when it is not an encoding error (the codec's own).
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    target = encoding or exc.encoding
    out = []
    for ch in exc.object[exc.start : exc.end]:
        lossless = (_windows_form(ch), unicodedata.normalize("NFD", ch))
        lossy = (_unaccented(ch), _PLAIN.get(ch, ""), "?")
        for number, candidate in enumerate((*lossless, *lossy)):
            if not candidate or not _encodes(candidate, target):
                continue
            out.append(candidate)
            if number >= len(lossless):
                _State.folded = True
            break
    return "".join(out), exc.end


def _writes_vietnamese(encoding: str) -> bool:
    """Whether ``encoding`` can write every Vietnamese letter, composed or in the Windows form."""
    return all(_encodes(ch, encoding) or _encodes(_windows_form(ch), encoding) for ch in _VIETNAMESE)


def _fold_handler(encoding: str) -> str:
    """The name of the :func:`_fold_errors` handler for ``encoding``, registered on first use."""
    name = f"{_FOLD_HANDLER}-{encoding}"
    codecs.register_error(name, functools.partial(_fold_errors, encoding=encoding))
    return name


def _through(encoding: str, chunks: tuple[str, ...], errors: str) -> bytes:
    """``chunks`` encoded one write at a time, as a text stream does (incremental encoder)."""
    encoder = codecs.getincrementalencoder(encoding)(errors)
    return b"".join(encoder.encode(chunk) for chunk in chunks) + encoder.encode("", final=True)


def usable_encoding(encoding: str) -> bool:
    """Whether a text stream may keep writing in ``encoding``.

    Kept: UTF-8; an encoding that writes ASCII text as ASCII does, gives it back when
    decoded, and writes every Vietnamese letter (or a folded form of it) without error; a
    Unicode encoding with a byte-order mark (UTF-16, UTF-32, UTF-8 with BOM) that gives the
    text back. Refused: an unknown name or a bytes-to-bytes codec; ``idna`` (raises on long
    words); ``punycode``, ``utf-7``, ``unicode_escape``, ``raw_unicode_escape``, ``hz``
    (rewrite ASCII: "abc" becomes "abc-", "\\n" becomes a backslash and an "n"); EBCDIC code
    pages (cp037, cp500, cp1140...: no terminal of a Windows or Linux machine shows them).

    Args:
        encoding: a codec name as Python spells it ("cp1258", "utf-8", "idna").

    Returns:
        True to keep it, False to write UTF-8 instead. Never raises.
    """
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        return False
    if info.name == "utf-8":
        return True
    if not getattr(info, "_is_text_encoding", True):
        return False
    ascii_text = "".join(_ASCII_PROBE)
    try:
        written = _through(info.name, _ASCII_PROBE, "strict")
        if codecs.getincrementaldecoder(info.name)("strict").decode(written, final=True) != ascii_text:
            return False
        if info.name not in _UNICODE_WITH_BOM and written != ascii_text.encode("ascii"):
            return False
        # Every letter of the output, one write each, with the handler the stream will use.
        letters = tuple(_VIETNAMESE) + tuple(_PLAIN) + ("€",)
        _through(info.name, letters, _fold_handler(info.name))
    except Exception:  # a codec raises what it likes; any failure means "not usable"
        return False
    return True


def _strip_marks(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _unaccented(ch) if ch.isalpha() else "" if unicodedata.combining(ch) else ch


class _Unaccented:
    """A text stream that writes Vietnamese without diacritics; everything else is delegated.

    Used for stdout and stderr whose encoding cannot write every Vietnamese letter (ASCII,
    cp1252, cp437): every marked Latin letter loses its marks, so the text is consistently
    unaccented rather than half-accented. ``buffer`` is the real one, so JSON written as
    bytes stays UTF-8.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def unaccent(self, text: str) -> str:
        """``text`` as this stream writes it: every marked Latin letter without its marks."""
        plain = re.sub(_MARKED, _strip_marks, text)
        if plain != text:
            _State.folded = True
        return plain

    def write(self, text: str) -> int:
        """Write ``text`` unaccented; returns ``len(text)`` as a text stream does."""
        self._stream.write(self.unaccent(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _windows_file_or_pipe(stream: Any) -> bool:
    """Whether ``stream`` is a Windows file or pipe whose encoding Python chose by itself.

    True on Windows for a stream that is not a console (``isatty()`` is False: a file, a
    pipe, a terminal emulator such as mintty that talks through pipes) when
    ``PYTHONIOENCODING`` is not set: Python then took the ANSI code page, and the user did
    not ask for it. False elsewhere, for the console (where Python writes Unicode) and for a
    stream that cannot answer. Never raises.
    """
    if not _WINDOWS or os.environ.get("PYTHONIOENCODING"):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError, OSError):  # detached, closed, or not a real stream
        return False


def _prepare_output(attr: str) -> None:
    """Make ``sys.<attr>`` (stdout or stderr) unable to crash on what the commands write."""
    stream = getattr(sys, attr)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or isinstance(stream, _Unaccented):
        return
    encoding = getattr(stream, "encoding", None) or "ascii"
    if _windows_file_or_pipe(stream):
        # Files and pipes on Windows are UTF-8 (docs/usage.md#windows): what Notepad,
        # PowerShell 7 and every JSON reader expect, and the only way to keep the marks.
        with contextlib.suppress(ValueError, OSError, LookupError):  # a closed or detached stream
            if codecs.lookup(encoding).name != "utf-8":
                reconfigure(encoding="utf-8", errors=getattr(stream, "errors", None) or "strict")
            return
    if not usable_encoding(encoding):
        with contextlib.suppress(ValueError, OSError, LookupError):  # a closed or detached stream
            reconfigure(encoding="utf-8", errors=getattr(stream, "errors", None) or "strict")
            if encoding not in _State.replaced:
                _State.replaced.append(encoding)
        return
    if not _encodes("ệđ€", encoding):
        with contextlib.suppress(ValueError, OSError, LookupError):  # a closed or detached stream
            reconfigure(errors=_fold_handler(encoding))
        if not _writes_vietnamese(encoding):
            # Half-accented text ("Công van" for "Công văn") reads worse than the
            # unaccented Vietnamese everyone knows from text messages: drop every mark.
            setattr(sys, attr, _Unaccented(stream))


def _prepare_input() -> None:
    """stdin replaces undecodable bytes, and reads UTF-8 where it was told ASCII or an odd codec.

    ASCII is a subset of UTF-8, so nothing that decoded before decodes differently.
    """
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    raw = getattr(sys.stdin, "encoding", None) or ""
    encoding = raw.lower().replace("-", "_")
    if reconfigure is None or encoding in ("utf_8", "utf8"):
        return
    with contextlib.suppress(ValueError, OSError, LookupError):  # a closed stream
        if encoding in ("ascii", "us_ascii", "646", "ansi_x3.4_1968") or not usable_encoding(raw):
            reconfigure(encoding="utf-8", errors="replace")
        else:
            reconfigure(errors="replace")


def _replace_closed_streams() -> None:
    """A stream the shell closed (``>&-``, ``2>&-``) is None in Python: give it /dev/null.

    Without this, the first write or flush raises AttributeError (a traceback, exit 1) and a
    usage error would lose its exit code 2.
    """
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            with contextlib.suppress(OSError):
                setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def prepare() -> None:
    """Make the standard streams unable to crash on Vietnamese, odd encodings or ``>&-``.

    Resets what :func:`folded`, :func:`stdout_closed` and :func:`encoding_replaced` report.
    Never raises.
    """
    _State.replaced = []
    _replace_closed_streams()
    for attr in ("stdout", "stderr"):
        _prepare_output(attr)
    _prepare_input()
    # After the probes of usable_encoding(), which fold letters of their own.
    _State.folded = _State.stdout_closed = False


def folded() -> bool:
    """Whether some text written in this run lost its marks (the note's condition)."""
    return _State.folded


def stdout_closed() -> bool:
    """Whether the reader closed stdout in this run (then no note is printed)."""
    return _State.stdout_closed


def encoding_replaced() -> str | None:
    """The stream encoding replaced by UTF-8 in this run (the first one), or None."""
    return _State.replaced[0] if _State.replaced else None


def is_closed_pipe(exc: BaseException) -> bool:
    """Whether ``exc`` means the reader closed stdout: ``EPIPE``, or ``EINVAL`` on Windows.

    Windows reports a write to a pipe whose reader has gone as ``OSError(EINVAL)`` rather
    than ``BrokenPipeError``; elsewhere EINVAL is a real error and is not swallowed.
    """
    if isinstance(exc, BrokenPipeError):  # also raised without an errno (cli/context.py's console)
        return True
    return isinstance(exc, OSError) and (exc.errno == errno.EPIPE or (_WINDOWS and exc.errno == errno.EINVAL))


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so later flushes cannot fail. Never raises."""
    _State.stdout_closed = True
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
