"""scripts/gialai-remote.spec, the PyInstaller build for whoever builds on Windows, lists what it must.

Commands are imported by module name when used (cli/commands.py), which PyInstaller's import
analysis cannot follow: the spec lists every command module, and this test fails when a
command's module is missing there, so a new command cannot be forgotten. The data files must
be the ones the wheel ships (pyproject.toml's force-include), at the same place in the
package. When PyInstaller is installed here (it is not in the dev group), a real build is
made and its commands are run too.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gialai_remote.cli.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "scripts" / "gialai-remote.spec"
TREE = ast.parse(SPEC.read_text(encoding="utf-8"))


def _assigned(name: str) -> ast.expr:
    """The value first assigned to ``name`` at the spec's top level."""
    for node in TREE.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
    raise AssertionError(f"the spec assigns no {name}")


def test_the_spec_lists_every_command_module() -> None:
    listed = ast.literal_eval(_assigned("COMMAND_MODULES"))
    expected = sorted(set(COMMANDS.values()))
    assert sorted(listed) == expected, (
        f"scripts/gialai-remote.spec's COMMAND_MODULES must be the modules of cli/commands.py: "
        f"missing {sorted(set(expected) - set(listed))}, not a command module {sorted(set(listed) - set(expected))}"
    )
    assert len(listed) == len(set(listed))
    for module in listed:
        assert importlib.util.find_spec(module) is not None, module


def test_the_command_modules_are_hidden_imports() -> None:
    value = _assigned("hiddenimports")
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    assert "COMMAND_MODULES" in names


def test_the_spec_ships_the_files_the_wheel_ships_where_the_wheel_puts_them() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/guidance.yaml" = "gialai_remote/data/guidance.yaml"' in pyproject
    assert '"schemas" = "gialai_remote/schemas"' in pyproject
    datas = ast.unparse(_assigned("datas")).replace('"', "'")
    assert "(str(ROOT / 'data' / 'guidance.yaml'), 'gialai_remote/data')" in datas
    assert "(str(ROOT / 'schemas' / '*.json'), 'gialai_remote/schemas')" in datas
    assert len(list((ROOT / "schemas").glob("*.json"))) == 5  # four published, and the version-1 knowledge base
    entry = ROOT / "src" / "gialai_remote" / "__main__.py"
    assert 'str(ROOT / "src" / "gialai_remote" / "__main__.py")' in SPEC.read_text(encoding="utf-8")
    assert "from gialai_remote.cli.entry import cli" in entry.read_text(encoding="utf-8")


def test_every_import_by_name_in_src_is_covered_by_the_spec() -> None:
    """The command registry is covered by COMMAND_MODULES; a lazy package (PEP 562) by LAZY_PACKAGES."""
    lazy = ast.literal_eval(_assigned("LAZY_PACKAGES"))
    uncovered = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        if "import_module(" not in path.read_text(encoding="utf-8"):
            continue
        relative = path.relative_to(ROOT / "src")
        if relative.as_posix() in ("gialai_remote/cli/commands.py", "gialai_remote/cli/lazy.py"):
            continue  # the command modules: COMMAND_MODULES
        package = ".".join(relative.parent.parts)
        if relative.name == "__init__.py" and package in lazy:
            continue
        uncovered.append(f"{relative.as_posix()}: add {package!r} to LAZY_PACKAGES in scripts/gialai-remote.spec")
    assert uncovered == []
    for package in lazy:
        assert importlib.util.find_spec(package) is not None, package


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None, reason="PyInstaller is not installed here")
def test_a_real_build_runs_the_commands(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(SPEC),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    exe = tmp_path / "dist" / "gialai-remote" / ("gialai-remote.exe" if os.name == "nt" else "gialai-remote")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    query = ["recommend", "--role", "agency-staff", "--task", "meeting", "--no-input", "--date", "2020-04-15"]
    answer = subprocess.run([str(exe), *query, "--format", "json"], capture_output=True, text=True, env=env, timeout=60)
    assert answer.returncode == 0, answer.stderr
    assert [r["tool"] for r in json.loads(answer.stdout)["recommendations"]] == ["vnpt-meeting", "aic-emeeting"]
    for args in (["validate"], ["setup", "aic-emeeting", "--format", "html"], ["doctor", "--tool", "zalo"]):
        ran = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=60)
        assert ran.returncode == 0, (args, ran.stderr)
