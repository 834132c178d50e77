"""Scale benchmark: load, validate, decide and render time for knowledge bases of 10 to 10,000 tools.

    python benchmarks/scale.py                      # 10, 100, 1000, 10000 tools
    python benchmarks/scale.py --sizes 10 100 1000  # a quicker run

Each knowledge base comes from ``benchmarks/synthetic_kb.py`` (written to a temporary folder)
and is timed in-process (CPU time), each phase repeated and its fastest run kept:

- load: ``gialai_remote.knowledge.load.load_bytes``, the built-in file's path: parse with libyaml's
  ``CSafeLoader`` and build the model;
- validate: ``gialai_remote.knowledge.load.validate_bytes`` (everything ``gialai-remote validate`` checks);
- decide: ``decide()`` for ``recommend --role agency-staff --task meeting --participants 12
  --sensitivity internal --platform windows`` (every synthetic tool serves ``meeting``, so
  every tool is evaluated and appears in the answer);
- render: the text lines printed through a rich Console (into memory) plus the JSON text.

Target (issue 7): decide + render grows at most linearly, 10,000 tools <= 12x the 1,000-tool
time. Files above ``validate``'s hostile-file bounds (2 MB, 200,000 values) are timed with the
bounds raised in-process, and the table says so. The script exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_kb

from gialai_remote.decide import Query, decide
from gialai_remote.knowledge import parse, read
from gialai_remote.knowledge.load import load_bytes, validate_bytes

LINEAR_TARGET = 12.0


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Run ``func`` ``repeat`` times; return the fastest run's CPU seconds and the last result.

    The fastest run, as ``timeit`` advises: slower runs measure other work on the machine.

    CPU time of this process (``time.process_time``), not wall-clock time, so that other
    work on the machine does not show up as growth. The garbage collector stays on, as in
    the CLI, but starts each run from a collected heap.
    """
    times = []
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.process_time()
        result = func()
        times.append(time.process_time() - start)
    return min(times), result


def above_bounds(data: bytes, path: str) -> bool:
    """True when ``validate`` refuses ``data`` as too large (its hostile-file bounds)."""
    report = validate_bytes(data, path, lang="en")
    return any(p.code == "too-large" for p in report.problems)


@contextlib.contextmanager
def raised_bounds() -> Iterator[None]:
    """Raise ``validate``'s size and value-count bounds while timing a file above them."""
    old = read.MAX_BYTES, parse.MAX_NODES
    read.MAX_BYTES, parse.MAX_NODES = 10**10, 10**10
    try:
        yield
    finally:
        read.MAX_BYTES, parse.MAX_NODES = old


def render(advice: Any, kb: Any, query: Query) -> int:
    """Render the advice as text (printed through rich into memory) and as JSON; return bytes made."""
    from rich.console import Console

    from gialai_remote.cli.query import query_names
    from gialai_remote.render.json import advice_dict, dumps
    from gialai_remote.render.text import render_advice

    buffer = io.StringIO()
    console = Console(file=buffer, markup=False, emoji=False, highlight=False, soft_wrap=True, width=10_000)
    for line in render_advice(advice, query_names(kb, query)):
        console.print(line)
    return len(buffer.getvalue()) + len(dumps(advice_dict(advice)))


def measure(tools: int, folder: Path) -> dict[str, Any]:
    """Generate, write and time one knowledge base of ``tools`` tools."""
    path = folder / f"kb-{tools}.yaml"
    path.write_text(synthetic_kb.generate(tools), encoding="utf-8")
    data = path.read_bytes()
    slow_repeat = max(1, min(5, 3000 // tools))  # load and validate: 5, 5, 3, 1 runs
    repeat = 5
    load_s, kb = timed(lambda: load_bytes(data, str(path)), slow_repeat)
    raised = above_bounds(data, str(path))
    with raised_bounds() if raised else contextlib.nullcontext():
        validate_s, report = timed(lambda: validate_bytes(data, str(path), lang="en"), slow_repeat)
    errors = [str(p) for p in report.problems if p.severity == "error"]
    if errors:
        raise SystemExit(f"synthetic knowledge base with {tools} tools is invalid: {errors[:3]}")
    del report  # the validated document would make every later collection walk it too
    query = Query(
        role="agency-staff",
        task="meeting",
        date=dt.date(2026, 11, 29),
        participants=12,
        sensitivity="internal",
        platform="windows",
        lang="vi",
    )
    decide_s, advice = timed(lambda: decide(kb, query), repeat)
    render_s, size = timed(lambda: render(advice, kb, query), repeat)
    return {
        "tools": tools,
        "rules": len(kb.rules),
        "contacts": len(kb.contacts),
        "bytes": len(data),
        "load": load_s,
        "validate": validate_s,
        "decide": decide_s,
        "render": render_s,
        "recommended": len(advice.recommendations),
        "excluded": len(advice.excluded),
        "output": size,
        "raised": raised,
    }


def main(argv: list[str] | None = None) -> int:
    """Run every size, print the table and the growth check. Returns the exit code."""
    parser = argparse.ArgumentParser(description="Scale benchmark of gialai-remote's core.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10_000], help="numbers of tools")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="gialai-scale-") as folder:
        for tools in args.sizes:
            rows.append(measure(tools, Path(folder)))
    print(
        f"python {sys.version.split()[0]}; CPU times in ms, fastest of 5 runs"
        " (load and validate: of 3 runs at 1,000 tools, 1 run from 3,000)\n"
    )
    header = (
        f"{'tools':>6} {'rules':>6} {'contacts':>8} {'file KB':>8} {'load':>8} {'validate':>9} "
        f"{'decide':>8} {'render':>8} {'dec+ren':>8} {'rec/excl':>10}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        both = row["decide"] + row["render"]
        mark = " *" if row["raised"] else ""
        print(
            f"{row['tools']:>6} {row['rules']:>6} {row['contacts']:>8} {row['bytes'] / 1024:>8.0f} "
            f"{row['load'] * 1e3:>8.1f} {row['validate'] * 1e3:>9.1f} {row['decide'] * 1e3:>8.1f} "
            f"{row['render'] * 1e3:>8.1f} {both * 1e3:>8.1f} {row['recommended']:>5}/{row['excluded']}{mark}"
        )
    if any(row["raised"] for row in rows):
        print(
            "* above validate's hostile-file bounds (2 MB, 200,000 values): timed with the bounds raised;"
            " the CLI refuses such a file as too large"
        )
    by_size = {row["tools"]: row for row in rows}
    code = 0
    print()
    for small, big in zip(args.sizes, args.sizes[1:], strict=False):
        a, b = by_size[small], by_size[big]
        growth = {k: b[k] / a[k] for k in ("load", "validate", "decide", "render")}
        both = (b["decide"] + b["render"]) / (a["decide"] + a["render"])
        line = ", ".join(f"{k} x{v:.1f}" for k, v in growth.items())
        print(f"{small} -> {big} tools (x{big / small:.0f}): {line}, decide+render x{both:.1f}")
    if 1000 in by_size and 10_000 in by_size:
        a, b = by_size[1000], by_size[10_000]
        both = (b["decide"] + b["render"]) / (a["decide"] + a["render"])
        ok = both <= LINEAR_TARGET
        print(
            f"\ndecide+render, 10,000 vs 1,000 tools: x{both:.1f} (target <= {LINEAR_TARGET:.0f}): "
            f"{'ok' if ok else 'MISSED'}"
        )
        code = 0 if ok else 1
    return code


if __name__ == "__main__":
    sys.exit(main())
