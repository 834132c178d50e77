"""`recommend` and `check` through the CLI: in-process, and through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gialai_remote.cli.main import main
from portable import BIN

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
DATE = "2026-11-29"
REGEN = os.environ.get("GIALAI_REGEN") == "1"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def console_script() -> str:
    path = Path(BIN)
    assert path.exists(), "install the project first: pip install -e . --group dev"
    return str(path)


# ---- exit codes --------------------------------------------------------------------------


def test_recommend_json_matches_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "recommend",
        "--role",
        "agency-staff",
        "--task",
        "meeting",
        "--participants",
        "12",
        "--sensitivity",
        "normal",
        "--date",
        DATE,
        "--format",
        "json",
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["schema_version"] == 2
    assert doc["query"] == {
        "role": "agency-staff",
        "task": "meeting",
        "participants": 12,
        "sensitivity": "normal",
        "platform": None,
        "has_device": True,
        "has_internet": True,
        "date": DATE,
        "lang": "vi",
    }
    assert doc["eligible"] is True
    first = doc["recommendations"][0]
    assert first["tool"] == "aic-emeeting" and first["rank"] == 1
    letter = {"id": "letter-415", "document": "415/STTTT-CNTT", "article": None}
    assert first["contacts"] == [
        {
            "id": "le-van-hai",
            "name": "Ông Lê Văn Hải",
            "phone": "0934121298",
            "title": None,
            "organization": None,
            "verified_on": "2020-04-01",
            "source": {**letter, "section": "2.1.b"},
            "tools": ["aic-smart-meeting", "aic-emeeting"],
        }
    ]
    assert first["source"] == {**letter, "section": "2.2.b"}
    # More than a year after the letter, every public-app and AIC answer carries its status.
    assert [s["kind"] for s in first["status"]] == ["unverified", "unverified"]
    assert {w["code"] for w in first["warnings"]} >= {"tool_unverified", "contact_unverified"}
    polycom = next(e for e in doc["excluded"] if e["tool"] == "polycom")
    assert polycom["reasons"][0]["code"] == "role_not_allowed"
    assert polycom["reasons"][0]["source"] == {**letter, "section": "2.1.a"}
    assert doc["source"] == {
        "id": "letter-415",
        "document": "415/STTTT-CNTT",
        "issuer": "Sở Thông tin và Truyền thông tỉnh Gia Lai",
        "date": "2020-04-01",
    }
    assert doc["sources"][0]["id"] == "letter-415" and doc["sources"][0]["kind"] == "letter"
    assert [w["code"] for w in doc["warnings"]][:2] == ["letter_age", "tools_changed"]
    assert "ư" in out  # UTF-8, not ASCII-escaped


def test_nothing_recommended_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "recommend", "--role", "agency-staff", "--task", "meeting", "--sensitivity", "secret", "--no-input"
    )
    assert code == 1
    assert "bí mật nhà nước" in out


def test_no_device_is_not_eligible(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "recommend", "--role", "agency-staff", "--task", "documents", "--no-device", "--format", "json"
    )
    assert code == 1
    assert json.loads(out)["eligible"] is False


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["recommend", "--role", "nobody", "--task", "meeting", "--no-input"], "--role"),
        (["recommend", "--task", "meeting", "--no-input"], "--role"),
        (["recommend", "--role", "agency-staff", "--no-input"], "--task"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--participants=-1"], "--participants"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--participants", "0"], "--participants"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--participants", "2.5"], "--participants"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--date", "2020-02-30"], "--date"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--date", "tomorrow"], "--date"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--format", "xml"], "xml"),
        (["recommend", "--role", "agency-staff", "--task", "meeting", "--lang", "fr"], "fr"),
        (["recommend", "--bogus"], "--bogus"),
        (["no-such-command"], "no-such-command"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert needle in err
    assert len(err.strip().splitlines()) == 1


def test_missing_role_names_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "recommend", "--task", "meeting", "--no-input")
    assert "ubnd-member" in err and "agency-staff" in err


def test_missing_sensitivity_assumes_internal_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "recommend", "--role", "agency-staff", "--task", "meeting", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["query"]["sensitivity"] == "internal"
    assert any(w["code"] == "sensitivity_assumed" and "--sensitivity normal" in w["message"] for w in doc["warnings"])
    assert all(r["tool"] not in ("zalo", "facebook") for r in doc["recommendations"])


def test_broken_knowledge_base_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tools: [\n  - id: x\n", encoding="utf-8")
    code, out, err = run(capsys, "recommend", "--data", str(bad), "--role", "agency-staff", "--task", "meeting")
    assert code == 3
    assert out == ""
    assert err.startswith(f"{bad}:")


def test_missing_knowledge_base_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "recommend", "--data", str(tmp_path / "none.yaml"), "--role", "agency-staff", "--task", "meeting"
    )
    assert code == 3
    assert "none.yaml" in err


def test_environment_variable_and_flag_precedence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIALAI_REMOTE_LANG", "en")
    _, out, _ = run(capsys, "recommend", "--role", "ubnd-member", "--task", "meeting", "--no-input")
    assert "Recommended" in out
    _, out, _ = run(capsys, "recommend", "--role", "ubnd-member", "--task", "meeting", "--lang", "vi", "--no-input")
    assert "Khuyến nghị" in out


def test_check_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--tool", "polycom", "--role", "agency-staff", "--participants", "30", "--format", "json"
    )
    assert code == 1
    doc = json.loads(out)
    assert doc["allowed"] is False
    assert {r["code"] for r in doc["reasons"]} == {"role_not_allowed", "capacity_exceeded"}
    code, out, _ = run(capsys, "check", "--tool", "polycom", "--role", "ubnd-member", "--participants", "26", "--quiet")
    assert (code, out) == (0, "")


# ---- golden files ------------------------------------------------------------------------

GOLDEN_CASES = {
    "ubnd-meeting-30": [
        "recommend",
        "--role",
        "ubnd-member",
        "--task",
        "meeting",
        "--participants",
        "30",
        "--date",
        DATE,
        "--no-input",
    ],
    "staff-meeting-12-normal": [
        "recommend",
        "--role",
        "agency-staff",
        "--task",
        "meeting",
        "--participants",
        "12",
        "--sensitivity",
        "normal",
        "--date",
        DATE,
        "--no-input",
    ],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_golden(capsys: pytest.CaptureFixture[str], name: str, fmt: str) -> None:
    _, out, _ = run(capsys, *GOLDEN_CASES[name], "--format", fmt)
    path = GOLDEN / f"{name}.{'txt' if fmt == 'text' else 'json'}"
    if REGEN:
        path.parent.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8"), "regenerate on purpose with GIALAI_REGEN=1"


# ---- the installed console script --------------------------------------------------------


def test_console_script_in_a_subprocess(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    proc = subprocess.run(
        [console_script(), "recommend", "--role", "ubnd-member", "--task", "meeting", "--participants", "30"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0
    assert proc.stderr == b""
    assert "Họp thông minh" in out and "0934 121 298" in out
    assert "\x1b[" not in out  # no colour into a pipe

    bad = subprocess.run(
        [console_script(), "recommend", "--role", "nobody", "--task", "meeting", "--no-input"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert bad.returncode == 2 and bad.stdout == b"" and b"Traceback" not in bad.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gialai_remote",
            "recommend",
            "--role",
            "agency-staff",
            "--task",
            "documents",
            "--format",
            "json",
        ],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["recommendations"][0]["tool"] == "document-management"


@pytest.mark.posix
def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    script = f"'{console_script()}' recommend --role agency-staff --task meeting --no-input | head -c 10 >/dev/null"
    proc = subprocess.run(["bash", "-c", script], capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.stderr == b""
