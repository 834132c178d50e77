"""At the desk: whose work it is (the role question), dates as people write them, and text that
keeps its layout on a terminal of any width.

The role question asks for the role of the person the meeting or work is for (the chair);
words for other people at the desk get an explanation of how to choose, as a flag value and at
the prompt. ``--date`` takes the forms Vietnamese readers write, "today" is Vietnam's, and a
day before the letter is refused. On a pseudo-terminal 40, 80 and 120 columns wide, every
wrapped line keeps its hanging indent, URLs and phone numbers stay whole, and narrow
``tools`` is a list; files and pipes are never wrapped (the sweep and test_terminal.py).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import cast

import pexpect
import pytest
from rich.console import Console
from rich.text import Text

from gialai_remote import dates
from gialai_remote.cli import desk
from gialai_remote.cli.context import parse_date
from gialai_remote.cli.layout import Hanging, hang_of
from gialai_remote.cli.main import run
from gialai_remote.cli.match import Candidate
from gialai_remote.errors import UsageError

BIN = str(Path(sys.executable).with_name("gialai-remote"))
ROOT = Path(__file__).resolve().parents[1]
URL = "https://emeetingjalai.hcdt.vn:2443/"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- whose work it is ----------------------------------------------------------------------

HELPERS = ["thư ký", "Thu ky", "trợ lý", "văn thư", "chuyên viên", "văn phòng", "cán bộ văn phòng UBND",
           "Văn phòng UBND tỉnh", "secretary", "assistant", "IT staff"]  # fmt: skip
LEADERS = ["lãnh đạo sở", "giam doc so", "Phó Giám đốc Sở", "chủ tịch", "director", "head of department"]


@pytest.mark.parametrize("word", HELPERS)
def test_a_helper_is_told_to_choose_by_the_chair(capsys: pytest.CaptureFixture[str], word: str) -> None:
    code, out, err = cli(capsys, "recommend", "-r", word, "-t", "meeting", "--no-input")
    assert code == 2 and out == ""
    assert err.strip() == (
        f'--role: Chọn theo người chủ trì, không theo người chuẩn bị ("{word}"): nếu cuộc họp hay công việc do '
        "thành viên UBND tỉnh chủ trì, dùng --role ubnd-member; các trường hợp khác, dùng --role agency-staff."
    )


@pytest.mark.parametrize("word", LEADERS)
def test_a_leader_is_told_who_sits_on_the_committee(capsys: pytest.CaptureFixture[str], word: str) -> None:
    code, _, err = cli(capsys, "check", "--tool", "polycom", "-r", word, "--no-input", "--lang", "en")
    assert code == 2
    assert "Choose by who chairs it. The chair, the vice-chairs and the members of the provincial" in err
    assert f'if the chair ("{word}") is one of them, use --role ubnd-member; otherwise use --role agency-staff.' in err
    assert "no role" not in err


def test_the_letters_own_words_still_resolve(capsys: pytest.CaptureFixture[str]) -> None:
    # "cán bộ" is an alias of agency-staff in the knowledge base: it wins over the desk words.
    code, out, _ = cli(capsys, "recommend", "-r", "cán bộ", "-t", "họp", "--format", "json", "--no-input")
    assert code == 0 and json.loads(out)["query"]["role"] == "agency-staff"
    code, _, err = cli(capsys, "recommend", "-r", "người dân", "-t", "họp", "--no-input")
    assert code == 2 and err.startswith('--role: không có vai trò "người dân"')


def test_desk_words_are_whole_words() -> None:
    assert desk.kind_of("thư ký của giám đốc sở") == "helper"  # helping a director
    assert desk.kind_of("Giám đốc Sở Tài chính") == "leader"
    assert desk.kind_of("văn phòngx") is None and desk.kind_of("thanh vien") is None
    assert desk.kind_of("VĂN  THƯ") == "helper"


def test_the_explanation_follows_the_knowledge_bases_roles() -> None:
    letter = [Candidate("ubnd-member", "", ()), Candidate("agency-staff", "", ())]
    numbered = desk.explain("thư ký", letter, "vi", flag="--role", numbered=True)
    assert numbered is not None and "chọn 1 (ubnd-member)" in numbered and "chọn 2 (agency-staff)" in numbered
    swapped = desk.explain("thư ký", letter[::-1], "en", flag="--role", numbered=True)
    assert swapped is not None and "pick 2 (ubnd-member)" in swapped and "pick 1 (agency-staff)" in swapped
    keyed = desk.explain("secretary", letter, "en", flag="role", numbered=False)
    assert keyed is not None and 'use "role": "ubnd-member"' in keyed
    other = desk.explain("thư ký", [Candidate("leader", "", ()), Candidate("staff", "", ())], "vi", flag="--role",
                         numbered=True)  # fmt: skip
    assert other == (
        'Chọn vai trò của người chủ trì cuộc họp hoặc người được giao việc, không phải của người chuẩn bị ("thư ký").'
    )
    assert desk.explain("nobody", letter, "vi", flag="--role", numbered=True) is None


def test_role_help_asks_for_the_chair(capsys: pytest.CaptureFixture[str]) -> None:
    _, vi, _ = cli(capsys, "recommend", "--help")
    assert "Vai trò của người chủ trì cuộc họp hay công việc: ubnd-member" in " ".join(vi.split())
    _, en, _ = cli(capsys, "check", "--help", "--lang", "en")
    assert "Role of the person the meeting or work is for (its chair)" in " ".join(en.split())


# ---- dates as people write them ---------------------------------------------------------------

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2020-04-15", dt.date(2020, 4, 15)),
        ("2020-4-5", dt.date(2020, 4, 5)),
        ("15/4/2020", dt.date(2020, 4, 15)),
        ("15/04/2020", dt.date(2020, 4, 15)),
        ("1/12/2026", dt.date(2026, 12, 1)),  # day first, always: 1 December
        ("01/12/2026", dt.date(2026, 12, 1)),
        ("15-4-2020", dt.date(2020, 4, 15)),
        ("15.4.2020", dt.date(2020, 4, 15)),
        ("  29/2/2024 ", dt.date(2024, 2, 29)),
        ("hôm nay", TODAY),
        ("Hôm Nay", TODAY),
        ("hom nay", TODAY),
        ("homnay", TODAY),
        ("TODAY", TODAY),
        ("ho\u0302m nay", TODAY),  # decomposed
    ],
)
def test_dates_as_people_write_them(typed: str, day: dt.date) -> None:
    assert parse_date(typed, "vi", today=TODAY) == day


@pytest.mark.parametrize(
    "typed",
    ["2020-02-30", "31/2/2021", "04/15/2020", "2020/04/15", "15/4/20", "15/4-2020", "2020-W16-3", "20200415",
     "١٥/٤/٢٠٢٠", "１５/４/２０２０", "", "mai", "0/1/2020", "1/0/2020", "15/4/0000"],
)  # fmt: skip
def test_what_is_not_a_day_is_refused(typed: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(typed, "en", today=TODAY)
    assert caught.value.message.startswith(f'--date "{typed[:40]}" is not a real calendar day; write it day first')


def test_a_date_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "recommend", "-r", "staff", "-t", "meeting", "--date", "1/12/2026", "-f", "json")
    assert code == 0 and json.loads(out)["query"]["date"] == "2026-12-01"
    code, out, _ = cli(capsys, "check", "--tool", "vnpt-meeting", "-r", "staff", "--date", "31/05/2020", "-f", "json")
    assert code == 0 and json.loads(out)["allowed"] is True  # the offer's last day
    code, out, _ = cli(capsys, "check", "--tool", "vnpt-meeting", "-r", "staff", "--date", "1/6/2020", "-f", "json")
    assert code == 1 and json.loads(out)["reasons"][0]["code"] == "offer_expired"


@pytest.mark.parametrize(
    "command",
    [
        ("recommend", "-r", "staff", "-t", "meeting"),
        ("check", "--tool", "zalo", "-r", "staff"),
        ("setup", "zalo"),
        ("tools", "show", "zalo"),
        ("contacts",),
    ],
    ids=lambda c: c[0] if c[0] != "tools" else "tools-show",
)
def test_a_day_before_the_letter_is_refused(capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    code, out, err = cli(capsys, *command, "--date", "31/3/2020", "--no-input")
    assert code == 2 and out == ""
    assert err.strip() == (
        "--date 31/3/2020: Công văn 415/STTTT-CNTT ban hành ngày 1/4/2020, nên không có lời khuyên nào theo "
        "Công văn cho một ngày trước đó; hãy chọn ngày từ 1/4/2020 trở đi."
    )
    assert cli(capsys, *command, "--date", "1/4/2020", "--no-input")[0] in (0, 1)  # the letter's own day


def test_today_is_vietnams() -> None:
    utc = dt.timezone.utc
    assert dates.vietnam_today(dt.datetime(2020, 5, 31, 16, 59, tzinfo=utc)) == dt.date(2020, 5, 31)
    assert dates.vietnam_today(dt.datetime(2020, 5, 31, 17, 0, tzinfo=utc)) == dt.date(2020, 6, 1)
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert dates.vietnam_today(dt.datetime(2020, 5, 31, 12, 0, tzinfo=new_york)) == dt.date(2020, 6, 1)
    with pytest.raises(ValueError):
        dates.vietnam_today(dt.datetime(2020, 5, 31, 12, 0))


def test_the_default_date_and_hom_nay_are_vietnams_today(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 18:00 UTC on 31/5/2020 is 1/6/2020 in Gia Lai: the VNPT offer is over.
    monkeypatch.setattr(dates, "now", lambda: dt.datetime(2020, 5, 31, 18, 0, tzinfo=dt.timezone.utc))
    for extra in ((), ("--date", "hôm nay"), ("--date", "today")):
        code, out, _ = cli(capsys, "check", "--tool", "vnpt-meeting", "-r", "staff", "-f", "json", *extra)
        doc = json.loads(out)
        assert code == 1 and doc["query"]["date"] == "2020-06-01", extra
        assert doc["reasons"][0]["code"] == "offer_expired"


def test_the_clock_is_the_machines_utc_whatever_tz() -> None:
    # In a real process under a far time zone, "today" is still Vietnam's day.
    script = "from gialai_remote.dates import vietnam_today, now; import datetime as dt; " + (
        "print(vietnam_today() == (now() + dt.timedelta(hours=7)).date())"
    )
    for tz in ("UTC", "America/New_York", "Pacific/Kiritimati"):
        out = subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "TZ": tz}, capture_output=True, text=True
        )
        assert out.stdout.strip() == "True", (tz, out.stderr)


# ---- hanging indents, rendered by rich ---------------------------------------------------------


def test_where_continuations_start() -> None:
    assert hang_of("   3) Tải ứng dụng") == 6
    assert hang_of("     - Ông Lê Văn Hải: 0934 121 298") == 7
    assert hang_of("1. VNPT Meeting (mục 2.2.a)") == 3
    assert hang_of("  [đạt]    DNS (12 ms)") == 11
    assert hang_of("Khuyến nghị: 2 công cụ") == 0
    assert hang_of("  Phần mềm Quản lý") == 2
    assert hang_of("   ") == 0


def _render(line: str, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False, color_system=None).print(Hanging(Text(line)), crop=False)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [40, 80, 120])
def test_a_wrapped_step_keeps_its_indent_and_its_url(width: int) -> None:
    step = f"     3) Trên máy tính: Vào địa chỉ {URL} bằng trình duyệt, rồi gọi 0934 121 298 nếu cần hỗ trợ thêm."
    lines = _render(step, width)
    assert lines[0].startswith("     3) Trên")
    assert all(line.startswith(" " * 8) and line[8] != " " for line in lines[1:])
    assert all(len(line) <= width for line in lines if URL not in line)
    assert any(URL in line for line in lines)  # whole, on one line
    assert any("0934 121 298" in line for line in lines)  # the number's groups stay together
    assert " ".join(part.strip() for part in lines) == " ".join(step.split())


def test_a_url_longer_than_the_line_is_never_cut() -> None:
    long_url = "https://" + "x" * 60 + ".example/"
    lines = _render(f"  - Mở {long_url} để vào", 40)
    assert lines == ["  - Mở", f"    {long_url}", "    để vào"]


def test_too_narrow_for_the_indent_starts_at_the_edge() -> None:
    lines = _render(" " * 30 + "- " + "từ " * 20, 40)
    assert all(not line.startswith(" " * 32) for line in lines[1:])


# ---- on a real terminal: widths 40, 80, 120 ----------------------------------------------------


def kb_cache() -> dict[str, str]:
    """The test's own knowledge-base cache folder (tests/conftest.py), so that a child whose
    HOME is the checkout never writes ``.cache/`` into it."""
    folder = os.environ.get("GIALAI_REMOTE_CACHE")  # unset in a module-scoped fixture
    return {"GIALAI_REMOTE_CACHE": folder or os.path.join(tempfile.gettempdir(), "gialai-remote-test-cache")}


def spawn(*args: str, width: int) -> pexpect.spawn[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(ROOT),
        "NO_COLOR": "1",
        "TERM": "xterm",
        **kb_cache(),
    }
    child = pexpect.spawn(BIN, list(args), env=env, encoding="utf-8", timeout=30, dimensions=(400, width))
    child.logfile_read = io.StringIO()
    return child


def shown(child: pexpect.spawn[str]) -> str:
    child.expect(pexpect.EOF)
    child.close()
    text = cast(io.StringIO, child.logfile_read).getvalue().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def piped(*args: str) -> list[str]:
    proc = subprocess.run([BIN, *args], capture_output=True, env={"PATH": os.environ.get("PATH", "")}, check=False)
    return proc.stdout.decode("utf-8").splitlines()


def rewrapped(logical: list[str], screen: list[str], width: int) -> None:
    """Each logical line (as a pipe prints it) is on the screen as rich wrapped it: its first
    part, then continuation lines indented to its hanging indent, nothing cut or lost."""
    at = 0
    for line in logical:
        hang = hang_of(line)
        hang = hang if width - hang >= 20 else 0
        first = screen[at]
        assert line.startswith(first.rstrip()), (line, first)
        joined = first.rstrip()
        at += 1
        while len(" ".join(joined.split())) < len(" ".join(line.split())):
            more = screen[at]
            assert more.startswith(" " * hang) and (hang == 0 or more[hang] != " "), (line, more, hang)
            joined += " " + more.strip()
            at += 1
        assert " ".join(joined.split()) == " ".join(line.split())
    assert at == len(screen)


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize(
    "args",
    [
        ("recommend", "-r", "staff", "-t", "meeting", "-s", "normal", "-n", "12", "--date", "2020-04-15"),
        (
            "recommend",
            "-r",
            "ubnd-member",
            "-t",
            "meeting",
            "-s",
            "internal",
            "-n",
            "20",
            "--date",
            "2026-11-29",
            "--lang",
            "en",
        ),
        (
            "check",
            "--tool",
            "zalo",
            "-r",
            "staff",
            "-t",
            "meeting",
            "-s",
            "internal",
            "-n",
            "9",
            "--date",
            "2026-11-29",
        ),
        ("setup", "aic-emeeting", "--date", "2026-11-29"),
        ("tools", "show", "polycom", "--date", "2026-11-29"),
        ("contacts",),
        ("help", "environment"),
    ],
    ids=["recommend", "recommend-en", "check", "setup", "tools-show", "contacts", "help-environment"],
)
def test_every_wrapped_line_keeps_its_hanging_indent(width: int, args: tuple[str, ...]) -> None:
    screen = shown(spawn(*args, width=width)).splitlines()
    logical = piped(*args)
    rewrapped(logical, screen, width)
    long_words = [line for line in screen if len(line) > width]
    assert all(len(line.split()) == 1 for line in long_words), long_words  # only an unbreakable word overflows
    if URL in "\n".join(logical):
        assert URL in "\n".join(screen)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_narrow_tools_is_a_list(width: int) -> None:
    screen = shown(spawn("tools", width=width)).splitlines()
    if width < 117:  # the columns are 117 wide: each tool becomes an entry of a list
        assert screen[:2] == [
            "document-management",
            "  Phần mềm Quản lý văn bản và điều hành (mục 1; hệ thống chính thức)"[
                : None if width > 40 else 40
            ].rstrip(),
        ]
        assert all(len(line) <= width for line in screen)
        assert len(screen) >= 2 * 16
    else:
        assert screen == piped("tools")  # the columns fit: as in a pipe
        assert screen[0].startswith("document-management     Phần mềm Quản lý văn bản và điều hành")


def test_the_secretarys_prompts() -> None:
    """A secretary preparing a meeting for a committee member: asked whose meeting it is, told
    how to choose when answering "thư ký", then gets the section 2.1 systems."""
    child = spawn("recommend", "--date", "2026-11-29", width=80)
    child.expect_exact("Cuộc họp hay công việc này là của ai?")
    child.expect_exact("(Chọn theo người chủ trì cuộc họp hoặc người được giao việc, không theo người")
    child.expect_exact("  1) Thành viên UBND tỉnh (ubnd-member)")
    child.expect_exact("  2) Cán bộ, công chức, viên chức (agency-staff)")
    child.expect_exact("Chọn số (1-2) hoặc gõ tên: ")
    child.sendline("thư ký")
    child.expect_exact('Chọn theo người chủ trì, không theo người chuẩn bị ("thư ký"): nếu cuộc họp hay')
    child.expect_exact("chọn 1 (ubnd-member); các trường hợp")
    child.expect_exact("Chọn số (1-2) hoặc gõ tên: ")
    child.sendline("1")
    child.expect_exact("Chọn số (1-4) hoặc gõ tên: ")
    child.sendline("họp")
    child.expect_exact("(Enter: internal): ")
    child.sendline("")
    child.expect_exact("(Enter nếu chưa biết): ")
    child.sendline("20")
    text = shown(child)
    assert child.exitstatus == 0
    assert "1. Hệ thống họp trực tuyến Polycom của tỉnh (mục 2.1.a)" in text
    assert "không có vai trò" not in text and text.count("Cuộc họp hay công việc này là của ai?") == 1
