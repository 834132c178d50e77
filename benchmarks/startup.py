"""Start-up benchmark: whole ``gialai-remote`` processes, each timed side by side with what it is compared to.

    python benchmarks/startup.py                          # 25 pairs per row after 3 warm-up runs
    python benchmarks/startup.py --pairs 41               # more pairs, a narrower spread
    python benchmarks/startup.py --peer /opt/tldr/bin/tldr   # the peer, when it is not on PATH
    python benchmarks/startup.py --python OTHER/bin/python   # another environment (e.g. today's main)
    python benchmarks/startup.py --compare OTHER/bin/python  # both, side by side
    python benchmarks/startup.py --single-file dist/gialai-remote-0.1.0-linux.pyz   # and the single file

**Pairs.** Every row compares a command A with a command B: A and B run one after the other,
25 times (the order alternates, A B, B A, A B ...), and each pair gives one ratio A / B. The
row reports the median of those per-pair ratios and their spread (the first and third
quartiles), for CPU time (user + system of the child, the steadier measure on a shared
machine) and for wall-clock time. A goal is met when the median CPU ratio is at most the goal;
the wall-clock ratio is printed beside it (on an idle machine the two agree: the commands are
single-threaded and read files from the page cache). The load average is printed at the start
and the end; above one per CPU, repeat the run.

**The peer** is the tldr client 3.4.4 (``tldr --version``), a Python command-line tool people
run by hand and in loops: found on PATH, or given with ``--peer``. It is not a dependency of
the project; install it in a separate environment
(``python3 -m venv /tmp/tldr && /tmp/tldr/bin/pip install tldr==3.4.4``). Without it the rows
that divide by it are skipped with a note.

**The floors**: ``benchmarks/floor_app.py``, a minimal Typer app with the options of
``recommend`` that prints one constant line (``--rich``: through a rich Console), and
``benchmarks/baseline_app.py``, the same work as ``recommend --format json`` without Typer
(libyaml parse of the shipped file, ``decide()``, JSON out), both run by the same interpreter.

Goals (issue 16), on the median CPU ratio:

- ``recommend --format json`` / ``tldr --version``                <= 1.00
- ``recommend`` (text) / ``tldr --version``                       <= 1.15
- ``check --quiet`` / ``tldr --version``                          <= 1.00
- ``validate`` / the minimal Typer app                            <= 1.30
- ``recommend --data`` on a base seen before / the built-in's     <= 1.20
- ``recommend --data builtin --data LAYER`` (the example layer: a
  stack seen before) / the built-in's                             <= 1.20
- peak resident memory of ``recommend --format json``, and of every command of ours on the
  shipped knowledge base                                          <= 25 MiB
- many queries in one process (``check --batch``): per query      <= 0.3 ms, and 200 plans in
  one process < 1/50 of 200 processes (reported when the installed version has the mode)

The tool's knowledge-base cache is kept in a temporary folder (``GIALAI_REMOTE_CACHE``),
filled by the warm-up runs: the rows measure a base seen before, as a user's second run does;
the ``--no-cache`` rows show the first run's cost. The ``--data`` rows read copies in the
temporary folder (of the install's built-in file, and of ``docs/examples/so-khcn-gia-lai.yaml``,
an agency layer that extends the built-in file: ``docs/layers.md``), so the cache sees the same
bytes at the same paths every run. A command or option this version of the tool
does not have is skipped with a note (so the script also measures older versions, e.g. today's
main with ``--python``). A fresh child process is spawned per measurement by a small helper
process (:data:`HELPER`) and reaped with ``os.wait4``, which returns that one child's resource
usage (its ``ru_maxrss`` is the peak resident memory column). Bytecode is cached in a
temporary ``PYTHONPYCACHEPREFIX``, filled by the warm-up runs, for every command alike.

The table marks each goal PASS or FAIL; after it come the peak memory of every command, the
many-queries figures and the list of goals, one line each with PASS or FAIL. The script exits
1 when a goal is missed or a command fails, else 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
FLOOR_APP = HERE / "floor_app.py"
BASELINE_APP = HERE / "baseline_app.py"
SHIPPED = ROOT / "data" / "guidance.yaml"
EXAMPLE_LAYER = ROOT / "docs" / "examples" / "so-khcn-gia-lai.yaml"
RSS_GOAL_MIB = 25.0
PER_QUERY_GOAL_MS = 0.3
BATCH_PLANS = 200
BATCH_REPEAT = 10
BATCH_RATIO_GOAL = 1 / 50

QUERY = ["--role", "agency-staff", "--task", "meeting", "--no-input"]
CHECK = ["check", "--tool", "aic-emeeting", *QUERY]


@dataclass
class Case:
    """One command line to time.

    Attributes:
        name: the label.
        argv: the full command line (absolute executable first).
        ours: a command of gialai-remote (counted for the peak-memory goal).
        ok_codes: the exit codes that count as a successful run.
        needs_output: a run that prints nothing on stdout counts as failed.
        memory_goal: counted for the peak-memory goal (a command of ours on the shipped
            knowledge base; the 1,000-tool file, a scale case, the first check of a layer
            stack (``--no-cache``), and ``--compare``'s other install are reported only).
    """

    name: str
    argv: list[str]
    ours: bool = True
    ok_codes: tuple[int, ...] = (0,)
    needs_output: bool = True
    memory_goal: bool = True


@dataclass
class Pair:
    """A row: ``a`` timed side by side with ``b``.

    Attributes:
        a, b: the two commands.
        goal: the largest median CPU ratio a / b that meets the goal, or None (reported only).
        runs: per run, (wall seconds, CPU seconds, peak RSS KiB) of a and of b, in pair order.
    """

    a: Case
    b: Case
    goal: float | None = None
    runs_a: list[tuple[float, float, int]] = field(default_factory=list)
    runs_b: list[tuple[float, float, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """``A / B``."""
        return f"{self.a.name} / {self.b.name}"


@dataclass
class Goal:
    """One goal of issue 16 and how the run met it.

    Attributes:
        name: what is measured ("recommend --format json / tldr --version").
        value: the measured figure, as printed ("0.93", "19.8 MiB").
        limit: the goal, as printed ("<= 1.00").
        passed: met or not.
    """

    name: str
    value: str
    limit: str
    passed: bool


def child_env(pycache: str, cache: str) -> dict[str, str]:
    """The environment of every child: ours minus the tool's variables and terminal hints.

    Bytecode is cached in ``pycache`` (``PYTHONPYCACHEPREFIX``) even when the caller's
    environment sets ``PYTHONDONTWRITEBYTECODE``: an installed tool has its bytecode compiled,
    so the warm-up runs fill the cache and the measured runs compile nothing, for the floors,
    the peer and ours alike. ``cache`` is the tool's knowledge-base cache
    (``GIALAI_REMOTE_CACHE``). The source tree is left untouched.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    for name in (
        "COLUMNS",
        "LINES",
        "FORCE_COLOR",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDEVMODE",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONTRACEMALLOC",
    ):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    env["GIALAI_REMOTE_CACHE"] = cache
    env["SHIV_ROOT"] = os.path.join(pycache, "shiv")
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


def help_text(ours: list[str], command: str, env: dict[str, str]) -> str | None:
    """``gialai-remote COMMAND --help`` in English, or None when this version has no such command."""
    done = subprocess.run(
        [*ours, command, "--help", "--lang", "en"], env=env, capture_output=True, timeout=60, check=False
    )
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def accepts(ours: list[str], args: list[str], env: dict[str, str]) -> bool:
    """True when ``gialai-remote ARGS`` succeeds (an option this version has, even hidden)."""
    done = subprocess.run([*ours, *args], env=env, capture_output=True, timeout=60, check=False)
    return done.returncode == 0


def find_peer(given: str | None) -> str | None:
    """The tldr client: ``given`` ("none": no peer), else ``tldr`` on PATH, else None."""
    if given is not None:
        return None if given == "none" else os.path.abspath(given)
    found = shutil.which("tldr")
    return os.path.abspath(found) if found else None


@dataclass
class Setup:
    """What the rows are built from: the commands, the files, and what this version can do.

    ``layer_copy`` is the copy of the example layer, or None when this version cannot stack it
    (no layers, or no ``--data builtin``).
    """

    python: str
    ours: list[str]
    peer: str | None
    data_copy: str
    data_1000: str | None
    has_no_cache: bool
    has_quiet: bool
    batch_help: str | None
    has_baseline: bool = True
    layer_copy: str | None = None
    notes: list[str] = field(default_factory=list)


def build_pairs(s: Setup) -> list[Pair]:
    """The rows of the table, goals first."""
    python, ours = s.python, s.ours
    floor = [python, str(FLOOR_APP)]
    json_case = Case("recommend --format json", [*ours, "recommend", *QUERY, "--format", "json"])
    text_case = Case("recommend (text)", [*ours, "recommend", *QUERY])
    quiet = Case("check --quiet", [*ours, *CHECK, "--quiet"], ok_codes=(0, 1), needs_output=False)
    validate = Case("validate", [*ours, "validate"], needs_output=False)
    floor_print = Case("minimal Typer app", [*floor, "recommend", *QUERY, "--format", "json"], ours=False)
    floor_rich = Case("minimal Typer app (rich)", [*floor, "--rich", "recommend", *QUERY], ours=False)
    seen = Case("recommend --data (seen)", [*ours, "--data", s.data_copy, "recommend", *QUERY, "--format", "json"])
    pairs: list[Pair] = []
    if s.peer is not None:
        peer = Case("tldr --version", [s.peer, "--version"], ours=False)
        pairs += [Pair(json_case, peer, 1.00), Pair(text_case, peer, 1.15)]
        if s.has_quiet:
            pairs.append(Pair(quiet, peer, 1.00))
    else:
        s.notes.append("no peer: the tldr client is not on PATH (--peer PATH); the rows against it are skipped")
    pairs += [Pair(validate, floor_print, 1.30), Pair(seen, json_case, 1.20)]
    stacked: Case | None = None
    if s.layer_copy is not None:
        stacked = Case(
            "recommend --data builtin --data LAYER (seen)",
            [*ours, "--data", "builtin", "--data", s.layer_copy, "recommend", *QUERY, "--format", "json"],
        )
        pairs.append(Pair(stacked, json_case, 1.20))
    else:
        s.notes.append("this version cannot stack the example layer (--data builtin --data LAYER): rows skipped")
    # Reported only.
    pairs += [
        Pair(json_case, floor_print),
        Pair(text_case, floor_rich),
        Pair(Case("--help", [*ours, "--help"]), Case("minimal Typer app --help", [*floor, "--help"], ours=False)),
        Pair(Case("check --format json", [*ours, *CHECK, "--format", "json"]), floor_print),
    ]
    baseline = Case("no-Typer baseline", [python, str(BASELINE_APP)], ours=False)
    if s.peer is not None:
        peer = Case("tldr --version", [s.peer, "--version"], ours=False)
        if s.has_baseline:
            pairs.append(Pair(baseline, peer))
        else:
            s.notes.append("the no-Typer baseline needs this checkout's package (gialai_remote.advice): skipped")
        pairs += [
            Pair(floor_print, peer),
            Pair(floor_rich, peer),
            Pair(Case("python -c pass", [python, "-c", "pass"], ours=False, needs_output=False), peer),
        ]
    if s.has_no_cache:
        pairs.append(Pair(json_case, Case("recommend --no-cache", [*json_case.argv, "--no-cache"])))
        if s.data_1000 is not None:
            big = [*ours, "--data", s.data_1000, "recommend", *QUERY, "--format", "json"]
            pairs.append(
                Pair(
                    Case("--data 1,000 tools (seen)", big, memory_goal=False),
                    Case("--data 1,000 tools --no-cache", [*big, "--no-cache"], memory_goal=False),
                )
            )
        if stacked is not None:
            # The first run's cost: a full check of the stack (jsonschema, phonenumbers), so
            # its peak memory is reported only, as the 1,000-tool file's.
            first = Case("--data builtin --data LAYER --no-cache", [*stacked.argv, "--no-cache"], memory_goal=False)
            pairs.append(Pair(stacked, first))
    else:
        s.notes.append("this version has no --no-cache: the cache rows are skipped")
    return pairs


def check_cases(pairs: list[Pair], env: dict[str, str]) -> list[str]:
    """Run every command once with its output captured; return a line per command that fails."""
    failures = []
    seen: set[str] = set()
    for case in [c for p in pairs for c in (p.a, p.b)]:
        if case.name in seen:
            continue
        seen.add(case.name)
        done = subprocess.run(case.argv, env=env, capture_output=True, timeout=120, check=False)
        if done.returncode not in case.ok_codes or (not done.stdout and case.needs_output):
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            failures.append(f"{case.name}: exit {done.returncode}, {len(done.stdout)} bytes out; {tail[0]}")
    return failures


def run_pairs(pairs: list[Pair], runner: Runner, count: int, warmup: int) -> list[str]:
    """Time ``warmup`` runs of each side of every row, then ``count`` pairs (the order alternates)."""
    bad_exits = []
    for pair in pairs:
        for i in range(warmup + count):
            sides = [(pair.a, pair.runs_a), (pair.b, pair.runs_b)]
            for case, runs in sides if i % 2 == 0 else sides[::-1]:
                elapsed, cpu, rss, code = runner.measure(case.argv)
                if code not in case.ok_codes:
                    bad_exits.append(f"{case.name}: exit {code}")
                if i >= warmup:
                    runs.append((elapsed, cpu, rss))
    return bad_exits


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile) of ``values``."""
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def ratio_text(a: list[float], b: list[float]) -> tuple[float, str]:
    """The median per-pair ratio a[i] / b[i], and "m [q1-q3]"."""
    q1, med, q3 = quartiles([x / y for x, y in zip(a, b, strict=True)])
    return med, f"{med:.2f} [{q1:.2f}-{q3:.2f}]"


def versions(python: str) -> str:
    """Python, typer, rich, pydantic and PyYAML versions of the measured environment."""
    code = (
        "import sys, importlib.metadata as m\n"
        "out = ['python ' + sys.version.split()[0]]\n"
        "for n in ('gialai-remote', 'typer', 'rich', 'pydantic', 'PyYAML'):\n"
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


def load_text() -> str:
    """The 1, 5 and 15-minute load averages."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(pairs: list[Pair]) -> list[Goal]:
    """Print the table and the peak memory; return the goals of the rows and of the memory."""
    width = max([58, *(len(p.name) for p in pairs)])
    header = f"{'A / B':<{width}} {'A ms':>6} {'B ms':>6}  {'CPU ratio [q1-q3]':<18} {'wall ratio [q1-q3]':<18} goal"
    print(header)
    print("-" * len(header))
    goals = []
    for pair in pairs:
        a_cpu = [r[1] for r in pair.runs_a]
        b_cpu = [r[1] for r in pair.runs_b]
        cpu_med, cpu_txt = ratio_text(a_cpu, b_cpu)
        wall_med, wall_txt = ratio_text([r[0] for r in pair.runs_a], [r[0] for r in pair.runs_b])
        goal = ""
        if pair.goal is not None:
            ok = cpu_med <= pair.goal
            goal = f"<= {pair.goal:.2f} {'PASS' if ok else 'FAIL'}"
            if ok and wall_med > pair.goal:
                goal += " (wall over: machine busy?)"
            goals.append(Goal(pair.name, f"{cpu_med:.2f} (wall {wall_med:.2f})", f"<= {pair.goal:.2f}", ok))
        a_ms = statistics.median(a_cpu) * 1000
        b_ms = statistics.median(b_cpu) * 1000
        print(f"{pair.name:<{width}} {a_ms:>6.1f} {b_ms:>6.1f}  {cpu_txt:<18} {wall_txt:<18} {goal}".rstrip())
    print("(A ms, B ms: median CPU milliseconds of each side)")
    rss: dict[str, int] = {}
    for pair in pairs:
        for case, runs in ((pair.a, pair.runs_a), (pair.b, pair.runs_b)):
            rss[case.name] = max(rss.get(case.name, 0), *(r[2] for r in runs))
    ours = {c.name for p in pairs for c in (p.a, p.b) if c.ours and c.memory_goal}
    others = {c.name for p in pairs for c in (p.a, p.b) if not c.ours}
    print(
        f"\npeak resident memory (MiB, the largest of every run): goal <= {RSS_GOAL_MIB:.0f} MiB for the commands "
        "of ours on the shipped knowledge base"
    )
    for name in sorted(rss, key=lambda n: -rss[n]):
        what = "" if name in ours else "  (not ours)" if name in others else "  (reported only)"
        print(f"  {rss[name] / 1024:6.1f}  {name}{what}")
    json_name = "recommend --format json"
    if json_name in rss:
        mib = rss[json_name] / 1024
        goals.append(
            Goal(f"peak memory, {json_name}", f"{mib:.1f} MiB", f"<= {RSS_GOAL_MIB:.0f} MiB", mib <= RSS_GOAL_MIB)
        )
    worst = max((n for n in rss if n in ours), key=lambda n: rss[n])
    mib = rss[worst] / 1024
    goals.append(
        Goal(
            f"peak memory, every command ({worst})", f"{mib:.1f} MiB", f"<= {RSS_GOAL_MIB:.0f} MiB", mib <= RSS_GOAL_MIB
        )
    )
    return goals


