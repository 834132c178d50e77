"""The browse commands: `tools`, `tools show ID`, `contacts`, `roles`, `tasks` (text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gialai_remote.cli.main import main

MINIMAL = Path(__file__).parent / "kb_valid" / "minimal.yaml"
TOOLS = [
    "document-management",
    "official-email",
    "one-stop-shop",
    "online-public-services",
    "polycom",
    "aic-smart-meeting",
    "vnpt-meeting",
    "aic-emeeting",
    "facebook",
    "zalo",
    "viber",
    "skype",
    "whatsapp",
    "telegram",
    "teamviewer",
    "google-drive",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run(capsys, *args, "--format", "json")
    assert (code, err) == (0, "")
    return json.loads(out)


# ---- tools -------------------------------------------------------------------------------------


def test_tools_lists_every_tool_in_the_letters_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "tools")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == TOOLS
    assert "(mục 2.1.a; hệ thống chính thức)" in lines[4]
    doc = run_json(capsys, "tools")
    assert doc["schema_version"] == 2
    assert [t["id"] for t in doc["tools"]] == TOOLS
    assert doc["tools"][8] == {
        "id": "facebook",
        "name": "Facebook",
        "section": "2.3",
        "category": "public-app",
        "aliases": [],
    }


def test_tools_show_polycom_says_everything(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "tools", "show", "polycom", "--date", "2020-04-15", "--lang", "en")
    assert doc["id"] == "polycom" and doc["section"] == "2.1.a" and doc["category"] == "official"
    assert doc["roles"] == ["ubnd-member"]
    assert doc["tasks"] == ["meeting"]
    assert doc["max_participants"] == 26
    assert doc["platforms"] == ["ios", "android"]
    assert doc["sensitivities"] == ["normal", "internal"]
    assert doc["needs"] == ["device", "internet"]
    assert doc["bridge_points"] == 17
    assert [(c["id"], c["phone"]) for c in doc["contacts"]] == [
        ("phan-dinh-hieu", "0935076079"),
        ("nguyen-dung", "0931636869"),
    ]
    assert [r["id"] for r in doc["rules"]] == [
        "1-requires",
        "secret-ordinance-2000",
        "2.1.a-role",
        "2.1.a-task",
        "2.1.a-capacity",
        "2.1.a-platforms",
    ]
    assert len(doc["setup_steps"]) == 3
    assert doc["source"] == {"id": "letter-415", "document": "415/STTTT-CNTT", "section": "2.1.a", "article": None}
    assert (doc["date"], doc["notices"], doc["warnings"], doc["status"]) == ("2020-04-15", [], [], [])
    # The rule on state secrets in force on 15/4/2020 cites the law of that time, not section 2.3.
    secret = doc["rules"][1]
    assert secret["section"] is None and secret["source"]["id"] == "ordinance-30-2000"
    assert secret["in_force"] == {"from": None, "until": "2020-06-30"}


def test_tools_show_notices_follow_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    """The same notices as `setup` and `check` show for the tool (decide.tool_keys)."""
    doc = run_json(capsys, "tools", "show", "polycom", "--date", "2026-11-29")
    assert [n["id"] for n in doc["notices"]] == [
        "department-merger-decree-45-2025",  # the ministry's merger is a notice of section 1's tools
        "issuer-successor-gialai",
        "province-merger-2025",
        "communes-2025",
        "state-secrets-law-2025",  # the law its rule on state secrets cites since 1/3/2026
    ]
    assert [w["code"] for w in doc["warnings"]] == [
        "letter_age",
        "tools_changed",
        "issuer_changed",
        "check_before_use",
        "tool_changed",
        "tool_unverified",
        "contact_unverified",
    ]
    assert [s["kind"] for s in doc["status"]] == ["changed-hands", "unverified"]
    # The state-secret laws bear on section 2.3, the public apps' rule.
    doc = run_json(capsys, "tools", "show", "zalo", "--date", "2026-11-29")
    assert [n["id"] for n in doc["notices"]] == ["state-secrets-law-2018", "state-secrets-law-2025"]
    # The law its rule on state secrets cites on that day brings that law's notice.
    doc = run_json(capsys, "tools", "show", "online-public-services", "--date", "2022-08-15")
    assert [n["id"] for n in doc["notices"]] == ["state-secrets-law-2018", "online-public-services-decree-42-2022"]
    doc = run_json(capsys, "tools", "show", "online-public-services", "--date", "2022-08-14")
    assert [n["id"] for n in doc["notices"]] == ["state-secrets-law-2018"]
    doc = run_json(capsys, "tools", "show", "online-public-services", "--date", "2020-06-30")
    assert [n["id"] for n in doc["notices"]] == []


def test_tools_show_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "tools", "show", "vnpt-meeting", "--date", "2026-11-29", "--lang", "en")
    assert (code, err) == (0, "")
    assert out.startswith("VNPT Meeting (vnpt-meeting)\nSection 2.2.a; official system\n")
    for expected in (
        "Who may use it: Member of the provincial People's Committee, Civil servant or public employee",
        "Used for: Meetings and urgent work",
        "Recommended by the letter until: 2020-05-31",
        "Platforms: iOS, Android",
        "- Mr Tạ Mạnh Hùng (Director of the Information Technology Centre): 0913 450 011",
        "- 2.2.a-offer (section 2.2.a): recommended by the letter until: 2020-05-31. "
        "The VNPT Group offers it free until 31/5/2020 inclusive.",
        "Notices from after the letter:",
        "Source: letter 415/STTTT-CNTT of 2020-04-01",
    ):
        assert expected in out, expected


@pytest.mark.parametrize(
    ("typed", "tool"),
    [
        ("emeeting", "aic-emeeting"),
        ("Họp thông minh", "aic-smart-meeting"),
        ("hop thong minh", "aic-smart-meeting"),
        ("ZALO", "zalo"),
    ],
)
def test_tools_show_resolves_forgiving_names(capsys: pytest.CaptureFixture[str], typed: str, tool: str) -> None:
    assert run_json(capsys, "tools", "show", typed)["id"] == tool


def test_tools_show_unknown_or_missing_tool_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "tools", "show", "zoom")
    assert (code, out) == (2, "") and "zoom" in err
    code, out, err = run(capsys, "tools", "show", "--no-input")
    assert (code, out) == (2, "") and "ID" in err


def test_options_given_to_tools_apply_to_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tools", "--format", "json", "--lang", "en", "show", "zalo")
    assert code == 0
    assert json.loads(out)["tasks"] == ["meeting", "group-exchange"]


def test_bad_format_and_date_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "tools", "--format", "xml")[0] == 2
    assert run(capsys, "tools", "show", "polycom", "--date", "2020-02-30")[0] == 2
    assert run(capsys, "contacts", "--format", "yaml")[0] == 2


# ---- contacts, roles, tasks --------------------------------------------------------------------


def test_contacts(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "contacts", "--date", "2020-04-15")
    assert [(c["id"], c["phone"], c["tools"]) for c in doc["contacts"]] == [
        ("phan-dinh-hieu", "0935076079", ["polycom"]),
        ("nguyen-dung", "0931636869", ["polycom"]),
        ("le-van-hai", "0934121298", ["aic-smart-meeting", "aic-emeeting"]),
        ("ta-manh-hung", "0913450011", ["vnpt-meeting"]),
    ]
    assert doc["warnings"] == []
    doc = run_json(capsys, "contacts", "--tool", "polycom", "--date", "2026-11-29", "--lang", "en")
    assert [c["name"] for c in doc["contacts"]] == ["Mr Phan Đình Hiếu", "Mr Nguyễn Dũng"]
    assert doc["warnings"][0]["code"] == "letter_age"
    assert any(w["code"] == "contact_unverified" and "confirm them" in w["message"] for w in doc["warnings"])
    code, out, _ = run(capsys, "contacts", "--tool", "aic", "--date", "2020-04-15")
    assert code == 2  # "aic" names two tools: the ambiguity is reported, not guessed
    code, out, _ = run(capsys, "contacts", "--tool", "emeeting", "--date", "2020-04-15")
    line = "Ông Lê Văn Hải: 0934 121 298 (theo Công văn, 2020)"
    assert out == f"{line}\n  mục 2.1.b; công cụ: aic-smart-meeting, aic-emeeting\n"


def test_a_tool_without_contacts_lists_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "contacts", "--tool", "zalo")["contacts"] == []


def test_roles(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "roles", "--lang", "en")
    # Each role cites the section that names it (2.1, 2.2), not the first system proposed to it.
    assert [(r["id"], r["section"]) for r in doc["roles"]] == [("ubnd-member", "2.1"), ("agency-staff", "2.2")]
    assert doc["roles"][0]["name"] == "Member of the provincial People's Committee"
    _, out, _ = run(capsys, "roles")
    assert out.splitlines()[0].split()[0] == "ubnd-member"


def test_tasks_name_the_tools_that_serve_them(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "tasks")
    tasks = {t["id"]: t["tools"] for t in doc["tasks"]}
    assert list(tasks) == ["documents", "public-services", "meeting", "group-exchange"]
    assert tasks["documents"] == ["document-management", "official-email"]
    assert tasks["public-services"] == ["one-stop-shop", "online-public-services"]
    assert tasks["meeting"][:4] == ["polycom", "aic-smart-meeting", "vnpt-meeting", "aic-emeeting"]
    # Meetings are the subject of section 2 as a whole (2.1 and 2.2 propose systems, 2.3 apps).
    assert [(t["id"], t["section"]) for t in doc["tasks"]] == [
        ("documents", "1"),
        ("public-services", "1"),
        ("meeting", "2"),
        ("group-exchange", "2.3"),
    ]
    _, out, _ = run(capsys, "tasks", "--lang", "en")
    meeting = next(line for line in out.splitlines() if line.startswith("meeting "))
    assert meeting.endswith("(section 2)")


def test_browse_commands_read_the_data_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert [t["id"] for t in run_json(capsys, "tools", "--data", str(MINIMAL))["tools"]] == ["aic-emeeting"]
    assert [c["id"] for c in run_json(capsys, "contacts", "--data", str(MINIMAL))["contacts"]] == ["le-van-hai"]
    assert [t["id"] for t in run_json(capsys, "tasks", "--data", str(MINIMAL))["tasks"]] == ["meeting"]


def test_data_is_printed_never_interpreted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hostile = tmp_path / "markup.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "      vi: AIC eMeeting\n      en: AIC eMeeting\n",
        '      vi: "[bold red]AIC[/bold red] \\e[2J\\u202Eevil"\n      en: "[link=x]AIC[/link]"\n',
    )
    hostile.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "--data", str(hostile), "tools")
    assert code == 0
    assert "[bold red]AIC[/bold red] \\x1b[2Jevil" in out
    assert "\x1b" not in out and "\u202e" not in out


@pytest.mark.parametrize(
    "command", [["tools"], ["tools", "show"], ["contacts"], ["roles"], ["tasks"], ["validate"], ["schema"]]
)
def test_help_in_both_languages(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, vi, _ = run(capsys, *command, "--help")
    assert code == 0 and "Ví dụ:" in vi and "Mã thoát:" in vi
    code, en, _ = run(capsys, "--lang", "en", *command, "--help")
    assert code == 0 and "Example:" in en and "Exit codes:" in en
