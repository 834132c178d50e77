"""`validate`, the knowledge-base schema, `--data` / GIALAI_REMOTE_DATA and hostile files.

Every file in tests/kb_invalid/ is tests/kb_valid/minimal.yaml with one mistake. Its first line
names the problem code it must produce (``# expect: CODE``) and the offending line ends with
``# <- CODE``: the test checks the exit code, that this is the only problem found, and its line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gialai_remote.cli.main import main
from gialai_remote.errors import KnowledgeBaseError
from gialai_remote.knowledge.build import BuildError, build
from gialai_remote.knowledge.load import load_knowledge_base, validate_bytes, validate_file
from gialai_remote.knowledge.read import MAX_BYTES
from gialai_remote.knowledge.report import CODES
from gialai_remote.model import SECTIONS
from gialai_remote.rules import NAMES as RULE_KINDS
from gialai_remote.rules import NEEDS
from gialai_remote.schema import load_schema

ROOT = Path(__file__).resolve().parents[1]
VALID = sorted((Path(__file__).parent / "kb_valid").glob("*.yaml"))
INVALID = sorted((Path(__file__).parent / "kb_invalid").glob("*.yaml"))
SHIPPED = ROOT / "data" / "guidance.yaml"
PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>[a-z0-9-]+) (?P<message>.+)$")
#: Hostile files must fail well inside this (the issue: "well under a second").
TIME_BOUND = 1.0
#: ... and without holding more than this much memory (the issue: "a few MB").
MEMORY_BOUND = 4 * 1024 * 1024


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def expectation(path: Path) -> tuple[str, int]:
    """(code, line) a fixture declares."""
    text = path.read_text(encoding="utf-8")
    code = re.match(r"# expect: ([a-z0-9-]+)", text)
    assert code, f"{path.name} must start with '# expect: CODE'"
    marked = [i for i, line in enumerate(text.splitlines(), start=1) if f"# <- {code.group(1)}" in line]
    return code.group(1), marked[0] if marked else 1


# ---- the corpus of invalid files -----------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_problem_kind_is_found_on_its_line(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    code, line = expectation(path)
    exit_code, out, err = run(capsys, "validate", "--format", "json", "--lang", "en", str(path))
    report = json.loads(out)
    assert exit_code == (0 if CODES[code] == "warning" else 1), report
    assert err == ""
    # The fixtures are written in format 1 (they check its reader too): its one-line warning is
    # left out here and tested on its own (test_a_version_1_file_is_read_and_told_how_to_upgrade).
    problems = [(p["code"], p["line"]) for p in report["problems"] if p["code"] != "schema-version-1"]
    assert problems == [(code, line)]
    assert report["valid"] is (CODES[code] == "warning")


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_text_output_is_path_line_column_code_message(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    code, line = expectation(path)
    _, out, _ = run(capsys, "validate", str(path))
    [printed] = [line for line in out.splitlines() if " schema-version-1 " not in line]
    match = PROBLEM_LINE.match(printed)
    assert match, printed
    assert (match["path"], int(match["line"]), match["code"]) == (str(path), line, code)
    assert int(match["column"]) >= 1


def test_every_problem_code_is_exercised() -> None:
    from_fixtures = {expectation(p)[0] for p in INVALID}
    from_hostile = {"too-large", "too-deep", "alias-expansion", "not-utf8", "unreadable"}
    from_bounds = {"too-many-problems"}  # tests/test_knowledge.py
    from_coverage = {"tool-without-task", "public-app-without-sensitivity"}  # tests/test_selectors.py
    from_format = {"schema-version-1"}  # every format-1 fixture; test_a_version_1_file_is_read_and_told_how_to_upgrade
    from_layers = {  # tests/test_layers.py
        "unknown-base",
        "not-a-layer",
        "nothing-to-remove",
        "removed-in-use",
        "layer-conflict",
        "contact-age",
        "contact-verified-later",
    }
    assert from_fixtures | from_hostile | from_bounds | from_coverage | from_format | from_layers == set(CODES)


def test_a_version_1_file_is_read_and_told_how_to_upgrade(capsys: pytest.CaptureFixture[str]) -> None:
    """An agency's copy in format 1 still works (converted in memory, knowledge/upgrade.py), and
    validate says in one line, a warning, how to upgrade it; it gives the same answers as the
    same file upgraded by hand (tests/kb_valid/minimal.yaml)."""
    v1, v2 = Path(__file__).parent / "kb_v1" / "minimal.yaml", VALID[0]
    assert "\nschema_version: 1\n" in v1.read_text(encoding="utf-8")
    assert "\nschema_version: 2\n" in v2.read_text(encoding="utf-8")
    code, out, err = run(capsys, "validate", str(v1))
    assert (code, err) == (0, "")
    [line] = out.splitlines()
    assert f"{v1}:4:17: schema-version-1 " in line and 'thay "source:" bằng danh sách "sources:"' in line
    code, out, _ = run(capsys, "validate", "--lang", "en", "--format", "json", str(v1))
    doc = json.loads(out)
    assert doc["valid"] is True and [p["code"] for p in doc["problems"]] == ["schema-version-1"]
    assert "set schema_version: 2 (see docs/knowledge-base.md)" in doc["problems"][0]["message"]
    kb = load_knowledge_base(str(v1))
    assert kb.schema_version == 1 and kb.source.id == "letter-415" and kb.sources[0].kind == "letter"
    assert run(capsys, "validate", str(v2))[:2] == (0, "")
    args = ("recommend", "-r", "agency-staff", "-t", "meeting", "-s", "normal", "--format", "json")
    for day in ("2020-04-15", "2026-11-29"):
        old, new = (json.loads(run(capsys, "--data", str(path), *args, "--date", day)[1]) for path in (v1, v2))
        assert old["schema_version"] == new["schema_version"] == 2  # outputs are version 2 whatever the file
        # The same answer; only the later source's entry differs (its id and fields, by hand).
        for doc in (old, new):
            doc["sources"] = [s["id"] == "letter-415" for s in doc["sources"]]
            for notice in doc["notices"]:
                notice["source"] = notice["sources"] = None
        assert old == new
    assert [n["id"] for n in new["notices"]] == ["department-merger"]


def test_every_code_is_kebab_case() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) for code in CODES)


def test_messages_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(Path(__file__).parent / "kb_invalid" / "yaml-octal.yaml")
    _, vi, _ = run(capsys, "validate", path)
    _, en, _ = run(capsys, "validate", "--lang", "en", path)
    assert "bát phân" in vi and "octal" in en


def test_three_mistakes_are_all_reported_in_line_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (VALID[0]).read_text(encoding="utf-8")
    text = text.replace('phone: "0934121298"', "phone: 0362123456")
    text = text.replace("    category: official\n", "    category: official\n    prioity: 3\n")
    text = text.replace("roles: [agency-staff]", "roles: [agency-staff, mayor]")
    bad = tmp_path / "three.yaml"
    bad.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--lang", "en", str(bad))
    assert code == 1
    codes = [PROBLEM_LINE.match(line)["code"] for line in out.splitlines()]  # type: ignore[index]
    assert codes == ["yaml-octal", "unknown-key", "unknown-reference"]


# ---- the shipped file --------------------------------------------------------------------------


def test_shipped_file_is_clean_with_no_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(SHIPPED)) == (0, "", "")


def test_validate_without_a_path_checks_the_built_in_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate") == (0, "", "")
    code, out, _ = run(capsys, "validate", "--format", "json")
    assert code == 0
    assert json.loads(out)["problems"] == []


def test_validate_without_a_path_checks_the_data_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = Path(__file__).parent / "kb_invalid" / "bad-url.yaml"
    monkeypatch.setenv("GIALAI_REMOTE_DATA", str(bad))
    code, out, _ = run(capsys, "validate")
    assert code == 1 and out.startswith(f"{bad}:")


def test_bom_and_crlf_are_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    copy = tmp_path / "windows.yaml"
    copy.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes().replace(b"\n", b"\r\n"))
    assert run(capsys, "validate", str(copy)) == (0, "", "")
    code, out, _ = run(capsys, "--data", str(copy), "tools", "--format", "json")
    assert code == 0 and len(json.loads(out)["tools"]) == 16
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(
        b"\xef\xbb\xbf" + (Path(__file__).parent / "kb_invalid" / "bad-url.yaml").read_bytes().replace(b"\n", b"\r\n")
    )
    _, out, _ = run(capsys, "validate", str(broken))
    # lines still count from the first (line 3: the fixture's format, 1)
    assert out.splitlines()[0].startswith(f"{broken}:3:17: schema-version-1 ")
    assert out.splitlines()[1].startswith(f"{broken}:50:")


def test_unreadable_file_is_exit_3_on_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for path in (tmp_path / "missing.yaml", tmp_path):
        code, out, err = run(capsys, "validate", str(path))
        assert (code, out) == (3, "")
        assert err.startswith(f"{path}:0:0: unreadable ")


# ---- hostile files -----------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{chr(ord('b') + i)}: &{chr(ord('b') + i)} [" + ",".join([f"*{chr(ord('a') + i)}"] * 9) + "]"
            for i in range(8)
        ),
    ]
)


def _hostile(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.yaml"
    if kind == "unsafe-tag":
        marker = tmp_path / "executed"
        path.write_text(f'schema_version: 1\nx: !!python/object/apply:os.system ["touch {marker}"]\n')
    elif kind == "alias-expansion":
        path.write_text(BILLION_LAUGHS + "\n")
    elif kind == "too-deep":
        path.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    elif kind == "too-deep-block":
        path.write_text("- " * 10_000 + "x\n")
    elif kind == "too-large":
        with path.open("wb") as fh:
            fh.write(b"schema_version: 1\n")
            fh.truncate(50 * 1024 * 1024)  # 50 MB, mostly NUL bytes
    elif kind == "not-utf8":
        path.write_bytes(b'schema_version: 1\nsource:\n  document: "C\xc3\xb4ng v\xffn"\n')
    return path


HOSTILE = {
    "unsafe-tag": ("unsafe-tag", 2),
    "alias-expansion": ("alias-expansion", None),
    "too-deep": ("too-deep", 1),
    "too-deep-block": ("too-deep", 1),
    "too-large": ("too-large", 1),
    "not-utf8": ("not-utf8", 3),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_file_fails_fast_with_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    path = _hostile(tmp_path, kind)
    code, line = HOSTILE[kind]
    validate_file(str(SHIPPED))  # imports warmed up: the bound is on the work, not on imports
    tracemalloc.start()
    start = time.perf_counter()
    report = validate_file(str(path), lang="en")
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < TIME_BOUND, f"{kind} took {elapsed:.3f} s"
    assert peak < MEMORY_BOUND, f"{kind} held {peak} bytes"
    assert [p.code for p in report.problems] == [code]
    if line is not None:
        assert report.problems[0].line == line
    assert not (tmp_path / "executed").exists()

    exit_code, out, err = run(capsys, "validate", str(path))
    assert exit_code == 1 and err == ""
    assert PROBLEM_LINE.match(out.strip())

    exit_code, out, err = run(capsys, "--data", str(path), "recommend", "--role", "agency-staff", "--task", "meeting")
    assert (exit_code, out) == (3, "")
    assert PROBLEM_LINE.match(err.strip()), err


def test_too_large_is_named_by_its_size(tmp_path: Path) -> None:
    path = _hostile(tmp_path, "too-large")
    [problem] = validate_file(str(path), lang="en").problems
    assert str(50 * 1024 * 1024) in problem.message and str(MAX_BYTES) in problem.message


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = _hostile(tmp_path, "not-utf8")
    [problem] = validate_file(str(path), lang="en").problems
    offset = path.read_bytes().index(b"\xff")
    assert f"offset {offset}" in problem.message
    assert (problem.line, problem.column) == (3, 20)


# ---- --data and GIALAI_REMOTE_DATA -------------------------------------------------------------


@pytest.mark.parametrize("how", ["flag", "env", "flag-before-command"])
def test_broken_data_file_is_exit_3_never_a_fallback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    bad = Path(__file__).parent / "kb_invalid" / "yaml-octal.yaml"
    _, line = expectation(bad)
    args = ["recommend", "--role", "agency-staff", "--task", "meeting", "--no-input"]
    if how == "flag":
        args += ["--data", str(bad)]
    elif how == "flag-before-command":
        args = ["--data", str(bad), *args]
    else:
        monkeypatch.setenv("GIALAI_REMOTE_DATA", str(bad))
    code, out, err = run(capsys, *args)
    assert (code, out) == (3, "")
    assert err.startswith(f"{bad}:{line}:12: yaml-octal ")


def test_the_flag_beats_the_variable(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIALAI_REMOTE_DATA", str(Path(__file__).parent / "kb_invalid" / "yaml-octal.yaml"))
    code, out, _ = run(capsys, "tools", "--data", str(VALID[0]), "--format", "json")
    assert code == 0 and [t["id"] for t in json.loads(out)["tools"]] == ["aic-emeeting"]


def test_warnings_do_not_stop_loading(capsys: pytest.CaptureFixture[str]) -> None:
    warned = Path(__file__).parent / "kb_invalid" / "missing-translation.yaml"
    code, out, err = run(capsys, "--data", str(warned), "tools", "show", "aic-emeeting", "--lang", "en", "-f", "json")
    assert (code, err) == (0, "")
    # The English text is missing, so the Vietnamese one is shown rather than nothing.
    assert json.loads(out)["setup_steps"][0]["text"].startswith("Tải ứng dụng")


def test_an_agency_copy_with_a_changed_phone_gives_advice_from_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = tmp_path / "agency.yaml"
    # Test data only: a different valid mobile number for the AIC contact.
    copy.write_text(SHIPPED.read_text(encoding="utf-8").replace('"0934121298"', '"0934121299"'), encoding="utf-8")
    assert run(capsys, "validate", str(copy)) == (0, "", "")
    monkeypatch.setenv("GIALAI_REMOTE_DATA", str(copy))
    code, out, _ = run(
        capsys, "recommend", "--role", "agency-staff", "--task", "meeting", "--participants", "12",
        "--sensitivity", "normal", "--date", "2026-11-29", "--format", "json",
    )  # fmt: skip
    assert code == 0
    advice = json.loads(out)
    emeeting = next(r for r in advice["recommendations"] if r["tool"] == "aic-emeeting")
    assert [c["phone"] for c in emeeting["contacts"]] == ["0934121299"]
    code, out, _ = run(capsys, "contacts", "--tool", "emeeting", "--format", "json")
    assert [c["phone"] for c in json.loads(out)["contacts"]] == ["0934121299"]


# ---- the schema and the loader agree -------------------------------------------------------------


def _json_view(path: Path) -> Any:
    """The document as JSON data (dates as ISO text), the way editors and the schema see it."""
    import yaml

    try:
        document = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        return None
    return json.loads(json.dumps(document, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


@pytest.mark.parametrize("path", [SHIPPED, *VALID, *INVALID], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_schema_and_loader_agree(path: Path) -> None:
    """The published schema accepts only what the model builder can build; every schema error
    is a validate error; the loader refuses exactly the files validate finds errors in."""
    from jsonschema import Draft202012Validator

    report = validate_file(str(path))
    try:
        load_knowledge_base(str(path))
        loads = True
    except KnowledgeBaseError:
        loads = False
    assert loads == (not report.errors)
    view = _json_view(path)
    if view is None:
        assert report.errors  # YAML the safe loader cannot read is an error too
        return
    # A version-1 file (the fixtures, an agency's copy) is checked against the format it is in.
    name = "knowledge-base-v1" if isinstance(view, dict) and view.get("schema_version") == 1 else "knowledge-base"
    schema = Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)
    schema_ok = schema.is_valid(view)
    try:
        build(view, str(path))
        builds = True
    except BuildError:
        builds = False
    assert builds or not schema_ok, "the schema accepts a file the loader cannot build"
    if not schema_ok:
        assert report.errors
    if path in VALID or path == SHIPPED:
        assert schema_ok and builds and not report.problems


def test_schema_lists_match_the_model() -> None:
    defs = load_schema("knowledge-base")["$defs"]
    assert tuple(defs["section"]["enum"]) == SECTIONS
    assert tuple(defs["rule"]["properties"]["kind"]["enum"]) == RULE_KINDS
    assert tuple(defs["rule"]["properties"]["needs"]["items"]["enum"]) == NEEDS


def test_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(load_schema("knowledge-base"))


def test_guidance_points_editors_at_the_schema() -> None:
    first = SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    target = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert target and (SHIPPED.parent / target.group(1)).resolve() == ROOT / "schemas" / "knowledge-base.schema.json"


@pytest.mark.parametrize("args", [["schema"], ["schema", "knowledge-base"]])
def test_schema_command_prints_the_shipped_file(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert out == (ROOT / "schemas" / "knowledge-base.schema.json").read_text(encoding="utf-8")


def test_schema_command_rejects_an_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema", "nonsense")
    assert (code, out) == (2, "")
    assert "knowledge-base" in err


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:  # pragma: no cover
        pytest.skip("no git")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("gialai_remote-*.whl"))


def test_wheel_ships_the_schema_as_a_real_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read("gialai_remote/schemas/knowledge-base.schema.json")
    assert data == (ROOT / "schemas" / "knowledge-base.schema.json").read_bytes()


# ---- notices: the same question on two dates ---------------------------------------------------


def test_notices_and_letter_age_are_the_only_difference_between_dates(capsys: pytest.CaptureFixture[str]) -> None:
    """For the documents task (section 1's systems, with no status of their own) the answer of
    2026 is the letter's own plus the notices, the opening warnings and their sources."""
    answers = {}
    for day in ("2020-04-15", "2026-11-29"):
        code, out, _ = run(
            capsys, "recommend", "--role", "agency-staff", "--task", "documents", "--date", day, "--format", "json"
        )
        assert code == 0
        answers[day] = json.loads(out)
    then, now = answers["2020-04-15"], answers["2026-11-29"]
    assert then["notices"] == []
    assert [n["id"] for n in now["notices"]] == [
        "ministry-merger-2025",
        "department-merger-decree-45-2025",
        "issuer-successor-gialai",
    ]
    assert now["notices"][0]["effective"] == "2025-03-01"
    assert [w["code"] for w in now["warnings"] if w not in then["warnings"]] == [
        "letter_age",
        "tools_changed",
        "issuer_changed",
        "check_before_use",
    ]
    assert [w for w in then["warnings"] if w not in now["warnings"]] == []
    assert [s["id"] for s in then["sources"]] == ["letter-415"]
    assert [s["id"] for s in now["sources"]] == [
        "letter-415",
        "resolution-176-2025-qh15",
        "decree-45-2025",
        "gialai-science-department-2025",
    ]
    for answer in (then, now):
        del answer["notices"], answer["warnings"], answer["query"]["date"], answer["sources"]
    assert then == now


# ---- robustness: whatever the file, a report and never a traceback -------------------------------

MINIMAL_LINES = VALID[0].read_text(encoding="utf-8").splitlines(keepends=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_any_bytes_give_a_report(data: bytes) -> None:
    report = validate_bytes(data, "fuzz.yaml")
    assert report.errors or report.document is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(MINIMAL_LINES) - 1),
            st.sampled_from(["drop", "dup", "yes", "0362123456", "2.1", "17:30", "2020-02-30", "[", "&a x", "*a"]),
        ),
        max_size=3,
    )
)
def test_edited_files_are_reported_or_give_advice(edits: list[tuple[int, str]]) -> None:
    """A mutated knowledge base is either reported by validate, or every command runs on it."""
    lines = list(MINIMAL_LINES)
    for index, edit in edits:
        if edit == "drop":
            lines[index] = ""
        elif edit == "dup":
            lines[index] = lines[index] * 2
        else:
            head, sep, _ = lines[index].partition(": ")
            lines[index] = f"{head}{sep}{edit}\n" if sep else f"{lines[index].rstrip()} {edit}\n"
    data = "".join(lines).encode("utf-8")
    report = validate_bytes(data, "edited.yaml")
    for problem in report.problems:
        assert problem.code in CODES and problem.line >= 0
    if report.errors:
        return
    kb = build(report.document, "edited.yaml")
    from gialai_remote.advice import Query
    from gialai_remote.decide import check, decide
    from gialai_remote.describe import describe_tool

    for role in kb.roles:
        for task in kb.tasks:
            for day in (dt.date(2020, 4, 15), dt.date(2026, 11, 29)):
                decide(kb, Query(role=role.id, task=task.id, date=day, participants=30))
    for tool in kb.tools:
        for role in kb.roles:
            check(kb, Query(role=role.id, task=None, date=dt.date(2026, 11, 29)), tool.id)
        describe_tool(kb, tool.id, dt.date(2026, 11, 29), "en")