def many_queries(s: Setup, runner: Runner, folder: Path, rounds: int) -> list[Goal]:
    """The many-queries figures (``check --batch``), when this version has the mode.

    Per query: (a batch of :data:`BATCH_PLANS` plans repeated :data:`BATCH_REPEAT` times - an
    empty batch) / its lines, medians of ``rounds`` alternating runs; the ratio: one batch of
    the plans against the same plans as :data:`BATCH_PLANS` separate ``check --format json``
    processes (run once each). CPU time judges both goals, as in the table. The plans are
    ``benchmarks/batch.py``'s, which also proves that both give the same answers.

    Returns:
        The goals (none without the mode).
    """
    if s.batch_help is None:
        print("\nmany queries: this version has no `check --batch`: not measured")
        return []
    sys.path.insert(0, str(HERE))
    import batch as batch_bench

    chosen = batch_bench.plans(BATCH_PLANS)
    empty, plans_file, many = folder / "empty.jsonl", folder / "plans.jsonl", folder / "many.jsonl"
    batch_bench.write_plans(empty, [])
    batch_bench.write_plans(plans_file, chosen)
    batch_bench.write_plans(many, chosen, BATCH_REPEAT)
    argv = {source: [*s.ours, "check", "--batch", str(source)] for source in (empty, plans_file, many)}
    runs: dict[Path, list[tuple[float, float]]] = {source: [] for source in argv}
    order = list(argv)
    for i in range(1 + rounds):  # the first round warms up
        for source in order if i % 2 == 0 else order[::-1]:
            elapsed, cpu, _rss, code = runner.measure(argv[source])
            if code not in (0, 1):
                raise SystemExit(f"check --batch {source.name}: exit {code}")
            if i:
                runs[source].append((elapsed, cpu))
    separate_wall = separate_cpu = 0.0
    for plan in chosen:
        elapsed, cpu, _rss, _code = runner.measure(
            [*s.ours, "check", *batch_bench.flags(plan), "--format", "json", "--no-input"]
        )
        separate_wall += elapsed
        separate_cpu += cpu

    def median(source: Path, index: int) -> float:
        return statistics.median(r[index] for r in runs[source])

    lines = len(chosen) * BATCH_REPEAT
    query_cpu = (median(many, 1) - median(empty, 1)) / lines * 1000
    query_wall = (median(many, 0) - median(empty, 0)) / lines * 1000
    ratio_cpu = median(plans_file, 1) / separate_cpu
    ratio_wall = median(plans_file, 0) / separate_wall
    print(f"\nmany queries (`check --batch`, {len(chosen)} plans; medians of {rounds} runs):")
    print(f"  empty batch: {median(empty, 1) * 1000:.1f} ms CPU ({median(empty, 0) * 1000:.1f} ms wall)")
    print(
        f"  per query: {query_cpu:.3f} ms CPU ({query_wall:.3f} ms wall): "
        f"({lines:,}-line batch - empty batch) / {lines:,}; goal <= {PER_QUERY_GOAL_MS} ms"
    )
    print(
        f"  {len(chosen)} plans in one batch: {median(plans_file, 1):.3f} s CPU ({median(plans_file, 0):.3f} s wall); "
        f"{len(chosen)} processes: {separate_cpu:.2f} s CPU ({separate_wall:.2f} s wall)"
    )
    print(
        f"  ratio: {ratio_cpu:.4f} CPU (1/{1 / ratio_cpu:.0f}), {ratio_wall:.4f} wall (1/{1 / ratio_wall:.0f}); "
        f"goal < 1/{1 / BATCH_RATIO_GOAL:.0f}"
    )
    return [
        Goal("check --batch: per query", f"{query_cpu:.3f} ms (wall {query_wall:.3f})", f"<= {PER_QUERY_GOAL_MS} ms",
             query_cpu <= PER_QUERY_GOAL_MS),
        Goal(f"{len(chosen)} plans: one batch / {len(chosen)} processes",
             f"1/{1 / ratio_cpu:.0f} (wall 1/{1 / ratio_wall:.0f})", f"< 1/{1 / BATCH_RATIO_GOAL:.0f}",
             ratio_cpu < BATCH_RATIO_GOAL),
    ]  # fmt: skip


