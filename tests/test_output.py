"""``--output``: safe in a shared folder, whole or nothing under signals, atomic no-clobber.

The promises tested here are those of ``docs/security.md``: no write through a symbolic link
(and nothing created through one), no setuid/setgid/sticky bit on the new file, nothing left
behind on SIGTERM, SIGHUP, SIGQUIT, Ctrl-C (and on SIGKILL where O_TMPFILE exists), no
clobbering where hard links are missing, any name up to 255 bytes, every message one line
with nothing raw from the path.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gialai_remote.cli import folder as folder_module
from gialai_remote.cli.main import main

NOBODY = 65534
ROOT = Path(__file__).resolve().parents[1]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _setup(capsys: pytest.CaptureFixture[str], target: Path | str, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "setup", "polycom", "--format", "markdown", "--lang", "en", "--output", str(target), *extra)


def _tree(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under ``folder``: its mode and content (or link target)."""
    out: dict[str, tuple[int, bytes | str]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                out[str(path.relative_to(folder))] = (st.st_mode, os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                out[str(path.relative_to(folder))] = (st.st_mode, path.read_bytes())
            else:
                out[str(path.relative_to(folder))] = (st.st_mode, "")
    return out


# ---- a shared sticky folder, as root, with another user's links ---------------------------------

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (setuid to nobody)")


@pytest.fixture
def shared() -> Iterator[tuple[Path, Path]]:
    """(a world-writable sticky folder, a folder only root may write) under a fresh /tmp folder."""
    base = Path(tempfile.mkdtemp(prefix="gialai-shared-"))
    base.chmod(0o755)
    sticky = base / "shared"
    sticky.mkdir()
    sticky.chmod(0o1777)
    private = base / "private"
    private.mkdir()
    private.chmod(0o700)
    (private / "existing.html").write_text("root's own file", encoding="utf-8")
    try:
        yield sticky, private
    finally:
        shutil.rmtree(base)


def _as_nobody(action: Any) -> None:
    """Run ``action()`` in a forked child that has become user and group nobody (65534)."""
    pid = os.fork()
    if pid == 0:  # the child: no return from here
        status = 1
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            action()
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def as_nobody(*links: tuple[str, Path]) -> None:
    """Create each symbolic link (target, where) as user nobody."""

    def make() -> None:
        for target, where in links:
            os.symlink(target, where)

    _as_nobody(make)
    for _, where in links:
        assert where.lstat().st_uid == NOBODY


@needs_root
@pytest.mark.parametrize(
    ("link_name", "points_at", "output_name"),
    [
        pytest.param("h.html", "{private}/h.html", "h.html", id="final-link-to-a-new-file"),
        pytest.param("h.html", "{private}/existing.html", "h.html", id="final-link-to-an-existing-file"),
        pytest.param("h.html", "{private}", "h.html", id="final-link-to-the-folder"),
        pytest.param("d", "{private}", "d/h.html", id="folder-link"),
        pytest.param("d", "{private}", "d/existing.html", id="folder-link-to-an-existing-file"),
        pytest.param("d", "../private", "d/h.html", id="relative-folder-link"),
    ],
)
@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
@pytest.mark.parametrize("tmpfile", [True, False], ids=["o_tmpfile", "named-temp"])
@pytest.mark.posix
def test_another_users_link_in_a_sticky_folder_is_never_followed(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    shared: tuple[Path, Path],
    link_name: str,
    points_at: str,
    output_name: str,
    force: bool,
    tmpfile: bool,
) -> None:
    sticky, private = shared
    if not tmpfile:
        monkeypatch.setattr(folder_module, "_tmpfile_works", lambda: False)
    as_nobody((points_at.format(private=private), sticky / link_name))
    before_private, before_shared = _tree(private), _tree(sticky)
    code, out, err = _setup(capsys, sticky / output_name, *(["--force"] if force else []))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert _tree(private) == before_private  # nothing written through the link, nothing created
    assert _tree(sticky) == before_shared  # the link itself is not replaced either


@needs_root
@pytest.mark.posix
def test_own_links_and_links_outside_sticky_folders_are_followed_for_folders(
    capsys: pytest.CaptureFixture[str], shared: tuple[Path, Path], tmp_path: Path
) -> None:
    sticky, private = shared
    (sticky / "mine").symlink_to(private)  # root's own link in the sticky folder
    code, _, err = _setup(capsys, sticky / "mine" / "a.md")
    assert code == 0, err
    assert (private / "a.md").read_text(encoding="utf-8").startswith("# ")
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)  # an ordinary folder: links are followed as always
    assert _setup(capsys, tmp_path / "alias" / "b.md")[0] == 0
    assert (real / "b.md").is_file()


@needs_root
@pytest.mark.posix
def test_a_file_another_user_planted_is_replaced_not_written_into(
    capsys: pytest.CaptureFixture[str], shared: tuple[Path, Path]
) -> None:
    """``--force`` over another user's regular file in /tmp: a new root file, default bits."""
    sticky, _ = shared
    planted = sticky / "h.md"

    def plant() -> None:
        fd = os.open(planted, os.O_CREAT | os.O_WRONLY, 0o666)
        os.fchmod(fd, 0o6777)
        os.close(fd)

    _as_nobody(plant)
    assert planted.lstat().st_uid == NOBODY
    hard = sticky.parent / "hard-link-kept"
    os.link(planted, hard)  # the planted inode: it must not be written into
    assert _setup(capsys, planted, "--force")[0] == 0
    st = planted.lstat()
    assert st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o666 & ~_umask()
    assert hard.read_bytes() == b""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---- permission bits -----------------------------------------------------------------------------


@pytest.mark.parametrize("old_mode", [0o4755, 0o2755, 0o1755, 0o7777, 0o6640, 0o640, 0o600, 0o444, 0o777])
@pytest.mark.parametrize("tmpfile", [True, False], ids=["o_tmpfile", "named-temp"])
@pytest.mark.posix
def test_force_keeps_permission_bits_but_never_setuid_setgid_or_sticky(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old_mode: int, tmpfile: bool
) -> None:
    if not tmpfile:
        monkeypatch.setattr(folder_module, "_tmpfile_works", lambda: False)
    target = tmp_path / "h.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(old_mode)
    assert _setup(capsys, target, "--force")[0] == 0
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode & (stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX) == 0
    assert mode == old_mode & 0o777
    assert os.listdir(tmp_path) == ["h.md"]


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002, 0o000])
@pytest.mark.posix
def test_a_new_file_gets_the_default_mode(capsys: pytest.CaptureFixture[str], tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        assert _setup(capsys, tmp_path / "new.md")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o666 & ~mask


# ---- names and messages --------------------------------------------------------------------------


@pytest.mark.parametrize("length", [1, 200, 241, 242, 250, 254, 255])
@pytest.mark.parametrize("tmpfile", [True, False], ids=["o_tmpfile", "named-temp"])
@pytest.mark.posix
def test_any_file_name_up_to_255_bytes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, length: int, tmpfile: bool
) -> None:
    if not tmpfile:
        monkeypatch.setattr(folder_module, "_tmpfile_works", lambda: False)
    name = "h" * (length - 3) + ".md" if length > 3 else "h" * length
    assert _setup(capsys, tmp_path / name)[0] == 0
    assert _setup(capsys, tmp_path / name, "--force")[0] == 0
    assert os.listdir(tmp_path) == [name]


