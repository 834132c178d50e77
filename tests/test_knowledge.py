"""The knowledge/ package: its bounds on reading and reporting, and its shape.

- A file full of mistakes gives a bounded report: at most MAX_PROBLEMS problems, errors
  first, then one ``too-many-problems`` problem whose count is exact (issue 11 item 3). The
  time it takes is measured by benchmarks/many_problems.py, not here.
- Messages list a bounded number of known ids, and a suggestion among many ids is still the
  closest one for the usual typos.
- Only a regular file (or ``-``) is read, never more than MAX_BYTES + 1 bytes (issue 11
  items 8 and 10); validation pauses the garbage collector (issue 16).
- No import circle among the package's modules, imports inside functions included, and the
  built-in fast path imports none of the checking modules or their libraries.
"""

from __future__ import annotations

import ast
import difflib
import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gialai_remote.cli.main import main
from gialai_remote.i18n import t
from gialai_remote.knowledge import meaning, read, report
from gialai_remote.knowledge.load import load_knowledge_base, validate_bytes, validate_file
from gialai_remote.knowledge.report import MAX_LISTED, MAX_PROBLEMS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "gialai_remote" / "knowledge"
MINIMAL = (Path(__file__).parent / "kb_valid" / "minimal.yaml").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "benchmarks"))

