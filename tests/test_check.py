"""``check``: exit codes for every outcome, and the proof that it agrees with ``recommend``.

Exit codes (docs/contract.md): 0 allowed, 1 not allowed (each reason code of the contract), 2 usage
errors. The equivalence tests show that ``check`` allows a tool exactly when ``recommend``
recommends it, over role x task x sensitivity x participants x platform x equipment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from gialai_remote.advice import Query
from gialai_remote.cli.main import run
from gialai_remote.decide import check, decide
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.rules import REASON_CODES

KB = load_knowledge_base()
ROLES = [r.id for r in KB.roles]
TASKS = [t.id for t in KB.tasks]
SENSITIVITIES = [s.id for s in KB.sensitivities]
PLATFORMS = [None, *(p.id for p in KB.platforms)]
TOOLS = [t.id for t in KB.tools]
PARTICIPANTS = [None, 1, 2, 25, 26, 27, 30, 100]
DATES = [dt.date(2020, 4, 15), dt.date(2020, 5, 31), dt.date(2020, 6, 1), dt.date(2026, 11, 29)]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- exit codes ------------------------------------------------------------------------------

ALLOWED = [
    pytest.param(["--tool", "aic-emeeting", "--role", "agency-staff", "--task", "meeting"], id="2.2.b-staff-meeting"),
    pytest.param(
        ["--tool", "polycom", "--role", "ubnd-member", "--participants", "26", "--platform", "ios"],
        id="2.1.a-26-on-ios",
    ),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--sensitivity", "normal"], id="2.3-normal"),
    pytest.param(["--tool", "document-management", "--role", "agency-staff", "--task", "documents"], id="1-documents"),
    pytest.param(["--tool", "vnpt-meeting", "--role", "agency-staff", "--date", "2020-05-31"], id="2.2.a-last-day"),
]


@pytest.mark.parametrize("args", ALLOWED)
def test_allowed_exits_0(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = cli(capsys, "check", "--no-input", "--format", "json", *args)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["allowed"] is True and doc["reasons"] == []
    assert err == ""


#: One plan per reason code of docs/contract.md, with the section the reason must cite.
NOT_ALLOWED = [
    pytest.param("role_not_allowed", "2.1.a", ["--tool", "polycom", "--role", "agency-staff"], id="role_not_allowed"),
    pytest.param(
        "task_not_supported",
        "2.1.a",
        ["--tool", "polycom", "--role", "ubnd-member", "--task", "documents"],
        id="task_not_supported",
    ),
    pytest.param(
        "capacity_exceeded",
        "2.1.a",
        ["--tool", "polycom", "--role", "ubnd-member", "--participants", "27"],
        id="capacity_exceeded",
    ),
    pytest.param(
        "sensitivity_not_allowed",
        "2.3",
        ["--tool", "zalo", "--role", "agency-staff", "--sensitivity", "internal"],
        id="sensitivity_not_allowed",
    ),
    pytest.param(
        "offer_expired",
        "2.2.a",
        ["--tool", "vnpt-meeting", "--role", "agency-staff", "--date", "2020-06-01"],
        id="offer_expired",
    ),
    pytest.param(
        "platform_not_supported",
        "2.1.a",
        ["--tool", "polycom", "--role", "ubnd-member", "--platform", "windows"],
        id="platform_not_supported",
    ),
    pytest.param(
        "requires_device_and_internet",
        "1",
        ["--tool", "aic-emeeting", "--role", "agency-staff", "--no-internet"],
        id="requires_device_and_internet",
    ),
    # Not a rule of the letter: the tool's status (Skype retired on 5/5/2025), cited to its source.
    pytest.param(
        "discontinued",
        None,
        ["--tool", "skype", "--role", "agency-staff", "--sensitivity", "normal", "--date", "2025-05-05"],
        id="discontinued",
    ),
]


def test_every_reason_code_has_a_case() -> None:
    assert {p.values[0] for p in NOT_ALLOWED} == {*REASON_CODES, "discontinued"}


#: The citation of a reason: the letter's section, or (for ``discontinued``) Microsoft's announcement.
def _cited(section: str | None) -> dict[str, object]:
    if section is None:
        return {"id": "skype-retirement-2025", "document": None, "section": None, "article": None}
    return {"id": "letter-415", "document": "415/STTTT-CNTT", "section": section, "article": None}


@pytest.mark.parametrize(("code_name", "section", "args"), NOT_ALLOWED)
def test_not_allowed_exits_1_with_reason(
    capsys: pytest.CaptureFixture[str], code_name: str, section: str | None, args: list[str]
) -> None:
    code, out, err = cli(capsys, "check", "--no-input", "--format", "json", *args)
    assert code == 1, err
    doc = json.loads(out)
    assert doc["allowed"] is False
    assert [r["code"] for r in doc["reasons"]] == [code_name]
    assert doc["reasons"][0]["source"] == _cited(section)
    assert doc["reasons"][0]["sources"] == [_cited(section)]
    assert err == ""


@pytest.mark.parametrize(("code_name", "section", "args"), NOT_ALLOWED)
def test_not_allowed_text_names_reason_and_section(
    capsys: pytest.CaptureFixture[str], code_name: str, section: str | None, args: list[str]
) -> None:
    code, out, _ = cli(capsys, "check", "--no-input", "--lang", "en", *args)
    assert code == 1
    # Without --date the answer is for today: more than a year after the letter it opens with
    # what the answer is and how old (the letter's age line first), then the verdict.
    verdict = next(line for line in out.splitlines() if line.startswith(("Not allowed: ", "Allowed: ")))
    assert verdict.startswith("Not allowed: ")
    assert out.startswith(("Not allowed: ", "This is the guidance of letter 415/STTTT-CNTT"))
    cite = f"(section {section})" if section else "(Microsoft's announcement of 2025-02-28 retiring Skype)"
    assert cite in out


def test_every_reason_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    """Several rules fail at once: each is reported, each with its section."""
    code, out, _ = cli(
        capsys,
        "check",
        "--no-input",
        "--format",
        "json",
        "--tool",
        "polycom",
        "--role",
        "agency-staff",
        "--task",
        "documents",
        "--participants",
        "30",
        "--platform",
        "web",
        "--no-device",
    )
    assert code == 1
    reasons = json.loads(out)["reasons"]
    assert {r["code"] for r in reasons} == {
        "task_not_supported",
        "role_not_allowed",
        "capacity_exceeded",
        "platform_not_supported",
        "requires_device_and_internet",
    }
    assert all(r["source"]["section"] and r["message"] for r in reasons)


def test_quiet_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "check", "--quiet", "--tool", "zalo", "--role", "agency-staff", "-s", "normal") == (0, "", "")
    assert cli(capsys, "check", "-q", "--tool", "zalo", "--role", "agency-staff", "-s", "secret") == (1, "", "")
    # --quiet does not hide usage errors: they still go to stderr.
    code, out, err = cli(capsys, "check", "--quiet", "--tool", "no-such-tool", "--role", "agency-staff")
    assert (code, out) == (2, "") and err


USAGE_ERRORS = [
    pytest.param(["--tool", "no-such-tool", "--role", "agency-staff"], id="unknown-tool"),
    pytest.param(["--tool", "zalo", "--role", "mayor"], id="unknown-role"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--task", "dancing"], id="unknown-task"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--sensitivity", "top"], id="unknown-sensitivity"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--platform", "amiga"], id="unknown-platform"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--participants", "0"], id="participants-0"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--participants", "-3"], id="participants-negative"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--participants", "2.5"], id="participants-fraction"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--date", "2020-02-30"], id="date-not-real"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--date", "04/15/2020"], id="date-month-first"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--date", "2020/04/15"], id="date-wrong-form"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--date", "15/3/2020"], id="date-before-letter"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--format", "html"], id="format-html"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--lang", "fr"], id="lang-fr"),
    pytest.param(["--tool", "zalo", "--role", "agency-staff", "--bogus"], id="unknown-option"),
    pytest.param(["--role", "agency-staff"], id="missing-tool"),
    pytest.param(["--tool", "zalo"], id="missing-role"),
    pytest.param(["--tool", "zalo", "--role"], id="option-without-value"),
]


@pytest.mark.parametrize("args", USAGE_ERRORS)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = cli(capsys, "check", "--no-input", *args)
    assert code == 2
    assert out == ""
    assert err.strip() and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 3


def test_missing_tool_names_the_flag_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "check", "--no-input", "--lang", "en", "--role", "agency-staff")
    assert code == 2
    assert "--tool" in err and "aic-emeeting" in err


def test_task_is_optional_and_null_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "check", "--no-input", "-f", "json", "--tool", "aic-emeeting", "--role", "agency-staff")
    assert code == 0
    assert json.loads(out)["query"]["task"] is None


@pytest.mark.posix
def test_shell_if() -> None:
    """The README's shell ``if`` works with the installed console script."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    exe = shutil.which("gialai-remote", path=str(Path(sys.executable).parent))
    assert exe is not None
    script = (
        f'if "{exe}" check --quiet --tool polycom --role ubnd-member --participants "$1"; '
        'then echo yes; else echo "no:$?"; fi'
    )
    results = [
        subprocess.run(["sh", "-c", script, "sh", n], capture_output=True, text=True, check=True).stdout.strip()
        for n in ("26", "27", "zero")
    ]
    assert results == ["yes", "no:1", "no:2"]


