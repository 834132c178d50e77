"""Property-based tests of the command line: no input crashes it, hangs it or leaves the contract.

Random sequences of real and invented commands, options and values (empty strings, huge and
negative numbers, NUL and control characters, very long strings, mixed scripts, the
environment variables of docs/contract.md) are run in-process through
:func:`gialai_remote.cli.main.main` with stdout and stderr captured, plus a few as real
subprocesses. Every run must end with an exit code of docs/contract.md (0, 1, 2, 3, 130), within a
time bound, without a traceback.

The normal run keeps the example counts small; the long run is ``-m fuzz``:

    .venv/bin/python -m pytest -q -m fuzz tests/test_fuzz_cli.py tests/test_fuzz_kb.py

``doctor`` is never fuzzed (it would reach the Internet), and a guard refuses any network
connection that is not to the loopback interface, in case an invented spelling names it.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gialai_remote.cli.main import main

CONTRACT_CODES = {0, 1, 2, 3, 130}
#: Seconds one in-process run may take before it counts as a hang.
HANG_SECONDS = 20
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "guidance.yaml"

FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LONG = settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _vocabulary() -> tuple[list[list[str]], list[str]]:
    """Every command path of the app (["tools", "show"] ...) and every option spelling."""
    import typer
    from typer.main import get_command

    from gialai_remote.cli.app import app

    root = get_command(app)
    paths: list[list[str]] = []
    options: set[str] = set()

    def walk(command: Any, path: list[str]) -> None:
        for param in command.params:
            options.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("-"))
        group = getattr(command, "list_commands", None)
        if group is None:
            return
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            if name == "doctor":
                continue
            sub = command.get_command(ctx, name)
            if sub is not None:
                paths.append([*path, name])
                walk(sub, [*path, name])

    walk(root, [])
    # Typer's completion flags would install into the user's shell files; they are tested by
    # their owners with a fake shell, not here.
    options -= {"--install-completion", "--show-completion"}
    return paths, sorted(options)


COMMAND_PATHS, OPTIONS = _vocabulary()

IDS = [
    "agency-staff",
    "ubnd-member",
    "meeting",
    "documents",
    "public-services",
    "group-exchange",
    "normal",
    "internal",
    "secret",
    "polycom",
    "aic-smart-meeting",
    "vnpt-meeting",
    "aic-emeeting",
    "zalo",
    "facebook",
    "google-drive",
    "ios",
    "android",
    "windows",
    "web",
    "text",
    "json",
    "markdown",
    "html",
    "vi",
    "en",
    "knowledge-base",
    "recommend",
    "check",
]
WEIRD = [
    "",
    " ",
    "-",
    "--",
    "---",
    "-1",
    "0",
    "00",
    "1e9",
    "9" * 40,
    "-" + "9" * 30,
    "NaN",
    "inf",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u202e",
    "\ufeff",
    "\x7f",
    "\x85",
    "\ud7ff",
    "Thành viên UBND tỉnh",
    "THÀNH VIÊN",
    "ho\u0300a",
    "Đ",
    "họp",
    "ﬁ",
    "Ⅻ",
    "١٢",
    "会议",
    "🙂",
    "x" * 5000,
    "2020-02-30",
    "2020-04-01",
    "0001-01-01",
    "9999-12-31",
    "--role=",
    "-r=",
    "/",
    ".",
    "..",
    "/nonexistent/kb.yaml",
    "~",
    "%s%n",
    "{lang}",
    "{0}",
    "[bold]x[/]",
]

text_values = st.one_of(
    st.sampled_from(IDS),
    st.sampled_from(WEIRD),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2000),
)
options = st.sampled_from(OPTIONS) if OPTIONS else st.just("--help")
invented = st.one_of(
    st.sampled_from(["recomend", "tool", "help", "show", "--", "-h", "-V", "-x"]), st.text(max_size=12)
)
tokens = st.one_of(
    options,
    text_values,
    invented,
    st.tuples(options, text_values).map(lambda pair: f"{pair[0]}={pair[1]}"),
)


@st.composite
def command_lines(draw: st.DrawFn, allow_nul: bool = True) -> list[str]:
    """A command line: maybe a real command path, then options with values and stray tokens."""
    argv: list[str] = []
    if draw(st.booleans()):
        argv += [draw(st.sampled_from(["--lang", "--data"])), draw(text_values)]
    with_command = draw(st.integers(0, 4))
    if COMMAND_PATHS and with_command:
        argv += draw(st.sampled_from(COMMAND_PATHS))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            argv += [draw(options), draw(text_values)]
        else:
            argv.append(draw(tokens))
    if not allow_nul:
        argv = [a.replace("\x00", "") for a in argv]
    if "doctor" in argv:
        argv = [a for a in argv if a != "doctor"]
    return argv


environments = st.fixed_dictionaries(
    {},
    optional={
        "GIALAI_REMOTE_LANG": st.sampled_from(["vi", "en", "EN ", "", "fr", "vi\x01"]),
        "GIALAI_REMOTE_NO_INPUT": st.sampled_from(["1", "0", "yes", "", "true"]),
        "GIALAI_REMOTE_DATA": st.sampled_from(["", "/nonexistent.yaml", str(SHIPPED), "/"]),
        "NO_COLOR": st.just("1"),
        "COLUMNS": st.sampled_from(["0", "-5", "abc", "100000", "20"]),
    },
)


class Hang(Exception):
    """A run took longer than :data:`HANG_SECONDS`."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`Hang` in this thread when the block runs longer than ``seconds``."""

    def alarm(_signum: int, _frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    if not hasattr(signal, "SIGALRM"):  # Windows: no alarm; hypothesis' own deadline still applies
        yield
        return
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _no_network(*args: Any, **kwargs: Any) -> Any:
    raise OSError("network disabled in the fuzz tests")


def _loopback_only(original: Any) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and self.family != socket.AF_UNIX:
            raise OSError("network disabled in the fuzz tests")
        return original(self, address)

    return connect


@pytest.fixture()
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with a private HOME, no shell detection and no network."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    monkeypatch.setattr(socket.socket, "connect", _loopback_only(socket.socket.connect))
    return tmp_path


def run_in_process(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run ``main(argv)`` with ``env`` added to the environment; return (code, stdout, stderr)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    with (
        mock.patch.dict(os.environ, env),
        mock.patch.object(sys, "stdin", stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        time_limit(HANG_SECONDS),
    ):
        try:
            code = main(argv)
        except SystemExit as exc:  # Typer's completion protocol may exit by itself
            code = exc.code if isinstance(exc.code, int) else 1
    return (
        code,
        out.buffer.getvalue().decode("utf-8", "replace"),
        err.buffer.getvalue().decode("utf-8", "replace"),
    )


def check_run(argv: list[str], env: dict[str, str]) -> None:
    """The property: a contract exit code, no traceback, no Python error text on stderr."""
    code, _out, err = run_in_process(argv, env)
    assert code in CONTRACT_CODES, (argv, env, code, err[-2000:])
    assert "Traceback" not in err, (argv, env, err[-2000:])


@pytest.mark.usefixtures("sandbox")
@FAST
@given(argv=command_lines(), env=environments)
@example(argv=[], env={})
@example(argv=["recommend", "--participants", "9" * 40, "--no-input"], env={})
@example(argv=["recommend", "--role", "\x00", "--task", "meeting", "--no-input"], env={})
@example(argv=["check", "--tool", "", "--no-input"], env={})
@example(argv=["tools", "show", "x" * 5000], env={})
@example(argv=["setup", "zalo", "--output", "/", "--force"], env={})
@example(argv=["validate", "/"], env={})
@example(argv=["recommend", "--date", "0000-00-00"], env={"GIALAI_REMOTE_LANG": "fr"})
def test_command_line_never_crashes(argv: list[str], env: dict[str, str]) -> None:
    """Any command line ends with a contract exit code and no traceback."""
    check_run(argv, env)


@pytest.mark.usefixtures("sandbox")
@FAST
@given(
    path=st.sampled_from(COMMAND_PATHS or [["recommend"]]),
    flags=st.lists(st.tuples(options, text_values), max_size=5),
)
def test_real_commands_with_random_values(path: list[str], flags: list[tuple[str, str]]) -> None:
    """A real command with real options given random values: still within the contract."""
    argv = [*path, "--no-input"]
    for option, value in flags:
        argv += [option, value]
    check_run(argv, {})


@pytest.mark.fuzz
@pytest.mark.usefixtures("sandbox")
@LONG
@given(argv=command_lines(), env=environments)
def test_command_line_never_crashes_long(argv: list[str], env: dict[str, str]) -> None:
    """The long run of :func:`test_command_line_never_crashes` (``-m fuzz``)."""
    check_run(argv, env)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=command_lines(allow_nul=False))
def test_subprocess_never_crashes(argv: list[str], tmp_path: Path) -> None:
    """The installed entry point as a real process: contract exit code, nothing like a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    env.update(HOME=str(tmp_path), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1", PYTHONIOENCODING="utf-8")
    argv = [a.replace("\x00", "") for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "gialai_remote", *argv],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in CONTRACT_CODES, (argv, done.returncode, err[-2000:])
    assert "Traceback" not in err, (argv, err[-2000:])


# ---- crashes the fuzz runs found, kept as regular tests with Hypothesis's minimal input -------


@pytest.mark.usefixtures("sandbox")
@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--data", "\x00", "validate"], id="nul-in-data-path-validate"),
        pytest.param(["recommend", "--data", "\x00", "--role", "agency-staff", "--task", "meeting"], id="nul-rec"),
        pytest.param(["validate", "a\x00b"], id="nul-in-validate-argument"),
    ],
)
def test_nul_in_a_path_is_an_unreadable_knowledge_base(argv: list[str]) -> None:
    """Found by the long fuzz run: a NUL byte in a knowledge-base path raised ValueError
    ("embedded null byte") out of open(); it is now reported as unreadable (exit 3)."""
    code, _out, err = run_in_process(argv, {"GIALAI_REMOTE_LANG": "en"})
    assert code == 3, err
    assert "unreadable" in err
    assert "Traceback" not in err
