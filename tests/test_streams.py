"""Every stream encoding gives a clean answer; a closed pipe is quiet on every platform (cli/streams.py).

- Every text codec of the standard library, as the encoding of stdout and stderr: the
  commands' real output is written without an error, either in that encoding (folded where
  it lacks Vietnamese letters) or, for an encoding a reader cannot use (``idna``,
  ``punycode``, ``utf-7``, ``unicode_escape``, EBCDIC...), in UTF-8 with a one-line note.
- The same through ``main()`` for a table of encodings, and through ``PYTHONIOENCODING`` in a
  real process for the ones that used to end with exit 70.
- A reader closing the pipe: Windows raises ``OSError(EINVAL)`` where POSIX raises
  ``BrokenPipeError``; both are simulated on the stream's write and flush.
"""

from __future__ import annotations

import codecs
import encodings
import errno
import io
import os
import pkgutil
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from gialai_remote.cli import streams
from gialai_remote.cli.main import main
from portable import BIN, SYSTEM

DATE = "2026-11-29"
ADVICE = ["recommend", "-r", "agency-staff", "-t", "meeting", "-s", "normal", "-n", "12", "--date", DATE]
COMMANDS = {
    "advice": ADVICE,
    "advice-en": [*ADVICE, "--lang", "en"],
    "json": [*ADVICE, "--format", "json"],
    "help": ["recommend", "--help"],
    "setup": ["setup", "vnpt-meeting", "--date", DATE],
    "usage-error": ["recommend", "-r", "thành viên quá..dài" + "x" * 70, "-t", "hop", "--no-input"],
    "negative": ["recommend", "-r", "agency-staff", "-t", "meeting", "--no-internet", "--date", DATE],
}
EXIT = {"usage-error": 2, "negative": 1}
NOTE = {
    "vi": "Ghi chú: bảng mã {} không dùng được để hiển thị văn bản nên kết quả được ghi bằng UTF-8. "
    "Hãy đặt PYTHONIOENCODING=utf-8.\n",
    "en": "Note: the encoding {} cannot be used to show text, so the output was written in UTF-8. "
    "Set PYTHONIOENCODING=utf-8.\n",
}
# Letters with marks, composed or decomposed: what an encoding without Vietnamese drops.
_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def _text_codecs() -> list[str]:
    """Every text encoding of the standard library (one name per codec module)."""
    names = []
    for module in pkgutil.iter_modules(encodings.__path__):
        try:
            info = codecs.lookup(module.name)
        except LookupError:  # mbcs and oem exist on Windows only
            continue
        if getattr(info, "_is_text_encoding", True) and module.name != "aliases":
            names.append(module.name)
    return sorted(names)


#: Encodings whose stream is written in UTF-8 instead, with the note; each for its reason.
REPLACED = {
    "idna": "raises a plain UnicodeError for a word over 63 letters or two dots in a row",
    "punycode": "rewrites ASCII ('abc' becomes 'abc-')",
    "utf_7": "rewrites '+' and every letter with a mark into base64 runs",
    "unicode_escape": "writes a line break as a backslash and an 'n'",
    "raw_unicode_escape": "a backslash-u in a Windows path reads back as another letter",
    "hz": "doubles every '~'",
    "cp037": "EBCDIC",
    "cp273": "EBCDIC",
    "cp424": "EBCDIC",
    "cp500": "EBCDIC",
    "cp875": "EBCDIC",
    "cp1026": "EBCDIC",
    "cp1140": "EBCDIC",
    "cp864": "writes '%' as the Arabic percent sign",
    "mac_arabic": "writes ASCII punctuation as its right-to-left twin",
    "mac_farsi": "writes ASCII punctuation as its right-to-left twin",
    "shift_jis_2004": "writes '\\' as the yen sign and '~' as an overline",
    "shift_jisx0213": "writes '\\' as the yen sign and '~' as an overline",
    "undefined": "refuses every character",
}
#: Encodings that write every Vietnamese letter, some in code page 1258's decomposed form.
LOSSLESS = {"utf_8", "utf_8_sig", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}
LOSSLESS |= {"cp1258", "gb18030"}
TEXT_CODECS = _text_codecs()


