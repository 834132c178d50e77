"""Scripting in one process: ``check --batch`` and ``recommend --batch`` (JSON Lines in and out),
a "not allowed" check's alternatives, and errors as JSON objects under ``--format json``.

The batch's answer for a line is the object ``--format json`` gives for the same query alone,
with ``"line"``; 200 plans give the same objects as 200 separate runs (in-process here; the
real-process timing is ``benchmarks/batch.py``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gialai_remote.advice import Query
from gialai_remote.cli.batch import worst
from gialai_remote.cli.main import main, run
from gialai_remote.decide import check, decide
from gialai_remote.knowledge.load import load_knowledge_base

KB = load_knowledge_base()
BIN = str(Path(sys.executable).with_name("gialai-remote"))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(out: str) -> list[dict[str, Any]]:
    assert out.endswith("\n") or out == ""
    return [json.loads(line) for line in out.splitlines()]


def plans() -> list[dict[str, Any]]:
    """200 plans over tools, roles, tasks, sensitivities, participants and dates."""
    tools = ["polycom", "aic-smart-meeting", "vnpt-meeting", "aic-emeeting", "zalo", "google-drive", "official-email"]
    grid = itertools.product(
        tools, ["ubnd-member", "agency-staff"], [None, "meeting", "documents"], [None, "normal", "secret"],
        [None, 12, 30], ["2020-04-15", "1/12/2026"],
    )  # fmt: skip
    out = []
    for tool, role, task, sensitivity, participants, date in grid:
        plan: dict[str, Any] = {"tool": tool, "role": role, "date": date}
        plan |= {k: v for k, v in (("task", task), ("sensitivity", sensitivity), ("participants", participants)) if v}
        out.append(plan)
    return out[:: len(out) // 200][:200]


def flags(plan: dict[str, Any]) -> list[str]:
    return [arg for key, value in plan.items() for arg in (f"--{key}", str(value))]


def test_200_plans_give_what_200_separate_checks_give(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    batch = tmp_path / "plans.jsonl"
    batch.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in plans()), encoding="utf-8")
    code, out, err = cli(capsys, "check", "--batch", str(batch))
    answers = lines_of(out)
    assert len(answers) == 200 and err == ""
    codes = []
    for number, (plan, answer) in enumerate(zip(plans(), answers, strict=True), start=1):
        alone_code, alone, _ = cli(capsys, "check", *flags(plan), "--format", "json", "--no-input")
        codes.append(alone_code)
        assert answer.pop("line") == number
        assert answer == json.loads(alone), plan
    assert code == worst(codes) == 1 and 0 in codes


def test_the_batch_builds_nothing_per_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matchers, the tools' scopes and the knowledge base are made once per run, not per
    line (issue 16: a batch costs its queries, not its set-up again and again)."""
    from gialai_remote import rules
    from gialai_remote.cli import match
    from gialai_remote.knowledge import load

    made = {"matcher": 0, "scope": 0, "load": 0}

    def counting(name: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            made[name] += 1
            return real(*args, **kwargs)

        return wrapper

    real_init = match.Matcher.__init__
    monkeypatch.setattr(match.Matcher, "__init__", counting("matcher", real_init))
    monkeypatch.setattr(rules, "scope", counting("scope", rules.scope))
    monkeypatch.setattr(load, "load_knowledge_base", counting("load", load.load_knowledge_base))
    counts = []
    for size in (20, 200):
        source = tmp_path / f"plans-{size}.jsonl"
        source.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in plans()[:size]), encoding="utf-8")
        made.update(matcher=0, scope=0, load=0)
        assert cli(capsys, "check", "--batch", str(source))[0] == 1
        counts.append(dict(made))
    assert counts[0] == counts[1], counts
    assert counts[1]["load"] == 1 and counts[1]["matcher"] <= 5 and counts[1]["scope"] <= len(KB.tools)


