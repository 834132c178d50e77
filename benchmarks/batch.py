"""Batch benchmark: 200 plans through ``check --batch`` against 200 separate ``check`` processes.

    python benchmarks/batch.py                 # 200 plans, the separate runs once
    python benchmarks/batch.py --plans 500     # more plans
    python benchmarks/batch.py --python /tmp/other-venv/bin/python

Both sides run the installed console script next to the interpreter (real processes, the
machine's start-up cost included). The batch gets one JSON Lines file of plans; each separate
run gets the same plan as flags with ``--format json --no-input``. The script checks that every
batch line (without its ``line`` field) equals the separate run's object and that the exit codes
agree (the batch's is the worst of the lines'), then prints both times and their ratio, in CPU
time (user + system of the children: the steadier measure on a shared machine) and wall-clock.

**Per query**: the cost of one more line in a batch, start-up taken out: (a batch of the plans
repeated ``--repeat`` times (2,000 lines) - an empty batch) / its lines, medians of ``--rounds``
runs of each, alternating.

Goals (issue 16): per query <= 0.3 ms, and the batch under a fiftieth of the separate runs'
time (ratio < 0.02; issue 14 asked for a twentieth), judged on CPU time where the system gives
it (POSIX), else on wall-clock time. Exits 1 when the results differ or a goal is missed.
Last run: ``docs/development.md`` ("Performance").
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # Windows: wall-clock time only
    resource = None  # type: ignore[assignment]

RATIO_GOAL = 1 / 50
PER_QUERY_GOAL_MS = 0.3
TOOLS = ("polycom", "aic-smart-meeting", "vnpt-meeting", "aic-emeeting", "zalo", "google-drive", "official-email")


def plans(count: int) -> list[dict[str, Any]]:
    """``count`` plans spread over tools, roles, tasks, sensitivities, participants and dates."""
    grid = list(
        itertools.product(
            TOOLS,
            ("ubnd-member", "agency-staff"),
            (None, "meeting", "documents"),
            (None, "normal", "internal", "secret"),
            (None, 12, 30),
            ("2020-04-15", "1/12/2026"),
        )
    )
    step = max(len(grid) // count, 1)
    out = []
    for tool, role, task, sensitivity, participants, date in grid[::step][:count]:
        plan: dict[str, Any] = {"tool": tool, "role": role, "date": date}
        optional = (("task", task), ("sensitivity", sensitivity), ("participants", participants))
        plan |= {key: value for key, value in optional if value is not None}
        out.append(plan)
    return out


def flags(plan: dict[str, Any]) -> list[str]:
    """The plan as ``check`` flags."""
    return [arg for key, value in plan.items() for arg in (f"--{key}", str(value))]


def timed(argv: list[str]) -> tuple[subprocess.CompletedProcess[bytes], float, float | None]:
    """Run ``argv`` with its output captured: (the process, wall seconds, CPU seconds or None)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource is not None else None
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if before is None:
        return done, wall, None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def write_plans(path: Path, chosen: list[dict[str, Any]], repeat: int = 1) -> None:
    """Write ``chosen`` as JSON Lines, ``repeat`` times over."""
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in chosen) * repeat, encoding="utf-8")


