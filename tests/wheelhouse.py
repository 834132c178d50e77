"""A wheelhouse made offline from this test environment, and the build scripts as modules.

The bundle and single-file tests must build without the network, yet need a wheel for every
dependency. This environment has every one of them installed (the README's
``pip install -e . --group dev``), so each is packed back into a wheel: the files its RECORD
lists under site-packages (no ``__pycache__``, no generated console scripts, which pip makes
again from ``entry_points.txt``), its ``.dist-info`` with the original ``WHEEL`` tags, packed
by ``wheel pack`` (pypa's own tool, which writes a new RECORD). The project's wheel is built
by the scripts themselves, offline, with this environment's hatchling.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
#: dist-info files that describe one installation, not the distribution.
_INSTALL_ONLY = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def script(name: str) -> ModuleType:
    """``scripts/NAME.py`` imported as a module (the scripts folder is not a package)."""
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_script_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def installed() -> dict[str, metadata.Distribution]:
    """Every distribution of this environment, by canonical name."""
    from packaging.utils import canonicalize_name

    return {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions()}


def repack(dist: metadata.Distribution, out: Path, work: Path) -> Path:
    """Pack the installed ``dist`` back into a wheel in ``out``; returns the wheel's path."""
    name = dist.metadata["Name"]
    tree = work / f"{name}-{dist.version}"
    if tree.exists():
        shutil.rmtree(tree)
    for entry in dist.files or ():
        parts = entry.parts
        if parts[0] == ".." or "__pycache__" in parts or entry.suffix == ".pyc":
            continue
        if parts[0].endswith(".dist-info") and entry.name in _INSTALL_ONLY:
            continue
        target = tree.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(str(entry.locate())), target)
    before = set(out.glob("*.whl"))
    subprocess.run(
        [sys.executable, "-m", "wheel", "pack", "--dest-dir", str(out), str(tree)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (made,) = set(out.glob("*.whl")) - before
    return made


def host_wheelhouse(out: Path, work: Path) -> list[Path]:
    """A wheel in ``out`` for every dependency gialai-remote has on this machine.

    The set is the closure of gialai-remote's Requires-Dist in this environment, markers
    evaluated for this machine (build_bundle.check_closure over the installed metadata).
    """
    from packaging import markers

    bundle = script("build_bundle")
    dists = installed()
    described = {name: bundle.Dist(name, d.version, tuple(d.requires or ())) for name, d in dists.items()}
    env = {k: str(v) for k, v in markers.default_environment().items()}
    needed, problems = bundle.check_closure("gialai-remote", described, env)
    assert problems == [], problems
    out.mkdir(parents=True, exist_ok=True)
    return [repack(dists[name], out, work) for name in sorted(needed - {"gialai-remote"})]


def offline_env(tmp: Path) -> dict[str, str]:
    """An environment for build and install steps: no pip or uv settings, every proxy at a closed port.

    Anything that tried the network would fail at once on 127.0.0.1:9; uv's cache is under
    ``tmp``.
    """
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "GIALAI_REMOTE_", "PYTHON"))}
    dead = "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = dead
    env.update({"NO_PROXY": "", "no_proxy": "", "UV_CACHE_DIR": str(tmp / "uv-cache"), "PIP_NO_CACHE_DIR": "1"})
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def build_host_bundle(tmp: Path) -> Path:
    """This machine's bundle (scripts/build_bundle.py --host), built offline in ``tmp``; its folder."""
    wheels = tmp / "wheelhouse"
    host_wheelhouse(wheels, tmp / "work")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_bundle.py"),
            "--host",
            "--no-index",
            "--find-links",
            str(wheels),
            "--out",
            str(tmp / "out"),
        ],
        capture_output=True,
        text=True,
        env=offline_env(tmp),
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (folder,) = [p for p in (tmp / "out").iterdir() if p.is_dir()]
    return folder
