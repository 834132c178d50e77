"""The command reference, docs/reference.md, is generated from the CLI's own ``--help`` and is current.

When this fails, run ``python scripts/gen_reference.py`` and commit docs/reference.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_command_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_reference.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr or result.stdout


def test_reference_covers_every_command() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_reference
    finally:
        sys.path.pop(0)
    page = gen_reference.REFERENCE.read_text(encoding="utf-8")
    assert gen_reference.REFERENCE == ROOT / "docs" / "reference.md"
    block = page[page.index(gen_reference.BEGIN) : page.index(gen_reference.END)]
    for path in gen_reference.command_paths():
        assert f"## `gialai-remote {' '.join(path)}`" in block
    assert "Usage: gialai-remote check [OPTIONS]" in block
