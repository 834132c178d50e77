"""Safe on every terminal: encodings, bare environments, pipes, colour, hostile data, completion.

Every test runs the installed console script in a subprocess with a small, explicit
environment, so nothing depends on the machine running the tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest

from portable import BIN, SYSTEM

ROOT = Path(__file__).resolve().parents[1]
DATE = "2026-11-29"
ADVICE = ("recommend", "-r", "thanh vien uy ban", "-t", "hop", "--date", DATE)
STAFF = ("recommend", "-r", "agency-staff", "-t", "meeting", "-s", "normal", "-n", "12", "--date", DATE)
URL = "https://emeetingjalai.hcdt.vn:2443/"
ENCODINGS = ["ascii", "cp1252", "cp437", "cp1258"]
SGR_COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[25])[0-9;]*m")
BOX_DRAWING = re.compile("[\u2500-\u259f]")


def kb_cache() -> dict[str, str]:
    """The test's own knowledge-base cache folder (tests/conftest.py), so that a child whose
    HOME is the checkout never writes ``.cache/`` into it."""
    folder = os.environ.get("GIALAI_REMOTE_CACHE")  # unset in a module-scoped fixture
    return {"GIALAI_REMOTE_CACHE": folder or os.path.join(tempfile.gettempdir(), "gialai-remote-test-cache")}


def cli(
    *args: str, env: dict[str, str] | None = None, home: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """Run gialai-remote with a minimal environment plus ``env``; stdin is empty, stdout a pipe."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home or ROOT), **SYSTEM, **kb_cache()}
    proc = subprocess.run(
        [BIN, *args], env={**base, **(env or {})}, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout
    )
    assert b"Traceback" not in proc.stdout + proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc


# ---- encodings ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def utf8_advice() -> str:
    proc = cli(*ADVICE)
    assert proc.returncode == 0
    return proc.stdout.decode("utf-8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_under_a_narrow_encoding(encoding: str, utf8_advice: str) -> None:
    proc = cli(*ADVICE, env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 0
    text = proc.stdout.decode(encoding)  # every byte is one the terminal can show
    if encoding == "cp1258":
        # Code page 1258 writes Vietnamese in the Windows form: nothing is lost.
        assert unicodedata.normalize("NFC", text) == utf8_advice
        assert proc.stderr == b""
    else:
        assert text.startswith("Day la huong dan cua Cong van 415/STTTT-CNTT")  # the opening block
        assert "\nKhuyen nghi: 3 cong cu phu hop theo Cong van\n" in text
        assert "Thanh vien UBND tinh" in text and "Ong Phan Dinh Hieu: 0935 076 079" in text
        assert not re.search("[\u0300-\u036f\u00c0-\u024f\u1e00-\u1eff]", text), "half-accented text"
        note = proc.stderr.decode(encoding).splitlines()
        assert note == [
            "Ghi chu: terminal nay khong hien thi duoc tieng Viet co dau nen chu da duoc bo dau. "
            "Hay dat PYTHONIOENCODING=utf-8 de xem du dau."
        ]
    assert text.count("\n") == utf8_advice.count("\n")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_english_and_help_under_a_narrow_encoding(encoding: str) -> None:
    english = cli(*ADVICE, "--lang", "en", env={"PYTHONIOENCODING": encoding})
    assert english.returncode == 0 and "\nRecommended: 3 tools" in english.stdout.decode(encoding)
    for args in (("--help",), ("recommend", "--help"), ("check", "-h")):
        proc = cli(*args, env={"PYTHONIOENCODING": encoding})
        assert proc.returncode == 0
        text = unicodedata.normalize("NFC", proc.stdout.decode(encoding))
        assert text.startswith("Cách dùng:" if encoding == "cp1258" else "Cach dung:")
    version = cli("--version", env={"PYTHONIOENCODING": encoding})
    assert version.returncode == 0 and version.stdout.decode(encoding).startswith("gialai-remote ")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_stays_utf8_under_a_narrow_encoding(encoding: str) -> None:
    proc = cli(*ADVICE, "--format", "json", env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 0 and proc.stderr == b""
    doc = json.loads(proc.stdout.decode("utf-8"))
    assert doc["recommendations"][0]["name"] == "Hệ thống họp trực tuyến Polycom của tỉnh"
    assert "\\u" not in proc.stdout.decode("utf-8")  # not ASCII-escaped


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_errors_under_a_narrow_encoding(encoding: str) -> None:
    proc = cli("recommend", "-r", "thành viên", "-t", "hop", "--no-input", env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 2 and proc.stdout == b""
    first = unicodedata.normalize("NFC", proc.stderr.decode(encoding).splitlines()[0])
    assert first.startswith('--role: không có vai trò "thành viên"' if encoding == "cp1258" else "--role: khong co")
    negative = cli("recommend", "-r", "staff", "-t", "hop", "--no-internet", env={"PYTHONIOENCODING": encoding})
    assert negative.returncode == 1  # the answer's code survives the folding


@pytest.mark.parametrize(
    "args",
    [ADVICE, ("--help",), ("recommend", "--help"), (*ADVICE, "--format", "json"), ("recommend", "-r", "x")],
    ids=["text", "help", "recommend-help", "json", "error"],
)
@pytest.mark.posix
def test_bare_environment(args: tuple[str, ...]) -> None:
    """``env -i``: no PATH, no HOME, no LANG, as in a cron job."""
    proc = subprocess.run(["env", "-i", BIN, *args], stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    assert b"Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == (2 if args[-1] == "x" else 0)
    (proc.stdout if proc.returncode == 0 else proc.stderr).decode("utf-8")
    if args[-1] == "json":
        json.loads(proc.stdout)


@pytest.mark.posix
def test_module_entry_point_in_bare_environment() -> None:
    proc = subprocess.run(
        ["env", "-i", sys.executable, "-m", "gialai_remote", *ADVICE], capture_output=True, timeout=60
    )
    assert proc.returncode == 0 and "\nKhuyến nghị:" in proc.stdout.decode("utf-8")


# ---- pipes: plain, unwrapped, colourless --------------------------------------------------


@pytest.mark.parametrize("columns", [None, "40"])
def test_piped_text_is_plain_and_unwrapped(columns: str | None) -> None:
    env = {"COLUMNS": columns, "TERM": "xterm-256color"} if columns else {}
    proc = cli(*STAFF, env=env)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0
    assert "\x1b" not in out and not BOX_DRAWING.search(out)
    lines = out.splitlines()
    assert max(len(line) for line in lines) > 120  # no hard wrapping at 80 (or 40) columns
    assert any(line.strip() == f"3) Trên máy tính: Vào địa chỉ {URL} bằng trình duyệt." for line in lines)
    assert "- Ông Lê Văn Hải: 0934 121 298" in lines[lines.index("   Liên hệ hỗ trợ:") + 1]
    assert not any(line != line.rstrip() for line in lines), "trailing spaces from padding"


def test_piped_tables_are_not_truncated() -> None:
    for lang in ("vi", "en"):
        out = cli("tools", "--lang", lang, env={"COLUMNS": "40"}).stdout.decode("utf-8")
        assert "…" not in out and "\x1b" not in out and not BOX_DRAWING.search(out)
        names = {"vi": 'Hệ thống "Họp thông minh", mô-đun "Họp trực tuyến" (AIC)', "en": "(Online Meeting) module"}
        assert names[lang] in out


def test_piped_json_and_help_are_plain() -> None:
    proc = cli(*STAFF, "--format", "json", env={"COLUMNS": "40", "FORCE_COLOR": "1"})
    assert b"\x1b" not in proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["recommendations"][0]["contacts"][0]["phone"] == "0934121298"
    help_text = cli("recommend", "--help", env={"FORCE_COLOR": "1"}).stdout.decode("utf-8")
    assert "\x1b" not in help_text and not BOX_DRAWING.search(help_text)


def test_force_color_and_no_color() -> None:
    forced = cli(*STAFF, env={"FORCE_COLOR": "1"}).stdout.decode("utf-8")
    assert SGR_COLOUR.search(forced)
    assert "0934 121 298" in forced and URL in forced  # colour, but still no wrapping
    for env in ({"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}):
        assert not SGR_COLOUR.search(cli(*STAFF, env=env).stdout.decode("utf-8")), env


# ---- closed pipes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (STAFF, 0),
        ((*STAFF, "--format", "json"), 0),
        (("--help",), 0),
        (("recommend", "--help"), 0),
        (("recommend", "-r", "staff", "-t", "hop", "--no-internet"), 1),
        (("check", "--tool", "zalo", "-r", "staff"), 1),
        (("check", "--tool", "aic-emeeting", "-r", "staff", "-t", "hop"), 0),
    ],
)
@pytest.mark.posix
def test_closed_pipe_is_quiet_and_keeps_the_exit_code(args: tuple[str, ...], code: int) -> None:
    # The reader is gone before the first byte is written.
    proc = subprocess.Popen(
        [BIN, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PATH": "/bin"}
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == code
    assert err == b""


@pytest.mark.parametrize("encoding", ["ascii", "cp437"])
@pytest.mark.posix
def test_closed_pipe_under_a_narrow_encoding_prints_no_note(encoding: str) -> None:
    proc = subprocess.Popen(
        [BIN, *STAFF],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "/bin", "PYTHONIOENCODING": encoding},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == b""


@pytest.mark.parametrize("reader", ["head -n 1", "head -c 10"])
@pytest.mark.posix
def test_head_in_a_shell_pipeline(reader: str, tmp_path: Path) -> None:
    err = tmp_path / "err"
    script = f'"{BIN}" recommend -r staff -t hop -s normal 2>"{err}" | {reader} >/dev/null; echo "${{PIPESTATUS[0]}}"'
    proc = subprocess.run(["bash", "-c", script], capture_output=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert proc.stdout.decode().strip() == "0"
    assert err.read_bytes() == b""


# ---- knowledge-base text is data, never markup or terminal control ------------------------

MARKUP = "[bold]Cán bộ[/bold] [link=https://x.invalid]bấm[/link] [/x]"
CONTROLS = ("\x1b", "\x07", "\x08", "\x9b", "\x85", "\u202e", "\u2066")


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base with rich markup and control characters in names and steps."""
    text = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8")
    replacements = [
        ("      vi: Cán bộ, công chức, viên chức\n", f'      vi: "{MARKUP} \\e[31mĐỎ\\a\\b\\x9b\\u202Eevil"\n'),
        ("      en: Civil servant or public employee\n", '      en: "[bold]Staff[/] \\e[2J\\x85 \\u2066x"\n'),
        ("      vi: AIC eMeeting\n", '      vi: "AIC [bold]eMeeting[/] \\e[2J\\r [red]"\n'),
        ("      en: AIC eMeeting\n", '      en: "AIC [link=https://x.invalid]eMeeting[/link] \\a"\n'),
        (
            "          vi: Người chủ trì đăng nhập đầu tiên để tạo tên phòng họp, mật khẩu tham gia và "
            "thông báo cho các thành viên đăng nhập.\n",
            '          vi: "[red]\\e]8;;http://x.invalid\\e\\\\link\\e]8;;\\e\\\\ \\x85 \\u2066[/red] '
            'Người chủ trì [/x]"\n',
        ),
        ("    name: Lê Văn Hải\n", '    name: "Lê [i]Văn[/i] Hải\\e[5m"\n'),
    ]
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("kb") / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _formats() -> list[str]:
    """Every --format that recommend offers (text and json, and markdown/html once they exist)."""
    proc = cli("recommend", "--help", "--lang", "en")
    found = re.search(r"--format ([a-z|]+)", proc.stdout.decode("utf-8"))
    assert found
    return found.group(1).split("|")


@pytest.mark.parametrize("fmt", _formats())
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_hostile_knowledge_base_in_every_format(hostile_kb: Path, fmt: str, lang: str) -> None:
    proc = cli("recommend", "-r", "staff", "-t", "hop", "-s", "normal", "--data", str(hostile_kb),
               "--date", DATE, "--format", fmt, "--lang", lang, env={"FORCE_COLOR": "1"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    if fmt == "json":
        doc = json.loads(out)
        names = {rec["tool"]: rec["name"] for rec in doc["recommendations"]}
        assert names["aic-emeeting"].startswith("AIC [bold]eMeeting[/]" if lang == "vi" else "AIC [link=")
        assert not re.search("[\x00-\x1f]", out.replace("\n", "")), "raw control characters in JSON"
        return
    # No control character reaches a terminal or a document; rich's own colour codes are
    # the only escapes, and only in text with FORCE_COLOR.
    plain = SGR_COLOUR.sub("", re.sub(r"\x1b\[[0-9;]*m", "", out)) if fmt == "text" else out
    for ch in CONTROLS:
        assert ch not in plain, (fmt, repr(ch))
    if fmt == "text":
        if lang == "vi":
            assert MARKUP in plain and "\\x1b[31mĐỎ\\x07\\x08\\x9bevil" in plain
            assert "Người chủ trì [/x]" in plain and "AIC [bold]eMeeting[/] \\x1b[2J\\x0d [red]" in plain
        else:
            assert "[bold]Staff[/] \\x1b[2J\\x85 x" in plain and "AIC [link=https://x.invalid]eMeeting[/link]" in plain
        assert "Lê [i]Văn[/i] Hải\\x1b[5m" in plain
    elif fmt == "html":
        assert "<script" not in out and "[link=https://x.invalid]" in out
    else:  # markdown: brackets escaped so no renderer turns them into links
        assert r"\[link=https://x.invalid\]" in out


OTHER_COMMANDS = [
    (("setup", "aic-emeeting", "--date", DATE), ("text", "markdown", "html")),
    (("tools", "show", "aic-emeeting", "--date", DATE), ("text", "json")),
    (("tools",), ("text", "json")),
    (("roles",), ("text", "json")),
    (("contacts",), ("text", "json")),
    (("check", "--tool", "aic-emeeting", "-r", "staff", "-t", "hop", "--date", DATE), ("text", "json")),
]


@pytest.mark.parametrize(
    ("args", "fmt"),
    [(args, fmt) for args, formats in OTHER_COMMANDS for fmt in formats],
    ids=[f"{' '.join(args[:2])}-{fmt}" for args, formats in OTHER_COMMANDS for fmt in formats],
)
def test_hostile_knowledge_base_in_other_commands(hostile_kb: Path, args: tuple[str, ...], fmt: str) -> None:
    proc = cli(*args, "--data", str(hostile_kb), "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    if fmt == "json":
        json.loads(out)
        assert not re.search("[\x00-\x1f]", out.replace("\n", ""))
    else:
        for ch in CONTROLS:
            assert ch not in out, (args, fmt, repr(ch))
    if args[0] in ("setup", "roles", "contacts") and fmt != "json":
        assert re.search(r"\\?\[(bold|i)\\?\]", out), "markup-like data must stay visible, literally"


def test_hostile_names_at_the_prompt_and_in_errors(hostile_kb: Path) -> None:
    proc = cli("recommend", "--data", str(hostile_kb), "-r", "cán bộ", "--no-input")
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "\x1b" not in err and "\u202e" not in err


# ---- shell completion ---------------------------------------------------------------------


def complete(shell: str, words: str, incomplete: str = "", **env: str) -> str:
    variables = {"_GIALAI_REMOTE_COMPLETE": f"complete_{shell}", **env}
    if shell == "bash":
        parts = words.split() + [incomplete]
        variables |= {"COMP_WORDS": " ".join(parts), "COMP_CWORD": str(len(parts) - 1)}
    else:
        variables |= {"_TYPER_COMPLETE_ARGS": f"{words} {incomplete}".rstrip() + (" " if not incomplete else "")}
        if shell == "fish":
            variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
        if shell == "powershell":
            variables["_TYPER_COMPLETE_WORD_TO_COMPLETE"] = incomplete
    proc = cli(env=variables)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_of_commands_options_and_ids(shell: str) -> None:
    assert "recommend" in complete(shell, "gialai-remote", "rec")
    assert "--role" in complete(shell, "gialai-remote recommend", "--ro")
    roles = complete(shell, "gialai-remote recommend --role")
    assert "ubnd-member" in roles and "agency-staff" in roles
    tasks = complete(shell, "gialai-remote recommend --task")
    assert all(task in tasks for task in ("documents", "public-services", "meeting", "group-exchange"))
    tools = complete(shell, "gialai-remote check --tool", "aic")
    assert "aic-emeeting" in tools and "aic-smart-meeting" in tools and "zalo" not in tools
    platforms = complete(shell, "gialai-remote recommend --platform")
    assert all(p in platforms for p in ("ios", "android", "windows", "macos", "linux", "web"))


def test_completion_shows_names_in_the_language_chosen() -> None:
    assert "Thành viên UBND tỉnh" in complete("fish", "gialai-remote recommend --role")
    assert "Member of the provincial" in complete("fish", "gialai-remote recommend --lang en --role")
    assert "Member of the provincial" in complete("fish", "gialai-remote recommend --role", GIALAI_REMOTE_LANG="en")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_completion_help_stays_on_one_line_per_candidate(shell: str) -> None:
    for lang in ("vi", "en"):
        out = complete(shell, f"gialai-remote --lang {lang} recommend", "--")
        lines = [line for line in out.splitlines() if line.strip()]
        if shell == "fish":
            assert all(line.startswith("-") and "\t" in line for line in lines), lines
        else:
            assert all(line.startswith(('"--', "_arguments")) for line in lines), lines
    role_en = "Role of the person the meeting or work is for (its chair): ubnd-member"
    assert role_en in complete("fish", "gialai-remote --lang en recommend", "--r")
    role_vi = "Vai trò của người chủ trì cuộc họp hay công việc: ubnd-member"
    assert role_vi in complete("fish", "gialai-remote --lang xx recommend", "--r")  # silent


def test_completion_reads_the_active_knowledge_base(hostile_kb: Path, tmp_path: Path) -> None:
    text = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8").replace("- id: zalo\n", "- id: zalo-pc\n")
    text = text.replace("[facebook, zalo, viber", "[facebook, zalo-pc, viber")
    other = tmp_path / "other.yaml"
    other.write_text(text, encoding="utf-8")
    assert "zalo-pc" in complete("bash", f"gialai-remote check --data {other} --tool", "zal")
    assert "zalo-pc" in complete("bash", "gialai-remote check --tool", "zal", GIALAI_REMOTE_DATA=str(other))
    # Names are data: no control character reaches the shell.
    fish = complete("fish", f"gialai-remote --data {hostile_kb} recommend --role")
    assert "agency-staff" in fish and "\x1b" not in fish and "\u202e" not in fish
    # A broken knowledge base completes nothing, silently.
    assert complete("bash", "gialai-remote --data /nonexistent.yaml recommend --role").strip() == ""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_script_for_manual_install(shell: str) -> None:
    proc = cli(env={"_GIALAI_REMOTE_COMPLETE": f"source_{shell}"})
    assert proc.returncode == 0 and "_GIALAI_REMOTE_COMPLETE" in proc.stdout.decode("utf-8")


def test_install_completion_when_the_shell_cannot_be_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gialai_remote.cli import helptext
    from gialai_remote.cli import main as entry

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(helptext, "_detect_shell", lambda: None)
    for lang, words in (("vi", "Không nhận ra shell"), ("en", "Cannot tell which shell")):
        assert entry.main(["--lang", lang, "--install-completion"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and words in err and "source_bash" in err and len(err.splitlines()) == 1
    monkeypatch.setattr(helptext, "_detect_shell", lambda: "tcsh")
    assert entry.main(["--show-completion"]) == 2
    assert "(tcsh)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.posix
def test_install_completion_under_bash(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["bash", "-c", f'"{BIN}" --install-completion'],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").startswith("Đã cài gợi ý lệnh cho bash vào ")
    assert "gialai-remote" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
