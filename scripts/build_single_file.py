#!/usr/bin/env python3
"""Build the single-file gialai-remote (a shiv zipapp) from an offline bundle: one file to copy.

    python3 scripts/build_bundle.py --os windows                       # first, the bundle
    python3 scripts/build_single_file.py dist/gialai-remote-0.1.0-windows
    py gialai-remote-0.1.0-windows.pyz recommend --role agency-staff --task meeting   # on Windows

The file runs with a Python the user already has, any of the bundle's targets (Windows:
CPython 3.10-3.13, 64-bit or 32-bit; Linux: 3.10-3.13 x86_64), without installing anything:
on its first run it unpacks itself into ``~/.shiv`` (``%USERPROFILE%\\.shiv``; ``SHIV_ROOT``
moves it) and compiles its modules once, which takes a few seconds; later runs start from
there. A Python it has no build for is told so in one line (exit 70), before any import.

How: every target's wheels are installed from the bundle (``pip install --target --no-deps
--no-index --find-links wheels --platform ...``, hash-checked by its requirements file) into
one tree per target, and the trees are merged into one site-packages. That works because the
bundle gives every target the same versions (build_bundle's constraints) and each compiled
module carries its Python and platform in its name (``_pydantic_core.cp312-win_amd64.pyd``):
Python picks its own. Two targets with different files at one path stop the build, naming
them (the ``.dist-info`` folders, which only describe, keep the first target's). shiv then
zips the tree with ``--compile-pyc``, ``--reproducible`` and the preamble that checks the
interpreter. No network is used.

Why shiv, not pex or zipapp: ``python -m zipapp`` cannot import compiled modules from a zip
(pydantic_core: every command exits 70); pex does not support Windows. Measured on Linux,
Python 3.11, ``check --format json``: venv 184 ms, shiv 217 ms, pex (zipapp mode) 635 ms,
pex ``--venv`` 281 ms; files of 10.0, 11.3 and 11.4 MB (docs/windows.md).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINT = "gialai_remote.cli.entry:cli"
#: The pip --platform values of a target platform (the Linux ones as build_bundle downloads them).
PIP_PLATFORMS = {
    "win_amd64": ["win_amd64"],
    "win32": ["win32"],
    "linux_x86_64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64"],
}
PREAMBLE = '''"""Stop with one clear line when this Python has no build in the file (before any import)."""
import sys
import sysconfig

SUPPORTED = @SUPPORTED@
tag = "cp{}{}-{}".format(
    sys.version_info[0], sys.version_info[1], sysconfig.get_platform().replace("-", "_").replace(".", "_")
)
if tag not in SUPPORTED:
    here = "Python {} ({})".format(sys.version.split()[0], "64-bit" if sys.maxsize > 2**32 else "32-bit")
    sys.stderr.write(
        "gialai-remote: tệp này chạy với @DESCRIBED@, không chạy với {here}. Hãy dùng một Python "
        "phù hợp (ví dụ py -3.12 tệp.pyz ...) hoặc bộ cài không cần mạng.\\n"
        "  This file runs with @DESCRIBED@, not with {here}: use one of those, or the offline bundle.\\n".format(
            here=here
        )
    )
    sys.exit(70)
'''
#: How the preamble names a platform.
PLATFORM_NAMES = {"win_amd64": "Windows 64-bit", "win32": "Windows 32-bit", "linux_x86_64": "Linux x86_64"}


def describe(tags: Iterable[str]) -> str:
    """``Python 3.10, 3.11 (Windows 64-bit, Windows 32-bit)``: the targets ``tags`` in words."""
    pythons, platforms = [], []
    for tag in tags:
        version, platform = tag.split("-", 1)
        python = f"{version[2]}.{version[3:]}"
        pythons += [python] if python not in pythons else []
        name = PLATFORM_NAMES.get(platform, platform)
        platforms += [name] if name not in platforms else []
    ordered = sorted(pythons, key=lambda v: tuple(int(p) for p in v.split(".")))
    known = list(PLATFORM_NAMES.values())
    platforms.sort(key=lambda name: known.index(name) if name in known else len(known))
    return f"Python {', '.join(ordered)} ({', '.join(platforms)})"


def this_tag() -> str:
    """The running interpreter's tag as the bundle names it (``cp311-linux_x86_64``)."""
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"cp{sys.version_info[0]}{sys.version_info[1]}-{platform}"


