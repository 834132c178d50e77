"""The README's "Scripting" examples run as written and print what the README says.

Each ```sh block of the section is run with ``sh`` (the installed ``gialai-remote`` first on
PATH) and its stdout compared with the ```text block that follows it. Needs ``jq``; skipped
with the reason when it is missing (CI installs it from ``.ci/apt-packages``).
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


def _examples() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Scripting\n")
    end = readme.find("\n## ", start + 1)
    section = readme[start : end if end != -1 else len(readme)]
    pairs = re.findall(r"```sh\n(.*?)```\n\n```text\n(.*?)```", section, re.S)
    return [(script, expected) for script, expected in pairs]


EXAMPLES = _examples()


def test_the_section_has_examples() -> None:
    assert len(EXAMPLES) >= 4
    scripts = "\n".join(script for script, _ in EXAMPLES)
    assert "jq" in scripts and "if gialai-remote check" in scripts and "contacts --format json" in scripts


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
@pytest.mark.parametrize(("script", "expected"), EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_example_prints_what_the_readme_says(script: str, expected: str, tmp_path: Path) -> None:
    assert shutil.which("gialai-remote", path=str(BIN)), "the console script is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert result.stderr == ""