def print_goals(goals: list[Goal]) -> None:
    """The goals, one line each with PASS or FAIL (CPU ratios; wall-clock in parentheses)."""
    print("\ngoals (issue 16; ratios judged on CPU time, wall-clock in parentheses):")
    width = max([62, *(len(goal.name) for goal in goals)])
    for goal in goals:
        print(f"  {'PASS' if goal.passed else 'FAIL'}  {goal.name:<{width}} {goal.value:<24} {goal.limit}")


def builtin_file(python: str) -> str:
    """The built-in knowledge base of the install ``python`` runs (the ``--data (seen)`` row
    reads a copy of it, so an older install gets its own format): inside the package
    (``gialai_remote/data/``), else an editable install's ``data/`` in its checkout; this
    checkout's file when neither is found."""
    code = (
        "import os, gialai_remote as g\n"
        "p = os.path.dirname(os.path.abspath(g.__file__))\n"
        "for c in (os.path.join(p, 'data', 'guidance.yaml'), os.path.join(p, '..', '..', 'data', 'guidance.yaml')):\n"
        "    if os.path.isfile(c):\n"
        "        print(os.path.abspath(c)); break\n"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    found = done.stdout.strip()
    return found if found else str(SHIPPED)


def make_setup(python: str, peer: str | None, env: dict[str, str], folder: Path) -> Setup:
    """Find out what this version of the tool can do, and write the knowledge bases the rows read."""
    ours = ours_command(python)
    check_help = help_text(ours, "check", env) or ""
    data_copy = folder / "guidance-copy.yaml"
    shutil.copyfile(builtin_file(python), data_copy)
    layer_copy = folder / EXAMPLE_LAYER.name
    shutil.copyfile(EXAMPLE_LAYER, layer_copy)
    stacks = accepts(ours, ["--data", "builtin", "--data", str(layer_copy), "--version"], env)
    data_1000: str | None = None
    try:
        sys.path.insert(0, str(HERE))
        import synthetic_kb

        target = folder / "kb-1000.yaml"
        target.write_text(synthetic_kb.generate(1000), encoding="utf-8")
        data_1000 = str(target)
    except ImportError:  # PyYAML missing in the interpreter running this script
        pass
    return Setup(
        python=python,
        ours=ours,
        peer=peer,
        data_copy=str(data_copy),
        data_1000=data_1000,
        layer_copy=str(layer_copy) if stacks else None,
        has_no_cache=accepts(ours, ["--no-cache", "--version"], env),
        has_quiet="--quiet" in check_help,
        batch_help=check_help if "--batch" in check_help else None,
        has_baseline=subprocess.run(
            [python, str(BASELINE_APP)], env=env, capture_output=True, timeout=60, check=False
        ).returncode
        == 0,
    )


def default_single_file() -> str | None:
    """The newest single file for this system in dist/, or None."""
    system = "windows" if sys.platform == "win32" else "linux"
    found = sorted(DIST.glob(f"gialai-remote-*-{system}.pyz"), key=lambda p: p.stat().st_mtime)
    return str(found[-1]) if found else None


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the pairs, print the table. Returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=25, help="measured pairs per row (at least 9; default 25)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up runs of each side, not counted (default 3)")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the environment to measure")
    parser.add_argument("--peer", help="the tldr client's executable (default: tldr on PATH; 'none': no peer)")
    parser.add_argument("--compare", metavar="PYTHON", help="also time recommend in another environment")
    parser.add_argument(
        "--single-file",
        metavar="PYZ",
        default=default_single_file(),
        help="also time this single file (default: the newest dist/gialai-remote-*.pyz for this system)",
    )
    args = parser.parse_args(argv)
    if args.pairs < 9:
        parser.error("--pairs must be at least 9")
    # Not resolved: a virtual environment's python is a symlink, and resolving it would leave the venv.
    python = os.path.abspath(args.python)
    with tempfile.TemporaryDirectory(prefix="gialai-bench-") as tmp:
        folder = Path(tmp)
        env = child_env(str(folder / "pycache"), str(folder / "cache"))
        setup = make_setup(python, find_peer(args.peer), env, folder)
        pairs = build_pairs(setup)
        json_case = next(p.a for p in pairs if p.a.name == "recommend --format json")
        if args.compare:
            other = os.path.abspath(args.compare)
            pairs.append(
                Pair(
                    Case(
                        f"[other] {json_case.name}",
                        [*ours_command(other), *json_case.argv[len(setup.ours) :]],
                        memory_goal=False,
                    ),
                    json_case,
                )
            )
        if args.single_file:
            pyz = os.path.abspath(args.single_file)
            pairs.append(
                Pair(Case("single file: recommend json", [python, pyz, *json_case.argv[len(setup.ours) :]]), json_case)
            )
        return run(setup, pairs, env, args, python)


