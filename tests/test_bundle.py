"""The offline bundle (scripts/build_bundle.py): the right set for Windows, and an install with no network.

- The set for Windows, from this environment's installed metadata with the markers evaluated
  for Windows (``packaging.markers``), for each supported Python and both architectures: it
  holds colorama, which typer needs only there and a host-evaluated download misses, and it
  is exactly the set the committed manifest of the last real build lists
  (``tests/bundle/windows-manifest.json``, written by ``build_bundle.py``; rebuild and copy
  it when the dependencies change: the test says so).
- A bundle for this machine built offline (``--host --no-index``) from a wheelhouse packed
  from this environment (tests/wheelhouse.py), installed by its own launcher into a fresh
  virtual environment with every proxy pointing at a dead port, then ``recommend`` run there.
- The Windows launchers as cmd.exe and Windows PowerShell 5.1 need them: CRLF, ASCII for the
  batch file and a BOM for the PowerShell one, no ``&&`` in PowerShell, every path quoted,
  every label defined. (No PowerShell or cmd.exe on this machine: a Windows runner runs the
  real install through install.cmd, see the install test.)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wheelhouse import ROOT, installed, offline_env, script

bundle = script("build_bundle")
FIXTURE = ROOT / "tests" / "bundle"
WINDOWS_MANIFEST = json.loads((FIXTURE / "windows-manifest.json").read_text(encoding="utf-8"))
LINUX_MANIFEST = json.loads((FIXTURE / "linux-manifest.json").read_text(encoding="utf-8"))
QUERY = ["recommend", "--role", "agency-staff", "--task", "meeting", "--no-input", "--date", "2020-04-15"]
WINDOWS_TARGETS = [(p, a) for a in bundle.WINDOWS_ARCHES for p in bundle.PYTHONS]
WINDOWS_IDS = [f"cp{p.replace('.', '')}-{a}" for p, a in WINDOWS_TARGETS]


def _described() -> dict[str, Any]:
    """This environment's distributions as build_bundle.Dist (name, version, Requires-Dist)."""
    return {name: bundle.Dist(name, d.version, tuple(d.requires or ())) for name, d in installed().items()}


def _names(target: dict[str, Any]) -> set[str]:
    return {p["name"] for p in target["packages"]}


# ---- (a) the set for Windows --------------------------------------------------------------------


@pytest.mark.parametrize(("python", "arch"), WINDOWS_TARGETS, ids=WINDOWS_IDS)
def test_the_windows_set_from_installed_metadata_has_colorama_and_matches_the_manifest(python: str, arch: str) -> None:
    target = bundle.windows_target(python, arch)
    needed, problems = bundle.check_closure("gialai-remote", _described(), target.markers)
    assert "colorama" in needed
    # colorama is not installed here (Linux): the one thing this environment cannot provide.
    missing = [p for p in problems if "not in the set" in p]
    assert missing == [p for p in problems if "colorama" in p] and len(missing) >= 1, problems
    listed = _names(WINDOWS_MANIFEST["targets"][target.tag])
    assert needed == listed, (
        f"the committed manifest of {target.tag} is stale: run `python scripts/build_bundle.py --os windows` "
        f"and copy dist/gialai-remote-*-windows/manifest.json to tests/bundle/windows-manifest.json "
        f"(only here: {sorted(needed - listed)}; only in the manifest: {sorted(listed - needed)})"
    )


def test_evaluated_for_this_machine_the_set_lacks_colorama() -> None:
    """The trap the script avoids: markers evaluated on the build machine drop Windows-only packages."""
    from packaging import markers

    if sys.platform == "win32":
        pytest.skip("on Windows the machine's markers are the target's")
    here = {k: str(v) for k, v in markers.default_environment().items()}
    needed, problems = bundle.check_closure("gialai-remote", _described(), here)
    assert "colorama" not in needed and problems == []
    linux = bundle.linux_target(f"{sys.version_info[0]}.{sys.version_info[1]}")
    assert needed == _names(LINUX_MANIFEST["targets"][linux.tag])


