"""Many-problems benchmark: ``validate`` and ``--data`` on a file full of unknown references.

    python benchmarks/many_problems.py                        # 3,000 tools, 100,000 bad references
    python benchmarks/many_problems.py --tools 300 --references 10000
    python benchmarks/many_problems.py --write /tmp/bad.yaml  # only write the file

The file stays within the documented hostile-file bounds (at most 2 MiB and 200,000 values,
``gialai_remote.knowledge.read.MAX_BYTES`` and ``parse.MAX_NODES``): it is a valid knowledge
base with N tools, plus rules whose ``tools:`` lists name M ids that do not exist (each one
letter away from a real id, so every one has a suggestion). Issue 11 measured such a file
(3,000 tools, 100,000 bad references, 1.8 MB) running past 10 minutes at 1.5 GB: each unknown
reference ran a fuzzy match over every id and its message listed every id.

Each command runs as a fresh process, spawned and reaped with ``os.wait4`` like in
``benchmarks/startup.py``, which gives its wall-clock time, CPU time and peak resident memory
(``ru_maxrss``); the best of ``--runs`` runs is kept. Targets: each command under
:data:`TIME_TARGET` seconds and :data:`RSS_TARGET_MB` MB, ``validate`` listing at most
``MAX_PROBLEMS`` problems plus one that counts the rest. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: Seconds (wall clock) each command may take on the default file.
TIME_TARGET = 5.0
#: Peak resident memory each command may use, in MB.
RSS_TARGET_MB = 250.0
#: How many ids one rule's ``tools:`` list names.
PER_RULE = 1000

HEAD = """\
# Benchmark file of benchmarks/many_problems.py: {tools} tools, {references} unknown references.
# Not the letter's advice.
schema_version: 2
sources:
  - id: letter-415
    kind: letter
    document: 415/STTTT-CNTT
    issuer:
      vi: Sở Thông tin và Truyền thông tỉnh Gia Lai
      en: Gia Lai Department of Information and Communications
    date: "2020-04-01"
    title: {{vi: "Hướng dẫn làm việc từ xa", en: "Guidance on remote work"}}
roles:
  - {{id: agency-staff, section: "2.2.a", name: {{vi: "Cán bộ, công chức, viên chức", en: "Civil servant"}}}}
tasks:
  - {{id: documents, section: "1", name: {{vi: "Văn bản", en: "Documents"}}}}
sensitivities:
  - {{id: normal, section: "2.3", name: {{vi: "Thông thường", en: "Normal"}}}}
  - {{id: internal, section: "2.3", name: {{vi: "Nội bộ", en: "Internal content"}}}}
  - {{id: secret, section: "2.3", name: {{vi: "Bí mật nhà nước", en: "State secret"}}}}
platforms:
  - {{id: windows, name: {{vi: "Windows", en: "Windows"}}}}
contacts: []
notices: []
tools:
"""


def tool_id(i: int) -> str:
    """The id of tool ``i`` ("tool-00042")."""
    return f"tool-{i:05d}"


def unknown_id(j: int, tools: int) -> str:
    """Unknown reference ``j``: a real tool's id with one letter changed ("tool-00042" -> "tool-0004x")."""
    real = tool_id(j % tools)
    return real[:-1] + "abcdefghij"[(j // tools) % 10]


def generate(tools: int = 3000, references: int = 100_000) -> str:
    """The YAML text: ``tools`` valid tools, and rules naming ``references`` unknown tool ids.

    Every tool is named by a ``tasks`` rule too (with the real ids), and the tools (public
    apps) by the section 2.3 ``sensitivity`` rule's selector, so the file has no other problem:
    ``validate`` finds exactly ``references`` "unknown-reference" errors.

    Raises:
        ValueError: fewer than one tool.
    """
    if tools < 1:
        raise ValueError("at least one tool")
    lines = [HEAD.format(tools=tools, references=references)]
    for i in range(tools):
        lines.append(
            f'  - {{id: {tool_id(i)}, section: "2.3", category: public-app, priority: {i + 1},'
            f' name: {{vi: "Công cụ {i}", en: "Tool {i}"}}}}\n'
        )
    lines.append("rules:\n")
    real = ", ".join(tool_id(i) for i in range(tools))
    lines.append(f'  - {{id: 1-real, kind: tasks, section: "1", tasks: [documents], tools: [{real}]}}\n')
    public_apps = '{id: 2.3-sensitivity, kind: sensitivity, section: "2.3", allowed: [normal]'
    lines.append(f"  - {public_apps}, tools: {{category: public-app}}}}\n")
    for n, start in enumerate(range(0, references, PER_RULE)):
        names = ", ".join(unknown_id(j, tools) for j in range(start, min(references, start + PER_RULE)))
        lines.append(f'  - {{id: 1-bad-{n}, kind: tasks, section: "1", tasks: [documents], tools: [{names}]}}\n')
    return "".join(lines)


#: Spawns one child, reaps it with os.wait4 and prints "seconds cpu_seconds maxrss_kib exit_code"
#: (run with ``python -S`` so its own resident size stays below the child's; see startup.py).
PROBE = r"""
import os, sys, time
acts = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=acts)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measure(argv: list[str], timeout: float) -> tuple[float, float, float, int]:
    """Run ``argv`` once; return (wall seconds, CPU seconds, peak RSS in MB, exit code)."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", PROBE, *argv], capture_output=True, text=True, timeout=timeout, check=True
    )
    wall, cpu, rss, code = done.stdout.split()
    return float(wall), float(cpu), int(rss) / 1024, int(code)