def install_target(bundle: Path, tag: str, entry: dict[str, Any], out: Path) -> None:
    """Install target ``tag`` of ``bundle`` into the folder ``out`` (pip ``--target``, offline).

    The running interpreter's own target is installed as such; any other with pip's
    ``--platform``, ``--python-version`` and ``--implementation`` for it.
    """
    platform: list[str] = []
    if tag != this_tag():
        for name in PIP_PLATFORMS[entry["platform"]]:
            platform += ["--platform", name]
        platform += ["--python-version", entry["python"], "--implementation", "cp"]
    argv = [
        sys.executable,
        "-m",
        "pip",
        "--isolated",
        "install",
        "--quiet",
        "--no-deps",
        "--no-compile",
        "--only-binary",
        ":all:",
        "--no-index",
        "--find-links",
        str(bundle / "wheels"),
        *platform,
        "--target",
        str(out),
        "--requirement",
        str(bundle / entry["requirements"]),
    ]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        sys.exit(f"build_single_file: pip could not install {tag} from {bundle}")
    # pip made console scripts for this machine; the zipapp has its own entry point.
    shutil.rmtree(out / "bin", ignore_errors=True)


def merge(trees: dict[str, Path], out: Path) -> list[str]:
    """Merge the installed ``trees`` (tag -> folder) into ``out``; returns the conflicts.

    A file at the same path in two trees must have the same bytes, except inside a
    ``.dist-info`` folder (metadata: RECORD and WHEEL name the target's own files), where the
    first tree's is kept. Each conflict is one line naming the path and the two targets.
    """
    owner: dict[Path, str] = {}
    conflicts = []
    for tag, tree in trees.items():
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            relative = path.relative_to(tree)
            target = out / relative
            if relative not in owner:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                owner[relative] = tag
            elif not filecmp.cmp(path, target, shallow=False) and not relative.parts[0].endswith(".dist-info"):
                conflicts.append(f"{relative.as_posix()}: {owner[relative]} and {tag} differ")
    return conflicts


def build(bundle: Path, output: Path, targets: Iterable[str] | None = None) -> dict[str, Any]:
    """Build the single file ``output`` from ``bundle`` (all its targets, or ``targets``).

    Returns what is written next to it as ``OUTPUT.json``: the targets, packages, size and
    SHA-256. Exits 1 (naming them) when two targets cannot share the file.
    """
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    chosen = {tag: entry for tag, entry in manifest["targets"].items() if targets is None or tag in targets}
    if not chosen:
        sys.exit(f"build_single_file: {bundle} has none of the targets {sorted(targets or ())}")
    with tempfile.TemporaryDirectory(prefix="gialai-single-") as tmp:
        scratch = Path(tmp)
        trees = {}
        for tag, entry in chosen.items():
            trees[tag] = scratch / "targets" / tag
            install_target(bundle, tag, entry, trees[tag])
        site = scratch / "site-packages"
        site.mkdir()
        conflicts = merge(trees, site)
        if conflicts:
            sys.exit("build_single_file: these targets cannot share one file:\n  " + "\n  ".join(conflicts))
        preamble = scratch / "gialai_remote_preamble.py"
        text = PREAMBLE.replace("@SUPPORTED@", repr(sorted(chosen))).replace("@DESCRIBED@", describe(sorted(chosen)))
        preamble.write_text(text, encoding="utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        argv = [
            sys.executable,
            "-m",
            "shiv",
            "--site-packages",
            str(site),
            "--entry-point",
            ENTRY_POINT,
            "--output-file",
            str(output),
            "--python",
            "/usr/bin/env python3",
            "--compile-pyc",
            "--reproducible",
            "--preamble",
            str(preamble),
        ]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            sys.exit("build_single_file: shiv failed")
    packages = sorted({(p["name"], p["version"]) for e in chosen.values() for p in e["packages"]})
    info = {
        "file": output.name,
        "version": manifest["version"],
        "targets": sorted(chosen),
        "packages": [{"name": n, "version": v} for n, v in packages],
        "size": output.stat().st_size,
        "sha256": hashlib.sha256(output.read_bytes()).hexdigest(),
    }
    Path(f"{output}.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and build. Returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bundle", type=Path, help="a folder written by scripts/build_bundle.py")
    parser.add_argument("--output", type=Path, help="default: dist/gialai-remote-VERSION-OS.pyz")
    parser.add_argument("--target", action="append", help="only these tags (cp312-win_amd64...); default: all")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    if not (bundle / "manifest.json").is_file():
        parser.error(f"{bundle} is not a bundle (no manifest.json): run scripts/build_bundle.py first")
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    output = args.output or bundle.parent / f"gialai-remote-{manifest['version']}-{manifest['os']}.pyz"
    info = build(bundle, output.resolve(), args.target)
    print(f"{output}: {info['size'] / 1e6:.1f} MB, {len(info['packages'])} packages, for {', '.join(info['targets'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