@pytest.mark.posix
def test_a_vietnamese_name_of_255_bytes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    name = "hướng-dẫn-" * 19
    name = name[: len(name) - (len(name.encode()) - 252)] if len(name.encode()) > 252 else name
    while len((name + ".md").encode()) < 255:
        name += "a"
    assert len((name + ".md").encode()) == 255
    assert _setup(capsys, tmp_path / (name + ".md"))[0] == 0
    assert os.listdir(tmp_path) == [name + ".md"]


@pytest.mark.posix
def test_a_name_longer_than_255_bytes_is_a_clean_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _setup(capsys, tmp_path / ("h" * 256))
    assert code == 2 and len(err.splitlines()) == 1 and "File name too long" in err
    assert os.listdir(tmp_path) == []


HOSTILE_NAMES = [
    "a\nb.md",
    "a\rb.md",
    "\x1b[31mred\x1b[0m.md",
    "\x1b]8;;https:evil.example\x07link\x1b]8;;\x07.md",
    "bell\x07.md",
    "back\bspace.md",
    "nel\x85.md",
    "sep\u2028.md",
    "para\u2029.md",
    "bidi\u202egpj.md",
    "vt\x0bff\x0c.md",
    "fs\x1cgs\x1drs\x1e.md",
    "csi\x9b31m.md",
    "del\x7f.md",
]


