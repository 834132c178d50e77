"""Batch benchmark: 200 plans through ``check --batch`` against 200 separate ``check`` processes.

    python benchmarks/batch.py                 # 200 plans, the separate runs once
    python benchmarks/batch.py --plans 500     # more plans
    python benchmarks/batch.py --python /tmp/other-venv/bin/python

Both sides run the installed console script next to the interpreter (real processes, the
machine's start-up cost included). The batch gets one JSON Lines file of plans; each separate
run gets the same plan as flags with ``--format json --no-input``. The script checks that every
batch line (without its ``line`` field) equals the separate run's object and that the exit codes
agree (the batch's is the worst of the lines'), then prints both times and their ratio.

Target (issue 14): the batch takes under a twentieth of the separate runs' time (ratio < 0.05).
Measured on the development machine (Linux, CPython 3.11, 200 plans, other work running):
batch 1.07 s, separate runs 96.7 s, ratio 0.011 (1/91). Exits 1 when the results differ or the target is missed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET = 1 / 20
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


def main() -> int:
    """Run both sides, compare, print the times; 0 when equal and under the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose gialai-remote to run")
    args = parser.parse_args()
    script = str(Path(args.python).with_name("gialai-remote"))
    chosen = plans(args.plans)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plans.jsonl"
        source.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in chosen), encoding="utf-8")
        start = time.perf_counter()
        batch = subprocess.run([script, "check", "--batch", str(source)], capture_output=True, check=False)
        batch_seconds = time.perf_counter() - start
    answers = [json.loads(line) for line in batch.stdout.decode("utf-8").splitlines()]
    start = time.perf_counter()
    separate = [
        subprocess.run([script, "check", *flags(p), "--format", "json", "--no-input"], capture_output=True, check=False)
        for p in chosen
    ]
    separate_seconds = time.perf_counter() - start
    same = len(answers) == len(chosen)
    for number, (answer, alone) in enumerate(zip(answers, separate, strict=False), start=1):
        same = same and answer.pop("line") == number and answer == json.loads(alone.stdout)
    codes = [proc.returncode for proc in separate]
    worst = max(codes, key=lambda code: (0, 1, 2, 3).index(code) if code in (0, 1, 2, 3) else 4)
    same = same and batch.returncode == worst
    ratio = batch_seconds / separate_seconds
    print(f"plans: {len(chosen)}  (allowed: {codes.count(0)}, not allowed: {codes.count(1)})")
    print(f"check --batch:         {batch_seconds:8.2f} s   exit {batch.returncode}")
    print(f"{len(chosen)} separate checks:  {separate_seconds:8.2f} s   exit (worst) {worst}")
    print(f"ratio: {ratio:.3f} (1/{1 / ratio:.0f}); target < {TARGET:.3f}: {'met' if ratio < TARGET else 'MISSED'}")
    print(f"same results: {'yes' if same else 'NO'}")
    return 0 if same and ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