def test_readme_example_is_real_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/knowledge-base.md's three-mistake example is what `validate` prints for that edited copy."""
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in (
        ('    phone: "0931636869"', "    phone: 0362123456"),
        ("    category: official\n    priority: 20\n", "    category: official\n    priority: 20\n    capacity: 26\n"),
        ("    roles: [agency-staff, ubnd-member]\n", "    roles: [agency-staf, ubnd-member]\n"),
    ):
        text = text.replace(old, new, 1)
    (tmp_path / "guidance.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "validate", "guidance.yaml")
    assert code == 1
    page = (ROOT / "docs" / "knowledge-base.md").read_text(encoding="utf-8")
    for line in out.splitlines():
        assert f"\n{line}\n" in page, line


def test_a_missing_english_key_is_a_warning_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = VALID[0].read_text(encoding="utf-8")
    assert text.count('          en: Install "AIC eMeeting" from the App Store.\n') == 1
    copy = tmp_path / "no-en.yaml"
    copy.write_text(text.replace('          en: Install "AIC eMeeting" from the App Store.\n', ""), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--format", "json", str(copy))
    line = text.splitlines().index('          vi: Tải ứng dụng "AIC eMeeting" trên AppStore.') + 1
    assert code == 0
    assert [(p["code"], p["severity"], p["line"]) for p in json.loads(out)["problems"]] == [
        ("missing-translation", "warning", line)
    ]


def test_validate_reads_standard_input_for_dash(tmp_path: Path) -> None:
    import subprocess

    from portable import BIN

    script = Path(BIN)
    good = subprocess.run(
        [str(script), "validate", "-"],
        input=(ROOT / "data" / "guidance.yaml").read_bytes(),
        capture_output=True,
        timeout=60,
    )
    assert (good.returncode, good.stdout, good.stderr) == (0, b"", b"")
    bad = subprocess.run(
        [str(script), "validate", "-"], input=b"schema_version: 1\nfoo: [\n", capture_output=True, timeout=60
    )
    assert bad.returncode == 1
    assert bad.stdout.startswith(b"-:3:1: yaml-syntax")