def test_serving_is_kept_per_knowledge_base() -> None:
    """rules.serving's kept answers are those worked out afresh, per knowledge base."""
    from gialai_remote import rules

    other = load_knowledge_base()  # equal, but another object: its answers are its own
    assert other is not KB
    for kb in (KB, other):
        for task in kb.tasks:
            assert rules.serving(kb, "tasks", task.id) == rules._serving_all(kb, "tasks", [task.id])[task.id]
    assert rules.serving(KB, "tasks", "no-such-task") == ()
    assert "polycom" in rules.serving(KB, "tasks", "meeting")
    assert "polycom" not in rules.serving(KB, "tasks", "documents")


def test_recommend_batch_is_recommend_json(capsys: pytest.CaptureFixture[str]) -> None:
    queries = [
        {"role": "Thành viên Ủy ban", "task": "họp", "participants": "20", "date": "15/4/2020"},
        {"role": "staff", "task": "meeting", "sensitivity": "secret", "no_internet": True, "lang": "en"},
    ]
    source = "\n".join(json.dumps(q, ensure_ascii=False) for q in queries) + "\n"
    proc = subprocess.run([BIN, "recommend", "--batch", "-", "--date", "2026-11-29"], input=source.encode("utf-8"),
                          capture_output=True, check=False)  # fmt: skip
    answers = lines_of(proc.stdout.decode("utf-8"))
    assert proc.returncode == 1  # the second has no Internet: nothing can be recommended
    first = cli(capsys, "recommend", "-r", "Thành viên Ủy ban", "-t", "họp", "-n", "20", "--date", "15/4/2020",
                "-f", "json", "--no-input")[1]  # fmt: skip
    assert {"line": 1, **json.loads(first)} == answers[0]
    second = cli(capsys, "recommend", "-r", "staff", "-t", "meeting", "-s", "secret", "--no-internet",
                 "--date", "2026-11-29", "-f", "json", "--lang", "en", "--no-input")[1]  # fmt: skip
    assert {"line": 2, **json.loads(second)} == answers[1]
    assert answers[1]["query"]["lang"] == "en" and answers[1]["query"]["has_internet"] is False