# ---- equivalence with recommend ---------------------------------------------------------------


def _queries(dates: list[dt.date], platforms: list[str | None]) -> list[Query]:
    return [
        Query(
            role=role,
            task=task,
            date=date,
            participants=n,
            sensitivity=sens,
            platform=platform,
            has_device=device,
            has_internet=True,
            lang="en",
        )
        for role, task, sens, n, platform, device, date in itertools.product(
            ROLES, TASKS, SENSITIVITIES, PARTICIPANTS, platforms, (True, False), dates
        )
    ]


def test_check_allows_iff_recommend_recommends_core() -> None:
    """Over the whole query space, in the core: allowed == recommended, for every tool."""
    checked = 0
    for query in _queries(DATES, PLATFORMS):
        recommended = {r.tool for r in decide(KB, query).recommendations}
        allowed = {tool for tool in TOOLS if check(KB, query, tool).allowed}
        assert allowed == recommended, query
        checked += 1
    assert checked == len(ROLES) * len(TASKS) * len(SENSITIVITIES) * len(PARTICIPANTS) * len(PLATFORMS) * 2 * 4


def test_the_space_has_both_answers() -> None:
    """The equivalence above is not vacuous: every tool is allowed somewhere and refused somewhere."""
    allowed_somewhere: set[str] = set()
    refused_somewhere: set[str] = set()
    for query in _queries(DATES[:1], [None]):
        for tool in TOOLS:
            (allowed_somewhere if check(KB, query, tool).allowed else refused_somewhere).add(tool)
    assert allowed_somewhere == set(TOOLS) == refused_somewhere


