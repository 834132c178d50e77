"""The sweep: every command's output, byte for byte, against a stored snapshot.

A restructuring must not change what users and scripts see. This test runs the CLI in-process
over a wide grid of queries (every role x task x sensitivity x participants x date, in text
and JSON, Vietnamese and English), every tool's ``check``, ``setup`` and ``tools show``, the
browse commands, ``validate`` on the shipped file and on every invalid fixture, ``--version``
and the help of every command, and compares exit code, stdout and stderr with
``tests/snapshots/sweep.json.gz``.

A change that is meant to alter the output regenerates the snapshot on purpose::

    GIALAI_REGEN=1 python -m pytest tests/test_sweep.py

and the diff of the decompressed snapshot (``python tests/test_sweep.py CASE`` prints one
case) is part of the review.
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gialai_remote.cli.main import main

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SNAPSHOT = HERE / "snapshots" / "sweep.json.gz"
REGEN = os.environ.get("GIALAI_REGEN") == "1"

ROLES = ("ubnd-member", "agency-staff")
TASKS = ("documents", "public-services", "meeting", "group-exchange")
SENSITIVITIES = (None, "normal", "internal", "secret")
PARTICIPANTS = (None, "12", "30")
DATES = ("2020-04-15", "2026-12-01")
TOOLS = (
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
)
COMMANDS = (
    "recommend",
    "check",
    "setup",
    "tools",
    "contacts",
    "notices",
    "roles",
    "tasks",
    "validate",
    "schema",
    "doctor",
)

# doctor reports when it ran and how long it took: the only values that change between runs.
_VOLATILE = (
    (re.compile(r'"checked_at": "[^"]*"'), '"checked_at": "<time>"'),
    (re.compile(r'"duration_ms": \d+'), '"duration_ms": 0'),
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC"), "<time> UTC"),
)


def _query_flags(role: str, task: str | None, sensitivity: str | None, participants: str | None) -> list[str]:
    flags = ["--role", role]
    if task is not None:
        flags += ["--task", task]
    if sensitivity is not None:
        flags += ["--sensitivity", sensitivity]
    if participants is not None:
        flags += ["--participants", participants]
    return flags


def cases() -> Iterator[tuple[str, list[str]]]:
    """Every (case id, argv) of the sweep, in a stable order."""
    for role, task, sensitivity, participants, date, fmt, lang in itertools.product(
        ROLES, TASKS, SENSITIVITIES, PARTICIPANTS, DATES, ("text", "json"), ("vi", "en")
    ):
        argv = ["recommend", *_query_flags(role, task, sensitivity, participants), "--date", date]
        argv += ["--format", fmt, "--lang", lang, "--no-input"]
        yield " ".join(argv), argv
    for role, task, fmt, date in itertools.product(ROLES, TASKS, ("markdown", "html"), DATES):
        argv = ["recommend", "--role", role, "--task", task, "-n", "30", "--date", date, "--format", fmt, "--no-input"]
        yield " ".join(argv), argv
    for tool, role, check_task, sensitivity, participants, date, fmt in itertools.product(
        TOOLS, ROLES, (None, "meeting"), (None, "secret"), (None, "30"), DATES, ("text", "json")
    ):
        lang = "vi" if fmt == "text" else "en"
        argv = ["check", "--tool", tool, *_query_flags(role, check_task, sensitivity, participants), "--date", date]
        argv += ["--format", fmt, "--lang", lang, "--no-input"]
        yield " ".join(argv), argv
    for tool, fmt, lang, date in itertools.product(TOOLS, ("text", "markdown", "html"), ("vi", "en"), DATES):
        argv = ["setup", tool, "--format", fmt, "--lang", lang, "--date", date, "--no-input"]
        yield " ".join(argv), argv
    for tool, platform in itertools.product(("polycom", "aic-emeeting", "vnpt-meeting"), ("android", "web")):
        argv = ["setup", tool, "--platform", platform, "--date", "2020-04-15", "--no-input"]
        yield " ".join(argv), argv
    for tool, fmt, date in itertools.product(TOOLS, ("text", "json"), DATES):
        argv = ["tools", "show", tool, "--format", fmt, "--date", date, "--no-input"]
        yield " ".join(argv), argv
    browse = ("tools", "roles", "tasks", "contacts")
    for command, fmt, lang in itertools.product(browse, ("text", "json"), ("vi", "en")):
        argv = [command, "--format", fmt, "--lang", lang, "--no-input"]
        yield " ".join(argv), argv
    for tool, date in itertools.product(("polycom", "aic-emeeting", "facebook"), DATES):
        argv = ["contacts", "--tool", tool, "--date", date, "--no-input"]
        yield " ".join(argv), argv
    for fmt, lang, date in itertools.product(("text", "json"), ("vi", "en"), DATES):
        argv = ["notices", "--format", fmt, "--lang", lang, "--date", date, "--no-input"]
        yield " ".join(argv), argv
    for tool in ("polycom", "online-public-services", "zalo"):
        argv = ["notices", "--tool", tool, "--date", "2026-12-01", "--no-input"]
        yield " ".join(argv), argv
    for fmt, lang in itertools.product(("text", "json"), ("vi", "en")):
        argv = ["validate", "data/guidance.yaml", "--format", fmt, "--lang", lang]
        yield " ".join(argv), argv
        for fixture in sorted((HERE / "kb_invalid").glob("*.yaml")):
            argv = ["validate", str(fixture.relative_to(ROOT)), "--format", fmt, "--lang", lang]
            yield " ".join(argv), argv
    for fmt in ("text", "json"):
        argv = ["doctor", "--tool", "polycom", "--format", fmt, "--no-input"]
        yield " ".join(argv), argv
    for lang in ("vi", "en"):
        yield f"--version --lang {lang}", ["--version", "--lang", lang]
        yield f"--help --lang {lang}", ["--help", "--lang", lang]
        for command in COMMANDS:
            yield f"{command} --help --lang {lang}", [command, "--help", "--lang", lang]
        yield f"tools show --help --lang {lang}", ["tools", "show", "--help", "--lang", lang]
    # Usage errors and the knowledge-base error, in both languages.
    for lang in ("vi", "en"):
        for argv in (
            ["recommend", "--role", "nobody", "--task", "meeting", "--no-input"],
            ["recommend", "--task", "meeting", "--no-input"],
            ["recommend", "--role", "agency-staff", "--task", "meeting", "-n", "-1", "--no-input"],
            ["recommend", "--role", "agency-staff", "--task", "meeting", "--date", "2020-02-30", "--no-input"],
            ["check", "--tool", "zaloo", "--role", "agency-staff", "--no-input"],
            ["no-such-command"],
            ["recommend", "--data", "tests/kb_invalid/yaml-octal.yaml", "--role", "agency-staff", "--task", "meeting"],
        ):
            argv = [*argv, "--lang", lang]
            yield " ".join(argv), argv


def run_case(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    """Run one case in-process; return its exit code, stdout and stderr (volatile values masked)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    for pattern, replacement in _VOLATILE:
        out = pattern.sub(replacement, out)
    return {"code": code, "stdout": out, "stderr": err}