def test_bad_lines_give_errors_and_the_rest_still_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        "\ufeff".encode()
        + b'{"tool": "zalo", "role": "staff", "sensitivity": "normal"}\n'
        + b"\n"
        + b"   \n"
        + b"not json\n"
        + b'["tool", "zalo"]\n'
        + b'{"tool": "zalo", "rol": "staff"}\n'
        + b'{"tool": "zalo", "role": "th\xc6\xb0 k\xc3\xbd"}\n'
        + b'{"tool": "zalo", "role": "staff", "participants": 0}\n'
        + b'{"tool": "zalo", "role": "staff", "date": "2020-03-01"}\n'
        + b'{"tool": "zalo"}\n'
        + b'{"tool": "zalo", "role": "staff", "no-device": "yes"}\n'
        + b"\xff\xfe\n"
        + b'{"Tool": "polycom", "ROLE": "ubnd-member", "no_internet": false, "participants": 26}\n'
    )
    code, out, err = cli(capsys, "check", "--batch", str(source), "--date", "2026-11-29")
    answers = lines_of(out)
    assert code == 2
    assert [a["line"] for a in answers] == [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert answers[0]["allowed"] is True and answers[-1]["allowed"] is True
    errors = {a["line"]: a["error"] for a in answers if "error" in a}
    assert all(e["code"] == "usage_error" and e["exit_code"] == 2 for e in errors.values())
    assert errors[4]["message"].startswith("dòng không phải JSON")
    assert errors[5]["message"].startswith("mỗi dòng phải là một đối tượng JSON")
    assert (
        errors[6]["message"].startswith('không có khóa "rol"; các khóa: tool, role, task')
        and "role?" in errors[6]["message"]
    )
    assert (
        errors[7]["message"].startswith("role: Chọn theo người chủ trì")
        and '"role": "ubnd-member"' in errors[7]["message"]
    )
    assert errors[8]["message"].startswith('--participants "0" phải là số nguyên')
    assert errors[9]["message"].startswith("--date 1/3/2020: Công văn 415/STTTT-CNTT ban hành ngày 1/4/2020")
    assert errors[10]["message"] == 'thiếu "role" (và không có trên dòng lệnh).'
    assert errors[11]["message"] == '"no-device" phải là true hoặc false.'
    assert errors[12]["message"] == "dòng không phải văn bản UTF-8."
    # Each error also on stderr, with its line.
    assert [line.split(":")[0] for line in err.splitlines()] == [f"dòng {n}" for n in sorted(errors)]


def test_a_line_too_deep_or_not_text_is_that_lines_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Valid JSON a thousand arrays deep (the parser's recursion limit) and a lone UTF-16
    surrogate (``"\\ud800"``: no character, nothing could write it back) each end their own
    line only; the lines after them are answered (a new user's trial: both ended the batch
    with exit 70)."""
    good = b'{"tool": "polycom", "role": "ubnd-member"}\n'
    source = tmp_path / "hostile.jsonl"
    source.write_bytes(
        good
        + b'{"x": ' + b"[" * 1000 + b"]" * 1000 + b"}\n"
        + b'{"tool": "polycom", "role": "\\ud800"}\n'
        + b'{"tool": "polycom", "\\udc80": "x"}\n'
        + b'{"tool": "polycom", "role": ["ubnd-member", ["\\udfff"]]}\n'
        + good
    )  # fmt: skip
    code, out, err = cli(capsys, "check", "--batch", str(source), "--date", "2026-11-29")
    answers = lines_of(out)
    assert code == 2
    assert [a["line"] for a in answers] == [1, 2, 3, 4, 5, 6]
    assert answers[0]["allowed"] is True and answers[-1]["allowed"] is True
    errors = {a["line"]: a["error"]["message"] for a in answers if "error" in a}
    assert errors[2] == "dòng lồng quá sâu: quá nhiều mảng hoặc đối tượng JSON lồng vào nhau."
    for line, escape in ((3, "\\ud800"), (4, "\\udc80"), (5, "\\udfff")):
        assert errors[line] == f"dòng có một chuỗi chứa nửa cặp thay thế UTF-16 ({escape}), không phải ký tự hợp lệ."
    assert len(err.splitlines()) == 4 and "Traceback" not in err
    out.encode("utf-8")  # every answer can be written


def test_a_byte_order_mark_on_any_line_is_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Two Notepad or PowerShell files put end to end (``cat a.jsonl b.jsonl``) carry a mark in the
    middle; each line starting with one is read as if it had none (a new user's trial)."""
    line = b'{"tool": "polycom", "role": "ubnd-member"}\n'
    source = tmp_path / "joined.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + line + line + b"\xef\xbb\xbf" + line)
    code, out, _ = cli(capsys, "check", "--batch", str(source), "--date", "2026-11-29")
    assert code == 0 and [a["allowed"] for a in lines_of(out)] == [True, True, True]


def test_flags_are_the_defaults_of_every_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    source.write_text('{"tool": "vnpt-meeting"}\n{"tool": "vnpt-meeting", "date": "1/6/2020", "lang": "en"}\n',
                      encoding="utf-8")  # fmt: skip
    code, out, _ = cli(capsys, "check", "--batch", str(source), "-r", "staff", "--date", "31/5/2020", "-s", "normal")
    first, second = lines_of(out)
    assert code == 1
    assert first["allowed"] is True and first["query"]["date"] == "2020-05-31"
    assert second["allowed"] is False and second["reasons"][0]["code"] == "offer_expired"
    assert "that free offer has ended" in second["reasons"][0]["message"]  # in English, the line's language


def test_batch_exit_codes_and_quiet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    allowed = tmp_path / "ok.jsonl"
    allowed.write_text('{"tool": "aic-emeeting", "role": "staff", "task": "meeting"}\n', encoding="utf-8")
    assert cli(capsys, "check", "--batch", str(allowed))[0] == 0
    code, out, err = cli(capsys, "check", "--batch", str(allowed), "--quiet")
    assert (code, out, err) == (0, "", "")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert cli(capsys, "recommend", "--batch", str(empty)) == (0, "", "")
    assert worst([0, 1, 0]) == 1 and worst([1, 2, 0]) == 2 and worst([3, 2]) == 3 and worst([]) == 0


def test_batch_usage_errors_are_json_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = cli(capsys, "check", "--batch", str(tmp_path / "missing.jsonl"))
    assert code == 2 and lines_of(out)[0]["error"]["code"] == "usage_error"
    assert err.startswith('Không đọc được tệp --batch "') and "missing.jsonl" in err
    code, out, _ = cli(capsys, "recommend", "--batch", "-", "--format", "text")
    assert code == 2 and "JSON Lines" in lines_of(out)[0]["error"]["message"]
    code, out, _ = cli(capsys, "check", "--batch", str(tmp_path))
    assert code == 2 and len(lines_of(out)) == 1
    # A NUL byte in the path (found by the fuzzer: it was exit 70) names no file at all.
    code, out, err = cli(capsys, "recommend", "--no-input", "--batch", "a\x00")
    assert code == 2 and lines_of(out)[0]["error"]["code"] == "usage_error"
    assert err == 'Không đọc được tệp --batch "a\\x00": Invalid argument.\n'


def test_a_closed_pipe_ends_the_batch_quietly(tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    source.write_text('{"tool": "zalo", "role": "staff"}\n' * 5000, encoding="utf-8")
    script = f'"{BIN}" check --batch "{source}" | head -n 1 >/dev/null; echo "${{PIPESTATUS[0]}}"'
    proc = subprocess.run(["bash", "-c", script], capture_output=True, check=False)
    assert proc.stdout.decode().strip() == "1" and b"Traceback" not in proc.stderr and proc.stderr == b""


# ---- alternatives ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "query"),
    [
        ("polycom", Query(role="agency-staff", task="meeting", participants=12, sensitivity="normal",
                          date=dt.date(2020, 4, 15))),
        ("zalo", Query(role="agency-staff", task="meeting", sensitivity="internal", date=dt.date(2026, 11, 29))),
        ("polycom", Query(role="ubnd-member", task="meeting", participants=30, sensitivity="internal",
                          date=dt.date(2026, 11, 29))),
    ],
    ids=["role", "sensitivity", "capacity"],
)  # fmt: skip
def test_alternatives_are_recommend_without_the_tool(tool: str, query: Query) -> None:
    result = check(KB, query, tool)
    assert not result.allowed
    expected = [r.tool for r in decide(KB, query).recommendations if r.tool != tool]
    assert [a.tool for a in result.alternatives] == expected and expected


def test_without_a_task_alternatives_do_the_same_job() -> None:
    query = Query(role="agency-staff", task=None, participants=30, sensitivity="internal", date=dt.date(2020, 4, 15))
    result = check(KB, query, "polycom")
    assert [a.tool for a in result.alternatives] == ["vnpt-meeting", "aic-emeeting"]  # meeting systems, not e-mail


def test_allowed_and_hopeless_plans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "check", "--tool", "aic-emeeting", "-r", "staff", "-t", "meeting", "-f", "json")
    assert code == 0 and json.loads(out)["alternatives"] == []
    code, out, _ = cli(capsys, "check", "--tool", "zalo", "-r", "staff", "-t", "meeting", "-s", "secret", "-f", "json")
    assert code == 1 and json.loads(out)["alternatives"] == []
    code, out, _ = cli(capsys, "check", "--tool", "zalo", "-r", "staff", "-t", "meeting", "-s", "secret")
    assert "Không công cụ nào khác được phép cho cùng yêu cầu này." in out.splitlines()


def test_alternatives_in_text_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "check", "--tool", "zalo", "-r", "staff", "-t", "meeting", "--date", "2026-11-29",
                       "--lang", "en")  # fmt: skip
    assert code == 1
    assert "Allowed instead: AIC eMeeting (aic-emeeting)" in out.splitlines()