@pytest.mark.parametrize("manifest", [WINDOWS_MANIFEST, LINUX_MANIFEST], ids=["windows", "linux"])
def test_the_committed_manifest_covers_every_supported_target_with_fitting_wheels(manifest: dict[str, Any]) -> None:
    from packaging.utils import parse_wheel_filename

    windows = manifest["os"] == "windows"
    expected = (
        [f"cp{p.replace('.', '')}-{a}" for p, a in WINDOWS_TARGETS]
        if windows
        else [f"cp{p.replace('.', '')}-linux_x86_64" for p in bundle.PYTHONS]
    )
    assert sorted(manifest["targets"]) == sorted(expected)
    for tag, entry in manifest["targets"].items():
        python = entry["python"]
        target = bundle.windows_target(python, entry["platform"]) if windows else bundle.linux_target(python)
        assert target.tag == tag and entry["requirements"] == f"requirements/{tag}.txt"
        accepted = set(target.wheel_tags)
        for package in entry["packages"]:
            name, version, _, tags = parse_wheel_filename(package["wheel"])
            assert (str(name), str(version)) == (package["name"], package["version"])
            assert tags & accepted, f"{package['wheel']} does not install on {tag}"
            assert re.fullmatch(r"[0-9a-f]{64}", package["sha256"]) and package["size"] > 0
        assert entry["package_count"] == len(entry["packages"])
        assert entry["total_size"] == sum(p["size"] for p in entry["packages"])
        assert ("colorama" in _names(entry)) is windows