@pytest.fixture(scope="module")
def utf8_outputs() -> dict[str, tuple[int, bytes, bytes]]:
    """Each command's exit code, stdout and stderr with UTF-8 streams: the reference."""
    return {name: _run("utf-8", args) for name, args in COMMANDS.items()}


def _run(encoding: str, args: list[str]) -> tuple[int, bytes, bytes]:
    """``main(args)`` with stdout and stderr text streams in ``encoding``, as Python makes them.

    stderr gets ``backslashreplace`` as Python gives it; stdout ``strict``.
    """
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="backslashreplace")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(args)
    finally:
        sys.stdout, sys.stderr = saved
    out.flush()
    err.flush()
    return code, out.buffer.getvalue(), err.buffer.getvalue()


def _plain(text: str) -> str:
    """``text`` without marks, as the folding writes it (and typographic signs as ASCII)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if ch not in _MARKS)


def _skeleton(text: str) -> str:
    """The letters and digits of ``text`` without their marks, and its line breaks."""
    return re.sub(r"[^A-Za-z0-9\n]", "", _plain(text))


def test_the_table_names_real_codecs() -> None:
    assert set(REPLACED) | LOSSLESS <= set(TEXT_CODECS)
    assert len(TEXT_CODECS) > 100


@pytest.mark.parametrize("encoding", TEXT_CODECS)
def test_every_text_codec_writes_the_real_output_cleanly(
    encoding: str, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    """The streams as main() prepares them, given the commands' real output line by line."""
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="backslashreplace")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    text = "".join(utf8_outputs[name][1].decode("utf-8") for name in ("advice", "advice-en", "help", "setup"))
    text += utf8_outputs["usage-error"][2].decode("utf-8")
    try:
        streams.prepare()
        for line in text.splitlines(keepends=True):
            sys.stdout.write(line)
            sys.stderr.write(line)
        sys.stdout.flush()
        sys.stderr.flush()
        replaced, folded = streams.encoding_replaced(), streams.folded()
    finally:
        sys.stdout, sys.stderr = saved
    written = out.buffer.getvalue()
    assert written == err.buffer.getvalue()
    if encoding in REPLACED:
        assert replaced is not None and codecs.lookup(replaced).name == codecs.lookup(encoding).name
        assert written == text.encode("utf-8") and not folded
        return
    assert replaced is None, f"{encoding} was replaced"
    shown = unicodedata.normalize("NFC", written.decode(encoding))
    if encoding in LOSSLESS:
        assert shown == text and not folded
    else:
        # The same lines and letters; only marks (and typographic signs) may be gone.
        assert folded and shown.count("\n") == text.count("\n")
        assert _skeleton(shown) == _skeleton(text)
        for kept in ("0934 121 298", "https://emeetingjalai.hcdt.vn:2443/", "gialai-remote recommend"):
            assert kept in shown


