"""Issue 12's "done when": advice that is true today (schema_version 2).

The letter is of 1/4/2020; its readers run the tool in 2026. On 2026-12-01 Skype is excluded
as discontinued, with its source; no public app or AIC tool is recommended without its status
beside it; the text starts by saying what the answer is and how old; the 2018 state-secrets
law's notice is marked ended; each excluded tool has one sentence per cause; ``tasks`` and
``roles`` cite the sections that name them. "Today" is Vietnam's day whatever the machine's
time zone (a real process under TZ=UTC, the clock fixed at 18:00 UTC on 31/5/2020).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from gialai_remote.cli.main import main

TODAY = "2026-12-01"
QUERY = ("recommend", "--role", "agency-staff", "--task", "meeting", "--no-input", "--date", TODAY)
PUBLIC_APPS = ("facebook", "zalo", "viber", "skype", "whatsapp", "telegram", "teamviewer", "google-drive")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_skype_is_excluded_as_discontinued_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, *QUERY, "--sensitivity", "normal", "--format", "json", "--lang", "en")
    doc = json.loads(out)
    assert code == 0 and doc["schema_version"] == 2
    [skype] = [e for e in doc["excluded"] if e["tool"] == "skype"]
    assert [r["code"] for r in skype["reasons"]] == ["discontinued"]
    reason = skype["reasons"][0]
    assert reason["source"]["id"] == "skype-retirement-2025" and reason["source"]["section"] is None
    assert "Skype was discontinued on 2025-05-05" in reason["message"]
    assert "skype-retirement-2025" in [s["id"] for s in doc["sources"]]
    assert "skype" not in [r["tool"] for r in doc["recommendations"]]
    # The day before, the letter's list still holds: Skype is recommended (with its status).
    code, out, _ = cli(capsys, *QUERY[:-1], "2025-05-04", "--sensitivity", "normal", "--format", "json")
    assert "skype" in [r["tool"] for r in json.loads(out)["recommendations"]]


@pytest.mark.parametrize("sensitivity", ["normal", None])
def test_no_public_app_or_aic_answer_without_its_status(
    capsys: pytest.CaptureFixture[str], sensitivity: str | None
) -> None:
    extra = ("--sensitivity", sensitivity) if sensitivity else ()
    code, out, _ = cli(capsys, *QUERY, *extra, "--format", "json")
    doc = json.loads(out)
    assert code == 0
    recommended = {r["tool"]: r for r in doc["recommendations"]}
    assert "aic-emeeting" in recommended
    for tool, rec in recommended.items():
        if tool in PUBLIC_APPS or tool.startswith("aic-"):
            assert rec["status"], tool
            assert any(w["code"] in ("tool_unverified", "tool_changed") for w in rec["warnings"]), tool
    aic = recommended["aic-emeeting"]
    assert {s["kind"] for s in aic["status"]} == {"unverified"}
    assert any("2443" in s["text"] and s["confidence"] == "medium" for s in aic["status"])
    assert any(w["code"] == "contact_unverified" for w in aic["warnings"])
    # ... and in text, next to the tool: its status comes before why it is recommended.
    _, out, _ = cli(capsys, *QUERY, *extra)
    block = out[out.index("1. AIC eMeeting") :]
    assert block.index("Tình trạng sau Công văn:") < block.index("Vì sao:")
    assert "cổng 2443 chưa được xác nhận" in block and "độ tin cậy: trung bình" in block


def test_the_first_lines_say_what_the_answer_is_and_how_old(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, *QUERY)
    first = out.splitlines()[:5]
    assert first[0].startswith("Đây là hướng dẫn của Công văn 415/STTTT-CNTT ngày 1/4/2020")
    assert "đã hơn 6 năm" in first[0] and "không phải hướng dẫn hiện hành" in first[0]
    assert "1 đã ngừng hoạt động (Skype)" in first[1] and "chưa xác minh được" in first[1]
    assert "Sở Khoa học và Công nghệ tỉnh Gia Lai" in first[2] and "độ tin cậy: trung bình" in first[2]
    assert "gialai-remote doctor" in first[3]
    assert out.index("Đây là hướng dẫn") < out.index("1. AIC eMeeting")
    _, out, _ = cli(capsys, *QUERY, "--format", "json", "--lang", "en")
    codes = [w["code"] for w in json.loads(out)["warnings"]]
    assert codes[:4] == ["letter_age", "tools_changed", "issuer_changed", "check_before_use"]
    # In the letter's own year there is no such block.
    _, out, _ = cli(capsys, *QUERY[:-1], "2020-04-15")
    assert out.startswith("Khuyến nghị:")


def test_the_2018_law_notice_is_marked_ended(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, *QUERY, "--format", "json")
    notices = {n["id"]: n for n in json.loads(out)["notices"]}
    old, new = notices["state-secrets-law-2018"], notices["state-secrets-law-2025"]
    assert (old["in_force"], old["until"], old["superseded_by"]) == (False, "2026-02-28", "state-secrets-law-2025")
    assert new["in_force"] is True and new["until"] is None and new["confidence"] == "high"
    _, out, _ = cli(capsys, *QUERY)
    assert "[1/7/2020–28/2/2026, đã hết hiệu lực] Từ 01/07/2020, Luật Bảo vệ bí mật nhà nước số 29/2018" in out
    # Before its end it is in force and not yet marked.
    _, out, _ = cli(capsys, *QUERY[:-1], "2026-02-28", "--format", "json")
    notices = {n["id"]: n for n in json.loads(out)["notices"]}
    assert notices["state-secrets-law-2018"]["in_force"] is True and "state-secrets-law-2025" not in notices


@pytest.mark.parametrize("sensitivity", ["internal", "secret", None])
@pytest.mark.parametrize("day", ["2020-04-15", TODAY])
def test_one_sentence_per_excluded_tool_and_cause(
    capsys: pytest.CaptureFixture[str], sensitivity: str | None, day: str
) -> None:
    extra = ("--sensitivity", sensitivity) if sensitivity else ()
    _, out, _ = cli(capsys, *QUERY[:-1], day, *extra, "--format", "json")
    for excluded in json.loads(out)["excluded"]:
        codes = [r["code"] for r in excluded["reasons"]]
        assert len(codes) == len(set(codes)), excluded  # one reason per cause
        for reason in excluded["reasons"]:
            # one sentence: a reason never repeats the tool's name as the start of a second one
            said = reason["message"].replace(excluded["name"], "\0")
            said = re.sub(r"\([^()]*(?:\([^()]*\))?[^()]*\)", "", said)  # citations aside
            assert said.count("\0") == 1, reason["message"]
    if sensitivity == "secret":
        [zalo] = [e for e in json.loads(out)["excluded"] if e["tool"] == "zalo"]
        message = zalo["reasons"][0]["message"]
        assert "chỉ cho mức: Thông thường (mục 2.3; " in message  # §2.3 and the law, one allowed list
        law = "Luật Bảo vệ bí mật nhà nước số 117/2025/QH15" if day == TODAY else "Pháp lệnh Bảo vệ bí mật nhà nước"
        assert law in message


def test_tasks_and_roles_show_the_right_sections(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "tasks", "--format", "json")
    tasks = {t["id"]: t["section"] for t in json.loads(out)["tasks"]}
    assert tasks == {"documents": "1", "public-services": "1", "meeting": "2", "group-exchange": "2.3"}
    _, out, _ = cli(capsys, "roles", "--format", "json")
    roles = {r["id"]: r["section"] for r in json.loads(out)["roles"]}
    assert roles == {"ubnd-member": "2.1", "agency-staff": "2.2"}
    _, out, _ = cli(capsys, "roles")
    assert re.search(r"ubnd-member .*\(mục 2\.1\)", out) and re.search(r"agency-staff .*\(mục 2\.2\)", out)


def test_the_offer_reads_as_the_end_of_the_free_offer(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, *QUERY, "--sensitivity", "normal")
    line = next(line for line in out.splitlines() if "VNPT Meeting" in line and "31/5/2020" in line)
    assert line.strip() == (
        "- Công văn nêu VNPT Meeting được hỗ trợ miễn phí đến hết ngày 31/5/2020; "
        "ưu đãi miễn phí này đã hết (mục 2.2.a)."
    )


# A real process under TZ=UTC whose clock reads 18:00 UTC on 31/5/2020: the machine's own day is
# still 31/5 (asserted), Vietnam's is already 1/6, and the VNPT offer (until 31/5/2020, Vietnam
# time, section 2.2.a) is over.
_FIXED_CLOCK = """
import datetime as dt, json, sys, time
instant = dt.datetime(2020, 5, 31, 18, 0, tzinfo=dt.timezone.utc)
assert time.localtime(instant.timestamp()).tm_mday == 31, "the machine's local day is 31/5"
assert dt.datetime.fromtimestamp(instant.timestamp()).date() == dt.date(2020, 5, 31)
from gialai_remote import dates
dates.now = lambda: instant
from gialai_remote.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.posix
def test_today_is_vietnams_day_under_a_utc_clock() -> None:
    env = {**os.environ, "TZ": "UTC", "GIALAI_REMOTE_LANG": "vi"}
    args = ["recommend", "-r", "agency-staff", "-t", "meeting", "-s", "normal", "--no-input"]
    proc = subprocess.run(
        [sys.executable, "-c", _FIXED_CLOCK, *args, "--format", "json"], env=env, capture_output=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert doc["query"]["date"] == "2020-06-01"
    [vnpt] = [e for e in doc["excluded"] if e["tool"] == "vnpt-meeting"]
    assert [r["code"] for r in vnpt["reasons"]] == ["offer_expired"]
    proc = subprocess.run([sys.executable, "-c", _FIXED_CLOCK, *args], env=env, capture_output=True, timeout=120)
    text = proc.stdout.decode("utf-8")
    assert "Ngày: 1/6/2020" in text and "ưu đãi miễn phí này đã hết (mục 2.2.a)" in text
    # --date keeps its meaning: the last day of the offer still recommends VNPT Meeting.
    proc = subprocess.run(
        [sys.executable, "-c", _FIXED_CLOCK, *args, "--date", "2020-05-31", "--format", "json"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert "vnpt-meeting" in [r["tool"] for r in json.loads(proc.stdout)["recommendations"]]