@pytest.mark.parametrize("manifest", [WINDOWS_MANIFEST, LINUX_MANIFEST], ids=["windows", "linux"])
def test_the_committed_manifest_meets_the_projects_declared_ranges(manifest: dict[str, Any]) -> None:
    """A bound changed in pyproject.toml (typer's cap, say) makes a stale manifest fail here."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    declared = [Requirement(r) for r in metadata.requires("gialai-remote") or ()]
    for tag, entry in manifest["targets"].items():
        versions = {p["name"]: Version(p["version"]) for p in entry["packages"]}
        for req in declared:
            name = canonicalize_name(req.name)
            assert name in versions, f"{tag}: {name} is missing"
            assert versions[name] in req.specifier, f"{tag}: {name} {versions[name]} is outside {req.specifier}"


def test_check_closure_reports_what_a_set_lacks_and_a_version_outside_its_range() -> None:
    dists = {
        "app": bundle.Dist("app", "1", ("lib>=2", 'winonly; sys_platform == "win32"', "other[fast]")),
        "lib": bundle.Dist("lib", "1.5", ()),
        "other": bundle.Dist("other", "3", ('speedup; extra == "fast"',)),
    }
    windows = bundle.windows_target("3.12", "win_amd64").markers
    needed, problems = bundle.check_closure("app", dists, windows)
    assert needed == {"app", "lib", "winonly", "other", "speedup"}
    assert problems == [
        'app 1 needs winonly; sys_platform == "win32", which is not in the set',
        "app needs lib>=2, the set has 1.5",
        'other 3 needs speedup; extra == "fast", which is not in the set',
    ]
    linux = bundle.linux_target("3.12").markers
    assert "winonly" not in bundle.check_closure("app", dists, linux)[0]


# ---- (b) a bundle built and installed with no network -------------------------------------------


def test_the_host_bundle_has_its_files_and_a_manifest_that_matches_its_wheels(host_bundle: Path) -> None:
    windows = sys.platform == "win32"
    launchers = {"install.cmd", "install.ps1"} if windows else {"install.sh"}
    assert {"README.txt", "install.py", "manifest.json", "wheels", "requirements"} | launchers <= {
        p.name for p in host_bundle.iterdir()
    }
    archive = host_bundle.with_name(host_bundle.name + (".zip" if windows else ".tar.gz"))
    assert archive.is_file() and archive.stat().st_size > 1_000_000
    manifest = json.loads((host_bundle / "manifest.json").read_text(encoding="utf-8"))
    ((tag, entry),) = manifest["targets"].items()
    assert (
        tag
        == subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); import install; print(install.tag())",
                str(host_bundle),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    )
    wheels = sorted(p.name for p in (host_bundle / "wheels").iterdir())
    assert wheels == sorted(p["wheel"] for p in entry["packages"])
    for package in entry["packages"]:
        assert bundle.sha256(host_bundle / "wheels" / package["wheel"]) == package["sha256"]
    lines = (host_bundle / entry["requirements"]).read_text(encoding="utf-8").splitlines()
    pinned = [line for line in lines if not line.startswith("#")]
    assert pinned == [f"{p['name']}=={p['version']} --hash=sha256:{p['sha256']}" for p in entry["packages"]]
    assert pinned[0].startswith("gialai-remote==")


def test_the_bundle_installs_offline_into_a_fresh_venv_and_recommends(host_bundle: Path, tmp_path: Path) -> None:
    env = {**offline_env(tmp_path), "GIALAI_PYTHON": sys.executable, "GIALAI_NO_PAUSE": "1"}
    target = tmp_path / "cài đặt" / "gialai remote"  # a space and Vietnamese letters in the path
    if sys.platform == "win32":
        argv = ["cmd.exe", "/c", str(host_bundle / "install.cmd"), str(target)]
    else:
        argv = ["sh", str(host_bundle / "install.sh"), str(target)]
    done = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    scripts = target / ("Scripts" if sys.platform == "win32" else "bin")
    command = scripts / ("gialai-remote.exe" if sys.platform == "win32" else "gialai-remote")
    assert f"Lệnh nằm ở: {command}" in done.stdout and f"The command is: {command}" in done.stdout
    assert (target / "pyvenv.cfg").is_file()

    answer = subprocess.run(
        [str(command), *QUERY, "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert answer.returncode == 0, answer.stderr
    assert [r["tool"] for r in json.loads(answer.stdout)["recommendations"]] == ["vnpt-meeting", "aic-emeeting"]

    # Exactly the manifest's packages (and the venv's own pip) are installed there.
    manifest = json.loads((host_bundle / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["targets"].values()
    python = scripts / ("python.exe" if sys.platform == "win32" else "python")
    listed = subprocess.run(
        [str(python), "-m", "pip", "--isolated", "list", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    from packaging.utils import canonicalize_name

    there = {canonicalize_name(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    there = {k: v for k, v in there.items() if k not in ("pip", "setuptools")}
    assert there == {p["name"]: p["version"] for p in entry["packages"]}

    # Run again: the older install there is replaced, not refused.
    again = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]


def test_the_installer_refuses_a_folder_with_other_files_and_a_python_it_has_no_build_for(
    host_bundle: Path, tmp_path: Path
) -> None:
    env = offline_env(tmp_path)
    busy = tmp_path / "Documents"
    busy.mkdir()
    (busy / "bao-cao.docx").write_bytes(b"x")
    installer = str(host_bundle / "install.py")
    done = subprocess.run(
        [sys.executable, installer, str(busy)], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120
    )
    assert done.returncode == 1 and "đã có tệp khác" in done.stdout and (busy / "bao-cao.docx").exists()
    assert subprocess.run([sys.executable, installer, "--check"], env=env, timeout=60).returncode == 0
    # This bundle has one build (this Python): any other tag is refused, by name.
    fake = tmp_path / "fake-bundle"
    shutil.copytree(host_bundle, fake, ignore=shutil.ignore_patterns("wheels"))
    manifest = json.loads((fake / "manifest.json").read_text(encoding="utf-8"))
    manifest["targets"] = {"cp399-win_amd64": next(iter(manifest["targets"].values()))}
    (fake / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert subprocess.run([sys.executable, str(fake / "install.py"), "--check"], env=env, timeout=60).returncode == 1
    refused = subprocess.run(
        [sys.executable, str(fake / "install.py"), str(tmp_path / "x")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert refused.returncode == 1 and "cp399-win_amd64" in refused.stdout and not (tmp_path / "x").exists()


# ---- (c) the Windows launchers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def windows_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("windows-templates")
    written = bundle.render_templates("windows", "0.1.0", bundle.PYTHONS, out)
    return {p.name: p.read_bytes() for p in written}


def _code_lines(text: str, comment: str) -> list[str]:
    """The lines of a script that are not comments, with string literals blanked out."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.lower().startswith(comment):
            continue
        lines.append(re.sub(r'"[^"]*"', '""', re.sub(r"'[^']*'", "''", line)))
    return lines


