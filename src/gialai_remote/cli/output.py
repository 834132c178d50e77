"""Writing a command's result to a file named by ``--output``: whole or not at all, never
through a symbolic link, never over an existing file without ``--force``.

What ``--output FILE`` guarantees (user-facing summary in ``docs/security.md``):

- **Whole or nothing.** The bytes go to a temporary file in the target's folder, are flushed
  to disk, and the file then takes the target's name in one step. On Linux the temporary file
  is made with ``O_TMPFILE``: it has no name until it is complete, so nothing is left behind
  even if the process is killed with SIGKILL; elsewhere it is a hidden ``.gr-XXXXXXXX.tmp``
  (a short name, so a target name of up to 255 bytes works) removed on every error.
- **Interrupted cleanly.** Ctrl-C (exit 130) and the termination signals SIGTERM, SIGHUP and
  SIGQUIT (exit 128 + the signal's number) during the write remove the temporary file; the
  folder is left exactly as it was.
- **No symbolic links.** A target that is a symbolic link is refused, with or without
  ``--force``: the link is not followed and not replaced. A folder on the way that is a
  symbolic link is followed only where the kernel's own rule for shared folders would follow
  it (``fs.protected_symlinks``): a link in a world-writable sticky folder (``/tmp``) is
  followed only if its owner is the user running the command or the folder's owner. Every
  later step works relative to the folder opened that way, so the folder cannot be swapped
  for a link while the file is written.
- **No clobbering without --force**, atomically: on Linux the finished file is linked in
  with ``linkat`` (``O_TMPFILE``) or renamed with ``renameat2(RENAME_NOREPLACE)``, on macOS
  with ``renamex_np(RENAME_EXCL)``, on Windows with ``os.rename`` (which never replaces);
  else a hard link. Where none of these works (some network shares, FAT on old systems), the
  name is first claimed with an empty file (``O_CREAT | O_EXCL``) that the finished file then
  replaces: two writers can never both succeed, but a reader may see the empty file for a
  moment, and a process killed at that moment leaves it.
- **Permissions.** A new file gets 0o666 minus the umask. ``--force`` over a file the user
  owns keeps its permission bits (0o777 part only); over another user's file the new file
  gets the default bits. Set-user-ID, set-group-ID and sticky bits are never carried over.
- **Windows.** While an antivirus or an editor holds the target, the rename is retried for
  about a second before a clean error.

This module checks the target and handles the signals; :mod:`.folder` opens the folder and
makes the system calls.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from gialai_remote.cli.context import shown
from gialai_remote.cli.folder import Folder
from gialai_remote.errors import Terminated, UsageError
from gialai_remote.i18n import t

#: The ``--output`` value that means standard output.
STDOUT = "-"

#: The termination signals handled like Ctrl-C during a write (those this platform has).
TERMINATION_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def written_note(path: str, lang: str) -> str:
    """The one-line note on stderr after a successful write: "Đã ghi PATH"."""
    return t("note.output_written", lang, path=shown(path))


def _split(path: str, lang: str) -> tuple[str, str]:
    """(folder, name) of ``path``; the folder is "." for a bare name.

    Raises:
        UsageError: ``path`` ends with a separator (a folder), or is relative while the
            current folder no longer exists.
    """
    folder, name = os.path.split(path)
    if not name or name in (".", ".."):
        raise UsageError(t("error.output_is_dir", lang, path=shown(path)))
    if not os.path.isabs(path):
        try:
            os.getcwd()
        except OSError:  # the current folder was deleted: a relative name leads nowhere
            raise UsageError(t("error.output_no_cwd", lang, path=shown(path))) from None
    return folder or ".", name


def check_target(path: str, *, force: bool, lang: str) -> None:
    """Refuse early, before any work, a target that cannot or must not be written.

    Args:
        path: the ``--output`` value ("-" is stdout and always fine).
        force: whether an existing file may be replaced.
        lang: language of the messages.

    Raises:
        UsageError: ``path`` is empty, holds a NUL character, a folder, a device, FIFO or socket, a symbolic link,
            behind another user's symbolic link in a shared sticky folder, relative while the
            current folder was deleted, or exists and ``force`` is False (exit 2).
    """
    if path == STDOUT:
        return
    if not path.strip():
        raise UsageError(t("error.output_empty", lang))
    if "\x00" in path:  # every file API refuses it (ValueError, not OSError): say so plainly
        raise UsageError(t("error.output_nul", lang, path=shown(path)))
    folder, name = _split(path, lang)
    try:
        if os.path.isdir(path):
            raise UsageError(t("error.output_is_dir", lang, path=shown(path)))
        with Folder.open(folder, path, lang) as where:
            where.check_name(name, force=force)
    except OSError as exc:
        raise UsageError(t("error.output_write", lang, path=shown(path), reason=_reason(exc))) from None


def write_atomic(path: str, data: bytes, *, force: bool, lang: str) -> None:
    """Write ``data`` to ``path``: whole or not at all (see the module's docstring).

    Args:
        path: the target file ("-" is handled by the caller as stdout).
        data: the whole content.
        force: replace an existing regular file (its permission bits are kept if the user owns it).
        lang: language of error messages.

    Raises:
        UsageError: the target exists without ``force``, is a folder, a device, a symbolic
            link, or cannot be written (missing or read-only folder, disk full...); nothing
            was changed (exit 2).
        Terminated: SIGTERM, SIGHUP or SIGQUIT arrived; the temporary file was removed
            (exit 128 + the signal's number).
        KeyboardInterrupt: passed on after the temporary file was removed (exit 130).
    """
    check_target(path, force=force, lang=lang)
    folder, name = _split(path, lang)
    where: Folder | None = None
    try:
        with _termination_signals(), Folder.open(folder, path, lang) as where:
            where.check_name(name, force=force)
            where.write(name, data, force=force)
    except _Signalled as exc:
        name_of = signal.Signals(exc.signum).name
        if where is not None and where.published:
            message = t("error.terminated_written", lang, signal=name_of, path=shown(path))
        else:
            message = t("error.terminated", lang, signal=name_of)
        raise Terminated(message, exc.signum) from None
    except OSError as exc:
        raise UsageError(t("error.output_write", lang, path=shown(path), reason=_reason(exc))) from None


def is_folder(path: str) -> bool:
    """Whether ``--output PATH`` names a folder: it ends with a separator ("handouts/"), or it is
    an existing folder. Then the file goes *into* it, under its usual name."""
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    return path != STDOUT and (path.endswith(separators) or os.path.isdir(path))


def write_set(folder: str, files: list[tuple[str, bytes]], *, force: bool, lang: str) -> bool:
    """Write ``files`` into ``folder``, all of them or none (``setup --all``).

    How (``docs/handouts.md``, "Cả bộ tờ"): every target is checked first, so an existing file
    without ``force``, a link or an unwritable folder is refused before anything is written;
    ``folder`` is made (one level) when it does not exist; then each file is written as
    :func:`write_atomic` writes one (whole or absent, never through a link), in order, the
    last one being the index: an index on disk means every sheet it links to is there. When a
    write fails or the run is stopped (Ctrl-C, SIGTERM...), the files this run had created are
    removed, and the folder too if this run made it, so the folder is as it was; files that
    ``force`` had already replaced keep their new content.

    Args:
        folder: the ``--output`` folder.
        files: ``(name, content)`` in writing order, the index last; names are plain file names.
        force: replace existing files of those names.
        lang: language of the messages.

    Returns:
        True when ``folder`` was made by this run.

    Raises:
        UsageError: a target cannot or must not be written (exit 2); nothing is left changed.
        Terminated: a termination signal arrived (exit 128 + its number); undone as above.
        KeyboardInterrupt: passed on after the same clean-up (exit 130).
    """
    base = folder.rstrip(os.sep + (os.altsep or "")) or folder
    exists = os.path.lexists(base)
    if exists and not os.path.isdir(base):
        raise UsageError(t("error.output_not_folder", lang, path=shown(folder)))
    targets = [os.path.join(base, name) for name in names_of(files)]
    if exists:
        for target in targets:
            check_target(target, force=force, lang=lang)
    else:
        check_target(base, force=False, lang=lang)  # the folder's place: a safe parent, no name clash
    existed = {name for name, _ in files if exists and os.path.lexists(os.path.join(base, name))}
    created = False
    written: list[str] = []
    try:
        with _termination_signals():  # between two files too: a signal undoes the set
            if not exists:
                parent, name = _split(base, lang)
                try:
                    with Folder.open(parent, base, lang) as where:
                        where.mkdir(name)
                except OSError as exc:
                    raise UsageError(t("error.output_write", lang, path=shown(folder), reason=_reason(exc))) from None
                created = True
            for (name, data), target in zip(files, targets, strict=True):
                # Counted before the write: a signal may arrive once the file has its name.
                written.append(name)
                try:
                    write_atomic(target, data, force=force, lang=lang)
                except UsageError:
                    written.pop()  # refused or failed: nothing of this run has that name
                    raise
    except BaseException as exc:
        _undo(base, [name for name in written if name not in existed], created, lang)
        if isinstance(exc, (_Signalled, Terminated)):
            # Also when the signal came inside one file's write (write_atomic's Terminated, which
            # speaks of that file as written): the whole set was undone, so no file was changed.
            signal_name = signal.Signals(exc.signum).name
            raise Terminated(t("error.terminated", lang, signal=signal_name), exc.signum) from None
        raise
    return created


def names_of(files: list[tuple[str, bytes]]) -> list[str]:
    """The file names of ``files``."""
    return [name for name, _ in files]


def _undo(folder: str, names: list[str], created: bool, lang: str) -> None:
    """Remove ``names`` from ``folder`` (the files one run created), then the folder itself if
    that run made it and it is empty. Never raises: the error that led here is what matters."""
    with contextlib.suppress(OSError, UsageError), Folder.open(folder, folder, lang) as where:
        for name in names:
            where.unlink(name)
    if created:
        with contextlib.suppress(OSError, UsageError):
            parent, name = _split(folder, lang)
            with Folder.open(parent, folder, lang) as where:
                where.rmdir(name)


# ---- termination signals ------------------------------------------------------------------


class _Signalled(BaseException):
    """Raised in the main thread by a termination signal during a write (like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _termination_signals() -> Iterator[None]:
    """Turn SIGTERM, SIGHUP and SIGQUIT into :class:`_Signalled` for the duration of a write.

    Only the first signal raises; later ones (while the temporary file is being removed) are
    ignored, so the clean-up cannot itself be interrupted. Outside the main thread (signals
    cannot be handled there) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if not raised:
            raised = True
            raise _Signalled(signum)

    previous: dict[signal.Signals, Any] = {}
    try:
        for sig in TERMINATION_SIGNALS:
            previous[sig] = signal.signal(sig, handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
