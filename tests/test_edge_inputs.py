"""Inputs at the edges that once ended in exit 70 or reached the terminal raw (issue 11).

``--version`` escapes the knowledge base's text like every other command; a server URL too long
for a QR code gives a handout without one; a path with undecodable bytes is valid JSON; the
numbers of every option follow one rule.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gialai_remote.cli.context import MAX_PARTICIPANTS, parse_number, parse_participants
from gialai_remote.cli.doctor import parse_timeout
from gialai_remote.cli.main import main
from gialai_remote.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
KB_TEXT = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8")
REAL_URL = "https://emeetingjalai.hcdt.vn:2443/"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- --version -------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "415\\e[31m/STTTT-CNTT",  # colour
    "415\\e]8;;https://evil.example\\a/STTTT\\e]8;;\\a",  # a hyperlink
    "415\\e[2J\\e[H/STTTT",  # clear the screen
    "415/\\u202eTTTTS",  # bidi override
    "415\\n/STTTT",  # a second line
    "415\\x9b31m/STTTT",  # one-byte CSI
    "415\\u2028/STTTT",  # line separator
]


@pytest.mark.parametrize("document", HOSTILE_TEXT)
def test_version_escapes_the_knowledge_base_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: str
) -> None:
    data = tmp_path / "kb.yaml"
    data.write_text(KB_TEXT.replace("document: 415/STTTT-CNTT", f'document: "{document}"', 1), encoding="utf-8")
    code, out, err = cli(capsys, "--version", "--data", str(data), "--lang", "en")
    assert code == 0, err
    # The knowledge base's line, then the digest of its one file (docs/layers.md).
    assert out.count("\n") == 2 and out.splitlines()[0].endswith(")")
    assert out.splitlines()[1].startswith("Content digest of the knowledge base (every file): ")
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e\u2028"), repr(out)
    assert out.startswith("gialai-remote ") and "knowledge base: letter 415" in out


def test_version_of_the_built_in_base_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--version", "--lang", "en")
    assert code == 0 and "letter 415/STTTT-CNTT of 2020-04-01, schema_version 2 (" in out


# ---- a server URL too long for a QR code -----------------------------------------------------


@pytest.mark.parametrize("length", [2_000, 2_400, 3_000, 10_000])
def test_a_url_too_long_for_a_qr_code_gives_the_handout_without_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, length: int
) -> None:
    url = REAL_URL + "a" * (length - len(REAL_URL))
    data = tmp_path / "kb.yaml"
    data.write_text(KB_TEXT.replace(f"server_url: {REAL_URL}", f"server_url: {url}"), encoding="utf-8")
    code, out, err = cli(capsys, "setup", "aic-emeeting", "--format", "html", "--data", str(data), "--lang", "en")
    assert code == 0, err
    assert url in out
    if length <= 2_000:
        assert 'class="qr"' in out and "<svg" in out
    else:
        assert "<svg" not in out and "The URL is too long for a QR code; type the URL above." in out
    assert cli(capsys, "setup", "aic-emeeting", "--format", "markdown", "--data", str(data))[0] == 0


def test_a_refused_url_in_a_handout_built_in_code_has_a_warning_and_no_qr_code() -> None:
    """Loading refuses such a URL; a handout built from a knowledge base made in code warns."""
    from gialai_remote.handout import build_handout
    from gialai_remote.knowledge.load import load_knowledge_base
    from gialai_remote.render.html import render_handout as html
    from gialai_remote.render.markdown import render_handout as markdown

    kb = load_knowledge_base()
    bad = "https://emeetingjalai.hcdt.vn\\@evil.example/"
    tools = tuple(t._replace(server_url=bad) if t.id == "aic-emeeting" else t for t in kb.tools)
    kb = kb._replace(tools=tools)
    handout = build_handout(kb, "aic-emeeting", date=dt.date(2026, 11, 29), lang="en")
    page, text = html(handout), markdown(handout)
    assert "<svg" not in page
    assert "Warning: this URL can be read as another address (it contains a backslash" in page
    assert "> Warning: this URL can be read as another address" in text


# ---- a path with bytes that are not UTF-8 ----------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_validate_a_path_with_undecodable_bytes(tmp_path: Path, fmt: str) -> None:
    path = os.fsencode(tmp_path) + b"/h\xff\xfe.yaml"
    with open(path, "wb") as fh:
        fh.write(KB_TEXT.encode("utf-8"))
    exe = Path(sys.executable).with_name("gialai-remote")  # POSIX only (skipped on Windows)
    proc = subprocess.run(
        [str(exe), "validate", path, "--format", fmt], capture_output=True, timeout=60, env=dict(os.environ)
    )
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    if fmt == "json":
        doc = json.loads(proc.stdout.decode("utf-8"))  # strict UTF-8
        assert os.fsencode(doc["path"]) == path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_version_shows_undecodable_bytes_escaped(tmp_path: Path) -> None:
    path = os.fsencode(tmp_path) + b"/h\xff.yaml"
    with open(path, "wb") as fh:
        fh.write(KB_TEXT.encode("utf-8"))
    exe = Path(sys.executable).with_name("gialai-remote")
    proc = subprocess.run([str(exe), "--version", "--data", path], capture_output=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8").splitlines()[0].endswith("/h\\xff.yaml)")


# ---- one rule for numbers --------------------------------------------------------------------

WHOLE = [
    ("12", 12),
    (" 12 ", 12),
    ("012", 12),
    ("0000000000000000000000000026", 26),
    ("0" * 5000 + "7", 7),
    ("1000000", 1_000_000),
]
NOT_WHOLE = ["", " ", "+12", "-12", "1_2", "1e3", "12.0", "12,5", "١٢", "１２", "12a", "0x10", "½", "²"]
DECIMAL = [("5", 5.0), ("05", 5.0), ("2.5", 2.5), ("2,5", 2.5), (".5", 0.5), ("5.", 5.0), ("060", 60.0)]
NOT_DECIMAL = ["", "+5", "-5", "1e1", "inf", "nan", "1_0", "٥", "５", "2.5.1", "2,5,1", ".", ",", "5 s", "0x5"]


@pytest.mark.parametrize(("text", "value"), WHOLE)
def test_whole_numbers(text: str, value: int) -> None:
    assert parse_number(text) == value
    if 1 <= value <= MAX_PARTICIPANTS:
        assert parse_participants(text, "en") == value


@pytest.mark.parametrize("text", NOT_WHOLE)
def test_not_whole_numbers(text: str) -> None:
    assert parse_number(text) is None
    with pytest.raises(UsageError):
        parse_participants(text, "en")


@pytest.mark.parametrize("text", ["0", "000", "1000001", "9" * 31, "9" * 5000, "0" * 100 + "1000001"])
def test_participants_out_of_range_by_value(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_participants(text, "en")
    assert "must be a whole number from 1 to 1000000" in info.value.message


@pytest.mark.parametrize(("text", "value"), DECIMAL)
def test_decimal_numbers(text: str, value: float) -> None:
    assert parse_number(text, decimal=True) == value
    assert parse_timeout(text, "en") == value


@pytest.mark.parametrize("text", NOT_DECIMAL + ["0", "0.09", "60.01", "0" * 3000 + "61"])
def test_timeouts_refused(text: str) -> None:
    with pytest.raises(UsageError):
        parse_timeout(text, "en")


@pytest.mark.parametrize("text", ["٣", "٠١٢", "１２"])
def test_both_options_refuse_other_scripts_digits(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert cli(capsys, "doctor", "--tool", "polycom", "--timeout", text)[0] == 2
    argv = ["recommend", "--role", "agency-staff", "--task", "meeting", "--participants", text, "--no-input"]
    assert cli(capsys, *argv)[0] == 2
