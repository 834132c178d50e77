"""Start-up benchmark: how long whole ``gialai-remote`` processes take, next to the framework floor.

    python benchmarks/startup.py                # 21 rounds after 3 warm-up rounds
    python benchmarks/startup.py --runs 41      # more rounds, steadier medians
    python benchmarks/startup.py --python /tmp/venv028/bin/python   # another environment
    python benchmarks/startup.py --compare /tmp/venv028/bin/python  # both, side by side
    python benchmarks/startup.py --single-file dist/gialai-remote-0.1.0-linux.pyz   # and the single file

Every round runs every command once, in a rotating order, so the commands are measured side by
side under the same machine load. A fresh child process is spawned per measurement (by a small
helper process, see :data:`HELPER`) and reaped with ``os.wait4``, which returns that one
child's resource usage: the peak resident memory column is its ``ru_maxrss`` (the per-process
form of ``resource.getrusage(RUSAGE_CHILDREN)``).

The floor is ``benchmarks/floor_app.py``: a minimal Typer app with the options of ``recommend``
that prints one constant line, run by the same interpreter with the same installed typer
(``--rich``: printed through a rich Console, the floor of our text output). Targets (issue 7):

- ``recommend --format json`` / floor            <= 1.25
- ``recommend`` (text) / rich floor              <= 1.25
- peak resident memory of every command          <= 60 MB

``--help``, ``validate``, ``tools`` and ``check`` are reported with their ratios too; a
command this version of the tool does not have is skipped with a note. When a single file
built by ``scripts/build_single_file.py`` exists (``--single-file``, by default the newest
``dist/gialai-remote-*.pyz`` for this system), it is timed too, run by the same interpreter
and unpacked beforehand into a temporary ``SHIV_ROOT``, and divided by the venv install's
row (the ratio the single file costs); its first run, which unpacks it, is reported apart. The script exits 1 when
a target is missed or a command fails, else 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIST = HERE.parent / "dist"
FLOOR_APP = HERE / "floor_app.py"
RATIO_TARGET = 1.25
RSS_TARGET_MB = 60.0

QUERY = ["--role", "agency-staff", "--task", "meeting", "--no-input"]


@dataclass
class Case:
    """One command line to time.

    Attributes:
        name: the row's label.
        argv: the full command line (absolute executable first).
        floor: the label of the row it is divided by, or None.
        target: the ratio it must stay under, or None when it is only reported.
        ok_codes: the exit codes that count as a successful run.
        needs_output: a run that prints nothing on stdout counts as failed.
        times: wall-clock seconds per run; cpu: CPU seconds (user + system) per run;
        rss: peak resident memory per run, in KiB.
    """

    name: str
    argv: list[str]
    floor: str | None = None
    target: float | None = None
    ok_codes: tuple[int, ...] = (0,)
    needs_output: bool = True
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)


def child_env(pycache: str) -> dict[str, str]:
    """The environment of every child: ours minus the tool's variables and terminal hints.

    Bytecode is cached in ``pycache`` (``PYTHONPYCACHEPREFIX``) even when the caller's
    environment sets ``PYTHONDONTWRITEBYTECODE``: an installed tool has its bytecode compiled,
    so the warm-up rounds fill the cache and the measured rounds compile nothing, for the
    floor app and for ours alike. The source tree is left untouched.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    for name in (
        "COLUMNS",
        "LINES",
        "FORCE_COLOR",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDEVMODE",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    env.setdefault("LANG", "C.UTF-8")
    return env


# The measuring process. A child's ``ru_maxrss`` is never below the resident size of the
# process that spawned it (Linux records the old address space's peak at ``exec``, and with
# fork or vfork that is the parent's), so the children are spawned by this small helper
# (``python -S``: only os, sys and time, about 8 MB, less than any Python child) rather than
# by this script. It reads NUL-separated command lines, one per line, runs each with stdin,
# stdout and stderr on /dev/null, reaps it with os.wait4 and answers
# "seconds cpu_seconds maxrss_kib exit_code".
HELPER = r"""
import os, sys, time
acts = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
for line in sys.stdin:
    argv = line.rstrip("\n").split("\0")
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=acts)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    sys.stdout.write(f"{elapsed!r} {cpu!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")
    sys.stdout.flush()
"""


class Runner:
    """Runs command lines through the helper process; use as a context manager."""

    def __init__(self, python: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [python, "-S", "-c", HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
        )

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)

    def measure(self, argv: list[str]) -> tuple[float, float, int, int]:
        """Run ``argv`` once.

        Returns:
            (wall-clock seconds, CPU seconds (user + system), peak resident memory in KiB, exit code).
        """
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\0".join(argv) + "\n")
        self.proc.stdin.flush()
        elapsed, cpu, rss, code = self.proc.stdout.readline().split()
        return float(elapsed), float(cpu), int(rss), int(code)


def ours_command(python: str) -> list[str]:
    """The ``gialai-remote`` console script next to ``python``, else ``python -m gialai_remote``."""
    script = Path(python).parent / "gialai-remote"
    if script.exists():
        return [str(script)]
    return [python, "-m", "gialai_remote"]


def has_command(ours: list[str], name: str, env: dict[str, str]) -> bool:
    """True when ``gialai-remote NAME --help`` succeeds (the command exists in this version)."""
    done = subprocess.run([*ours, name, "--help"], env=env, capture_output=True, timeout=60, check=False)
    return done.returncode == 0


def default_single_file() -> str | None:
    """The newest single file for this system in dist/, or None."""
    system = "windows" if sys.platform == "win32" else "linux"
    found = sorted(DIST.glob(f"gialai-remote-*-{system}.pyz"), key=lambda p: p.stat().st_mtime)
    return str(found[-1]) if found else None


def single_file_cases(python: str, pyz: str) -> list[Case]:
    """Rows for the single file: the same commands as the venv rows, divided by them."""
    return [
        Case(
            "single: recommend json",
            [python, pyz, "recommend", *QUERY, "--format", "json"],
            "recommend --format json",
        ),
        Case(
            "single: check json",
            [python, pyz, "check", "--tool", "aic-emeeting", *QUERY, "--format", "json"],
            "check --format json",
        ),
    ]


def first_run_ms(python: str, pyz: str, env: dict[str, str]) -> float:
    """Wall-clock milliseconds of the single file's first run (it unpacks and compiles itself)."""
    start = time.perf_counter()
    subprocess.run([python, pyz, "--version"], env=env, capture_output=True, timeout=300, check=True)
    return (time.perf_counter() - start) * 1000


def build_cases(python: str, env: dict[str, str]) -> tuple[list[Case], list[str]]:
    """The rows of the table, and notes about the commands that were skipped."""
    floor = [python, str(FLOOR_APP)]
    ours = ours_command(python)
    cases = [
        Case("python -c pass", [python, "-c", "pass"], needs_output=False),
        Case("floor (print)", [*floor, "recommend", *QUERY, "--format", "json"]),
        Case("floor (rich)", [*floor, "--rich", "recommend", *QUERY]),
        Case("floor --help", [*floor, "--help"]),
        Case(
            "recommend --format json",
            [*ours, "recommend", *QUERY, "--format", "json"],
            "floor (print)",
            RATIO_TARGET,
        ),
        Case("recommend (text)", [*ours, "recommend", *QUERY], "floor (rich)", RATIO_TARGET),
        Case("--help", [*ours, "--help"], "floor --help"),
    ]
    notes = []
    optional = [
        ("validate", Case("validate", [*ours, "validate"], "floor (rich)", needs_output=False)),
        ("tools", Case("tools", [*ours, "tools"], "floor (rich)")),
        (
            "check",
            Case(
                "check --format json",
                [*ours, "check", "--tool", "aic-emeeting", *QUERY, "--format", "json"],
                "floor (print)",
            ),
        ),
        (
            "check",
            Case("check (text)", [*ours, "check", "--tool", "aic-emeeting", *QUERY], "floor (rich)"),
        ),
    ]
    for command, case in optional:
        if has_command(ours, command, env):
            cases.append(case)
        elif f"`{command}`" not in " ".join(notes):
            notes.append(f"skipped `{command}`: this version of gialai-remote has no such command")
    return cases, notes


def check_cases(cases: list[Case], env: dict[str, str]) -> list[str]:
    """Run every case once with its output captured; return a line per case that fails."""
    failures = []
    for case in cases:
        done = subprocess.run(case.argv, env=env, capture_output=True, timeout=60, check=False)
        if done.returncode not in case.ok_codes or (not done.stdout and case.needs_output):
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            failures.append(f"{case.name}: exit {done.returncode}, {len(done.stdout)} bytes out; {tail[0]}")
    return failures


def run_rounds(cases: list[Case], runner: Runner, runs: int, warmup: int) -> list[str]:
    """Time ``warmup`` + ``runs`` rounds of every case, rotating the order each round."""
    bad_exits = []
    for rnd in range(warmup + runs):
        shift = rnd % len(cases)
        for case in cases[shift:] + cases[:shift]:
            elapsed, cpu, rss, code = runner.measure(case.argv)
            if code not in case.ok_codes:
                bad_exits.append(f"{case.name}: exit {code} in round {rnd}")
            if rnd >= warmup:
                case.times.append(elapsed)
                case.cpu.append(cpu)
                case.rss.append(rss)
    return bad_exits


def versions(python: str) -> str:
    """Python, typer, click-as-used and rich versions of the measured environment."""
    code = (
        "import sys, importlib.metadata as m\n"
        "v = lambda n: m.version(n) if n else ''\n"
        "out = ['python ' + sys.version.split()[0]]\n"
        "for n in ('typer', 'rich', 'pydantic', 'PyYAML'):\n"
        "    try: out.append(n + ' ' + m.version(n))\n"
        "    except m.PackageNotFoundError: out.append(n + ' -')\n"
        "print(', '.join(out))\n"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    return done.stdout.strip()


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (Linux), else platform.processor()."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(cases: list[Case], runs: int, warmup: int, python: str) -> list[str]:
    """Print the table; return the targets that were missed."""
    by_name = {c.name: c for c in cases}
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}")
    print(f"environment: {versions(python)}")
    print(f"interpreter: {python}; bytecode cached (PYTHONPYCACHEPREFIX, filled by the warm-up)")
    print(f"load average at the end (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{runs} alternating rounds after {warmup} warm-up rounds; medians of whole processes; RSS: peak resident")
    print("ratio: median wall-clock time / the floor's (the target); CPU: the same for CPU time (user + system)\n")
    header = f"{'command':<24} {'median ms':>9} {'min ms':>7} {'CPU ms':>7} {'RSS MB':>7} {'ratio':>6} {'CPU':>5}  vs"
    print(header)
    print("-" * len(header))
    missed = []
    for case in cases:
        med = statistics.median(case.times) * 1000
        low = min(case.times) * 1000
        cpu = statistics.median(case.cpu) * 1000
        rss_mb = max(case.rss) / 1024
        ratio_text, cpu_text, vs = "", "", ""
        if case.floor is not None:
            floor = by_name[case.floor]
            ratio = statistics.median(case.times) / statistics.median(floor.times)
            ratio_text = f"{ratio:.2f}"
            cpu_text = f"{statistics.median(case.cpu) / statistics.median(floor.cpu):.2f}"
            vs = case.floor
            if case.target is not None:
                ok = ratio <= case.target
                vs += f" (target <= {case.target:.2f}: {'ok' if ok else 'MISSED'})"
                if not ok:
                    cpu_ratio = statistics.median(case.cpu) / statistics.median(floor.cpu)
                    busy = ""
                    if cpu_ratio <= case.target:
                        busy = f" (CPU-time ratio {cpu_ratio:.2f}: the machine was busy)"
                    missed.append(f"{case.name}: ratio {ratio:.2f} > {case.target:.2f}{busy}")
        if rss_mb > RSS_TARGET_MB:
            missed.append(f"{case.name}: peak RSS {rss_mb:.1f} MB > {RSS_TARGET_MB:.0f} MB")
        row = f"{case.name:<24} {med:>9.1f} {low:>7.1f} {cpu:>7.1f} {rss_mb:>7.1f} {ratio_text:>6} {cpu_text:>5}  {vs}"
        print(row.rstrip())
    pass_ms = statistics.median(by_name["python -c pass"].times) * 1000
    floor_ms = statistics.median(by_name["floor (print)"].times) * 1000
    ours_ms = statistics.median(by_name["recommend --format json"].times) * 1000
    print(
        f"\nof `recommend --format json`'s {ours_ms:.0f} ms: the interpreter {pass_ms:.0f} ms, "
        f"Typer and its imports {floor_ms - pass_ms:.0f} ms, our own work {ours_ms - floor_ms:.0f} ms"
    )
    return missed


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the rounds, print the table. Returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="measured rounds (at least 15; default 21)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up rounds, not counted (default 3)")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the environment to measure")
    parser.add_argument(
        "--compare", metavar="PYTHON", help="also time recommend in another environment (e.g. another typer)"
    )
    parser.add_argument(
        "--single-file",
        metavar="PYZ",
        default=default_single_file(),
        help="also time this single file (default: the newest dist/gialai-remote-*.pyz for this system)",
    )
    args = parser.parse_args(argv)
    if args.runs < 15:
        parser.error("--runs must be at least 15")
    # Not resolved: a virtual environment's python is a symlink, and resolving it would leave the venv.
    python = os.path.abspath(args.python)
    with tempfile.TemporaryDirectory(prefix="gialai-bench-pycache-") as pycache:
        other = os.path.abspath(args.compare) if args.compare else None
        env = child_env(pycache)
        env["SHIV_ROOT"] = os.path.join(pycache, "shiv")
        pyz = os.path.abspath(args.single_file) if args.single_file else None
        return run_benchmark(python, env, args.runs, args.warmup, other, pyz)


