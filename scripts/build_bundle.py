#!/usr/bin/env python3
"""Build the offline bundles of gialai-remote: a folder (and an archive) to install with no network.

    python3 scripts/build_bundle.py                    # Windows and Linux bundles, into dist/
    python3 scripts/build_bundle.py --os windows       # Windows only (win_amd64 and win32)
    python3 scripts/build_bundle.py --python 3.12      # one Python (repeat for more)
    python3 scripts/build_bundle.py --host --no-index --find-links WHEELS   # offline, this machine

A bundle, ``dist/gialai-remote-VERSION-windows/`` (and ``.zip``; Linux: ``-linux/``, ``.tar.gz``):

- ``wheels/``: the project's wheel and every dependency's, for each target: win_amd64 and win32
  (Windows), manylinux 2.17 x86_64 (Linux), each for CPython 3.10, 3.11, 3.12 and 3.13;
- ``requirements/TAG.txt`` (``cp312-win_amd64``...): every package pinned with the SHA-256 of
  its wheel, what the installer gives pip;
- ``manifest.json``: every package, version, wheel, size and hash for each target;
- ``install.py`` (the installer: a virtual environment, ``pip --no-index --find-links``) and
  the launchers that find a Python for it: ``install.cmd``, ``install.ps1`` (Windows),
  ``install.sh`` (Linux); ``README.txt`` in Vietnamese and English.

How a target's set is found: uv resolves the project's dependencies FOR the target
(``uv pip compile --python-platform x86_64-pc-windows-msvc --python-version 3.12
--only-binary :all:``), so markers such as typer's ``colorama; platform_system == "Windows"``
are evaluated for Windows, not for this machine; the versions of the first target resolved
are given to the next ones as constraints, so that every target gets the same versions where
it can (one wheel each in the folder, and ``build_single_file.py`` can merge them). pip
downloads exactly those wheels (``--platform --python-version --no-deps``, hash-checked).
Then the set is checked independently of uv (:func:`check_closure`): the Requires-Dist of
every wheel, markers evaluated with :mod:`packaging.markers` for the target, must be met by
the set, and the set must hold nothing else. Any problem ends the build with exit 1.

Needs the network (PyPI) unless ``--no-index --find-links DIR`` gives the wheels. Runs with
any Python 3.10+; uv and packaging come from the running environment (the ``test``
dependency group) or, when missing, from a private environment made under
``build/bundle-tools/``.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "bundle"
PROJECT = "gialai-remote"
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
#: Windows architectures: Python.org builds both, and 32-bit Windows 10 is still on older PCs.
WINDOWS_ARCHES = ("win_amd64", "win32")
#: The oldest glibc the Linux bundle supports (manylinux2014: CentOS 7, Debian 8 and later).
LINUX_GLIBC = (2, 17)
TOOLS = ROOT / "build" / "bundle-tools"


@dataclass
class Target:
    """One interpreter the bundle installs on.

    Attributes:
        os: "windows" or "linux".
        python: "3.12" (major.minor).
        platform: the platform part of :attr:`tag`, as ``sysconfig.get_platform()`` says it
            with "-" and "." as "_": "win_amd64", "win32", "linux_x86_64".
        uv_platform: uv's ``--python-platform``; None: this machine (``--host``).
        pip_platforms: pip's ``--platform`` values; empty: this machine.
        markers: the PEP 508 environment of the target (what markers are evaluated with).
        wheel_tags: the wheel tags the target accepts, best first (``packaging.tags``).
    """

    os: str
    python: str
    platform: str
    uv_platform: str | None
    pip_platforms: list[str]
    markers: dict[str, str]
    wheel_tags: list[Any] = field(repr=False)

    @property
    def tag(self) -> str:
        """``cp312-win_amd64``: the name install.py looks for (``requirements/TAG.txt``)."""
        return f"cp{self.python.replace('.', '')}-{self.platform}"

    @property
    def version_tuple(self) -> tuple[int, int]:
        major, minor = self.python.split(".")
        return int(major), int(minor)


def _environment(python: str, os_name: str, sys_platform: str, system: str, machine: str) -> dict[str, str]:
    """A complete PEP 508 marker environment for CPython ``python`` ("3.12") on a platform."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": os_name,
        "platform_machine": machine,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": system,
        "platform_version": "",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": sys_platform,
    }