import many_problems  # noqa: E402  (benchmarks/, the generator of the benchmark's file)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "kb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- a bounded report with an exact count of the rest -------------------------------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 tools and 1,000 unknown references, nothing else wrong."""
    path = tmp_path_factory.mktemp("many") / "many.yaml"
    path.write_text(many_problems.generate(tools=300, references=1000), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_many_problems_list_the_first_and_count_the_rest(many: Path, lang: str) -> None:
    result = validate_file(str(many), lang=lang)
    *listed, summary = result.problems
    assert len(listed) == MAX_PROBLEMS == 200
    assert {p.code for p in listed} == {"unknown-reference"}
    positions = [(p.line, p.column) for p in listed]
    assert positions == sorted(positions)
    # The first 200 references of the file, in its order.
    expected = [many_problems.unknown_id(j, 300) for j in range(200)]
    assert [p.message.split('"')[1] for p in listed] == expected
    assert (summary.code, summary.severity) == ("too-many-problems", "error")
    assert result.unlisted == 800
    assert summary.message == t("kb.too_many_problems", lang, count=800, errors=800, warnings=0, limit=200)
    assert "800" in summary.message and ("more problems" if lang == "en" else "vấn đề nữa") in summary.message
    # It stands where the first unlisted problem is: the 201st reference, on the same rule line.
    all_positions = sorted(_reference_positions(many))
    assert all_positions[:200] == positions
    assert (summary.line, summary.column) == all_positions[200]
    assert result.document is None and result.knowledge_base is None


def _reference_positions(path: Path) -> list[tuple[int, int]]:
    """(line, column) of every unknown reference, found in the text."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "1-bad-" not in line:
            continue
        start = line.index("tools: [") + len("tools: [")
        column = start
        for name in line[start:].rstrip("]}").split(", "):
            found.append((number, column + 1))
            column += len(name) + 2
    return found


def test_the_cli_prints_the_bound_in_text_and_json(capsys: pytest.CaptureFixture[str], many: Path) -> None:
    code, out, err = run(capsys, "validate", str(many), "--lang", "en")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert len(lines) == 201
    assert ": too-many-problems … and 800 more problems not listed (errors: 800, warnings: 0)" in lines[-1]
    code, out, _ = run(capsys, "validate", str(many), "--format", "json")
    document = json.loads(out)
    assert code == 1 and len(document["problems"]) == 201
    assert document["problems"][-1]["code"] == "too-many-problems"
    # the counts are of every problem found, not of the 200 listed
    assert (document["errors"], document["warnings"], document["valid"]) == (1000, 0, False)


def test_a_data_file_with_many_problems_is_exit_3_with_the_bound(
    capsys: pytest.CaptureFixture[str], many: Path
) -> None:
    code, out, err = run(capsys, "--data", str(many), "recommend", "--role", "agency-staff", "--task", "documents")
    assert (code, out) == (3, "")
    lines = err.splitlines()
    assert len(lines) == 201 and "too-many-problems" in lines[-1]


def _contacts(count: int) -> str:
    """``count`` contacts no tool uses: one "unused-contact" warning each."""
    return "".join(
        f'  - id: spare-{i:03d}\n    section: "2.2.b"\n    name: Người dự phòng {i}\n    phone: "0934121298"\n'
        for i in range(count)
    )


def test_errors_are_listed_before_warnings(tmp_path: Path) -> None:
    text = MINIMAL.replace("tools:\n  - id: aic-emeeting", _contacts(250) + "tools:\n  - id: aic-emeeting", 1)
    text = text.replace("    roles: [agency-staff]\n", "    roles: [agency-staff, nobody]\n")  # one error, last
    result = validate_file(str(write(tmp_path, text)), lang="en")
    *listed, summary = result.problems
    assert [p.code for p in listed].count("unknown-reference") == 1
    assert [p.code for p in listed].count("unused-contact") == 199
    assert listed[-1].code == "unknown-reference"  # in line order, the error is the last one
    # Only warnings are left out: the summary is a warning, so it changes no verdict.
    assert (summary.code, summary.severity, result.unlisted) == ("too-many-problems", "warning", 51)
    assert "(errors: 0, warnings: 51)" in summary.message
    from gialai_remote.render.json import problems_dict

    counted = problems_dict(result.path, result.problems, result.unlisted, result.unlisted_errors)
    assert (counted["errors"], counted["warnings"], counted["valid"]) == (1, 250, False)


def test_warnings_alone_stay_valid_whatever_their_number(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = MINIMAL.replace("tools:\n  - id: aic-emeeting", _contacts(250) + "tools:\n  - id: aic-emeeting", 1)
    path = write(tmp_path, text)
    code, out, _ = run(capsys, "validate", str(path), "--format", "json")
    document = json.loads(out)
    assert (code, document["valid"], document["errors"]) == (0, True, 0)
    assert len(document["problems"]) == 201 and document["problems"][-1]["severity"] == "warning"
    assert len(load_knowledge_base(str(path)).contacts) == 251


def test_repeats_are_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    # The second rule reuses the first one's list through an alias: its two "nope" have no
    # position of their own and are reported once, at the list's.
    text = MINIMAL.replace(
        "    tools: [aic-emeeting]\n    tasks: [meeting]",
        "    tools: &bad [aic-emeeting, nope, nope]\n    tasks: [meeting]",
    ).replace("    tools: [aic-emeeting]\n    roles: [agency-staff]", "    tools: *bad\n    roles: [agency-staff]")
    assert len(validate_bytes(text.encode(), "alias.yaml").problems) == 3
    monkeypatch.setattr(report, "MAX_PROBLEMS", 1)
    result = validate_bytes(text.encode(), "alias.yaml", lang="en")
    assert [p.code for p in result.problems] == ["unknown-reference", "too-many-problems"]
    assert result.unlisted == 2
    assert "… and 2 more problems" in result.problems[-1].message


def test_one_more_problem_is_singular_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    text = MINIMAL.replace("    roles: [agency-staff]\n", "    roles: [agency-staff, nobody, noone]\n")
    monkeypatch.setattr(report, "MAX_PROBLEMS", 1)
    result = validate_bytes(text.encode(), "two.yaml", lang="en")
    assert result.problems[-1].message.startswith("… and 1 more problem not listed (errors: 1, warnings: 0)")
    vi = validate_bytes(text.encode(), "two.yaml", lang="vi")
    assert vi.problems[-1].message.startswith("… và 1 vấn đề nữa không được liệt kê (lỗi: 1, cảnh báo: 0)")


def test_a_small_file_lists_every_problem_and_no_summary() -> None:
    text = MINIMAL.replace("    roles: [agency-staff]\n", "    roles: [agency-staff, nobody]\n")
    result = validate_bytes(text.encode(), "one.yaml", lang="en")
    assert [p.code for p in result.problems] == ["unknown-reference"]
    assert result.unlisted == 0
    assert result.problems[0].message == 'no role "nobody" in the knowledge base; there are: agency-staff'


# ---- bounded messages and suggestions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "tail"), [("en", "tool-00039, and 10 more"), ("vi", "tool-00039, và 10 mã khác")]
)  # fmt: skip
def test_a_message_lists_a_bounded_number_of_ids(lang: str, tail: str) -> None:
    assert MAX_LISTED == 40
    result = validate_bytes(many_problems.generate(tools=50, references=1).encode(), "fifty.yaml", lang=lang)
    [problem] = result.problems
    assert problem.message.endswith(tail)
    assert problem.message.count("tool-000") == 1 + 40 + 1  # the value, the ids listed, the suggestion


def test_all_ids_are_listed_up_to_the_bound() -> None:
    result = validate_bytes(many_problems.generate(tools=40, references=1).encode(), "forty.yaml", lang="en")
    assert result.problems[0].message.endswith(", ".join(f"tool-{i:05d}" for i in range(40)))


@pytest.fixture(scope="module")
def thousands() -> list[str]:
    return [many_problems.tool_id(i) for i in range(3000)]


@pytest.mark.parametrize(
    "typo",
    ["tool-0123a", "tool-01234x", "tool-1234", "xool-01234", "tol-02999", "tool-0000", "too-00017", "tool_00042"],
)
def test_a_suggestion_among_thousands_is_the_closest(thousands: list[str], typo: str) -> None:
    known = meaning._Known("kind.tool", set(thousands), (), "en")
    [best] = difflib.get_close_matches(typo, thousands, n=1)  # what comparing with every id gives
    hint = known.hint(typo)
    assert hint.startswith(' (did you mean "') and hint.endswith('"?)')
    suggested = hint.split('"')[1]
    # As close as the best of all (several ids often tie: then any of them is as good).
    assert _ratio(typo, suggested) == _ratio(typo, best) >= 0.8


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, b, a).ratio()  # as get_close_matches computes it


def test_a_suggestion_among_a_few_compares_with_every_id() -> None:
    ids = [f"tool-{i}" for i in range(meaning.SUGGEST_ALL)]
    known = meaning._Known("kind.tool", set(ids), (), "en")
    assert known._candidates("zzz") == sorted(ids)


# ---- reading: regular files only, and never past the bound ----------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize(
    "args",
    [["validate", "{path}"], ["--data", "{path}", "recommend", "--role", "agency-staff", "--task", "meeting"]],
    ids=["validate", "data"],
)
def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "kb.yaml"
    os.mkfifo(fifo)
    script = Path(sys.executable).with_name("gialai-remote")
    done = subprocess.run(
        [str(script), *(a.format(path=fifo) for a in args), "--lang", "en"],
        capture_output=True,
        timeout=60,  # blocking forever was the bug
        stdin=subprocess.DEVNULL,
    )
    assert (done.returncode, done.stdout) == (3, b"")
    assert done.stderr.decode() == (
        f"{fifo}:0:0: unreadable cannot read the file: not a regular file (a device, FIFO or socket);"
        " to read standard input, use -\n"
    )
    assert fifo.is_fifo()


@pytest.mark.skipif(not Path(os.devnull).exists() or os.name == "nt", reason="no /dev/null")
def test_a_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", os.devnull)
    assert (code, out) == (3, "")
    assert err.startswith(f"{os.devnull}:0:0: unreadable không đọc được tệp: không phải tệp thường")


def test_a_folder_is_still_named_as_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path), "--lang", "en")
    assert code == 3
    expected = "Is a directory" if os.name != "nt" else "Permission denied"
    assert err == f"{tmp_path}:0:0: unreadable cannot read the file: {expected}\n"


def test_a_file_larger_than_its_stat_says_is_read_only_to_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that grows between fstat and read: the system says 100 bytes, it holds 5 MB.
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"schema_version: 1\n" + b"#" * (5 * 1024 * 1024))
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 100, 0, 0, 0))

    monkeypatch.setattr(os, "fstat", small)
    got = read.read_file(str(path), "en")
    assert got.problem is None and got.size == 100
    assert got.data is not None and len(got.data) == read.MAX_BYTES + 1
    [problem] = validate_file(str(path), lang="en").problems
    assert problem.code == "too-large"
    assert f"({read.MAX_BYTES + 1} bytes; at most {read.MAX_BYTES})" in problem.message


def test_a_small_file_is_read_whole(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    got = read.read_file(str(path), "en")
    assert got.data == path.read_bytes() and got.size == len(got.data)


# ---- the garbage collector ---------------------------------------------------------------------


def test_validation_pauses_the_garbage_collector(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = meaning.check_meaning

    def spy(*args: Any) -> None:
        seen.append(gc.isenabled())
        real(*args)

    monkeypatch.setattr(meaning, "check_meaning", spy)
    assert gc.isenabled()
    # --no-cache: the second run would find the same bytes validated in the cache.
    assert run(capsys, "validate", str(ROOT / "data" / "guidance.yaml"), "--no-cache") == (0, "", "")
    assert run(capsys, "validate", "--no-cache") == (0, "", "")
    assert seen == [False, False]
    assert gc.isenabled()


# ---- the package's shape -------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The knowledge/ modules ``path`` imports, at the top or inside functions (not for typing only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name.startswith("gialai_remote.knowledge."):
                module = name.split(".")[2]
                if (PACKAGE / f"{module}.py").exists():
                    found.add(module)
    found.discard(path.stem)
    return found


def test_no_import_circle_in_the_package() -> None:
    graph = {path.stem: _imports(path) for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert set(graph) == {
        "read",
        "parse",
        "report",
        "structure",
        "meaning",
        "build",
        "cache",
        "load",
        "upgrade",
        "layers",
        "merge",
    }
    assert "layers" not in graph["merge"] and graph["layers"] >= {"merge", "build", "cache"}
    assert graph["report"] == set()
    assert graph["upgrade"] == set()  # a version-1 view to version 2's: a leaf the builder calls
    assert graph["build"] <= {"upgrade"}
    assert graph["cache"] == set()
    assert not any("load" in deps for deps in graph.values())
    done: set[str] = set()

    def visit(module: str, stack: tuple[str, ...]) -> None:
        assert module not in stack, f"import circle: {' -> '.join((*stack, module))}"
        if module not in done:
            for dep in graph[module]:
                visit(dep, (*stack, module))
            done.add(module)

    for module in graph:
        visit(module, ())


def test_the_old_modules_are_gone() -> None:
    assert not (ROOT / "src" / "gialai_remote" / "load.py").exists()
    assert not (ROOT / "src" / "gialai_remote" / "validate.py").exists()


def test_the_fast_path_imports_no_checking_module() -> None:
    probe = (
        "import sys, json\n"
        "from gialai_remote.knowledge import load_knowledge_base\n"
        "kb = load_knowledge_base()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('gialai_remote.knowledge', 'jsonschema',"
        " 'phonenumbers', 'difflib')))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == [
        "gialai_remote.knowledge",
        "gialai_remote.knowledge.build",
        "gialai_remote.knowledge.load",
    ]


def test_every_public_name_is_importable_from_the_package() -> None:
    import gialai_remote.knowledge as package

    for name in package.__all__:
        assert getattr(package, name) is not None
    with pytest.raises(AttributeError):
        package.nothing_of_that_name  # noqa: B018
