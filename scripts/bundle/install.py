"""Install gialai-remote from this folder, with no network: a virtual environment and its command.

Cài gialai-remote từ thư mục này, không cần mạng. Run by ``install.cmd``, ``install.ps1`` or
``install.sh`` (which find a Python 3.10-3.13 first), or directly:

    python install.py [FOLDER]        # install into FOLDER (default: see default_target())
    python install.py --check         # exit 0 when this Python can be installed into, else 1

What it does, in order: finds the requirements file for this Python and platform
(``requirements/cp312-win_amd64.txt``...) in ``manifest.json``; makes a virtual environment
in FOLDER (a folder that holds something else is refused; an older install there is
replaced); installs into it with ``pip install --no-index --find-links wheels
--only-binary :all: --require-hashes -r requirements/TAG.txt``, pip isolated from the
user's settings and environment variables; runs ``gialai-remote --version``; says where the
command is. Nothing is downloaded, nothing outside FOLDER is changed.

Exit codes: 0 installed (or ``--check``: this Python fits); 1 this Python does not fit, or
the install failed (the reason is printed, in Vietnamese and English); 2 a bad argument.

Only the standard library, and only syntax an old Python can parse, so that a Python too old
for the bundle still says so in words. This file is part of the bundle that
scripts/build_bundle.py writes; tests/test_bundle.py runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
WHEELS = HERE / "wheels"
WINDOWS = os.name == "nt"

MESSAGES = {
    "unsupported": (
        "Thư mục này không có bản cài cho {python} ({tag}). Các bản có: {supported}.",
        "This folder has no build for {python} ({tag}). It has: {supported}.",
    ),
    "not_empty": (
        "Thư mục {target} đã có tệp khác, không phải bản cài gialai-remote: hãy chọn thư mục khác.",
        "{target} holds other files and is not a gialai-remote install: choose another folder.",
    ),
    "venv_failed": (
        "Không tạo được môi trường ảo ở {target}: {reason}",
        "Could not create the virtual environment in {target}: {reason}",
    ),
    "venv_hint": (
        "Trên Debian, Ubuntu: cài gói python3-venv (sudo apt install python3-venv) rồi chạy lại.",
        "On Debian or Ubuntu, install the python3-venv package, then run this again.",
    ),
    "pip_failed": (
        "pip không cài được (mã {code}); xem các dòng ở trên.",
        "pip could not install (exit code {code}); see the lines above.",
    ),
    "check_failed": (
        "Đã cài nhưng lệnh không chạy được: {reason}",
        "Installed, but the command does not run: {reason}",
    ),
    "installing": (
        "Đang cài gialai-remote {version} cho {python} vào {target} (không cần mạng)...",
        "Installing gialai-remote {version} for {python} into {target} (offline)...",
    ),
    "done": (
        "Đã cài xong: {version_line}",
        "Installed: gialai-remote {version}.",
    ),
    "where": (
        "Lệnh nằm ở: {command}",
        "The command is: {command}",
    ),
    "try": (
        "Chạy thử:   {example}",
        "Try it:     {example}",
    ),
    "path_windows": (
        "Để gõ gialai-remote ở mọi nơi, thêm {scripts} vào biến PATH của người dùng "
        "(Cài đặt > Hệ thống > Giới thiệu > Cài đặt hệ thống nâng cao > Biến môi trường), "
        "rồi mở cửa sổ mới.",
        "To type gialai-remote anywhere, add {scripts} to your user PATH (Settings > System > "
        "About > Advanced system settings > Environment Variables), then open a new window.",
    ),
    "path_posix": (
        "Để gõ gialai-remote ở mọi nơi: ln -s {command} ~/.local/bin/gialai-remote",
        "To type gialai-remote anywhere: ln -s {command} ~/.local/bin/gialai-remote",
    ),
}


def say(key: str, **params: object) -> None:
    """Print message ``key`` in Vietnamese, then in English, with ``params`` filled in."""
    vi, en = MESSAGES[key]
    print(vi.format(**params))
    print("  " + en.format(**params))


def tag() -> str:
    """This Python's build tag as the bundle names it: ``cp312-win_amd64``, ``cp311-linux_x86_64``."""
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"cp{sys.version_info[0]}{sys.version_info[1]}-{platform}"


