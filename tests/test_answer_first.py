"""Answer first, then the detail (issue 14, item 2).

The text (and Markdown, HTML) output of ``recommend`` gives the answer right after the query
line: the recommended tools, or the instruction when nothing fits (secret content: not
remotely, with the law). Then the detail, short: the excluded tools one line per cause (the
reasons' code and wording, never a rule kind), each notice on one line by its title.
``--verbose`` gives every tool with its reasons and the notices in full. JSON is unchanged.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gialai_remote.advice import Advice, Exclusion, Query, Reason
from gialai_remote.catalogue import MESSAGES
from gialai_remote.cli.main import main
from gialai_remote.decide import check, decide
from gialai_remote.knowledge import load_knowledge_base
from gialai_remote.render import words
from gialai_remote.render.html import render_advice as render_html
from gialai_remote.render.json import advice_dict, check_dict
from gialai_remote.render.markdown import render_advice as render_markdown
from gialai_remote.render.text.advice import render_advice, render_check
from test_desk import URL, piped, rewrapped, shown, spawn

TODAY = dt.date(2026, 12, 1)
KB = load_knowledge_base()
SECRET = MESSAGES["warn.secret"]["vi"]
LAW = "Luật Bảo vệ bí mật nhà nước số 117/2025/QH15, Điều 5 khoản 2"
PUBLIC_APPS = "Facebook, Zalo, Viber, Skype, WhatsApp, Telegram, TeamViewer, Google Drive"
POLYCOM = "Hệ thống họp trực tuyến Polycom của tỉnh"
SMART = 'Hệ thống "Họp thông minh", mô-đun "Họp trực tuyến" (AIC)'


def plain(lines: list) -> list[str]:  # type: ignore[type-arg]
    """The lines as text, without the block that opens a late answer (issue 12), which comes
    before the verdict and ends with a blank line."""
    text = [line.plain for line in lines]
    if text and text[0].startswith(("Đây là hướng dẫn", "This is the guidance", "This is the letter")):
        text = text[text.index("") + 1 :]
    return text


def secret_advice(lang: str = "vi") -> Advice:
    query = Query(role="agency-staff", task="meeting", date=TODAY, participants=6, sensitivity="secret", lang=lang)
    return decide(KB, query)


# ---- the decision gives what the renderers need ----------------------------------------------------


def test_the_explanation_is_the_instruction_and_stays_a_warning() -> None:
    advice = secret_advice()
    assert advice.explanation is not None and advice.explanation.message == SECRET
    assert advice.explanation in advice.warnings  # JSON keeps it where it was


def test_no_explanation_when_tools_are_recommended_or_the_reasons_are_the_answer() -> None:
    fits = decide(KB, Query(role="agency-staff", task="meeting", date=TODAY))
    assert fits.recommendations and fits.explanation is None
    # Every tool ruled out by its own reasons: "see the reasons" is no instruction.
    crowded = decide(KB, Query(role="ubnd-member", task="meeting", date=TODAY, participants=30, platform="windows"))
    if not crowded.recommendations:
        assert crowded.explanation is None
        assert MESSAGES["warn.all_excluded"]["vi"] in [w.message for w in crowded.warnings]


def test_no_device_is_the_answer() -> None:
    advice = decide(KB, Query(role="agency-staff", task="meeting", date=TODAY, has_internet=False))
    assert not advice.eligible and advice.explanation is not None
    assert advice.explanation.message.startswith("Công văn chỉ áp dụng cho người đủ điều kiện làm việc từ xa")


def test_each_reason_carries_its_cause_without_the_tool() -> None:
    zalo = next(e for e in secret_advice().excluded if e.tool == "zalo")
    assert [r.cause for r in zalo.reasons] == [
        'không dùng cho mức "Bí mật nhà nước"; chỉ dùng cho mức Thông thường '
        "(mục 2.3; Luật Bảo vệ bí mật nhà nước số 117/2025/QH15, Điều 5 khoản 2).",
    ]
    assert all("Zalo" in r.message and "Zalo" not in r.cause for r in zalo.reasons)


# ---- grouping: by the reason's code and wording ------------------------------------------------------


def _reason(code: str, cause: str, tool: str = "") -> Reason:
    return Reason(code=code, message=f"{tool} {cause}", section="2.3", rule="r", cause=cause)


def test_groups_are_by_code_and_wording_in_first_seen_order() -> None:
    excluded = [
        Exclusion("a", "A", "2.3", (_reason("x", "one."), _reason("y", "two."))),
        Exclusion("b", "B", "2.3", (_reason("y", "two."), _reason("y", "three."))),
        Exclusion("c", "C", "2.3", (_reason("z", "one."),)),  # same words, another code: another cause
    ]
    assert words.exclusion_groups(excluded) == [("A", "one."), ("A, B", "two."), ("B", "three."), ("C", "one.")]


def test_a_name_with_a_comma_is_listed_with_semicolons_and_a_reason_without_cause_alone() -> None:
    lone = Reason(code="x", message="D is out.", section="1", rule="")
    excluded = [
        Exclusion("a", "A, the first", "1", (_reason("x", "one."),)),
        Exclusion("b", "B", "1", (_reason("x", "one."),)),
        Exclusion("d", "D", "1", (lone,)),
    ]
    assert words.exclusion_groups(excluded) == [("A, the first; B", "one."), ("", "D is out.")]


def test_every_tool_is_said_so_only_when_a_cause_rules_out_all_of_them() -> None:
    excluded = [Exclusion(i, i.upper(), "1", (_reason("x", "one."), _reason("y", i))) for i in ("a", "b")]
    assert words.exclusion_groups(excluded, "All 2") == [("All 2", "one."), ("A", "a"), ("B", "b")]
    assert words.exclusion_groups(excluded[:1], "All 1") == [("A", "one."), ("A", "a")]


# ---- the text output ---------------------------------------------------------------------------------


def test_secret_content_answers_first_then_one_line_per_cause() -> None:
    lines = plain(render_advice(secret_advice()))
    assert lines[:4] == [
        "Không có công cụ nào của Công văn phù hợp",
        "Vai trò: Cán bộ, công chức, viên chức | Công việc: Họp, xử lý công việc đột xuất | Số người: 6 | "
        "Mức độ: Bí mật nhà nước | Ngày: 1/12/2026",
        "",
        SECRET,
    ]
    start = lines.index("Không dùng được:")
    official = f"{POLYCOM}; {SMART}; VNPT Meeting; AIC eMeeting"
    assert lines[start + 1 : start + 8] == [
        f'  - {official}: không dùng cho mức "Bí mật nhà nước"; chỉ dùng cho mức '
        f"Thông thường, Nội dung có tính chất nội bộ ({LAW}).",
        f"  - {POLYCOM}: chỉ dành cho Thành viên UBND tỉnh (mục 2.1.a).",
        f"  - {SMART}: chỉ dành cho Thành viên UBND tỉnh (mục 2.1.b).",
        "  - VNPT Meeting: được Công văn nêu là hỗ trợ miễn phí đến hết ngày 31/5/2020; ưu đãi miễn phí này "
        "đã hết (mục 2.2.a).",
        f'  - {PUBLIC_APPS}: không dùng cho mức "Bí mật nhà nước"; chỉ dùng cho mức Thông thường (mục 2.3; {LAW}).',
        "  - Skype: đã ngừng hoạt động từ ngày 5/5/2025 (Thông báo ngày 28/2/2025 của Microsoft về việc ngừng "
        "dịch vụ Skype).",
        "",
    ]
    assert lines.count(SECRET) == 1 and f"  - {SECRET}" not in lines  # not repeated among the warnings
    notices = lines.index("Thông báo mới sau Công văn:")
    assert lines[notices + 1 : notices + 8] == [
        "  - [1/7/2020–28/2/2026, đã hết hiệu lực] Luật Bảo vệ bí mật nhà nước số 29/2018/QH14: cấm soạn thảo, "
        "lưu giữ bí mật nhà nước trên thiết bị kết nối mạng",
        "  - [1/3/2025] Nghị định 45/2025/NĐ-CP: Sở Thông tin và Truyền thông hợp nhất vào Sở Khoa học và Công nghệ",
        "  - [1/3/2025] Công việc của Sở Thông tin và Truyền thông tỉnh Gia Lai nay do Sở Khoa học và Công nghệ "
        "tỉnh Gia Lai đảm nhận (độ tin cậy: trung bình)",
        "  - [1/7/2025] Nghị quyết 202/2025/QH15: Gia Lai và Bình Định hợp nhất thành tỉnh Gia Lai mới; "
        "cấp huyện chấm dứt hoạt động",
        "  - [1/7/2025] Tỉnh Gia Lai mới có 135 đơn vị hành chính cấp xã (110 xã và 25 phường)",
        "  - [1/3/2026] Luật Bảo vệ bí mật nhà nước số 117/2025/QH15 thay Luật 29/2018/QH14",
        "",
    ]
    assert lines[-3:] == [
        "Toàn văn các thông báo và lý do theo từng công cụ: thêm --verbose.",
        "",
        "Nguồn: Công văn 415/STTTT-CNTT ngày 1/4/2020 của Sở Thông tin và Truyền thông tỉnh Gia Lai.",
    ]


def test_english_through_the_catalogue() -> None:
    lines = plain(render_advice(secret_advice("en")))
    assert lines[3] == MESSAGES["warn.secret"]["en"]
    law = "Law 117/2025/QH15 on the Protection of State Secrets (Luật Bảo vệ bí mật nhà nước), Article 5, clause 2"
    assert f'  - {PUBLIC_APPS}: not for content rated "State secret"; only for Normal (section 2.3; {law}).' in lines
    assert (
        "  - VNPT Meeting: free until 2020-05-31, the letter says; that free offer has ended (section 2.2.a)." in lines
    )
    assert "The notices in full and the reasons tool by tool: add --verbose." in lines


def test_recommendations_come_before_the_detail_and_a_tool_is_under_each_of_its_causes() -> None:
    advice = decide(KB, Query(role="agency-staff", task="meeting", date=TODAY, participants=30))
    lines = plain(render_advice(advice))
    assert lines[3] == "1. AIC eMeeting (mục 2.2.b)"
    assert lines.index("1. AIC eMeeting (mục 2.2.b)") < lines.index("Không dùng được:")
    polycom = [line for line in lines if line.startswith(f"  - {POLYCOM}")]
    assert polycom == [
        f"  - {POLYCOM}: chỉ dành cho Thành viên UBND tỉnh (mục 2.1.a).",
        f"  - {POLYCOM}: chỉ phục vụ được tối đa 26 người; cuộc họp có 30 người (mục 2.1.a).",
    ]
    # Some tools are recommended: the names are given even when a cause rules out every excluded tool.
    assert not any(line.startswith("  - Cả ") for line in lines)


def test_verbose_lists_every_tool_and_the_notices_in_full() -> None:
    advice = secret_advice()
    lines = plain(render_advice(advice, verbose=True))
    start = lines.index("Không dùng được:")
    assert lines[start + 1 : start + 1 + len(advice.excluded)] == [
        "  - " + " ".join(r.message for r in exc.reasons) for exc in advice.excluded
    ]
    notice = advice.notices[0]
    assert f"  - [{words.notice_head(notice, 'vi')}] {notice.text} {words.notice_source(notice, 'vi')}" in lines
    assert words.notice_head(notice, "vi") == "1/7/2020–28/2/2026, đã hết hiệu lực"  # replaced: shown as ended
    assert "Toàn văn các thông báo và lý do theo từng công cụ: thêm --verbose." not in lines
    assert lines[3] == SECRET  # the answer stays first


def test_check_gives_the_instruction_before_the_reasons() -> None:
    query = Query(role="agency-staff", task="meeting", date=TODAY, sensitivity="secret")
    result = check(KB, query, "zalo")
    assert result.explanation is not None and result.explanation.message == SECRET
    lines = plain(render_check(result))
    assert lines[:4] == ["Không được phép: Zalo", lines[1], "", SECRET]
    assert lines.index(SECRET) < lines.index("Lý do:") and lines.count(SECRET) == 1
    assert "  - [1/3/2026] Luật Bảo vệ bí mật nhà nước số 117/2025/QH15 thay Luật 29/2018/QH14" in lines
    full = plain(render_check(result, verbose=True))
    assert not any(line.startswith("  - [1/3/2026] Luật Bảo vệ") for line in full)
    assert any(line.startswith("  - [1/3/2026] Từ 01/03/2026, Luật Bảo vệ bí mật nhà nước") for line in full)


def test_a_notice_without_title_shows_its_text() -> None:
    notice = secret_advice().notices[0]
    assert words.notice_title(notice) == notice.title != notice.text

    assert words.notice_title(notice._replace(title="")) == notice.text


# ---- the documents -----------------------------------------------------------------------------------


def test_markdown_answers_first_and_groups() -> None:
    text = render_markdown(secret_advice())
    assert text.index(f"> **{SECRET}**") < text.index("## Không dùng được")
    cause = f'không dùng cho mức "Bí mật nhà nước"; chỉ dùng cho mức Thông thường (mục 2.3; {LAW}).'
    assert f"- **{PUBLIC_APPS}:** {cause}\n" in text
    assert text.count(SECRET) == 1
    verbose = render_markdown(secret_advice(), verbose=True)
    assert '- Zalo không được dùng cho mức "Bí mật nhà nước"' in verbose


def test_html_answers_first_and_groups() -> None:
    page = render_html(secret_advice())
    assert page.index("không làm việc từ xa.</b></p>") < page.index('<section class="excluded">')
    offline = decide(KB, Query(role="agency-staff", task="meeting", date=TODAY, has_internet=False))
    page = render_html(offline)
    assert "<li><b>Cả 12 công cụ phục vụ công việc này:</b> cần có kết nối mạng Internet (mục 1).</li>" in page


# ---- JSON: unchanged ---------------------------------------------------------------------------------


def test_json_keeps_every_tool_and_reason_as_before() -> None:
    advice = secret_advice()
    data = advice_dict(advice)
    assert [e["tool"] for e in data["excluded"]] == [e.tool for e in advice.excluded]
    assert [len(e["reasons"]) for e in data["excluded"]] == [len(e.reasons) for e in advice.excluded]
    assert all("cause" not in r for e in data["excluded"] for r in e["reasons"])
    assert all("title" not in n for n in data["notices"])
    assert SECRET in [w["message"] for w in data["warnings"]] and "explanation" not in data
    result = check(KB, Query(role="agency-staff", task="meeting", date=TODAY, sensitivity="secret"), "zalo")
    assert "explanation" not in check_dict(result)


# ---- the command line --------------------------------------------------------------------------------


def answer(text: str) -> list[str]:
    """The lines after the block that opens a late answer (which ends with a blank line)."""
    lines = text.splitlines()
    return lines[lines.index("") + 1 :] if lines and lines[0].startswith("Đây là hướng dẫn") else lines


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


SECRET_ARGS = ("recommend", "-r", "agency-staff", "-t", "meeting", "-s", "secret", "-n", "6", "--date", "1/12/2026")


def test_cli_secret_answer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, *SECRET_ARGS, "--no-input")
    assert code == 1
    assert answer(out)[:4] == ["Không có công cụ nào của Công văn phù hợp", answer(out)[1], "", SECRET]
    assert (
        f'  - {PUBLIC_APPS}: không dùng cho mức "Bí mật nhà nước"; chỉ dùng cho mức Thông thường (mục 2.3; {LAW}).'
        in out
    )


@pytest.mark.parametrize("flag", ["--verbose", "-v"])
def test_cli_verbose(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, out = run(capsys, *SECRET_ARGS, "--no-input", flag)
    assert code == 1
    assert '  - Zalo không được dùng cho mức "Bí mật nhà nước"' in out
    assert "(nguồn: Luật Bảo vệ bí mật nhà nước số 117/2025/QH15, Điều 5 khoản 2)" in out
    code, out = run(capsys, "check", "--tool", "zalo", "-r", "staff", "-s", "secret", "--date", "1/12/2026", flag)
    assert code == 1 and "(nguồn: Nghị định 45/2025/NĐ-CP)" not in out  # not about Zalo
    assert "(nguồn: Luật Bảo vệ bí mật nhà nước số 117/2025/QH15, Điều 5 khoản 2)" in out


@pytest.mark.parametrize("command", [SECRET_ARGS, ("check", "--tool", "polycom", "-r", "staff", "--date", "1/12/2026")])
def test_cli_json_is_the_same_with_verbose(capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    _, short = run(capsys, *command, "--no-input", "-f", "json")
    _, full = run(capsys, *command, "--no-input", "-f", "json", "--verbose")
    assert short == full and json.loads(short)["schema_version"] == 2


@pytest.mark.parametrize("command", ["recommend", "check"])
def test_verbose_is_in_the_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    _, out = run(capsys, command, "--help", "--lang", "en")
    assert "--verbose" in out and "-v" in out


# ---- on a real terminal: widths 40, 80, 120 ----------------------------------------------------------


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("verbose", [(), ("--verbose",)], ids=["short", "verbose"])
def test_the_grouped_lines_keep_their_indent_on_a_terminal(width: int, verbose: tuple[str, ...]) -> None:
    args = (*SECRET_ARGS, "--no-input", *verbose)
    screen = shown(spawn(*args, width=width)).splitlines()
    logical = piped(*args)
    rewrapped(logical, screen, width)
    assert answer("\n".join(logical))[3] == SECRET and URL not in "\n".join(logical)
    # On the screen too, the instruction comes before any excluded tool.
    first = next(i for i, line in enumerate(screen) if line.startswith("Không công cụ nào trong Công văn"))
    verdict = next(i for i, line in enumerate(screen) if line.startswith("Không có công cụ nào"))
    assert verdict < first < screen.index("Không dùng được:")


# ---- the notices command -----------------------------------------------------------------------------


def test_notices_lists_every_notice_in_force_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "notices", "--date", "1/12/2026")
    lines = out.splitlines()
    assert code == 0
    assert lines[:3] == [
        "[1/7/2020–28/2/2026, đã hết hiệu lực] Luật Bảo vệ bí mật nhà nước số 29/2018/QH14: cấm soạn thảo, "
        "lưu giữ bí mật nhà nước trên thiết bị kết nối mạng",
        "  Từ 01/07/2020, Luật Bảo vệ bí mật nhà nước số 29/2018/QH14 (Điều 5 khoản 5) cấm soạn thảo, lưu giữ "
        "tài liệu có nội dung bí mật nhà nước trên thiết bị có kết nối hoặc đã từng kết nối với mạng Internet, "
        "mạng máy tính, mạng viễn thông (trừ trường hợp theo quy định của pháp luật về cơ yếu).",
        "  (nguồn: Luật Bảo vệ bí mật nhà nước số 29/2018/QH14, Điều 5 khoản 5)",
    ]
    # Each notice: its day and title, its text, its source; a blank line between them.
    assert len([line for line in lines if line.startswith("[")]) == len(KB.notices_on(TODAY)) == 9
    assert len(lines) == 9 * 3 + 8 and lines[3] == ""


def test_notices_for_a_tool_and_before_any(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "notices", "--tool", "polycom", "--date", "2026-12-01", "--lang", "en")
    heads = [line for line in out.splitlines() if line.startswith("[")]
    assert heads == [
        "[2025-03-01] Decree 45/2025/NĐ-CP: Departments of Information and Communications merged into the "
        "Departments of Science and Technology",
        "[2025-03-01] The Gia Lai Department of Information and Communications' work now belongs to the Gia Lai "
        "Department of Science and Technology",
        "[2025-07-01] Resolution 202/2025/QH15: Gia Lai and Bình Định merged into the new Gia Lai province; "
        "the district level ended",
        "[2025-07-01] The new Gia Lai province has 135 commune-level units (110 communes and 25 wards)",
        "[2026-03-01] Law on Protection of State Secrets 117/2025/QH15 replaces Law 29/2018/QH14",
    ]
    code, out = run(capsys, "notices", "--date", "15/4/2020")
    assert (code, out) == (0, "Không có thông báo nào sau Công văn có hiệu lực vào ngày 15/4/2020.\n")


def test_notices_json_is_the_one_notice_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "notices", "-f", "json", "--date", "2026-12-01")
    data = json.loads(out)
    assert (data["schema_version"], data["date"]) == (2, "2026-12-01")
    recommend = json.loads(run(capsys, *SECRET_ARGS, "--no-input", "-f", "json")[1])
    by_id = {n["id"]: n for n in data["notices"]}
    assert all(by_id[n["id"]] == n for n in recommend["notices"])


def test_notices_is_in_the_browse_group(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "--help", "--lang", "en")
    browse = out[out.index("Browse:") : out.index("Knowledge base:")]
    assert [line.split()[0] for line in browse.splitlines()[1:] if line.strip()] == [
        "tools",
        "contacts",
        "notices",
        "roles",
        "tasks",
    ]