def ours() -> list[str]:
    """The ``gialai-remote`` console script next to this interpreter, else ``python -m gialai_remote``."""
    script = Path(sys.executable).parent / "gialai-remote"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gialai_remote"]


def main(argv: list[str] | None = None) -> int:
    """Write the file, time the commands, print the table and the verdict. Returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, default=3000, help="number of tools (default 3000)")
    parser.add_argument("--references", type=int, default=100_000, help="unknown references (default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the best is kept (default 3)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is given up (default 600)")
    parser.add_argument("--write", metavar="PATH", help="only write the file to PATH")
    args = parser.parse_args(argv)
    text = generate(args.tools, args.references)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        return 0
    from gialai_remote.knowledge import MAX_BYTES, MAX_PROBLEMS, validate_file

    with tempfile.TemporaryDirectory(prefix="gialai-problems-") as folder:
        path = Path(folder) / "bad.yaml"
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        report = validate_file(str(path), lang="en")
        codes = [p.code for p in report.problems]
        print(
            f"python {sys.version.split()[0]}; file: {size / 1e6:.2f} MB (bound {MAX_BYTES / 1e6:.2f} MB), "
            f"{args.tools} tools, {args.references} unknown references; best of {args.runs} runs\n"
        )
        print(
            f"validate lists {len(report.problems)} problems ({codes.count('unknown-reference')} unknown-reference, "
            f"{codes.count('too-many-problems')} too-many-problems counting {report.unlisted} more)"
        )
        if report.problems:
            print(f"  last: {report.problems[-1]}")
        code = 0
        expected = min(args.references, MAX_PROBLEMS)
        if codes.count("unknown-reference") != expected or report.unlisted != args.references - expected:
            print("  MISSED: the listed and counted problems do not add up")
            code = 1
        query = ["recommend", "--role", "agency-staff", "--task", "documents", "--no-input"]
        commands = {
            "validate PATH": [*ours(), "validate", str(path), "--lang", "en"],
            "validate PATH --format json": [*ours(), "validate", str(path), "--format", "json"],
            "--data PATH recommend": [*ours(), "--data", str(path), *query],
        }
        print(f"\n{'command':<30} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8} {'exit':>5}")
        print("-" * 63)
        env_ok = {"validate PATH": 1, "validate PATH --format json": 1, "--data PATH recommend": 3}
        for name, command in commands.items():
            runs = [measure(command, args.timeout) for _ in range(max(1, args.runs))]
            wall = min(r[0] for r in runs)
            cpu = min(r[1] for r in runs)
            rss = min(r[2] for r in runs)
            exit_code = runs[-1][3]
            print(f"{name:<30} {wall:>8.2f} {cpu:>8.2f} {rss:>8.1f} {exit_code:>5}")
            if exit_code != env_ok[name]:
                print(f"  MISSED: exit {exit_code}, expected {env_ok[name]}")
                code = 1
            if args.tools == 3000 and args.references == 100_000 and (wall > TIME_TARGET or rss > RSS_TARGET_MB):
                print(f"  MISSED: target {TIME_TARGET:.0f} s and {RSS_TARGET_MB:.0f} MB")
                code = 1
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
        if load:
            print(f"\nload average (1, 5, 15 min): {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    return code


if __name__ == "__main__":
    sys.exit(main())
