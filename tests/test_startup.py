"""Start-up (issue 16 item 3): what a command imports, and the exit after the answer.

- ``recommend --format json``, ``recommend`` (text, in a pipe or a file: rich is only
  imported for a terminal or colour), ``check --quiet`` and ``validate`` on a knowledge base seen before
  import nothing beyond what a minimal Typer app imports, the package's own modules and the few
  standard modules listed here: a new module on that path fails with its name (import it where
  it is used, or add it here with a measurement, benchmarks/startup.py).
- ``recommend --data builtin --data LAYER`` (the example layer, docs/layers.md) on a stack seen
  before comes from the cache: no merge, no parser, no check, and nothing heavy.
- Never on that path: pydantic (typer 0.29's per-option adapters), PyYAML, jsonschema,
  phonenumbers, rapidfuzz, rich, importlib.resources / importlib.metadata, hashlib (OpenSSL).
- The console script ends at once after the final flush only when nothing is pending at exit:
  the whole answer is written, the exit code is the contract's, and an exit handler or a
  running thread still gets its turn.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOOR = ROOT / "benchmarks" / "floor_app.py"
EXAMPLE_LAYER = ROOT / "docs" / "examples" / "so-khcn-gia-lai.yaml"
QUERY = ["--role", "agency-staff", "--task", "meeting", "--no-input", "--date", "2020-04-15"]

#: Run ``argv`` (after the program name) like the console script and print the modules loaded.
_PROBE = """
import json, os, sys
sys.argv = sys.argv[1:]
stdout = sys.stdout
sys.stdout = open(os.devnull, "w")
try:
    if sys.argv[0].endswith(".py"):
        import runpy
        runpy.run_path(sys.argv[0], run_name="__main__")
    else:
        from gialai_remote.cli.main import main
        main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout = stdout
print(json.dumps(sorted(sys.modules)))
"""

#: Standard modules ours may add to a minimal Typer app's (each measured: under 0.5 ms).
ALLOWED_STDLIB = {
    "__future__",  # every module of ours: `from __future__ import annotations`
    "_blake2",  # the cache's digest and MAC (hashlib would load OpenSSL)
    "_json",
    "dataclasses",  # the model and the answers
    "gc",  # the collector paused while a knowledge base is built
    "json",
    "json.decoder",
    "json.encoder",
    "json.scanner",
    "unicodedata",  # streams: folding for terminals that cannot show Vietnamese
}

#: Never on the start-up path of a knowledge base seen before.
HEAVY = (
    "pydantic",
    "pydantic_core",
    "yaml",
    "jsonschema",
    "phonenumbers",
    "rapidfuzz",
    "rich",
    "markupsafe",
    "segno",
    "certifi",
    "idna",
    "ssl",
    "socket",
    "hashlib",
    "importlib.resources",
    "importlib.metadata",
    "email",
    "zipfile",
)


def _modules(argv: list[str], env: dict[str, str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of the probes: a cache folder that has seen the built-in file."""
    cache = tmp_path_factory.mktemp("startup-cache")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    environ["GIALAI_REMOTE_CACHE"] = str(cache)
    for warm in (["recommend", *QUERY, "--format", "json"], ["validate"]):
        _modules(["gialai-remote", *warm], environ)
    return environ


@pytest.fixture(scope="module")
def floor(env: dict[str, str]) -> set[str]:
    """What a minimal Typer app with the same options imports (benchmarks/floor_app.py)."""
    return _modules([str(FLOOR), "recommend", *QUERY, "--format", "json"], env)


@pytest.mark.parametrize(
    "argv",
    [
        ["recommend", *QUERY, "--format", "json"],
        ["recommend", *QUERY],
        ["check", "--tool", "aic-emeeting", *QUERY, "--quiet"],
        ["validate"],
    ],
    ids=["recommend --format json", "recommend (text, in a pipe)", "check --quiet", "validate"],
)
def test_a_command_imports_only_what_it_uses(argv: list[str], env: dict[str, str], floor: set[str]) -> None:
    loaded = _modules(["gialai-remote", *argv], env)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY or m.startswith(HEAVY))
    assert heavy == [], f"heavy modules on the start-up path: {heavy}"
    extra = sorted(m for m in loaded - floor if m.split(".")[0] != "gialai_remote" and m not in ALLOWED_STDLIB)
    assert extra == [], f"new modules on the start-up path (import them where they are used): {extra}"


