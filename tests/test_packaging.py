"""The package ships its knowledge base and schemas without symbolic links, installed or editable.

The canonical files are ``data/guidance.yaml`` and ``schemas/*.json`` at the repository's top
level; the build backend copies them into the wheel as ``gialai_remote/data/...`` and
``gialai_remote/schemas/...`` (``force-include`` in pyproject.toml). These tests build from a
copy of the working tree made as a checkout without symbolic-link support would make it (a
symbolic link becomes a small text file holding its target, as ``git -c core.symlinks=false
clone`` or a ZIP download gives), install the result into fresh virtual environments and run
the commands there. Everything runs offline: builds use this environment's hatchling
(``--no-isolation``) and installs use ``--no-deps --no-index``, with this environment's
site-packages made visible to the new one for the dependencies.
"""

from __future__ import annotations

import email.parser
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CANONICAL = sorted([ROOT / "data" / "guidance.yaml", *(ROOT / "schemas").glob("*.json")])
PACKAGED = {f"gialai_remote/{path.relative_to(ROOT).as_posix()}": path for path in CANONICAL}
QUERY = ["recommend", "--role", "agency-staff", "--task", "meeting", "--no-input", "--date", "2020-04-15"]
PROBE = (
    "import gialai_remote, json, sys;"
    "from gialai_remote.knowledge import load_knowledge_base;"
    "kb = load_knowledge_base();"
    "print(json.dumps({'file': gialai_remote.__file__, 'tools': len(kb.tools)}))"
)
#: What a build never needs from the working tree (the rest is filtered by .gitignore anyway).
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", "*.egg-info", "dist", "build", ".*_cache", ".hypothesis"
)


def _plain_copy(destination: Path) -> Path:
    """Copy the working tree to ``destination`` the way a checkout without symlinks has it.

    A copy rather than a clone, so that the tests check the working tree (uncommitted changes
    included) and run without git, e.g. from an sdist. Each symbolic link is replaced by a plain
    file holding the link's target, which is what Git writes with ``core.symlinks=false``.
    """
    shutil.copytree(ROOT, destination, symlinks=True, ignore=IGNORED)
    for path in sorted(destination.rglob("*")):
        if path.is_symlink():
            target = os.readlink(path)
            path.unlink()
            path.write_text(target, encoding="utf-8")
    return destination


