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
    assert doc["schema_version"] == 1
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
        "2.3-secret",
        "2.1.a-role",
        "2.1.a-task",
        "2.1.a-capacity",
        "2.1.a-platforms",
    ]
    assert len(doc["setup_steps"]) == 3
    assert doc["source"] == {"document": "415/STTTT-CNTT", "section": "2.1.a"}
    assert (doc["date"], doc["notices"], doc["warnings"]) == ("2020-04-15", [], [])


def test_tools_show_notices_follow_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    """The same notices as `setup` and `check` show for the tool (decide.tool_keys)."""
    doc = run_json(capsys, "tools", "show", "polycom", "--date", "2026-11-29")
    assert [n["id"] for n in doc["notices"]] == ["department-merger-decree-45-2025", "province-merger-2025"]
    assert len(doc["warnings"]) == 1 and "2020" in doc["warnings"][0]
    # The state-secret laws bear on section 2.3, the public apps' rule.
    doc = run_json(capsys, "tools", "show", "zalo", "--date", "2026-11-29")
    assert [n["id"] for n in doc["notices"]] == ["state-secrets-law-2018", "state-secrets-law-2025"]
    doc = run_json(capsys, "tools", "show", "online-public-services", "--date", "2022-08-15")
    assert [n["id"] for n in doc["notices"]] == ["online-public-services-decree-42-2022"]
    doc = run_json(capsys, "tools", "show", "online-public-services", "--date", "2022-08-14")
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
    assert "confirm phone numbers" in doc["warnings"][0]
    code, out, _ = run(capsys, "contacts", "--tool", "aic", "--date", "2020-04-15")
    assert code == 2  # "aic" names two tools: the ambiguity is reported, not guessed
    code, out, _ = run(capsys, "contacts", "--tool", "emeeting", "--date", "2020-04-15")
    assert out == "Ông Lê Văn Hải: 0934 121 298\n  mục 2.1.b; công cụ: aic-smart-meeting, aic-emeeting\n"


def test_a_tool_without_contacts_lists_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "contacts", "--tool", "zalo")["contacts"] == []


def test_roles(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "roles", "--lang", "en")
    assert [(r["id"], r["section"]) for r in doc["roles"]] == [("ubnd-member", "2.1.a"), ("agency-staff", "2.2.a")]
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