def run(setup: Setup, pairs: list[Pair], env: dict[str, str], args: argparse.Namespace, python: str) -> int:
    """Check, time and report every row. Returns the exit code."""
    failures = check_cases(pairs, env)
    if failures:
        for line in failures:
            print(f"command failed: {line}", file=sys.stderr)
        return 1
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}")
    print(f"environment: {versions(python)}")
    print(f"interpreter: {python}")
    if setup.peer is not None:
        done = subprocess.run(
            [setup.peer, "--version"], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        print(f"peer: {done.stdout.strip() or '?'} ({setup.peer})")
    if args.compare:
        print(f"[other]: {os.path.abspath(args.compare)} ({versions(os.path.abspath(args.compare))})")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}; load average at the start (1, 5, 15 min): {load_text()}")
    print(
        f"{args.pairs} pairs per row after {args.warmup} warm-up runs of each side (A B, B A, A B ...); "
        "ratio: median of the per-pair ratios A / B, [first-third quartile]\n"
    )
    with Runner(python, env) as runner:
        bad_exits = run_pairs(pairs, runner, args.pairs, args.warmup)
    goals = report(pairs)
    with Runner(python, env) as runner:
        goals += many_queries(setup, runner, Path(env["GIALAI_REMOTE_CACHE"]).parent, max(5, args.pairs // 5))
    print_goals(goals)
    print(f"\nload average at the end (1, 5, 15 min): {load_text()}")
    for note in setup.notes:
        print(f"note: {note}")
    for line in sorted(set(bad_exits)):
        print(f"command failed: {line}")
    missed = [goal for goal in goals if not goal.passed]
    for goal in missed:
        print(f"goal missed: {goal.name}: {goal.value}, goal {goal.limit}")
    if not missed and not bad_exits:
        print("every goal met")
    return 1 if missed or bad_exits else 0


if __name__ == "__main__":
    sys.exit(main())
