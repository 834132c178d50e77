"""Writing a command's result to a file named by ``--output``, atomically.

The file appears whole or not at all: the bytes go to a temporary file in the same folder,
are flushed to disk, and the temporary file is then renamed over the target. An existing
file is never replaced without ``--force`` (and the check cannot race: without ``--force``
the temporary file is hard-linked to the target name, which fails if the name exists). When
writing fails (disk full, read-only or missing folder) or is interrupted, the temporary file
is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile

from gialai_remote.errors import UsageError
from gialai_remote.i18n import t

#: The ``--output`` value that means standard output.
STDOUT = "-"


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def _default_mode() -> int:
    """The mode a new file gets from open(): 0o666 minus the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_target(path: str, *, force: bool, lang: str) -> None:
    """Refuse early, before any work, a target that cannot be written.

    Raises:
        UsageError: ``path`` is a folder, a device, FIFO or socket (also through a link),
            or exists and ``force`` is False (exit 2).
    """
    if path == STDOUT:
        return
    if not path.strip():
        raise UsageError(t("error.output_empty", lang))
    if os.path.isdir(path):
        raise UsageError(t("error.output_is_dir", lang, path=path))
    if not force and os.path.lexists(path):
        raise UsageError(t("error.output_exists", lang, path=path))
    target = os.path.realpath(path)
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        # A device, FIFO or socket: renaming over it would replace /dev/null itself.
        raise UsageError(t("error.output_not_file", lang, path=path))


def write_atomic(path: str, data: bytes, *, force: bool, lang: str) -> None:
    """Write ``data`` to ``path`` atomically.

    Args:
        path: the target file ("-" is handled by the caller as stdout).
        data: the whole content.
        force: replace an existing file (its permission bits are kept).
        lang: language of error messages.

    Raises:
        UsageError: the target exists without ``force``, is a folder, or cannot be written
            (missing or read-only folder, disk full...); nothing was changed (exit 2).
        KeyboardInterrupt: passed on after the temporary file was removed (exit 130).
    """
    check_target(path, force=force, lang=lang)
    # Through a symbolic link, the file it points at is what gets replaced, not the link.
    path = os.path.realpath(path) if os.path.islink(path) else path
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(t("error.output_write", lang, path=path, reason=_reason(exc))) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            mode = _default_mode()
        os.chmod(tmp, mode)
        if force:
            os.replace(tmp, path)
        else:
            _publish_new(tmp, path, lang)
        _sync_folder(folder)
    except OSError as exc:
        _remove(tmp)
        raise UsageError(t("error.output_write", lang, path=path, reason=_reason(exc))) from None
    except BaseException:
        _remove(tmp)
        raise
    finally:
        _remove(tmp)


def _publish_new(tmp: str, path: str, lang: str) -> None:
    """Give ``tmp`` the name ``path`` only if no file has that name yet."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(t("error.output_exists", lang, path=path)) from None
    except OSError:
        # A file system without hard links: check, then rename (a small race remains).
        if os.path.lexists(path):
            raise UsageError(t("error.output_exists", lang, path=path)) from None
        os.replace(tmp, path)


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