@pytest.mark.parametrize("name", ["install.cmd", "install.ps1", "README.txt"])
def test_windows_files_have_crlf_line_ends_only(windows_files: dict[str, bytes], name: str) -> None:
    data = windows_files[name]
    assert data.count(b"\n") > 5 and data.count(b"\n") == data.count(b"\r\n")


def test_install_cmd_is_ascii_with_every_label_defined_and_every_path_quoted(windows_files: dict[str, bytes]) -> None:
    data = windows_files["install.cmd"]
    assert data.isascii(), "cmd.exe reads batch files in the OEM code page"
    text = data.decode("ascii")
    assert text.startswith("@echo off\r\n") and "setlocal" in text
    labels = {m.lower() for m in re.findall(r"(?m)^:(\w+)", text)}
    jumps = {m.lower() for m in re.findall(r"goto :?(\w+)", text, flags=re.IGNORECASE)}
    assert jumps and jumps <= labels, f"undefined labels: {jumps - labels}"
    for variable in ("%HERE%", "%INSTALLER%", "%GIALAI_PYTHON%", "%~dp0"):
        for line in text.splitlines():
            for match in re.finditer(re.escape(variable), line):
                before = line[: match.start()]
                assert before.count('"') % 2 == 1, f"unquoted {variable}: {line.strip()}"
    code = "\n".join(_code_lines(text, "rem"))
    assert code.count("(") == code.count(")")
    assert "!" not in code, "no delayed expansion: '!' in a path would vanish"
    assert "--no-index" in (ROOT / "scripts" / "bundle" / "install.py").read_text(encoding="utf-8")


def test_install_ps1_is_what_windows_powershell_5_1_reads(windows_files: dict[str, bytes]) -> None:
    data = windows_files["install.ps1"]
    assert data.startswith(b"\xef\xbb\xbf"), "PowerShell 5.1 reads a .ps1 without a BOM in the ANSI code page"
    text = data[3:].decode("utf-8")
    assert "Không tìm thấy Python" in text
    code = _code_lines(text, "#")
    joined = "\n".join(code)
    for token in ("&&", "||", "??", "?."):
        assert token not in joined, f"{token} needs PowerShell 7"
    assert code[0].startswith("param("), "param() must be the first statement"
    for opening, closing in ("()", "{}", "[]"):
        assert joined.count(opening) == joined.count(closing), f"unbalanced {opening}{closing}"
    assert "Join-Path $PSScriptRoot" in text and "exit $LASTEXITCODE" in text


def test_readme_is_vietnamese_then_english_with_a_bom(windows_files: dict[str, bytes]) -> None:
    data = windows_files["README.txt"]
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.index("Cách cài") < text.index("offline installer for Windows")
    assert "install.cmd" in text and "0.1.0" in text and "3.10, 3.11, 3.12, 3.13" in text
    assert "@" not in text.replace("@echo", ""), "a placeholder was left"


@pytest.mark.posix
@pytest.mark.skipif(shutil.which("sh") is None, reason="needs sh")
def test_install_sh_and_install_py_parse(tmp_path: Path) -> None:
    written = bundle.render_templates("linux", "0.1.0", bundle.PYTHONS, tmp_path)
    for shell in filter(shutil.which, ("sh", "dash", "bash")):
        subprocess.run([shell, "-n", str(tmp_path / "install.sh")], check=True, timeout=30)
    subprocess.run([sys.executable, "-m", "py_compile", str(tmp_path / "install.py")], check=True, timeout=30)
    assert (tmp_path / "install.sh").stat().st_mode & 0o111
    assert {p.name for p in written} == {"install.py", "install.sh", "README.txt"}