# ---- errors as JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "name"),
    [
        (("recommend", "-r", "nobody", "-t", "meeting", "--format", "json"), 2, "usage_error"),
        (("recommend", "-r", "staff", "-t", "meeting", "-fjson", "--bogus"), 2, "usage_error"),
        (("check", "--tool", "zalo", "-r", "staff", "--format=JSON", "--date", "2020-02-30"), 2, "usage_error"),
        (("recommend", "--data", "tests/kb_invalid/yaml-octal.yaml", "-r", "staff", "-t", "meeting", "-f", "json"),
         3, "knowledge_base_error"),
        (("validate", "/nonexistent.yaml", "--format", "json"), 3, "knowledge_base_error"),
    ],
    ids=["unknown-role", "unknown-option", "bad-date", "broken-kb", "unreadable-file"],
)  # fmt: skip
def test_errors_under_format_json_are_a_json_object(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], code: int, name: str
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    got, out, err = cli(capsys, *args)
    doc = json.loads(out)
    assert got == code and doc["error"]["code"] == name and doc["error"]["exit_code"] == code
    assert doc["schema_version"] == 2
    assert err.splitlines()[0] == doc["error"]["message"]  # the same line on stderr
    if name == "knowledge_base_error":
        assert doc["error"]["problems"][0]["code"]