def compare_cases(other: str) -> list[Case]:
    """Rows for another environment (``--compare``): its floor app and our ``recommend --format json``."""
    return [
        Case("[other] floor (print)", [other, str(FLOOR_APP), "recommend", *QUERY, "--format", "json"]),
        Case(
            "[other] recommend json",
            [*ours_command(other), "recommend", *QUERY, "--format", "json"],
            "[other] floor (print)",
        ),
    ]


def run_benchmark(
    python: str, env: dict[str, str], runs: int, warmup: int, other: str | None = None, pyz: str | None = None
) -> int:
    """Check, time and report every case. Returns the exit code."""
    cases, notes = build_cases(python, env)
    if other is not None:
        cases += compare_cases(other)
    unpack_ms = None
    if pyz is not None:
        unpack_ms = first_run_ms(python, pyz, env)
        cases += [c for c in single_file_cases(python, pyz) if c.floor in {k.name for k in cases}]
    failures = check_cases(cases, env)
    if failures:
        for line in failures:
            print(f"command failed: {line}", file=sys.stderr)
        return 1
    with Runner(python, env) as runner:
        bad_exits = run_rounds(cases, runner, runs, warmup)
    missed = report(cases, runs, warmup, python)
    if other is not None:
        by_name = {c.name: c for c in cases}
        here = statistics.median(by_name["recommend --format json"].times)
        there = statistics.median(by_name["[other] recommend json"].times)
        print(f"[other] = {other} ({versions(other)})")
        print(
            f"recommend --format json: {here * 1000:.0f} ms here, {there * 1000:.0f} ms with [other]: "
            f"[other] takes {there / here:.2f} of the time here"
        )
    if pyz is not None:
        by_name = {c.name: c for c in cases}
        venv = statistics.median(by_name["recommend --format json"].times)
        packed = statistics.median(by_name["single: recommend json"].times)
        print(f"single file = {pyz} ({os.path.getsize(pyz) / 1e6:.1f} MB), run by the same interpreter")
        print(
            f"recommend --format json: venv install {venv * 1000:.0f} ms, single file {packed * 1000:.0f} ms "
            f"({packed / venv:.2f} of the venv's time); its first run, unpacking: {unpack_ms:.0f} ms"
        )
    for note in notes:
        print(f"note: {note}")
    for line in bad_exits:
        print(f"command failed: {line}")
    for line in missed:
        print(f"target missed: {line}")
    if not missed and not bad_exits:
        print("all targets met")
    return 1 if missed or bad_exits else 0


if __name__ == "__main__":
    sys.exit(main())
