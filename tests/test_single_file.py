"""The single file (scripts/build_single_file.py): built offline, run by a bare Python, four commands.

The file is built from this machine's offline bundle (conftest's ``host_bundle``, itself built
with no network), then run by the base interpreter with ``-S`` (no site-packages at all: only
the standard library and what the file carries), unpacking into a temporary ``SHIV_ROOT``:
``recommend``, ``setup --format html``, ``validate`` and ``doctor`` against an HTTPS server on
127.0.0.1 signed by a throwaway CA (as tests/test_doctor.py does). The merge of several
targets into one file and the preamble that refuses a Python the file has no build for are
tested on their own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import trustme

from test_doctor import https_server, kb_file
from wheelhouse import offline_env, script

single = script("build_single_file")
QUERY = ["recommend", "--role", "agency-staff", "--task", "meeting", "--no-input", "--date", "2020-04-15"]
#: The interpreter this environment was made from: its own site-packages are not used (-S).
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


@pytest.fixture(scope="module")
def single_file(host_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single") / "gialai-remote.pyz"
    done = subprocess.run(
        [sys.executable, str(single.__file__), str(host_bundle), "--output", str(out)],
        capture_output=True,
        text=True,
        env=offline_env(out.parent),
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _run(pyz: Path, root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -S FILE args`` with a clean environment and the unpacked copy under ``root``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("GIALAI_REMOTE_", "PYTHON", "SSL_CERT", "LC_"))}
    environ.update({"SHIV_ROOT": str(root), "PYTHONIOENCODING": "utf-8", **env})
    return subprocess.run(
        [BASE_PYTHON, "-S", str(pyz), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        timeout=180,
        cwd=root.parent,
    )


@pytest.fixture(scope="module")
def unpacked(single_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SHIV_ROOT where the file has been unpacked once (its first run)."""
    root = tmp_path_factory.mktemp("run") / "shiv-root"
    first = _run(single_file, root, "--version")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("gialai-remote ")
    return root


def test_the_file_and_its_description(single_file: Path, host_bundle: Path) -> None:
    info = json.loads(Path(f"{single_file}.json").read_text(encoding="utf-8"))
    manifest = json.loads((host_bundle / "manifest.json").read_text(encoding="utf-8"))
    assert info["targets"] == sorted(manifest["targets"])
    assert info["size"] == single_file.stat().st_size > 5_000_000
    (entry,) = manifest["targets"].values()
    carried = {(p["name"], p["version"]) for p in info["packages"]}
    assert carried == {(p["name"], p["version"]) for p in entry["packages"]}
    assert single_file.read_bytes().startswith(b"#!/usr/bin/env python3\n")


def test_recommend(single_file: Path, unpacked: Path) -> None:
    done = _run(single_file, unpacked, *QUERY, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [r["tool"] for r in json.loads(done.stdout)["recommendations"]] == ["vnpt-meeting", "aic-emeeting"]
    text = _run(single_file, unpacked, *QUERY)
    assert text.returncode == 0 and text.stdout.startswith("Khuyến nghị: 2 công cụ phù hợp theo Công văn")


def test_setup_as_html(single_file: Path, unpacked: Path) -> None:
    out = unpacked.parent / "huong-dan.html"
    done = _run(
        single_file, unpacked, "setup", "aic-emeeting", "--format", "html", "--output", str(out), "--date", "2020-04-15"
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "AIC eMeeting" in page and "<svg" in page  # the QR code


def test_validate_reads_the_knowledge_base_inside_the_file(single_file: Path, unpacked: Path) -> None:
    done = _run(single_file, unpacked, "validate", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["valid"] is True and report["errors"] == 0
    assert Path(report["path"]).resolve().is_relative_to(unpacked.resolve())


def test_doctor_against_a_loopback_https_server(single_file: Path, unpacked: Path, tmp_path: Path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert = ca.issue_cert("127.0.0.1", not_after=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30))
    with https_server(cert) as port:
        data = str(kb_file(tmp_path, f"https://127.0.0.1:{port}/"))
        done = _run(single_file, unpacked, "doctor", "--data", data, "--format", "json", SSL_CERT_FILE=str(ca_file))
    assert done.returncode == 0, done.stderr
    doc: dict[str, Any] = json.loads(done.stdout)
    assert doc["passed"] is True
    assert [s["status"] for s in doc["checks"][0]["steps"]] == ["passed"] * 4


def test_a_python_without_a_build_in_the_file_is_told_so(tmp_path: Path) -> None:
    text = single.PREAMBLE.replace("@SUPPORTED@", repr(["cp399-win_amd64"]))
    text = text.replace("@DESCRIBED@", single.describe(["cp399-win_amd64"]))
    preamble = tmp_path / "preamble.py"
    preamble.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(preamble)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert done.returncode == 70 and done.stdout == ""
    vi, en = done.stderr.splitlines()
    assert vi.startswith("gialai-remote: tệp này chạy với Python 3.99 (Windows 64-bit), không chạy với Python 3.")
    assert en.startswith("  This file runs with Python 3.99 (Windows 64-bit), not with Python 3.")


def test_describe_names_the_pythons_and_platforms() -> None:
    tags = ["cp313-win32", "cp310-win_amd64", "cp310-win32", "cp313-win_amd64"]
    assert single.describe(tags) == "Python 3.10, 3.13 (Windows 64-bit, Windows 32-bit)"


def test_merging_targets_keeps_identical_files_and_refuses_different_ones(tmp_path: Path) -> None:
    trees = {}
    for tag, ext in (("cp312-win_amd64", "cp312-win_amd64.pyd"), ("cp313-win_amd64", "cp313-win_amd64.pyd")):
        tree = tmp_path / tag
        (tree / "pkg").mkdir(parents=True)
        (tree / "pkg" / "__init__.py").write_text("x = 1\n", encoding="utf-8")
        (tree / "pkg" / f"_speedups.{ext}").write_bytes(tag.encode())
        (tree / "pkg-1.0.dist-info").mkdir()
        (tree / "pkg-1.0.dist-info" / "WHEEL").write_text(f"Tag: {tag}\n", encoding="utf-8")
        trees[tag] = tree
    merged = tmp_path / "merged"
    assert single.merge(trees, merged) == []
    assert sorted(p.name for p in (merged / "pkg").iterdir()) == [
        "__init__.py",
        "_speedups.cp312-win_amd64.pyd",
        "_speedups.cp313-win_amd64.pyd",
    ]
    assert (merged / "pkg-1.0.dist-info" / "WHEEL").read_text(encoding="utf-8") == "Tag: cp312-win_amd64\n"
    # An abi3 module has no tag in its name: two builds of it cannot share the path.
    (trees["cp313-win_amd64"] / "pkg" / "__init__.py").write_text("x = 2\n", encoding="utf-8")
    assert single.merge(trees, tmp_path / "again") == ["pkg/__init__.py: cp312-win_amd64 and cp313-win_amd64 differ"]