def _raw_controls(text: str) -> list[str]:
    allowed = {"\n"}
    return [
        ch
        for ch in text
        if (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\u202e") and ch not in allowed
    ]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=[repr(n) for n in HOSTILE_NAMES])
@pytest.mark.posix
def test_a_path_never_reaches_the_terminal_raw(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    # Written: the note "Wrote PATH" is one line, escaped.
    code, out, err = _setup(capsys, tmp_path / name)
    assert code == 0 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("Wrote ") and not _raw_controls(err), repr(err)
    assert os.listdir(tmp_path) == [name]
    # Refused (exists, no --force), and failing (a folder that does not exist): one line each.
    for target in (tmp_path / name, tmp_path / name / "x.md", tmp_path / "missing" / name):
        code, out, err = _setup(capsys, target)
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and not _raw_controls(err), repr(err)


@pytest.mark.posix
def test_relative_output_after_the_current_folder_was_deleted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    for target in ("h.md", "sub/h.md", "./h.md"):
        code, out, err = _setup(capsys, target)
        assert code == 2 and out == "", err
        assert err.strip() == (
            f'--output "{target}": the current folder no longer exists (it was deleted); '
            "change to a folder that exists, or give the full path."
        )
    absolute = tmp_path / "h.md"
    assert _setup(capsys, absolute)[0] == 0 and absolute.is_file()


# ---- no-clobber where hard links are missing ----------------------------------------------------


def _no_link(code: int) -> Any:
    def link(*args: Any, **kwargs: Any) -> None:
        raise OSError(code, os.strerror(code))

    return link


FALLBACKS = [
    pytest.param({}, id="o_tmpfile-linkat"),
    pytest.param({"tmpfile": False}, id="renameat2"),
    pytest.param({"tmpfile": False, "noreplace": False}, id="hard-link"),
    pytest.param({"tmpfile": False, "noreplace": False, "link": errno.EPERM}, id="no-links-EPERM"),
    pytest.param({"tmpfile": False, "noreplace": False, "link": errno.ENOTSUP}, id="no-links-ENOTSUP"),
    pytest.param({"tmpfile": False, "noreplace": False, "link": errno.EOPNOTSUPP}, id="no-links-EOPNOTSUPP"),
    pytest.param({"link": errno.EPERM}, id="tmpfile-but-no-links"),
]


def _fallback(monkeypatch: pytest.MonkeyPatch, how: dict[str, Any]) -> None:
    if how.get("tmpfile") is False:
        monkeypatch.setattr(folder_module, "_tmpfile_works", lambda: False)
    if how.get("noreplace") is False:
        monkeypatch.setattr(folder_module, "rename_noreplace", lambda *args: False)
    if "link" in how:
        monkeypatch.setattr(os, "link", _no_link(how["link"]))


@pytest.mark.parametrize("how", FALLBACKS)
@pytest.mark.posix
def test_no_clobber_holds_on_every_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: dict[str, Any]
) -> None:
    _fallback(monkeypatch, how)
    target = tmp_path / "h.md"
    # A file that appears while the document is written (after the first check) still wins.
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    code, _, err = _setup(capsys, target)
    assert code == 2 and "--force" in err and len(err.splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "theirs"
    assert os.listdir(tmp_path) == ["h.md"]
    monkeypatch.setattr(os, "fsync", real_fsync)
    # Without a competitor: written, nothing else left.
    target.unlink()
    assert _setup(capsys, target)[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert os.listdir(tmp_path) == ["h.md"]
    # --force replaces.
    target.write_text("old", encoding="utf-8")
    assert _setup(capsys, target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# ") and os.listdir(tmp_path) == ["h.md"]


@pytest.mark.posix
def test_the_claimed_placeholder_is_removed_when_the_rename_fails(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fallback(monkeypatch, {"tmpfile": False, "noreplace": False, "link": errno.EPERM})

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    code, _, err = _setup(capsys, tmp_path / "h.md")
    assert code == 2 and "No space left on device" in err
    assert os.listdir(tmp_path) == []


_WRITER = """
import os, sys, time
from gialai_remote.cli import folder, output
how = sys.argv[3]
if how != "default":
    folder._tmpfile_works = lambda: False
    folder.rename_noreplace = lambda *args: False
    def no_link(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")
    os.link = no_link
while time.time() < float(sys.argv[2]):
    pass
try:
    output.write_atomic(sys.argv[1], (str(os.getpid()) + "\\n").encode() * 1000, force=False, lang="en")
except output.UsageError:
    sys.exit(2)
"""


@pytest.mark.parametrize("how", ["default", "no-links"])
@pytest.mark.posix
def test_concurrent_writers_without_force_exactly_one_wins(tmp_path: Path, how: str) -> None:
    target = tmp_path / "h.txt"
    start = time.time() + 1.5
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(target), str(start), how], stderr=subprocess.PIPE)
        for _ in range(8)
    ]
    codes = [p.wait(timeout=60) for p in procs]
    for p in procs:
        assert p.stderr is not None
        assert b"Traceback" not in p.stderr.read()
        p.stderr.close()
    assert sorted(codes) == [0] + [2] * 7
    winner = procs[codes.index(0)].pid
    assert target.read_text(encoding="utf-8") == f"{winner}\n" * 1000
    assert os.listdir(tmp_path) == ["h.txt"]


@pytest.mark.posix
def test_rename_noreplace_where_the_system_has_it(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a", encoding="utf-8")
    (tmp_path / "b").write_text("b", encoding="utf-8")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        done = folder_module.rename_noreplace(fd, "a", "c")
        if not done:
            pytest.skip("no renameat2/renamex_np here")
        with pytest.raises(FileExistsError):
            folder_module.rename_noreplace(fd, "c", "b")
    finally:
        os.close(fd)
    assert sorted(os.listdir(tmp_path)) == ["b", "c"]
    assert (tmp_path / "b").read_text(encoding="utf-8") == "b"


# ---- Windows: a target held by another program --------------------------------------------------


@pytest.mark.parametrize("failures", [1, 3, 6])
def test_a_held_target_is_retried_briefly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failures: int
) -> None:
    monkeypatch.setattr(folder_module, "_RETRY_REPLACE", True)
    real_replace = os.replace
    calls = []

    def held(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        if len(calls) <= failures:
            raise PermissionError(errno.EACCES, "Access is denied")
        real_replace(*args, **kwargs)

    monkeypatch.setattr(os, "replace", held)
    target = tmp_path / "h.md"
    target.write_text("old", encoding="utf-8")
    code, _, err = _setup(capsys, target, "--force")
    assert code == 0, err
    assert len(calls) == failures + 1 and target.read_text(encoding="utf-8").startswith("# ")
    assert os.listdir(tmp_path) == ["h.md"]


def test_a_target_held_too_long_is_a_clean_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(folder_module, "_RETRY_REPLACE", True)

    def held(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(os, "replace", held)
    target = tmp_path / "h.md"
    target.write_text("old", encoding="utf-8")
    started = time.monotonic()
    code, _, err = _setup(capsys, target, "--force")
    elapsed = time.monotonic() - started
    assert code == 2 and 0.9 <= elapsed < 3
    assert err.strip() == (
        f'Cannot write "{target}": another program (an antivirus or an editor?) holds the file. '
        "No file was changed; try again."
    )
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["h.md"]


def test_permission_denied_is_not_retried_outside_windows(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(folder_module, "_RETRY_REPLACE", False)
    calls = []

    def denied(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "replace", denied)
    target = tmp_path / "h.md"
    target.write_text("old", encoding="utf-8")
    # --no-cache: the knowledge-base cache renames its own entry into place with os.replace too.
    code, _, err = _setup(capsys, target, "--force", "--no-cache")
    assert code == 2 and len(calls) == 1 and "Permission denied" in err


# ---- signals during the write ---------------------------------------------------------------------

_SIGNALLED = """
import os, sys, time
from gialai_remote.cli import folder, output
from gialai_remote.cli.main import main
if sys.argv[3] == "named":
    folder._tmpfile_works = lambda: False
real_fsync = os.fsync
def slow_fsync(fd):
    real_fsync(fd)
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    time.sleep(30)
os.fsync = slow_fsync
# A large document: the whole handout, many times over (about 40 MB).
import gialai_remote.cli.handout as handout
real_write = output.write_atomic
def write_large(path, data, *, force, lang):
    real_write(path, data * 2000, force=force, lang=lang)
handout.write_atomic = write_large
output.write_atomic = write_large
args = ["setup", "aic-emeeting", "--format", "html", "--lang", "en", "--output", sys.argv[1]]
sys.exit(main(args + (["--force"] if sys.argv[2] == "force" else [])))
"""

SIGNALS = [
    pytest.param(signal.SIGTERM, 143, id="SIGTERM"),
    pytest.param(signal.SIGHUP, 129, id="SIGHUP"),
    pytest.param(signal.SIGQUIT, 131, id="SIGQUIT"),
    pytest.param(signal.SIGINT, 130, id="SIGINT"),
]


def _run_until_ready(target: Path, force: bool, temp: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SIGNALLED, str(target), "force" if force else "new", temp],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"ready\n"
    return proc


@pytest.mark.parametrize(("sig", "code"), SIGNALS)
@pytest.mark.parametrize("force", [False, True], ids=["new-file", "replacing"])
@pytest.mark.parametrize("temp", ["o_tmpfile", "named"])
@pytest.mark.posix
def test_a_signal_during_the_write_leaves_the_folder_as_it_was(
    tmp_path: Path, sig: signal.Signals, code: int, force: bool, temp: str
) -> None:
    target = tmp_path / "h.html"
    (tmp_path / "other.txt").write_text("unrelated", encoding="utf-8")
    if force:
        target.write_text("old", encoding="utf-8")
    before = _tree(tmp_path)
    proc = _run_until_ready(target, force, temp)
    if temp == "named":  # the hidden temporary file exists right now: the signal must remove it
        assert len(os.listdir(tmp_path)) == len(before) + 1
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert _tree(tmp_path) == before
    lines = err.decode().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    if sig != signal.SIGINT:
        assert lines[0] == f"Stopped by signal {sig.name}; no file was changed."


@pytest.mark.skipif(not folder_module._tmpfile_works(), reason="no O_TMPFILE here")
@pytest.mark.parametrize("force", [False, True], ids=["new-file", "replacing"])
@pytest.mark.posix
def test_even_sigkill_leaves_nothing_with_o_tmpfile(tmp_path: Path, force: bool) -> None:
    target = tmp_path / "h.html"
    if force:
        target.write_text("old", encoding="utf-8")
    before = _tree(tmp_path)
    proc = _run_until_ready(target, force, "o_tmpfile")
    proc.kill()
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("name", ["\x00", "a\x00b.html", "out/\x00"], ids=["nul", "inside", "after-folder"])
@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_a_nul_in_the_name_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, force: bool
) -> None:
    # Every file API refuses NUL with ValueError rather than OSError: found by the long fuzz run (exit 70).
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "setup", "zalo", "--no-input", "--output", name, *(["--force"] if force else []))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "NUL" in err and "\\x00" in err
    assert list(tmp_path.iterdir()) == []