def test_the_ours_on_the_path_are_the_pipeline_of_the_answer(env: dict[str, str]) -> None:
    """recommend --format json: no checking module, no text renderer, no other command's module."""
    ours = {m for m in _modules(["gialai-remote", "recommend", *QUERY, "--format", "json"], env) if "gialai" in m}
    for absent in (
        "gialai_remote.knowledge.parse",
        "gialai_remote.knowledge.structure",
        "gialai_remote.knowledge.meaning",
        "gialai_remote.knowledge.read",
        "gialai_remote.render.text",
        "gialai_remote.cli.browse",
        "gialai_remote.cli.handout",
        "gialai_remote.cli.doctor",
        "gialai_remote.cli.prompt",
        "gialai_remote.doctor",
        "gialai_remote.describe",
        "gialai_remote.handout",
    ):
        assert absent not in ours, absent


def test_a_layer_stack_seen_before_is_not_read_the_long_way(
    env: dict[str, str], floor: set[str], tmp_path: Path
) -> None:
    layer = tmp_path / EXAMPLE_LAYER.name
    layer.write_bytes(EXAMPLE_LAYER.read_bytes())
    argv = ["gialai-remote", "--data", "builtin", "--data", str(layer), "recommend", *QUERY, "--format", "json"]
    first = _modules(argv, env)  # checks the stack in full and keeps it
    assert "gialai_remote.knowledge.merge" in first and "jsonschema" in first
    loaded = _modules(argv, env)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY or m.startswith(HEAVY))
    assert heavy == [], f"heavy modules on the path of a stack seen before: {heavy}"
    extra = sorted(m for m in loaded - floor if m.split(".")[0] != "gialai_remote" and m not in ALLOWED_STDLIB)
    assert extra == [], f"new modules on the path of a stack seen before: {extra}"
    for absent in (
        "gialai_remote.knowledge.merge",
        "gialai_remote.knowledge.parse",
        "gialai_remote.knowledge.structure",
        "gialai_remote.knowledge.meaning",
        "gialai_remote.phones",
        "gialai_remote.schema",
    ):
        assert absent not in loaded, absent


# ---- the exit -------------------------------------------------------------------------------------