@pytest.mark.parametrize(
    "encoding",
    ["idna", "punycode", "utf_7", "unicode_escape", "raw_unicode_escape", "cp037", "cp1140", "hz", "undefined"],
)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_main_writes_utf8_with_a_note_for_an_unusable_encoding(
    encoding: str, command: str, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    code, out, err = _run(encoding, COMMANDS[command])
    utf8_code, utf8_out, utf8_err = utf8_outputs[command]
    assert code == utf8_code == EXIT.get(command, 0)
    assert out == utf8_out
    note = NOTE["en" if "--lang" in COMMANDS[command] else "vi"].format(encoding)
    assert err.decode("utf-8") == utf8_err.decode("utf-8") + note


@pytest.mark.parametrize("encoding", ["utf_16", "utf_32", "utf_8_sig", "cp1258", "gb18030"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_main_keeps_a_unicode_encoding(
    encoding: str, command: str, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    code, out, err = _run(encoding, COMMANDS[command])
    utf8_code, utf8_out, utf8_err = utf8_outputs[command]
    assert code == utf8_code
    if command == "json":  # JSON is written as UTF-8 bytes, whatever the stream's encoding
        assert out == utf8_out
    else:
        assert unicodedata.normalize("NFC", out.decode(encoding)) == utf8_out.decode("utf-8")
    assert unicodedata.normalize("NFC", err.decode(encoding)) == utf8_err.decode("utf-8")


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "cp437", "latin_1", "koi8_r", "shift_jis", "iso2022_jp"])
def test_main_folds_for_an_encoding_without_vietnamese(
    encoding: str, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    code, out, err = _run(encoding, COMMANDS["advice"])
    assert code == 0
    shown = out.decode(encoding)
    assert shown.startswith("Day la huong dan cua Cong van") and "\nKhuyen nghi: " in shown  # after the opening
    assert shown.count("\n") == utf8_outputs["advice"][1].count(b"\n")
    assert err.decode(encoding).startswith("Ghi chu: terminal nay khong hien thi duoc tieng Viet co dau")
    assert "UTF-8" not in err.decode(encoding)


@pytest.mark.parametrize("value", ["idna", "punycode", "utf-7", "cp037", "unicode_escape", "idna:replace"])
def test_pythonioencoding_in_a_real_process(value: str, utf8_outputs: dict[str, tuple[int, bytes, bytes]]) -> None:
    """The cases that ended with exit 70 ("lỗi nội bộ") before, as a user meets them."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONIOENCODING": value, **SYSTEM}
    for command in ("advice", "setup", "help", "usage-error") if value == "idna" else ("advice", "usage-error"):
        proc = subprocess.run(
            [BIN, *COMMANDS[command]], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60
        )
        code, out, err = utf8_outputs[command]
        assert proc.returncode == code, proc.stderr
        assert proc.stdout == out
        note = proc.stderr.decode("utf-8").splitlines()[-1]
        assert note.startswith("Ghi chú: bảng mã ") and "UTF-8" in note
        assert proc.stderr.decode("utf-8").splitlines()[:-1] == err.decode("utf-8").splitlines()


def test_the_note_is_silent_when_the_reader_left(closed_stdout: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    err = closed_stdout(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    raw = cast(Any, sys.stdout.buffer).raw
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(raw), encoding="idna"))
    assert main(ADVICE) == 0
    assert err.getvalue() == ""


@pytest.mark.parametrize(
    ("encoding", "usable"),
    [
        ("utf-8", True),
        ("UTF8", True),
        ("cp1258", True),
        ("ascii", True),
        ("utf-16", True),
        ("utf-8-sig", True),
        ("idna", False),
        ("punycode", False),
        ("utf-7", False),
        ("rot13", False),  # bytes-free, but not a text encoding of a stream
        ("base64", False),  # bytes to bytes
        ("no-such-codec", False),
        ("", False),
    ],
)
def test_usable_encoding(encoding: str, usable: bool) -> None:
    assert streams.usable_encoding(encoding) is usable


# ---- a reader closing the pipe -----------------------------------------------------------


class _ClosedPipe(io.RawIOBase):
    """A pipe whose reader has gone: every write raises ``error`` (until ``open`` again)."""

    def __init__(self, error: OSError) -> None:
        self.error: OSError | None = error

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.error is not None:
            raise self.error
        return len(data)

    def fileno(self) -> int:  # never the test process's own descriptor
        raise io.UnsupportedOperation("fileno")


@pytest.fixture
def closed_stdout(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Install a stdout whose pipe is closed; yields a function choosing the error raised."""
    raw_streams: list[_ClosedPipe] = []

    def install(error: OSError) -> io.StringIO:
        raw = _ClosedPipe(error)
        raw_streams.append(raw)
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8"))
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        return err

    yield install
    for raw in raw_streams:  # let the wrappers close quietly
        raw.error = None


WINDOWS_PIPE = OSError(errno.EINVAL, "Invalid argument")
PIPE_CASES = {
    "text": (ADVICE, 0),
    "negative": (COMMANDS["negative"], 1),
    "json": (COMMANDS["json"], 0),
    "markdown": ([*ADVICE, "--format", "markdown"], 0),
    "setup": (COMMANDS["setup"], 0),
    "help": (["--help"], 0),
    "command-help": (["check", "--help"], 0),
    "version": (["--version"], 0),
    "tools": (["tools"], 0),
    "validate": (["validate", "--format", "json"], 0),
    "contacts": (["contacts"], 0),
    "schema": (["schema"], 0),
}


@pytest.mark.parametrize("case", sorted(PIPE_CASES))
@pytest.mark.parametrize(
    "error",
    [WINDOWS_PIPE, BrokenPipeError(errno.EPIPE, "Broken pipe"), BrokenPipeError()],
    ids=["EINVAL-windows", "EPIPE", "BrokenPipeError-no-errno"],
)
def test_a_closed_pipe_is_quiet_with_the_answers_code(
    case: str, error: OSError, closed_stdout: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streams, "_WINDOWS", True)
    err = closed_stdout(error)
    args, expected = PIPE_CASES[case]
    assert main(args) == expected
    assert err.getvalue() == ""
    assert streams.stdout_closed()


def test_einval_elsewhere_is_not_taken_for_a_closed_pipe(closed_stdout: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "_WINDOWS", False)
    err = closed_stdout(OSError(errno.EINVAL, "Invalid argument"))
    assert main(ADVICE) == 70  # said once, in one line, and no traceback
    assert err.getvalue().splitlines() == [
        "Lỗi nội bộ của gialai-remote (OSError: [Errno 22] Invalid argument). Xin báo lại cho người bảo trì, "
        "kèm lệnh đã chạy; đặt GIALAI_REMOTE_DEBUG=1 để xem chi tiết."
    ]


@pytest.mark.parametrize(
    ("exc", "windows", "closed"),
    [
        (BrokenPipeError(), False, True),
        (OSError(errno.EPIPE, "Broken pipe"), False, True),
        (OSError(errno.EINVAL, "Invalid argument"), True, True),
        (OSError(errno.EINVAL, "Invalid argument"), False, False),
        (OSError(errno.ENOSPC, "No space left on device"), True, False),
        (ValueError("I/O operation on closed file"), True, False),
        (ConnectionResetError(), True, False),
    ],
)
def test_is_closed_pipe(exc: BaseException, windows: bool, closed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "_WINDOWS", windows)
    assert streams.is_closed_pipe(exc) is closed


# ---- Windows: files and pipes are UTF-8 ---------------------------------------------------------
#
# Python on Windows writes Unicode to the console itself, but gives a file or a pipe the ANSI
# code page (cp1252 on an English Windows, cp1258 on a Vietnamese one). The simulation: the
# module's platform flag set as on Windows, and streams made as Python makes them there, a
# text wrapper in the ANSI code page whose ``isatty()`` says whether it is the console.


class _Console(io.BytesIO):
    """A byte stream that says it is a console (``isatty()``), as Windows' console handle does."""

    def isatty(self) -> bool:
        return True


def _run_windows(encoding: str, args: list[str], console: bool = False) -> tuple[int, bytes, bytes]:
    """``main(args)`` as on Windows, stdout and stderr both in ``encoding``, files or consoles."""
    raw: type[io.BytesIO] = _Console if console else io.BytesIO
    out = io.TextIOWrapper(raw(), encoding=encoding, errors="strict")
    err = io.TextIOWrapper(raw(), encoding=encoding, errors="backslashreplace")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(args)
    finally:
        sys.stdout, sys.stderr = saved
    out.flush()
    err.flush()
    return code, out.buffer.getvalue(), err.buffer.getvalue()


#: The ANSI code pages of Windows (what a redirected stream gets), and ASCII for good measure.
ANSI = ["cp1252", "cp1258", "cp1250", "cp1251", "cp1254", "cp874", "cp932", "cp936", "cp437", "ascii"]


@pytest.mark.parametrize("encoding", ANSI)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_windows_files_and_pipes_get_utf8_without_a_note(
    encoding: str, command: str, monkeypatch: pytest.MonkeyPatch, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    """``gialai-remote ... > ketqua.txt`` on Windows: the very bytes a UTF-8 terminal gets."""
    monkeypatch.setattr(streams, "_WINDOWS", True)
    assert _run_windows(encoding, COMMANDS[command]) == utf8_outputs[command]


@pytest.mark.parametrize("encoding", ["cp1252", "cp437", "ascii"])
def test_the_windows_console_keeps_its_encoding(encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A console in a narrow code page (``PYTHONLEGACYWINDOWSSTDIO``) still gets the folded text."""
    monkeypatch.setattr(streams, "_WINDOWS", True)
    code, out, err = _run_windows(encoding, ADVICE, console=True)
    assert code == 0
    shown = out.decode(encoding)  # a console: with colours
    assert "Khuyen nghi: " in shown and "Khuyến" not in out.decode("utf-8", "replace")
    assert err.decode(encoding).startswith("Ghi chu: terminal nay khong hien thi duoc tieng Viet co dau")


def test_pythonioencoding_still_decides_on_windows(
    monkeypatch: pytest.MonkeyPatch, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    """A user who sets ``PYTHONIOENCODING=cp1258`` gets cp1258 in the file: the setting wins."""
    monkeypatch.setattr(streams, "_WINDOWS", True)
    monkeypatch.setenv("PYTHONIOENCODING", "cp1258")
    code, out, err = _run_windows("cp1258", ADVICE)
    assert code == 0 and err == b""
    assert out != utf8_outputs["advice"][1]
    assert unicodedata.normalize("NFC", out.decode("cp1258")) == utf8_outputs["advice"][1].decode("utf-8")
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")
    code, out, err = _run_windows("cp1252", ADVICE)
    assert "\nKhuyen nghi: " in out.decode("cp1252") and err.decode("cp1252").startswith("Ghi chu: ")


def test_elsewhere_a_file_in_a_narrow_encoding_is_still_folded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linux and macOS: the locale's encoding is the user's choice, files included."""
    monkeypatch.setattr(streams, "_WINDOWS", False)
    code, out, _ = _run_windows("cp1252", ADVICE)
    assert code == 0 and "\nKhuyen nghi: " in out.decode("cp1252")


_AS_ON_WINDOWS = r"""
import io, sys
from gialai_remote.cli import streams
from gialai_remote.cli.main import main

# As Python starts on Windows: fds 1 and 2 in the ANSI code page when they are not the console.
streams._WINDOWS = True
sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="cp1252", errors="strict")
sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="cp1252", errors="backslashreplace")
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", ["advice", "setup", "usage-error", "json"])
def test_windows_redirection_to_a_real_file_and_pipe(
    command: str, tmp_path: Path, utf8_outputs: dict[str, tuple[int, bytes, bytes]]
) -> None:
    """A real process: stdout into a file (``> ketqua.txt``), stderr into a pipe (``2>&1 | ...``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    target = tmp_path / "ketqua.txt"
    with target.open("wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-c", _AS_ON_WINDOWS, *COMMANDS[command]],
            stdout=fh,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=60,
        )
    code, out, err = utf8_outputs[command]
    assert (proc.returncode, target.read_bytes(), proc.stderr) == (code, out, err)
    if command == "advice":
        assert "Khuyến nghị: " in target.read_text(encoding="utf-8")
