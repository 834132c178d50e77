#!/usr/bin/env python3
"""Generate the command reference, docs/reference.md, from the CLI's own ``--help``.

Runs ``gialai-remote --lang en [COMMAND ...] --help`` for the program and every command
(sub-commands included, hidden ones left out) with a fixed terminal width and a clean
environment, and puts the texts into docs/reference.md between
``<!-- BEGIN command-reference -->`` and ``<!-- END command-reference -->`` (the first run
replaces the ``<!-- SECTION: command-reference -->`` marker line, or writes the file with
:data:`INTRO` when it does not exist). The text around the markers is kept as it is.

Usage:
    python scripts/gen_reference.py           # rewrite docs/reference.md
    python scripts/gen_reference.py --check   # exit 1 if docs/reference.md is stale (for tests and CI)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
BEGIN = "<!-- BEGIN command-reference -->"
END = "<!-- END command-reference -->"
MARKER = "<!-- SECTION: command-reference -->"
#: The top of a new docs/reference.md (the generated block follows it).
INTRO = """# Tham chiếu lệnh (command reference)

Mọi lệnh và tùy chọn của `gialai-remote`, đúng như `--help` in ra. Gõ
`gialai-remote LỆNH --help` để đọc bản tiếng Việt ngay trong terminal.

Every command and option of `gialai-remote`, as `--help` prints them.

"""
#: The width help texts are wrapped at, so the reference does not depend on the terminal.
COLUMNS = "80"
#: The commands a reader looks for first; the others follow in alphabetical order.
FIRST = ("recommend", "check", "setup")


def _env() -> dict[str, str]:
    """A clean environment: no locale, colour or gialai-remote variables; a fixed width."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LC_", "GIALAI_REMOTE_"))
        and k not in ("LANG", "LANGUAGE", "COLUMNS", "LINES", "FORCE_COLOR", "TERM")
    }
    env.update({"COLUMNS": COLUMNS, "NO_COLOR": "1", "TERM": "dumb", "PYTHONIOENCODING": "utf-8"})
    return env


def help_text(path: list[str]) -> str:
    """The English ``--help`` of ``gialai-remote PATH...``, trailing spaces removed."""
    result = subprocess.run(
        [sys.executable, "-m", "gialai_remote", "--lang", "en", *path, "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"gialai-remote {' '.join(path)} --help failed ({result.returncode}): {result.stderr}")
    return "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())


def command_paths() -> list[list[str]]:
    """Every visible command as a path of names: [["recommend"], ["tools"], ["tools", "show"], ...].

    Asks the groups themselves (``list_commands`` / ``get_command``), so commands that are
    imported only when used are listed too.
    """
    from typer.main import get_command

    from gialai_remote.cli import commands
    from gialai_remote.cli.app import app

    register_all = getattr(commands, "register_all", None)
    if callable(register_all):
        register_all()
    root = get_command(app)
    ctx = root.make_context("gialai-remote", [], resilient_parsing=True)
    paths: list[list[str]] = []

    def walk(command: Any, prefix: list[str]) -> None:
        if not hasattr(command, "list_commands"):  # a command, not a group
            return
        found = {name: command.get_command(ctx, name) for name in command.list_commands(ctx)}
        names = [n for n, sub in found.items() if sub is not None and not getattr(sub, "hidden", False)]
        top = [n for n in FIRST if n in names] if not prefix else []
        for name in top + sorted(n for n in names if n not in top):
            paths.append([*prefix, name])
            walk(found[name], [*prefix, name])

    walk(root, [])
    return paths


def reference() -> str:
    """The whole generated block, BEGIN and END markers included."""
    parts = [
        BEGIN,
        "Generated from the CLI's own `--help` (English, 80 columns) by `python scripts/gen_reference.py`;",
        "do not edit by hand. `gialai-remote COMMAND --help` prints the same, in Vietnamese by default.",
    ]
    from concurrent.futures import ThreadPoolExecutor

    paths = [[], *command_paths()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        texts = list(pool.map(help_text, paths))
    for path, text in zip(paths, texts, strict=True):
        title = " ".join(["gialai-remote", *path])
        parts += ["", f"## `{title}`", "", "```text", text, "```"]
    parts.append(END)
    return "\n".join(parts)


def updated(page: str, block: str) -> str:
    """``page`` (the text of docs/reference.md) with its command reference replaced by ``block``.

    Raises:
        SystemExit: the page has neither the markers nor the section marker.
    """
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if pattern.search(page):
        return pattern.sub(lambda _: block, page, count=1)
    if MARKER in page:
        return page.replace(MARKER, block, 1)
    raise SystemExit(f"{REFERENCE.name} has neither {BEGIN} ... {END} nor {MARKER}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/reference.md is not up to date")
    args = parser.parse_args(argv)
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else INTRO + MARKER + "\n"
    new = updated(current, reference())
    if args.check:
        if new != current:
            print(
                "docs/reference.md is stale: run `python scripts/gen_reference.py`",
                file=sys.stderr,
            )
            return 1
        return 0
    if new != current:
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_text(new, encoding="utf-8", newline="\n")
        print("docs/reference.md: command reference updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
