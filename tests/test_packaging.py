"""The knowledge base ships inside the wheel and is found from any directory, installed or editable."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import gialai_remote, json, sys;"
    "from gialai_remote.knowledge import load_knowledge_base;"
    "kb = load_knowledge_base();"
    "print(json.dumps({'file': gialai_remote.__file__, 'tools': len(kb.tools)}))"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("gialai_remote-*.whl"))


def test_wheel_contains_the_knowledge_base(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "gialai_remote/data/guidance.yaml" in names
    data = zipfile.ZipFile(wheel).read("gialai_remote/data/guidance.yaml")
    assert data == (ROOT / "data" / "guidance.yaml").read_bytes()


def test_wheel_install_finds_the_knowledge_base_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, cwd=elsewhere, env=env, timeout=60, check=True
    )
    import json

    info = json.loads(proc.stdout)
    assert info["file"].startswith(str(target))
    assert info["tools"] == 16


def test_editable_install_finds_the_knowledge_base(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, cwd=tmp_path, timeout=60, check=True)
    import json

    info = json.loads(proc.stdout)
    assert info["file"].startswith(str(ROOT / "src"))
    assert info["tools"] == 16
