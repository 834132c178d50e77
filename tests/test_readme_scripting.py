"""The scripting examples of docs/scripting.md run as written and print what the page says.

Each ```sh block of the page that is followed by a ```text block is run with ``sh`` (the
installed ``gialai-remote`` first on PATH) and its stdout compared with that ```text block.
Needs ``jq``; skipped with the reason when it is missing (CI installs it from
``.ci/apt-packages``). The PowerShell examples (```powershell blocks) are not run: this
machine has no PowerShell.
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