@pytest.mark.parametrize(("participants", "platform"), [(None, None), (27, "android")], ids=["plain", "27-on-android"])
def test_check_allows_iff_recommend_recommends_cli(
    capsys: pytest.CaptureFixture[str], participants: int | None, platform: str | None
) -> None:
    """The same through the command line: exit codes of ``check`` against ``recommend`` JSON.

    A sample of the space (each run starts the whole CLI); the core test covers all of it.
    """
    extra = [] if participants is None else ["--participants", str(participants)]
    extra += [] if platform is None else ["--platform", platform]
    extra += ["--date", "2020-04-15", "--no-input"]
    for role, task, sens in itertools.product(ROLES, TASKS, SENSITIVITIES):
        plan = ["--role", role, "--task", task, "--sensitivity", sens, *extra]
        code, out, _ = cli(capsys, "recommend", "--format", "json", *plan)
        recommended = {r["tool"] for r in json.loads(out)["recommendations"]}
        assert code == (0 if recommended else 1)
        for tool in TOOLS:
            code, out, _ = cli(capsys, "check", "--quiet", "--tool", tool, *plan)
            assert out == ""
            assert code == (0 if tool in recommended else 1), (tool, plan)


def test_check_cites_names_what_the_document_cites() -> None:
    """check_dict names the sources its citations cite from the result (render.cited.check_cites):
    the same ids as looking through the document, over tools, dates (before and long after the
    letter, past the offer and the services' end), tasks, sensitivities and languages."""
    from gialai_remote.render.cited import check_cites, cited_in
    from gialai_remote.render.json import check_dict

    days = (dt.date(2020, 4, 15), dt.date(2020, 6, 1), dt.date(2026, 11, 29))
    seen: set[str] = set()
    for tool, day, task, sensitivity, lang in itertools.product(
        [t.id for t in KB.tools], days, (None, "meeting"), ("normal", "secret"), ("vi", "en")
    ):
        query = Query(role="agency-staff", task=task, sensitivity=sensitivity, date=day, lang=lang)
        result = check(KB, query, tool)
        document = check_dict(result)
        del document["sources"]
        assert check_cites(result) == cited_in(document, set()), (tool, day, task, sensitivity, lang)
        seen |= check_cites(result)
    assert len(seen) > 2  # later sources are cited, not only the letter