def test_text_errors_stay_on_stderr_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "recommend", "-r", "nobody", "-t", "meeting")
    assert code == 2 and out == "" and err


def test_an_internal_error_is_json_too(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(importlib.import_module("gialai_remote.decide"), "decide", broken)
    code = main(["recommend", "-r", "staff", "-t", "meeting", "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 70 and json.loads(out)["error"]["code"] == "internal_error"
    assert "RuntimeError: boom" in err


def test_a_key_given_twice_with_two_values_is_that_lines_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As on the command line, the later value never silently wins: "role" and "Role" are one key."""
    source = tmp_path / "twice.jsonl"
    source.write_text(
        '{"tool": "polycom", "role": "ubnd-member", "Role": "agency-staff"}\n'
        '{"tool": "polycom", "role": "ubnd-member", "role": "ubnd-member"}\n',
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "check", "--batch", str(source), "--date", "2020-04-15")
    first, second = lines_of(out)
    assert code == 2
    assert first["error"]["message"] == '"role" có hai giá trị khác nhau, "ubnd-member" và "agency-staff"; hãy giữ một.'
    assert (second["tool"], second["allowed"], second["query"]["role"]) == ("polycom", True, "ubnd-member")
    assert err.splitlines()[0].startswith('dòng 1: "role" có hai giá trị khác nhau')


def test_line_bytes_are_dumps_line_in_utf8() -> None:
    """render.json.line_bytes (what --batch writes) gives dumps_line's bytes: every character
    dumps_line escapes is a C1 control (UTF-8 lead byte 0xC2) or one of _FORMAT_CHARS, and
    texts with and without them, next to Vietnamese letters, come out the same."""
    from gialai_remote.render.json import _FORMAT_CHARS, _INVISIBLE, dumps_line, line_bytes

    escaped = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and re.match(_INVISIBLE, chr(c))]
    assert len(escaped) == 46
    assert all(c in _FORMAT_CHARS or c.encode("utf-8")[0] == 0xC2 for c in escaped)
    texts = ["Hội nghị trực tuyến – “Zalo” … ©", "plain", "", *(f"trước{c}sau" for c in escaped), "\u00a0\u00bf"]
    for text in texts:
        obj = {"message": text, "list": [text, 1, None], "nested": {"k": text}}
        assert line_bytes(obj) == dumps_line(obj).encode("utf-8"), repr(text)
    assert b"\\u2028" in line_bytes({"m": "a\u2028b"}) and b"\\u0085" in line_bytes({"m": "a\u0085b"})