def _build(tree: Path, out: Path, *which: str) -> None:
    """``python -m build`` offline; ``which`` empty builds the sdist, then the wheel from it."""
    proc = subprocess.run(
        [sys.executable, "-m", "build", *which, "--no-isolation", "--outdir", str(out), str(tree)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _scripts(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def _fresh_venv(path: Path) -> Path:
    """A new virtual environment at ``path`` that sees this environment's packages last.

    Returns its Python. The dependencies come from this environment through a ``.pth`` file
    (appended after the new environment's own site-packages, so what is installed there wins);
    ``.pth`` files of this environment, such as the editable install's, are not run there.
    """
    venv.EnvBuilder(with_pip=False).create(path)
    python = _scripts(path) / ("python.exe" if os.name == "nt" else "python")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site, "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return python


def _pip_install(python: Path, *args: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _run(env: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the environment's ``gialai-remote`` console script in ``cwd``, with a clean environment."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("GIALAI_REMOTE_", "PYTHON"))}
    exe = _scripts(env) / ("gialai-remote.exe" if os.name == "nt" else "gialai-remote")
    return subprocess.run(
        [str(exe), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


@pytest.fixture(scope="module")
def plain_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _plain_copy(tmp_path_factory.mktemp("plain") / "gialai-remote")


@pytest.fixture(scope="module")
def dists(plain_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, the wheel built from that sdist (as an index would), and the wheel built
    straight from the tree (as ``pip install .`` does)."""
    via_sdist = tmp_path_factory.mktemp("via-sdist")
    _build(plain_tree, via_sdist)
    direct = tmp_path_factory.mktemp("direct")
    _build(plain_tree, direct, "--wheel")
    return {
        "sdist": next(via_sdist.glob("gialai_remote-*.tar.gz")),
        "wheel-from-sdist": next(via_sdist.glob("gialai_remote-*.whl")),
        "wheel": next(direct.glob("gialai_remote-*.whl")),
    }


# ---- the repository ---------------------------------------------------------------------------


def test_the_repository_tracks_no_symbolic_link() -> None:
    """``git ls-files -s`` lists no entry of mode 120000 (what Windows and ZIP downloads break)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    listing = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert listing.strip(), "git ls-files listed nothing"
    assert [line for line in listing.splitlines() if line.startswith("120000")] == []


def test_the_source_tree_has_no_symbolic_link_and_no_package_copy_of_the_data() -> None:
    links = [p for top in ("src", "data", "schemas") for p in (ROOT / top).rglob("*") if p.is_symlink()]
    assert links == []
    assert not (ROOT / "src" / "gialai_remote" / "data").exists()
    assert not (ROOT / "src" / "gialai_remote" / "schemas").exists()
    assert len(CANONICAL) == 6  # guidance.yaml, the four published schemas and the version-1 knowledge-base schema


# ---- what the archives hold -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["wheel", "wheel-from-sdist"])
def test_the_wheel_ships_the_canonical_files_license_and_py_typed(dists: dict[str, Path], kind: str) -> None:
    with zipfile.ZipFile(dists[kind]) as zf:
        names = zf.namelist()
        assert len(names) == len(set(names)), "a file is in the wheel twice"
        for name, source in PACKAGED.items():
            assert zf.read(name) == source.read_bytes(), name
        assert zf.read("gialai_remote/py.typed") == b""
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        assert zf.read(f"{dist_info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
        metadata = email.parser.Parser().parsestr(zf.read(f"{dist_info}/METADATA").decode("utf-8"))
    assert not [
        n for n in names if n.startswith("gialai_remote/") and n.endswith((".yaml", ".json")) and n not in PACKAGED
    ]
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert metadata["Requires-Python"] == ">=3.10"
    classifiers = metadata.get_all("Classifier") or []
    versions = [c.rsplit(" :: ", 1)[1] for c in classifiers if c.startswith("Programming Language :: Python :: 3.")]
    assert versions == ["3.10", "3.11", "3.12", "3.13"]
    assert {
        "Environment :: Console",
        "Operating System :: OS Independent",
        "Natural Language :: Vietnamese",
        "Natural Language :: English",
        "Typing :: Typed",
    } <= set(classifiers)
    # PEP 639: no License classifier next to a license expression; developer tools are
    # dependency groups, not extras offered to users.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert metadata.get_all("Provides-Extra") is None
    assert "Project-URL" not in metadata


def test_the_sdist_carries_the_canonical_files_and_the_license(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as tf:
        members = {m.name.split("/", 1)[1]: m for m in tf.getmembers() if "/" in m.name}
        assert not [name for name, m in members.items() if m.issym() or m.islnk()]
        for path in [*CANONICAL, ROOT / "LICENSE", ROOT / "pyproject.toml"]:
            name = path.relative_to(ROOT).as_posix()
            extracted = tf.extractfile(members[name])
            assert extracted is not None and extracted.read() == path.read_bytes(), name
    assert "src/gialai_remote/py.typed" in members
    assert not [name for name in members if name.startswith(("src/gialai_remote/data", "src/gialai_remote/schemas"))]


# ---- installed from the wheel ----------------------------------------------------------------


def test_recommend_works_from_the_wheel_in_a_fresh_venv(dists: dict[str, Path], tmp_path: Path) -> None:
    env = tmp_path / "venv"
    python = _fresh_venv(env)
    _pip_install(python, str(dists["wheel"]))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, cwd=elsewhere, timeout=60)
    assert probe.returncode == 0, probe.stderr
    info = json.loads(probe.stdout)
    assert Path(info["file"]).resolve().is_relative_to(env.resolve())
    assert info["tools"] == 16

    proc = _run(env, elsewhere, *QUERY, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    advice = json.loads(proc.stdout)
    assert [r["tool"] for r in advice["recommendations"]] == ["vnpt-meeting", "aic-emeeting"]
    assert advice["query"] == {**advice["query"], "role": "agency-staff", "task": "meeting", "date": "2020-04-15"}
    # Byte for byte what the development install says, in both formats.
    for fmt in ("json", "text"):
        here = subprocess.run(
            [sys.executable, "-m", "gialai_remote", *QUERY, "--format", fmt],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=elsewhere,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert here.returncode == 0, here.stderr
        assert _run(env, elsewhere, *QUERY, "--format", fmt).stdout == here.stdout

    # The packaged copy is what is read, not the checkout.
    report = _run(env, elsewhere, "validate", "--format", "json")
    assert report.returncode == 0, report.stderr
    found = json.loads(report.stdout)
    assert found["valid"] is True
    assert Path(found["path"]).resolve().is_relative_to(env.resolve())
    assert Path(found["path"]).as_posix().endswith("gialai_remote/data/guidance.yaml")
    for name in ("knowledge-base", "doctor", "recommend", "check"):
        shown = _run(env, elsewhere, "schema", name)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.rstrip("\n") == (ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8").rstrip("\n")


# ---- editable installs -------------------------------------------------------------------------


def test_an_editable_install_of_a_plain_tree_reads_the_canonical_files(tmp_path: Path) -> None:
    """``pip install -e .`` from a checkout without symlinks: the canonical files are read live.

    hatchling's editable wheel copies force-included files into site-packages, where nothing
    looks (the package is imported from ``src/``); package_data falls back to the checkout.
    """
    pytest.importorskip("editables", reason="the test dependency group brings hatchling's editables")
    tree = _plain_copy(tmp_path / "checkout")
    env = tmp_path / "venv"
    python = _fresh_venv(env)
    _pip_install(python, "--no-build-isolation", "-e", str(tree))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, cwd=elsewhere, timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert Path(json.loads(probe.stdout)["file"]) == tree / "src" / "gialai_remote" / "__init__.py"
    proc = _run(env, elsewhere, *QUERY, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert [r["tool"] for r in json.loads(proc.stdout)["recommendations"]] == ["vnpt-meeting", "aic-emeeting"]
    shown = _run(env, elsewhere, "schema", "check")
    assert shown.stdout.rstrip("\n") == (ROOT / "schemas" / "check.schema.json").read_text("utf-8").rstrip("\n")

    report = _run(env, elsewhere, "validate", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert Path(json.loads(report.stdout)["path"]) == tree / "data" / "guidance.yaml"
    # Live: an edit of the canonical file is what the next run reads.
    with (tree / "data" / "guidance.yaml").open("a", encoding="utf-8") as f:
        f.write("\n: not yaml [\n")
    assert _run(env, elsewhere, "validate").returncode == 1


def test_this_environment_finds_the_knowledge_base_from_another_directory(tmp_path: Path) -> None:
    """The running environment (the README's editable install) loads the built-in file anywhere."""
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, cwd=tmp_path, timeout=60, check=True)
    info = json.loads(proc.stdout)
    assert info["tools"] == 16
    if Path(info["file"]).is_relative_to(ROOT / "src"):
        from gialai_remote.package_data import package_file

        assert package_file("data", "guidance.yaml") == ROOT / "data" / "guidance.yaml"
        assert package_file("schemas", "check.schema.json") == ROOT / "schemas" / "check.schema.json"


# ---- package_data.package_file ----------------------------------------------------------------


def _fake_package(monkeypatch: pytest.MonkeyPatch, package: Path) -> None:
    from importlib import resources

    package.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(resources, "files", lambda name: package if name == "gialai_remote" else None)


def test_package_file_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gialai_remote.package_data import package_file

    package = tmp_path / "src" / "gialai_remote"
    _fake_package(monkeypatch, package)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    for where in (package, tmp_path):
        (where / "data").mkdir()
        (where / "data" / "guidance.yaml").write_text(str(where), encoding="utf-8")
    assert package_file("data", "guidance.yaml") == package / "data" / "guidance.yaml"


def test_package_file_falls_back_to_the_checkout_only_in_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gialai_remote.package_data import package_file

    package = tmp_path / "src" / "gialai_remote"
    _fake_package(monkeypatch, package)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "check.schema.json").write_text("{}", encoding="utf-8")
    # No pyproject.toml next to src/: not a checkout, the package's (missing) file is returned.
    missing = package_file("schemas", "check.schema.json")
    assert missing == package / "schemas" / "check.schema.json"
    with pytest.raises(FileNotFoundError):
        missing.read_bytes()
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    assert package_file("schemas", "check.schema.json") == tmp_path / "schemas" / "check.schema.json"
    # A file the checkout lacks too stays the package's path.
    assert package_file("schemas", "nothing.json") == package / "schemas" / "nothing.json"


def test_package_file_outside_src_never_looks_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gialai_remote.package_data import package_file

    package = tmp_path / "site-packages" / "gialai_remote"
    _fake_package(monkeypatch, package)
    (tmp_path / "site-packages" / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "site-packages" / "data").mkdir()
    (tmp_path / "site-packages" / "data" / "guidance.yaml").write_text("x", encoding="utf-8")
    assert package_file("data", "guidance.yaml") == package / "data" / "guidance.yaml"


def test_package_file_needs_a_path() -> None:
    from gialai_remote.package_data import package_file

    with pytest.raises(ValueError, match="at least one"):
        package_file()