def _wheel_tags(python: str, platforms: list[str]) -> list[Any]:
    """The wheel tags CPython ``python`` ("3.12") accepts on ``platforms``, best first."""
    from packaging import tags

    version = tuple(int(p) for p in python.split("."))
    interpreter = f"cp{python.replace('.', '')}"
    return [*tags.cpython_tags(version, platforms=platforms), *tags.compatible_tags(version, interpreter, platforms)]


def windows_target(python: str, arch: str) -> Target:
    """CPython ``python`` on Windows, ``arch`` "win_amd64" or "win32"."""
    machine = {"win_amd64": "AMD64", "win32": "x86"}[arch]
    uv = {"win_amd64": "x86_64-pc-windows-msvc", "win32": "i686-pc-windows-msvc"}[arch]
    return Target(
        "windows",
        python,
        arch,
        uv,
        [arch],
        _environment(python, "nt", "win32", "Windows", machine),
        _wheel_tags(python, [arch]),
    )


def linux_target(python: str) -> Target:
    """CPython ``python`` on Linux x86_64 with glibc :data:`LINUX_GLIBC` or newer."""
    major, minor = LINUX_GLIBC
    platforms = [f"manylinux_{major}_{m}_x86_64" for m in range(minor, 4, -1)]
    platforms += ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
    return Target(
        "linux",
        python,
        "linux_x86_64",
        f"x86_64-manylinux_{major}_{minor}",
        # pip widens manylinux2014 to 2010 and 1 itself; manylinux_2_17 is the same as 2014.
        [f"manylinux_{major}_{minor}_x86_64", "manylinux2014_x86_64"],
        _environment(python, "posix", "linux", "Linux", "x86_64"),
        _wheel_tags(python, platforms),
    )


def host_target() -> Target:
    """This interpreter on this machine (``--host``): what an offline build from local wheels can make."""
    import sysconfig

    from packaging import markers, tags

    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    env = {k: str(v) for k, v in markers.default_environment().items()}
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    os_name = "windows" if sys.platform == "win32" else "linux"
    return Target(os_name, python, platform, None, [], env, list(tags.sys_tags()))


# ---- tools -------------------------------------------------------------------------------------


def ensure_tools(argv: Sequence[str]) -> None:
    """Re-run this script in a private environment when uv or packaging is missing here.

    The environment is ``build/bundle-tools/`` (made once, with pip, from PyPI). Returns only
    when the running Python has both; otherwise exits with the re-run's exit code.
    """
    if importlib.util.find_spec("uv") and importlib.util.find_spec("packaging"):
        return
    python = TOOLS / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"build_bundle: uv or packaging is missing here; making {TOOLS.relative_to(ROOT)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "uv", "packaging"], check=True)
    sys.exit(subprocess.run([str(python), str(Path(__file__).resolve()), *argv]).returncode)


def uv() -> list[str]:
    """The command that runs uv: the uv package of this environment."""
    return [sys.executable, "-m", "uv"]


