"""The scripting examples of docs/scripting.md run as written and print what the page says.

Each ```sh block of the page that is followed by a ```text block is run with ``sh`` (the
installed ``gialai-remote`` first on PATH) and its stdout compared with that ```text block.
Needs ``jq``; skipped with the reason when it is missing (CI installs it from
``.ci/apt-packages``). The PowerShell examples (```powershell blocks) are not run: this
machine has no PowerShell. They are checked instead: every JSON key they read
(``$x.recommendations[0].tool``) is a property of a published schema, and they use nothing
Windows PowerShell 5.1 lacks (``&&``, ``||``, ``??``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


PAGE = ROOT / "docs" / "scripting.md"


def _examples() -> list[tuple[str, str]]:
    page = PAGE.read_text(encoding="utf-8")
    # A block never runs into the next one: neither part may contain a fence.
    pairs = re.findall(r"^```sh\n((?:(?!^```).)*)^```\n\n```text\n((?:(?!^```).)*)^```", page, re.S | re.M)
    return [(script, expected) for script, expected in pairs]


EXAMPLES = _examples()


def test_the_section_has_examples() -> None:
    assert len(EXAMPLES) >= 4
    scripts = "\n".join(script for script, _ in EXAMPLES)
    assert "jq" in scripts and "if gialai-remote check" in scripts and "contacts --format json" in scripts


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
@pytest.mark.parametrize(("script", "expected"), EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
@pytest.mark.posix
def test_example_prints_what_the_page_says(script: str, expected: str, tmp_path: Path) -> None:
    assert shutil.which("gialai-remote", path=str(BIN)), "the console script is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert result.stderr == ""


#: What PowerShell itself gives every object (not JSON keys).
_POWERSHELL_MEMBERS = {"Count", "Length", "OutputEncoding"}


def _powershell_blocks() -> list[str]:
    return re.findall(r"^```powershell\n((?:(?!^```).)*)^```", PAGE.read_text(encoding="utf-8"), re.S | re.M)


def _schema_properties() -> set[str]:
    import json

    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (ROOT / "schemas").glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return names


def test_the_powershell_examples_read_only_published_keys_and_run_on_powershell_5_1() -> None:
    blocks = _powershell_blocks()
    assert len(blocks) >= 5
    known = _schema_properties()
    read = set()
    for block in blocks:
        code = "\n".join(line.split("#")[0] for line in block.splitlines())
        code = re.sub(r'"[^"]*"', '""', code)  # strings are not code
        for token in ("&&", "||", "??"):
            assert token not in code, f"{token} needs PowerShell 7:\n{block}"
        # $var.key, ).key, ].key chains; [Type]::Member and -Switch values are not JSON.
        for chain in re.findall(r"(?:\$\w+|\)|\])((?:\.[A-Za-z_]\w*(?:\[\d+\])?)+)", code):
            read.update(re.findall(r"\.([A-Za-z_]\w*)", chain))
    unknown = sorted(read - known - _POWERSHELL_MEMBERS)
    assert {"recommendations", "tool", "contacts", "phone", "reasons", "code", "allowed"} <= read
    assert unknown == [], f"the PowerShell examples read keys no schema has: {unknown}"