def _script(*args: str, env: dict[str, str], code: str | None = None) -> subprocess.CompletedProcess[bytes]:
    program = code or "from gialai_remote.cli.main import cli; cli()"
    return subprocess.run([sys.executable, "-c", program, *args], capture_output=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize(
    "args, code",
    [
        (["recommend", *QUERY, "--format", "json"], 0),
        (["tools", "--format", "json"], 0),
        (["recommend", *QUERY, "--sensitivity", "secret", "--no-internet"], 1),
        (["recommend", "--role", "nobody", "--task", "meeting", "--no-input"], 2),
        (["--data", "/nonexistent/kb.yaml", "recommend", *QUERY], 3),
    ],
)
def test_the_console_script_writes_the_whole_answer_and_the_contracts_code(
    args: list[str], code: int, env: dict[str, str]
) -> None:
    import contextlib
    import io

    from gialai_remote.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(args) == code
    done = _script(*args, env=env)
    assert done.returncode == code
    assert done.stdout.decode("utf-8") == out.getvalue()
    assert done.stderr.decode("utf-8") == err.getvalue()


def test_a_large_answer_through_a_pipe_is_whole(env: dict[str, str], tmp_path: Path) -> None:
    """Far more than a pipe holds (64 KiB), read slowly by another process: every byte arrives."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic_kb

    kb = tmp_path / "kb-1000.yaml"
    kb.write_text(synthetic_kb.generate(1000), encoding="utf-8")
    args = ["--data", str(kb), "tools", "--format", "json"]
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; time.sleep(0.2); print(len(sys.stdin.buffer.read()))"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert reader.stdin is not None
    writer = subprocess.run(
        [sys.executable, "-c", "from gialai_remote.cli.main import cli; cli()", *args],
        stdout=reader.stdin,
        env=env,
        timeout=60,
        check=False,
    )
    reader.stdin.close()
    assert reader.stdout is not None
    counted = int(reader.stdout.read())
    assert reader.wait(timeout=60) == 0
    expected = _script(*args, env=env).stdout
    assert writer.returncode == 0 and counted == len(expected) > 200_000


@pytest.mark.parametrize(
    "setup",
    [
        "import atexit; atexit.register(lambda: print('handler ran', flush=True))",
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread ran', flush=True))).start()",
    ],
    ids=["an exit handler", "a running thread"],
)
def test_pending_work_at_exit_still_runs(setup: str, env: dict[str, str]) -> None:
    program = f"{setup}\nfrom gialai_remote.cli.main import cli; cli()"
    done = _script("recommend", *QUERY, "--format", "json", env=env, code=program)
    assert done.returncode == 0
    assert done.stdout.decode("utf-8").rstrip().endswith(("handler ran", "thread ran"))


def test_nothing_pending_is_read_from_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    import atexit

    from gialai_remote.cli.main import _nothing_pending

    monkeypatch.delenv("GIALAI_REMOTE_DEBUG", raising=False)
    tracer = sys.gettrace()  # a coverage tool or debugger running these tests
    if tracer is None and atexit._ncallbacks() == 0:
        assert _nothing_pending()
    monkeypatch.setenv("GIALAI_REMOTE_DEBUG", "1")
    assert not _nothing_pending()
    monkeypatch.delenv("GIALAI_REMOTE_DEBUG")
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 1)
    assert not _nothing_pending()
    monkeypatch.delattr(atexit, "_ncallbacks")
    assert not _nothing_pending()


# ---- the garbage collector ------------------------------------------------------------------------

#: Prints whether the collector is on while a one-shot command answers and while each line of
#: a batch is answered, then runs the console script.
_GC_PROBE = """
import gc, importlib, sys
from gialai_remote.cli import batch, main
decide = importlib.import_module("gialai_remote.decide")
seen = []
answer, decide_ = batch.answer, decide.decide
def spy_answer(*args, **kwargs):
    seen.append(("line", gc.isenabled()))
    return answer(*args, **kwargs)
def spy_decide(*args, **kwargs):
    seen.append(("answer", gc.isenabled()))
    return decide_(*args, **kwargs)
batch.answer, decide.decide = spy_answer, spy_decide
import atexit
atexit.register(lambda: sys.stderr.write(repr(seen)))
main.cli()
"""


def test_the_console_script_runs_without_the_collector_but_a_batch_with_it(env: dict[str, str], tmp_path: Path) -> None:
    """Start-up's objects live until the end: collecting them is 5 % of a command's time, and a
    short process drops its garbage by exiting; a batch of any length collects again."""
    one = _script("recommend", *QUERY, env=env, code=_GC_PROBE)
    assert one.returncode == 0, one.stderr
    assert one.stderr.decode().strip().endswith("[('answer', False)]")
    plans = tmp_path / "plans.jsonl"
    plans.write_text('{"role": "ubnd-member", "task": "meeting", "tool": "polycom"}\n' * 3, encoding="utf-8")
    many = _script("check", "--batch", str(plans), env=env, code=_GC_PROBE)
    assert many.returncode in (0, 1), many.stderr
    assert many.stderr.decode().strip().endswith("[('line', True), ('line', True), ('line', True)]")


def test_main_leaves_the_collector_as_it_is() -> None:
    """The Python entry point (tests, scripts that call main) never changes the process's collector."""
    import contextlib
    import gc
    import io

    from gialai_remote.cli.main import main

    assert gc.isenabled()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["recommend", *QUERY, "--format", "json"]) == 0
    assert gc.isenabled()


# ---- Ctrl-C while starting ------------------------------------------------------------------------

#: Raises KeyboardInterrupt (what Ctrl-C raises) the first time the module in argv[1] is imported,
#: then runs the console script on the rest of argv.
_CTRL_C_PROBE = """
import sys
target = sys.argv.pop(1)
class CtrlC:
    fired = False
    def find_spec(self, name, path=None, target_=None):
        if name == target and not CtrlC.fired:
            CtrlC.fired = True
            raise KeyboardInterrupt
        return None
sys.meta_path.insert(0, CtrlC())
from gialai_remote.cli.entry import cli
cli()
"""


@pytest.mark.parametrize(
    "module",
    ["gialai_remote.cli.helptext", "gialai_remote.catalogue", "typer", "gialai_remote.cli.recommend"],
    ids=["our-cli", "the-catalogue", "typer", "the-command"],
)
@pytest.mark.parametrize(("lang", "said"), [("vi", "Đã dừng."), ("en", "Interrupted.")])
def test_ctrl_c_while_starting_is_one_line_and_exit_130(module: str, lang: str, said: str, env: dict[str, str]) -> None:
    """Ctrl-C while the tool is still importing (its first 70 ms or so) ends as it does later:
    one line, exit 130, never a traceback (it printed one before cli/entry.py)."""
    args = ["--lang", lang, "recommend", *QUERY]
    done = _script(module, *args, env=env, code=_CTRL_C_PROBE)
    assert done.returncode == 130
    assert done.stderr.decode("utf-8") == said + "\n"
    assert done.stdout == b""