def python_name() -> str:
    """``Python 3.12.4 (64-bit)``: what the messages call this interpreter."""
    bits = "64-bit" if sys.maxsize > 2**32 else "32-bit"
    return f"Python {sys.version.split()[0]} ({bits})"


def default_target() -> Path:
    """Where the command goes when no folder is given.

    Windows: ``%LOCALAPPDATA%\\gialai-remote`` (the user's own programs; no administrator
    rights needed). Elsewhere: ``$XDG_DATA_HOME/gialai-remote``, else
    ``~/.local/share/gialai-remote``.
    """
    if WINDOWS and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "gialai-remote"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "gialai-remote"


def scripts_dir(target: Path) -> Path:
    """The folder of a virtual environment that holds its commands."""
    return target / ("Scripts" if WINDOWS else "bin")


def read_manifest() -> dict:  # type: ignore[type-arg]
    """manifest.json of this bundle (written by scripts/build_bundle.py)."""
    with MANIFEST.open(encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def requirements_for(manifest: dict, this: str) -> Path | None:  # type: ignore[type-arg]
    """The pinned, hashed requirements file for build tag ``this``, or None."""
    target = manifest["targets"].get(this)
    return HERE / target["requirements"] if target else None


def prepare_folder(target: Path) -> bool:
    """Make ``target`` ready for a new environment: absent, empty, or an older environment.

    An older virtual environment (it has ``pyvenv.cfg``) is removed, so that a new Python or
    a new version installs cleanly. Returns False, after saying why, for a folder that holds
    anything else.
    """
    if not target.exists():
        return True
    if target.is_dir() and not any(target.iterdir()):
        return True
    if (target / "pyvenv.cfg").is_file():
        shutil.rmtree(target)
        return True
    say("not_empty", target=target)
    return False


def install(target: Path) -> int:
    """Create the environment in ``target`` and install the bundle's wheels into it.

    Returns the exit code (0 installed, 1 failed). Nothing is downloaded: pip runs with
    ``--no-index --find-links wheels`` and ``--isolated`` (no user configuration, no PIP_*
    variables), from hash-pinned requirements.
    """
    manifest = read_manifest()
    requirements = requirements_for(manifest, tag())
    if requirements is None:
        say("unsupported", python=python_name(), tag=tag(), supported=", ".join(sorted(manifest["targets"])))
        return 1
    target = target.expanduser().absolute()
    if not prepare_folder(target):
        return 1
    say("installing", version=manifest["version"], python=python_name(), target=target)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        say("venv_failed", target=target, reason=exc)
        if not WINDOWS:
            say("venv_hint")
        return 1
    python = scripts_dir(target) / ("python.exe" if WINDOWS else "python")
    pip = [
        str(python),
        "-m",
        "pip",
        "--isolated",
        "--disable-pip-version-check",
        "--no-input",
        "install",
        "--quiet",
        "--no-index",
        "--find-links",
        str(WHEELS),
        "--only-binary",
        ":all:",
        "--require-hashes",
        "-r",
        str(requirements),
    ]
    done = subprocess.run(pip)
    if done.returncode != 0:
        say("pip_failed", code=done.returncode)
        return 1
    command = scripts_dir(target) / ("gialai-remote.exe" if WINDOWS else "gialai-remote")
    try:
        check = subprocess.run(
            [str(command), "--version"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        say("check_failed", reason=exc)
        return 1
    if check.returncode != 0:
        say("check_failed", reason=(check.stderr or check.stdout).strip() or f"exit {check.returncode}")
        return 1
    print()
    say("done", version_line=check.stdout.strip(), version=manifest["version"])
    say("where", command=command)
    say("try", example=f'"{command}" recommend --role agency-staff --task meeting --no-input')
    if WINDOWS:
        say("path_windows", scripts=scripts_dir(target))
    else:
        say("path_posix", command=command)
    return 0


def main(argv: list[str]) -> int:
    """Parse ``argv`` (``--check``, or an optional folder) and run. Returns the exit code."""
    if WINDOWS and not sys.stdout.isatty():
        # A log file or a pipe: UTF-8, not the ANSI code page (the console gets Unicode anyway).
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8", errors="replace")
    if argv in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if argv == ["--check"]:
        return 0 if requirements_for(read_manifest(), tag()) is not None else 1
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print("usage: install.py [FOLDER] | --check", file=sys.stderr)
        return 2
    return install(Path(argv[0]) if argv else default_target())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
