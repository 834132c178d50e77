"""The published JSON Schemas of ``recommend`` and ``check`` match what the commands print.

Real outputs are validated across every role x task x sensitivity, with and without
participants, on two dates (before the VNPT offer ended and today's notices applied, and
after), in both languages.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from gialai_remote.advice import Query
from gialai_remote.cli.main import run
from gialai_remote.decide import check
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.package_data import package_file
from gialai_remote.render.json import check_dict

ROOT = Path(__file__).resolve().parent.parent
KB = load_knowledge_base()
ROLES = [r.id for r in KB.roles]
TASKS = [t.id for t in KB.tasks]
SENSITIVITIES = [s.id for s in KB.sensitivities]
TOOLS = [t.id for t in KB.tools]
DATES = ["2020-04-15", "2026-11-29"]
PARTICIPANTS = [None, 27]


def packaged(name: str) -> dict[str, Any]:
    """The schema as the installed package ships it."""
    text = package_file("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    value: dict[str, Any] = json.loads(text)
    return value


def validator(name: str) -> Draft202012Validator:
    schema = packaged(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


RECOMMEND = validator("recommend")
CHECK = validator("check")


def assert_valid(v: Draft202012Validator, doc: Any, what: object) -> None:
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, f"{what}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("name", ["recommend", "check"])
def test_repo_and_package_schemas_are_the_same(name: str) -> None:
    repo = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert repo == packaged(name)


def test_schemas_name_every_contract_value() -> None:
    """The enums of the schema are exactly the ids of the knowledge base and the reason codes
    (one per kind of rule, and ``discontinued``, which comes from a tool's status)."""
    from gialai_remote.rules import REASON_CODES
    from gialai_remote.since import DISCONTINUED

    defs = packaged("recommend")["$defs"]
    assert set(defs["role"]["enum"]) == set(ROLES)
    assert set(defs["task"]["enum"]) == set(TASKS)
    assert set(defs["sensitivity"]["enum"]) == set(SENSITIVITIES)
    assert set(defs["platform"]["enum"]) == {p.id for p in KB.platforms}
    assert set(defs["tool"]["enum"]) == set(TOOLS)
    assert set(defs["reason_code"]["enum"]) == {*REASON_CODES, DISCONTINUED}


def _cli_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, Any]:
    code = run(args)
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, json.loads(out)


@pytest.mark.parametrize("date", DATES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_recommend_outputs_validate(capsys: pytest.CaptureFixture[str], date: str, lang: str) -> None:
    seen_codes: set[str] = set()
    for role, task, sens, n in itertools.product(ROLES, TASKS, SENSITIVITIES, PARTICIPANTS):
        args = [
            "recommend",
            "-f",
            "json",
            "--no-input",
            "--lang",
            lang,
            "--date",
            date,
            "--role",
            role,
            "--task",
            task,
            "--sensitivity",
            sens,
        ]
        if n is not None:
            args += ["--participants", str(n)]
        code, doc = _cli_json(capsys, args)
        assert_valid(RECOMMEND, doc, args)
        assert code == (0 if doc["recommendations"] else 1)
        seen_codes.update(r["code"] for e in doc["excluded"] for r in e["reasons"])
    assert {"role_not_allowed", "capacity_exceeded", "sensitivity_not_allowed"} <= seen_codes


def test_recommend_without_sensitivity_or_equipment_validates(capsys: pytest.CaptureFixture[str]) -> None:
    for extra in ([], ["--no-device"], ["--no-internet", "--platform", "web"]):
        _, doc = _cli_json(
            capsys, ["recommend", "-f", "json", "--no-input", "--role", "agency-staff", "--task", "meeting", *extra]
        )
        assert_valid(RECOMMEND, doc, extra)


@pytest.mark.parametrize("date", DATES)
def test_check_outputs_validate_cli(capsys: pytest.CaptureFixture[str], date: str) -> None:
    """Through the command line; the tool rotates so every tool is met without 1,900 runs."""
    tools = itertools.cycle(TOOLS)
    for role, task, sens, n in itertools.product(ROLES, [None, *TASKS], SENSITIVITIES, PARTICIPANTS):
        tool = next(tools)
        args = [
            "check",
            "-f",
            "json",
            "--no-input",
            "--date",
            date,
            "--tool",
            tool,
            "--role",
            role,
            "--sensitivity",
            sens,
        ]
        args += [] if task is None else ["--task", task]
        args += [] if n is None else ["--participants", str(n)]
        code, doc = _cli_json(capsys, args)
        assert_valid(CHECK, doc, args)
        assert code == (0 if doc["allowed"] else 1)


@pytest.mark.parametrize("date", DATES)
def test_check_outputs_validate_every_tool(date: str) -> None:
    """Every tool, through the same JSON function the command uses."""
    import datetime as dt

    day = dt.date.fromisoformat(date)
    for role, task, sens, n, tool in itertools.product(ROLES, [None, *TASKS], SENSITIVITIES, PARTICIPANTS, TOOLS):
        query = Query(role=role, task=task, date=day, participants=n, sensitivity=sens, lang="en")
        assert_valid(CHECK, check_dict(check(KB, query, tool)), (role, task, sens, n, tool))


def test_schema_rejects_a_broken_output(capsys: pytest.CaptureFixture[str]) -> None:
    """The schemas are not vacuous: typical breakages are caught."""
    _, doc = _cli_json(capsys, ["check", "-f", "json", "--tool", "polycom", "--role", "agency-staff"])
    assert CHECK.is_valid(doc)
    for broken in (
        {**doc, "allowed": True},  # allowed with reasons
        {**doc, "reasons": [{**doc["reasons"][0], "code": "nope"}]},
        {**doc, "extra": 1},
        {**doc, "query": {**doc["query"], "date": "29/11/2026"}},
    ):
        assert not CHECK.is_valid(broken)
    _, rec = _cli_json(capsys, ["recommend", "-f", "json", "--role", "ubnd-member", "--task", "meeting"])
    contact = rec["recommendations"][0]["contacts"][0]
    assert RECOMMEND.is_valid(rec)
    bad = json.loads(json.dumps(rec))
    bad["recommendations"][0]["contacts"][0] = {**contact, "phone": "0935 076 079"}
    assert not RECOMMEND.is_valid(bad)


@pytest.mark.parametrize("name", ["recommend", "check"])
def test_schema_command_prints_the_published_file(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code = run(["schema", name])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