def per_query(script: str, folder: Path, chosen: list[dict[str, Any]], repeat: int, rounds: int) -> dict[str, float]:
    """The cost of one more batch line, start-up taken out (medians of ``rounds`` alternating runs).

    Returns:
        ``{"lines": n, "wall_ms": ..., "cpu_ms": ...}`` (``cpu_ms`` absent without CPU times).
    """
    empty, many = folder / "empty.jsonl", folder / "many.jsonl"
    empty.write_text("", encoding="utf-8")
    write_plans(many, chosen, repeat)
    lines = len(chosen) * repeat
    runs: dict[Path, list[tuple[float, float | None]]] = {empty: [], many: []}
    for i in range(rounds):
        for source in (empty, many) if i % 2 == 0 else (many, empty):
            _done, wall, cpu = timed([script, "check", "--batch", str(source)])
            runs[source].append((wall, cpu))
    out = {"lines": float(lines)}
    for index, name in ((0, "wall_ms"), (1, "cpu_ms")):
        values = {source: [r[index] for r in found] for source, found in runs.items()}
        kept = {source: [v for v in found if v is not None] for source, found in values.items()}
        if kept[many] and kept[empty]:
            out[name] = (statistics.median(kept[many]) - statistics.median(kept[empty])) / lines * 1000
    return out


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def main() -> int:
    """Run both sides, compare, print the times; 0 when equal and every goal is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=10, help="copies of the plans in the per-query batch")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each side for the per-query figure")
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose gialai-remote to run")
    args = parser.parse_args()
    script = str(Path(args.python).with_name("gialai-remote"))
    chosen = plans(args.plans)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "plans.jsonl"
        write_plans(source, chosen)
        timed([script, "check", "--batch", str(source)])  # warm-up: bytecode and the cache
        batch, batch_wall, batch_cpu = timed([script, "check", "--batch", str(source)])
        cost = per_query(script, folder, chosen, args.repeat, args.rounds)
    answers = [json.loads(line) for line in batch.stdout.decode("utf-8").splitlines()]
    separate = []
    separate_wall, separate_cpu = 0.0, 0.0 if batch_cpu is not None else None
    for plan in chosen:
        done, wall, cpu = timed([script, "check", *flags(plan), "--format", "json", "--no-input"])
        separate.append(done)
        separate_wall += wall
        if separate_cpu is not None and cpu is not None:
            separate_cpu += cpu
    same = len(answers) == len(chosen)
    for number, (answer, alone) in enumerate(zip(answers, separate, strict=False), start=1):
        same = same and answer.pop("line") == number and answer == json.loads(alone.stdout)
    codes = [proc.returncode for proc in separate]
    worst = max(codes, key=lambda code: (0, 1, 2, 3).index(code) if code in (0, 1, 2, 3) else 4)
    same = same and batch.returncode == worst
    wall_ratio = batch_wall / separate_wall
    cpu_ratio = batch_cpu / separate_cpu if batch_cpu is not None and separate_cpu else None
    ratio = cpu_ratio if cpu_ratio is not None else wall_ratio
    query_ms = cost.get("cpu_ms", cost["wall_ms"])
    print(f"plans: {len(chosen)}  (allowed: {codes.count(0)}, not allowed: {codes.count(1)})")
    print(f"{'':28} {'wall s':>8} {'CPU s':>8}")
    cpu_text = f"{batch_cpu:8.2f}" if batch_cpu is not None else f"{'-':>8}"
    print(f"{'check --batch':28} {batch_wall:8.2f} {cpu_text}   exit {batch.returncode}")
    cpu_text = f"{separate_cpu:8.2f}" if separate_cpu is not None else f"{'-':>8}"
    print(f"{f'{len(chosen)} separate checks':28} {separate_wall:8.2f} {cpu_text}   exit (worst) {worst}")
    if cpu_ratio is not None:
        print(f"ratio (CPU):  {cpu_ratio:.4f} (1/{1 / cpu_ratio:.0f})")
    print(f"ratio (wall): {wall_ratio:.4f} (1/{1 / wall_ratio:.0f})")
    print(f"goal: ratio < 1/{1 / RATIO_GOAL:.0f}: {verdict(ratio < RATIO_GOAL)}")
    lines = int(cost["lines"])
    kinds = (("cpu_ms", "CPU"), ("wall_ms", "wall"))
    measured = ", ".join(f"{cost[k]:.3f} ms {label}" for k, label in kinds if k in cost)
    print(f"per query in --batch: {measured} ({lines:,}-line batch - empty batch, medians of {args.rounds} runs)")
    print(f"goal: per query <= {PER_QUERY_GOAL_MS} ms: {verdict(query_ms <= PER_QUERY_GOAL_MS)}")
    print(f"same results: {'yes' if same else 'NO'}")
    return 0 if same and ratio < RATIO_GOAL and query_ms <= PER_QUERY_GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
