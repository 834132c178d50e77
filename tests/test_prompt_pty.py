"""Prompts on a real pseudo-terminal: answered by name (folded) or number, Ctrl-D, Ctrl-C, retries.

Each test spawns the installed console script on a pty with pexpect, as a person would run it.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import cast

import pexpect
import pytest

#: Every test here drives the command on a pseudo-terminal (POSIX only).
pytestmark = pytest.mark.posix

BIN = str(Path(sys.executable).with_name("gialai-remote"))
DATE = "2026-11-29"
ROOT = Path(__file__).resolve().parents[1]


def kb_cache() -> dict[str, str]:
    """The test's own knowledge-base cache folder (tests/conftest.py), so that a child whose
    HOME is the checkout never writes ``.cache/`` into it."""
    folder = os.environ.get("GIALAI_REMOTE_CACHE")  # unset in a module-scoped fixture
    return {"GIALAI_REMOTE_CACHE": folder or os.path.join(tempfile.gettempdir(), "gialai-remote-test-cache")}


def spawn(*args: str, env: dict[str, str] | None = None, command: str = BIN) -> pexpect.spawn[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(ROOT),
        "NO_COLOR": "1",
        "TERM": "xterm",
        **kb_cache(),
    }
    child = pexpect.spawn(
        command, list(args), env={**base, **(env or {})}, encoding="utf-8", timeout=30, dimensions=(50, 200)
    )
    child.logfile_read = io.StringIO()  # everything the terminal showed
    return child


def finish(child: pexpect.spawn[str]) -> tuple[int, str]:
    """Wait for the end; return the exit code and the whole session as the terminal showed it."""
    child.expect(pexpect.EOF)
    child.close()
    # NO_COLOR leaves bold and dim (they are not colours): drop every SGR sequence.
    text = re.sub(r"\x1b\[[0-9;]*m", "", cast(io.StringIO, child.logfile_read).getvalue().replace("\r\n", "\n"))
    assert "Traceback" not in text
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)), text


def test_unaccented_answers_give_vietnamese_advice() -> None:
    child = spawn("recommend", "--date", DATE)
    child.expect_exact("Cuộc họp hay công việc này là của ai?")
    child.expect_exact("1) Thành viên UBND tỉnh (ubnd-member)")
    child.expect_exact("Chọn số (1-2) hoặc gõ tên: ")
    child.sendline("thanh vien uy ban")
    child.expect_exact("Bạn cần làm gì?")
    child.expect_exact("Chọn số (1-4) hoặc gõ tên: ")
    child.sendline("hop")
    child.expect_exact("Nội dung công việc ở mức độ nào?")
    child.expect_exact("Chọn số (1-3) hoặc gõ tên (Enter: internal): ")
    child.sendline("noi bo")
    child.expect_exact("Bao nhiêu người tham gia? (Enter nếu chưa biết): ")
    child.sendline("12")
    code, text = finish(child)
    assert code == 0
    assert "Khuyến nghị: 3 công cụ phù hợp theo Công văn" in text
    assert "Vai trò: Thành viên UBND tỉnh | Công việc: Họp, xử lý công việc đột xuất | Số người: 12" in text
    assert "1. Hệ thống họp trực tuyến Polycom của tỉnh (mục 2.1.a)" in text
    assert "Ông Phan Đình Hiếu: 0935 076 079" in text


def test_old_tone_placement_and_numbers_in_english() -> None:
    child = spawn("recommend", "--lang", "en", "--date", DATE)
    child.expect_exact("Whose meeting or work is it?")
    child.expect_exact("Pick a number (1-2) or type a name: ")
    child.sendline("Thành viên Ủy ban")  # old tone placement, capitals
    child.expect_exact("What do you need to do?")
    child.sendline("3")
    child.expect_exact("How sensitive is the content?")
    child.sendline("THÔNG THƯỜNG")
    child.expect_exact("How many people will take part? (Enter if unknown): ")
    child.sendline("")
    code, text = finish(child)
    assert code == 0
    assert "Recommended:" in text and "Role: Member of the provincial People's Committee" in text
    assert "Task: Meetings and urgent work" in text and "Sensitivity: Normal" in text
    assert "Why:" in text and "Vì sao" not in text


def test_decomposed_and_windows_keyboard_answers() -> None:
    child = spawn("recommend", "--date", DATE, "-s", "normal", "-n", "5")
    child.expect_exact("Chọn số (1-2)")
    child.sendline("ca\u0301n bo\u0323\u0302")  # NFD
    child.expect_exact("Chọn số (1-4)")
    child.sendline("ho\u0323p")  # the Windows Vietnamese keyboard's form
    code, text = finish(child)
    assert code == 0 and "Vai trò: Cán bộ, công chức, viên chức | Công việc: Họp" in text


def test_ctrl_d_exits_130_with_one_line() -> None:
    child = spawn("recommend", "--date", DATE)
    child.expect_exact("Chọn số (1-2) hoặc gõ tên: ")
    child.sendeof()
    code, text = finish(child)
    assert code == 130
    after = text.split("hoặc gõ tên: ", 1)[1]
    assert [line for line in after.splitlines() if line.strip()] == ["Đã dừng."]


def test_ctrl_d_at_a_later_prompt() -> None:
    child = spawn("recommend", "--date", DATE, "--lang", "en")
    child.expect_exact("or type a name: ")
    child.sendline("2")
    child.expect_exact("Pick a number (1-4)")
    child.sendeof()
    code, text = finish(child)
    assert code == 130 and text.strip().endswith("Interrupted.") and text.count("Interrupted.") == 1


def interrupt(child: pexpect.spawn[str]) -> None:
    """Press Ctrl-C, and again if the first arrived before the prompt began to read.

    CPython checks for a pending SIGINT only when a read is interrupted; a Ctrl-C that lands
    between the prompt being written and the read starting waits for the next key, so a
    person (and this test) presses it again. Either way exactly one interrupt is handled.
    """
    child.sendintr()
    if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=5) == 1:
        child.sendintr()


@pytest.mark.parametrize("where", ["role", "participants"])
def test_ctrl_c_exits_130_with_one_line(where: str) -> None:
    flags = ("-r", "staff", "-t", "hop", "-s", "normal") if where != "role" else ()
    child = spawn("recommend", "--date", DATE, *flags)
    child.expect_exact("Chọn số (1-2) hoặc gõ tên: " if where == "role" else "(Enter nếu chưa biết): ")
    interrupt(child)
    code, text = finish(child)
    assert code == 130
    assert text.count("Đã dừng.") == 1 and "KeyboardInterrupt" not in text and "Aborted" not in text


def test_three_bad_answers_exit_2() -> None:
    child = spawn("recommend", "--date", DATE)
    for answer in ("nguoi dan", "9", "thanh vien"):
        child.expect_exact("Chọn số (1-2) hoặc gõ tên: ")
        child.sendline(answer)
    code, text = finish(child)
    assert code == 2
    assert '--role: không có vai trò "nguoi dan"' in text
    assert "Có phải bạn muốn: ubnd-member (Thành viên UBND tỉnh)" in text  # for "thanh vien"
    assert text.strip().endswith("Đã hỏi ba lần mà chưa có câu trả lời hợp lệ; hãy dùng --role.")
    assert text.count("Chọn số (1-2)") == 3


def test_a_bad_answer_then_a_good_one() -> None:
    child = spawn("check", "--date", DATE, "-r", "staff", "-s", "normal", "--lang", "en")
    child.expect_exact("Which tool?")
    child.expect_exact("Pick a number (1-16) or type a name: ")
    child.sendline("aic")  # names two tools: asked again, never guessed
    child.expect_exact('--tool: "aic" matches more than one tool: aic-emeeting (AIC eMeeting); aic-smart-meeting')
    child.expect_exact("Pick a number (1-16) or type a name: ")
    child.sendline("e meeting")
    code, text = finish(child)
    assert code == 0 and "Allowed: AIC eMeeting" in text


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--no-input",), {}), ((), {"GIALAI_REMOTE_NO_INPUT": "1"}), ((), {"GIALAI_REMOTE_NO_INPUT": "yes"})],
)
def test_no_input_never_prompts_even_on_a_terminal(args: tuple[str, ...], env: dict[str, str]) -> None:
    child = spawn("recommend", "--date", DATE, *args, env=env)
    code, text = finish(child)
    assert code == 2 and "là của ai?" not in text
    assert text.strip() == "Thiếu --role (vai trò); chọn một trong: ubnd-member, agency-staff."


@pytest.mark.parametrize(
    "pipeline",
    [
        f"echo hop | {BIN} recommend --date {DATE}",  # stdin is not a terminal
        f"set -o pipefail; {BIN} recommend --date {DATE} | cat",  # stdout is not a terminal
    ],
    ids=["stdin-piped", "stdout-piped"],
)
def test_no_prompt_unless_both_ends_are_terminals(pipeline: str) -> None:
    child = spawn("-c", pipeline, command="/bin/bash")
    code, text = finish(child)
    assert code == 2 and "là của ai?" not in text and "Thiếu --role (vai trò)" in text


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_prompts_on_a_terminal_that_cannot_show_vietnamese(encoding: str) -> None:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1", "PYTHONIOENCODING": encoding}
    child = pexpect.spawn(BIN, ["recommend", "--date", DATE], env=base, encoding=encoding, timeout=30)
    child.logfile_read = io.StringIO()
    child.expect_exact("Cuoc hop hay cong viec nay la cua ai?")
    child.expect_exact("1) Thanh vien UBND tinh (ubnd-member)")
    child.expect_exact("Chon so (1-2) hoac go ten: ")
    child.sendline("thanh vien uy ban")
    child.expect_exact("Chon so (1-4) hoac go ten: ")
    child.sendline("hop")
    child.expect_exact("Chon so (1-3) hoac go ten (Enter: internal): ")
    child.sendline("2")
    child.expect_exact("(Enter neu chua biet): ")
    child.sendline("")
    code, text = finish(child)
    assert code == 0 and "Khuyen nghi: 3 cong cu phu hop theo Cong van" in text
    assert text.isascii() if encoding == "ascii" else "Công" not in text


def test_enter_at_the_sensitivity_prompt_keeps_the_safe_side() -> None:
    child = spawn("recommend", "--date", DATE)
    child.expect_exact("gõ tên: ")
    child.sendline("thanh vien uy ban")
    child.expect_exact("gõ tên: ")
    child.sendline("hop")
    child.expect_exact("(Enter: internal): ")
    child.sendline("")
    child.expect_exact("(Enter nếu chưa biết): ")
    child.sendline("12")
    code, text = finish(child)
    assert code == 0
    assert "Mức độ: Nội dung có tính chất nội bộ (mặc định)" in text
    assert "Zalo không được dùng" in text