def uv_version() -> str:
    """``uv 0.13.9``, as the manifest records it."""
    done = subprocess.run([*uv(), "--version"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split()[:2])


def run(argv: Sequence[str], what: str) -> None:
    """Run ``argv``; on failure print its output and exit 1 (``what`` names the step)."""
    done = subprocess.run(list(argv), capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        sys.exit(f"build_bundle: {what} failed (exit {done.returncode}): {' '.join(argv[:6])} ...")


def index_options(find_links: Sequence[Path], no_index: bool) -> list[str]:
    """The index options uv and pip share: ``--no-index`` and ``--find-links DIR`` for each DIR."""
    options = ["--no-index"] if no_index else []
    for path in find_links:
        options += ["--find-links", str(path)]
    return options


# ---- the steps ---------------------------------------------------------------------------------


def build_project_wheel(out: Path, no_index: bool) -> Path:
    """The project's wheel, built from this checkout into ``out``.

    Offline (``no_index``) it is built with this environment's hatchling, without build
    isolation; otherwise pip fetches the build backend into an isolated environment.
    """
    offline = ["--no-build-isolation", "--no-index"] if no_index else []
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--isolated",
            "wheel",
            "--quiet",
            "--no-deps",
            *offline,
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        "building the project's wheel",
    )
    return next(out.glob("gialai_remote-*.whl"))


def resolve(target: Target, out: Path, index: list[str], constraints: Path | None) -> Path | None:
    """Pinned requirements (with hashes) of the project's dependencies for ``target``.

    ``uv pip compile`` evaluates every marker for the target, takes wheels only, and keeps
    to the versions in ``constraints`` when it is given. Returns the file, or None when the
    dependencies cannot be met under those constraints.
    """
    argv = [
        *uv(),
        "pip",
        "compile",
        str(ROOT / "pyproject.toml"),
        "--quiet",
        "--no-header",
        "--generate-hashes",
        "--only-binary",
        ":all:",
        "--output-file",
        str(out),
        *index,
    ]
    if target.uv_platform is None:
        argv += ["--python", sys.executable]
    else:
        argv += ["--python-platform", target.uv_platform, "--python-version", target.python]
    if "--no-index" in index:
        argv.append("--offline")
    if constraints is not None:
        argv += ["--constraints", str(constraints)]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        if constraints is not None:
            return None
        sys.stderr.write(done.stderr[-4000:])
        sys.exit(f"build_bundle: uv could not resolve the dependencies for {target.tag}")
    return out


def pins(requirements: Path) -> dict[str, str]:
    """``{canonical name: version}`` of a compiled requirements file."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            req = Requirement(line.split(" \\")[0].split(" --hash")[0])
            found[canonicalize_name(req.name)] = str(next(iter(req.specifier)).version)
    return found


def download(target: Target, requirements: Path, wheels: Path, index: list[str]) -> None:
    """Download exactly the pinned wheels for ``target`` into ``wheels`` (hash-checked by pip)."""
    platform: list[str] = []
    if target.uv_platform is not None:
        for name in target.pip_platforms:
            platform += ["--platform", name]
        platform += ["--python-version", target.python, "--implementation", "cp"]
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--isolated",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary",
            ":all:",
            *platform,
            *index,
            "--dest",
            str(wheels),
            "--requirement",
            str(requirements),
        ],
        f"downloading the wheels for {target.tag}",
    )


def wheel_file(name: str, version: str, target: Target, wheels: Path) -> Path:
    """The wheel of ``name`` ``version`` in ``wheels`` that ``target`` installs (its best tag).

    Raises:
        LookupError: no wheel there fits the target.
    """
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version

    rank = {tag: i for i, tag in enumerate(target.wheel_tags)}
    best: tuple[int, Path] | None = None
    for path in wheels.glob("*.whl"):
        wname, wversion, _, wtags = parse_wheel_filename(path.name)
        if wname != canonicalize_name(name) or wversion != Version(version):
            continue
        fits = [rank[t] for t in wtags if t in rank]
        if fits and (best is None or min(fits) < best[0]):
            best = (min(fits), path)
    if best is None:
        raise LookupError(f"no wheel of {name} {version} fits {target.tag}")
    return best[1]


@dataclass(frozen=True)
class Dist:
    """A distribution as metadata describes it: canonical name, version, Requires-Dist lines."""

    name: str
    version: str
    requires: tuple[str, ...]


def wheel_metadata(path: Path) -> Dist:
    """The :class:`Dist` of a wheel, read from its ``*.dist-info/METADATA``."""
    from packaging.utils import canonicalize_name

    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(name).decode("utf-8"))
    return Dist(canonicalize_name(meta["Name"]), meta["Version"], tuple(meta.get_all("Requires-Dist") or ()))


def check_closure(root: str, dists: dict[str, Dist], environment: dict[str, str]) -> tuple[set[str], list[str]]:
    """What ``root`` needs in ``environment``, and what the set ``dists`` lacks for it.

    Follows Requires-Dist from ``root`` (a canonical name in ``dists``), evaluating each
    marker with :mod:`packaging.markers` for ``environment`` (a PEP 508 environment, e.g.
    Windows' for a Windows target) and the extras asked for, and checks each requirement's
    version specifier against the version in ``dists``.

    Returns:
        (the canonical names needed, ``root`` included; one line per problem: a requirement
        missing from ``dists`` or met by a version outside its specifier). Never raises for
        a missing distribution: that is a problem line.
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    needed: dict[str, set[str]] = {root: {""}}
    todo = [(root, "")]
    problems: list[str] = []
    while todo:
        name, extra = todo.pop()
        dist = dists.get(name)
        if dist is None:
            continue
        for line in dist.requires:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({**environment, "extra": extra}):
                continue
            wanted = canonicalize_name(req.name)
            present = dists.get(wanted)
            if present is None:
                problems.append(f"{dist.name} {dist.version} needs {req}, which is not in the set")
            elif not req.specifier.contains(Version(present.version), prereleases=True):
                problems.append(f"{dist.name} needs {req}, the set has {present.version}")
            for asked in ("", *sorted(req.extras)):
                if asked not in needed.setdefault(wanted, set()):
                    needed[wanted].add(asked)
                    todo.append((wanted, asked))
    return set(needed), sorted(set(problems))


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def target_files(target: Target, project_wheel: Path, requirements: Path, wheels: Path) -> list[Path]:
    """The project's wheel and the wheel of every pin, checked with :func:`check_closure`.

    Exits 1, naming every problem, when the set does not meet its own metadata for the
    target or holds a wheel nothing needs.
    """
    files = [project_wheel]
    try:
        files += [wheel_file(n, v, target, wheels) for n, v in sorted(pins(requirements).items())]
    except LookupError as exc:
        sys.exit(f"build_bundle: {exc}")
    dists = {d.name: d for d in map(wheel_metadata, files)}
    needed, problems = check_closure(wheel_metadata(project_wheel).name, dists, target.markers)
    problems += [f"{name} is in the set but nothing needs it" for name in sorted(set(dists) - needed)]
    if problems:
        sys.exit(f"build_bundle: the set for {target.tag} is wrong:\n  " + "\n  ".join(problems))
    return files


def write_text(path: Path, text: str, windows: bool) -> None:
    """Write ``text``; for Windows with CRLF line ends, and a BOM when it is not ASCII.

    Windows PowerShell 5.1 reads a ``.ps1`` without a BOM in the ANSI code page, and old
    Notepad a ``.txt``; cmd.exe needs CRLF to find its labels reliably.
    """
    if windows:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        data = text.encode("utf-8") if text.isascii() else b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        data = text.encode("utf-8")
    path.write_bytes(data)


def render_templates(os_name: str, version: str, pythons: Iterable[str], out: Path) -> list[Path]:
    """Write the installer files and README.txt of an ``os_name`` bundle into ``out``."""
    windows = os_name == "windows"
    names = ["install.cmd", "install.ps1"] if windows else ["install.sh"]
    written = []
    for name in ["install.py", *names]:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        write_text(out / name, text, windows and name != "install.py")
        written.append(out / name)
    if not windows:
        (out / "install.sh").chmod(0o755)
    readme = (TEMPLATES / f"README-{os_name}.txt").read_text(encoding="utf-8")
    readme = readme.replace("@VERSION@", version).replace("@PYTHONS@", ", ".join(pythons))
    write_text(out / "README.txt", readme, windows)
    written.append(out / "README.txt")
    return written


def build(os_name: str, targets: list[Target], out_dir: Path, index: list[str], archive: bool) -> Path:
    """Build the bundle of ``os_name`` for ``targets`` in ``out_dir``; returns its folder."""
    import datetime as dt

    with tempfile.TemporaryDirectory(prefix="gialai-bundle-") as tmp:
        scratch = Path(tmp)
        project_wheel = build_project_wheel(scratch / "project", "--no-index" in index)
        version = wheel_metadata(project_wheel).version
        bundle = out_dir / f"{PROJECT}-{version}-{os_name}"
        if bundle.exists():
            shutil.rmtree(bundle)
        (bundle / "wheels").mkdir(parents=True)
        (bundle / "requirements").mkdir()
        shutil.copy2(project_wheel, bundle / "wheels" / project_wheel.name)
        manifest: dict[str, Any] = {
            "project": PROJECT,
            "version": version,
            "os": os_name,
            "built": dt.date.today().isoformat(),
            "resolver": uv_version(),
            "targets": {},
        }
        constraints: Path | None = None
        for target in targets:
            compiled = scratch / f"{target.tag}.in.txt"
            found = resolve(target, compiled, index, constraints)
            constrained = found is not None and constraints is not None
            if found is None:
                print(
                    f"build_bundle: note: {target.tag} cannot share the versions of "
                    f"{targets[0].tag}; resolved on its own",
                    file=sys.stderr,
                )
                found = resolve(target, compiled, index, None)
            assert found is not None
            download(target, found, bundle / "wheels", index)
            files = target_files(target, bundle / "wheels" / project_wheel.name, found, bundle / "wheels")
            packages = []
            lines = [
                f"# gialai-remote {version} for {target.tag}: every package, pinned by its wheel's SHA-256.",
                "# install.py gives this file to pip with --no-index --find-links wheels.",
            ]
            for path in files:
                dist = wheel_metadata(path)
                digest = sha256(path)
                packages.append(
                    {
                        "name": dist.name,
                        "version": dist.version,
                        "wheel": path.name,
                        "sha256": digest,
                        "size": path.stat().st_size,
                    }
                )
                lines.append(f"{dist.name}=={dist.version} --hash=sha256:{digest}")
            requirements = bundle / "requirements" / f"{target.tag}.txt"
            write_text(requirements, "\n".join(lines) + "\n", os_name == "windows")
            manifest["targets"][target.tag] = {
                "python": target.python,
                "platform": target.platform,
                "requirements": f"requirements/{target.tag}.txt",
                "constrained_by_first_target": constrained,
                "package_count": len(packages),
                "total_size": sum(p["size"] for p in packages),
                "packages": packages,
            }
            if constraints is None:  # the first target's versions, for every other target
                constraints = scratch / "constraints.txt"
                constraints.write_text(
                    "".join(f"{p['name']}=={p['version']}\n" for p in packages if p["name"] != PROJECT), "utf-8"
                )
        used = {p["wheel"] for t in manifest["targets"].values() for p in t["packages"]}
        for stray in (bundle / "wheels").glob("*.whl"):
            if stray.name not in used:
                stray.unlink()
        manifest["wheels"] = len(used)
        manifest["size"] = sum((bundle / "wheels" / name).stat().st_size for name in used)
        (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        render_templates(os_name, version, sorted({t.python for t in targets}), bundle)
    if archive:
        fmt = "zip" if os_name == "windows" else "gztar"
        shutil.make_archive(str(bundle), fmt, root_dir=out_dir, base_dir=bundle.name)
    return bundle


def summary(bundle: Path) -> str:
    """One line per target of a built bundle: packages, size, colorama."""
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    rows = [f"{bundle.name}: {manifest['wheels']} wheels, {manifest['size'] / 1e6:.1f} MB"]
    for tag, target in manifest["targets"].items():
        names = {p["name"] for p in target["packages"]}
        rows.append(
            f"  {tag:18} {target['package_count']:3} packages  {target['total_size'] / 1e6:5.1f} MB  "
            f"colorama: {'yes' if 'colorama' in names else 'no'}"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and build. Returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--os", action="append", choices=["windows", "linux"], help="default: both")
    parser.add_argument("--python", action="append", choices=PYTHONS, help="default: 3.10 to 3.13")
    parser.add_argument("--arch", action="append", choices=WINDOWS_ARCHES, help="Windows only; default: both")
    parser.add_argument("--host", action="store_true", help="only this machine's platform and Python")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--find-links", type=Path, action="append", default=[], help="a folder of wheels")
    parser.add_argument("--no-index", action="store_true", help="no package index: wheels from --find-links only")
    parser.add_argument("--no-archive", action="store_true", help="the folder only, no .zip / .tar.gz")
    args = parser.parse_args(args_list)
    ensure_tools(args_list)
    index = index_options([p.resolve() for p in args.find_links], args.no_index)
    args.out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, list[Target]]] = []
    if args.host:
        host = host_target()
        jobs.append((host.os, [host]))
    else:
        pythons = args.python or list(PYTHONS)
        if "windows" in (args.os or ["windows"]):
            jobs.append(("windows", [windows_target(p, a) for a in args.arch or WINDOWS_ARCHES for p in pythons]))
        if "linux" in (args.os or ["linux"]):
            jobs.append(("linux", [linux_target(p) for p in pythons]))
    for os_name, targets in jobs:
        bundle = build(os_name, targets, args.out.resolve(), index, not args.no_archive)
        print(summary(bundle))
    return 0


if __name__ == "__main__":
    sys.exit(main())