def _load() -> dict[str, dict[str, object]]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as fh:
        value: dict[str, dict[str, object]] = json.load(fh)
    return value


#: The instant the sweep runs at: noon in Vietnam on 1/12/2026, the day the snapshot was taken.
#: The cases that give no --date (`contacts`, `tools`...) print "as of" today; without a fixed
#: clock they changed at midnight in Vietnam (17:00 UTC), which a CI run found.
SWEEP_INSTANT = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.timezone.utc)


def test_sweep(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from gialai_remote import dates

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(dates, "now", lambda: SWEEP_INSTANT)
    results = {case_id: run_case(capsys, argv) for case_id, argv in cases()}
    if REGEN or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        data = json.dumps(results, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")
        SNAPSHOT.write_bytes(gzip.compress(data, mtime=0))
        if not REGEN:
            pytest.fail(f"no snapshot yet: wrote {SNAPSHOT}; run again")
        return
    stored = _load()
    assert sorted(results) == sorted(stored), "the sweep's cases changed: regenerate on purpose"
    changed = [case_id for case_id in results if results[case_id] != stored[case_id]]
    assert not changed, f"{len(changed)} of {len(results)} outputs changed, first: {changed[:5]}"


if __name__ == "__main__":  # print one stored case: python tests/test_sweep.py "recommend --role ..."
    entry = _load()[" ".join(sys.argv[1:])]
    sys.stdout.write(f"exit {entry['code']}\n--- stdout\n{entry['stdout']}--- stderr\n{entry['stderr']}")
