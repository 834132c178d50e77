"""The target's folder for ``--output``, and the system calls that write into it safely.

:class:`Folder` opens the folder once (POSIX) without following another user's symbolic link
in a shared sticky folder, and does every later step relative to that descriptor: refusing a
target that is a link or not a regular file, writing the bytes to a file with no name
(``O_TMPFILE``) or a hidden temporary one, and giving it the target's name in one step
without replacing an existing file unless told to. What this guarantees, and why, is in
:mod:`.output`'s docstring and ``docs/security.md``; :func:`gialai_remote.cli.output.write_atomic`
is the one caller.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
import time
from collections.abc import Iterator
from typing import Any

from gialai_remote.cli.context import shown
from gialai_remote.errors import UsageError
from gialai_remote.i18n import t

#: How long a rename refused with PermissionError (Windows: the target is held) is retried, in s.
REPLACE_RETRY_SECONDS = 1.0

# Whether the folder can be opened once and every step done relative to it (POSIX).
_DIR_FD = {os.open, os.link, os.rename, os.unlink, os.stat, os.readlink, os.mkdir, os.rmdir} <= os.supports_dir_fd
_WINDOWS = sys.platform == "win32"
# Only Windows reports a target held open by another program as PermissionError on rename.
_RETRY_REPLACE = _WINDOWS
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
# link() fails with these where the file system has no hard links (FAT, exFAT, some shares).
_NO_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK, errno.EXDEV, errno.EINVAL}
)
# renameat2 / renamex_np answer these when the flag or the call is unknown to the system.
_NO_NOREPLACE = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP})
_MAX_HOPS = 40  # symbolic links followed on the way to the folder (the kernel's own bound)


def _default_mode() -> int:
    """The mode a new file gets from open(): 0o666 minus the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# ---- the folder, opened once --------------------------------------------------------------


class Folder:
    """The target's folder: opened once (POSIX) and used through its descriptor, or by path.

    Every operation names a file in this folder only; none follows a symbolic link. Made by
    :meth:`open`, never directly.

    Attributes:
        fd: the folder's descriptor, or None where the platform works by path (Windows).
        path: the folder as given ("." for the current one).
        target: the ``--output`` value, for messages.
        lang: language of the messages.
        published: True once the new file has its name (a signal after that changes nothing).
    """

    def __init__(self, fd: int | None, path: str, shown_path: str, lang: str) -> None:
        self.fd = fd
        self.path = path
        self.target = shown_path
        self.lang = lang
        #: True once the new file has its name (a signal after that changes nothing).
        self.published = False

    @classmethod
    @contextlib.contextmanager
    def open(cls, folder: str, target: str, lang: str) -> Iterator[Folder]:
        """Open ``folder`` safely (see :func:`_open_folder`); yields the :class:`Folder`.

        Raises:
            UsageError: a symbolic link on the way that another user made in a shared folder.
            OSError: the folder is missing, not a folder, or cannot be opened.
        """
        fd = _open_folder(folder, target, lang) if _DIR_FD else None
        try:
            yield cls(fd, folder, target, lang)
        finally:
            if fd is not None:
                os.close(fd)

    # -- path-or-descriptor plumbing

    def _where(self, name: str) -> tuple[str, dict[str, Any]]:
        if self.fd is not None:
            return name, {"dir_fd": self.fd}
        return os.path.join(self.path, name), {}

    def lstat(self, name: str) -> os.stat_result | None:
        """The file ``name`` itself (a link is not followed), or None when there is none."""
        where, kw = self._where(name)
        try:
            return os.stat(where, follow_symlinks=False, **kw)
        except FileNotFoundError:
            return None

    def unlink(self, name: str) -> None:
        """Remove ``name`` if it exists; never raises."""
        where, kw = self._where(name)
        with contextlib.suppress(OSError):
            os.unlink(where, **kw)

    def mkdir(self, name: str) -> None:
        """Make the folder ``name`` here (mode 0o777 minus the umask); a link is never followed.

        Raises:
            FileExistsError: something named ``name`` exists already (a link too).
            OSError: it cannot be made.
        """
        where, kw = self._where(name)
        os.mkdir(where, **kw)

    def rmdir(self, name: str) -> None:
        """Remove the folder ``name`` if it exists and is empty; never raises."""
        where, kw = self._where(name)
        with contextlib.suppress(OSError):
            os.rmdir(where, **kw)

    def _pair(self, src: str, dst: str) -> tuple[str, str, dict[str, Any]]:
        if self.fd is not None:
            return src, dst, {"src_dir_fd": self.fd, "dst_dir_fd": self.fd}
        return os.path.join(self.path, src), os.path.join(self.path, dst), {}

    # -- the checks

    def check_name(self, name: str, *, force: bool) -> None:
        """Refuse a target name that is a symbolic link, not a regular file, or exists without force."""
        st = self.lstat(name)
        if st is None:
            return
        if not force:
            raise UsageError(t("error.output_exists", self.lang, path=shown(self.target)))
        if stat.S_ISLNK(st.st_mode):
            raise UsageError(t("error.output_symlink", self.lang, path=shown(self.target)))
        if stat.S_ISDIR(st.st_mode):
            raise UsageError(t("error.output_is_dir", self.lang, path=shown(self.target)))
        if not stat.S_ISREG(st.st_mode):
            # A device, FIFO or socket: renaming over it would replace /dev/null itself.
            raise UsageError(t("error.output_not_file", self.lang, path=shown(self.target)))

    def mode_for(self, name: str) -> int:
        """The permission bits of the new file (never setuid, setgid or sticky)."""
        st = self.lstat(name)
        if st is not None and stat.S_ISREG(st.st_mode):
            geteuid = getattr(os, "geteuid", None)
            if geteuid is None or st.st_uid == geteuid():
                return st.st_mode & 0o777
        return _default_mode()

    # -- the write

    def write(self, name: str, data: bytes, *, force: bool) -> None:
        """Write ``data`` as ``name`` in this folder, whole or not at all.

        Raises:
            UsageError: ``name`` exists and ``force`` is False (it appeared meanwhile), or the
                target is held by another program (Windows) past the retries.
            OSError: writing failed; nothing is left behind.
        """
        mode = self.mode_for(name)
        if self.fd is not None and _tmpfile_works():
            fd = _open_tmpfile(self.fd)
            if fd is not None:
                try:
                    _fill(fd, data, mode)
                    if self._link_tmpfile(fd, name, force=force):
                        self.published = True
                        self._sync()
                        return
                finally:
                    os.close(fd)
        # The name is known before the file exists, so an interrupt at any point (even right
        # after the file is created) removes it. A name already taken (one chance in 2**32)
        # is forgotten before another is tried, so another program's file is never removed.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
        tmp: str | None = None
        try:
            for _ in range(100):
                tmp = _temp_name()
                where, kw = self._where(tmp)
                try:
                    fd = os.open(where, flags, 0o600, **kw)
                    break
                except FileExistsError:
                    tmp = None
            else:  # pragma: no cover - a hundred random names all taken
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))
            try:
                _fill(fd, data, mode)
            finally:
                os.close(fd)
            if force:
                self._replace(tmp, name)
            else:
                self._publish_new(tmp, name)
            tmp = None
            self.published = True
        finally:
            if tmp is not None:
                self.unlink(tmp)
        self._sync()

    def _link_tmpfile(self, fd: int, name: str, *, force: bool) -> bool:
        """Give the ``O_TMPFILE`` file ``fd`` the name ``name``; False when linking is not possible.

        Without ``force`` the link itself is the atomic no-clobber step (``linkat`` never
        replaces); with ``force`` the file is linked under a temporary name, then renamed.
        """
        assert self.fd is not None
        source = f"/proc/self/fd/{fd}"
        if not force:
            try:
                os.link(source, name, dst_dir_fd=self.fd, follow_symlinks=True)
            except FileExistsError:
                raise UsageError(t("error.output_exists", self.lang, path=shown(self.target))) from None
            except OSError:
                return False
            return True
        tmp: str | None = None
        try:
            for _ in range(100):
                tmp = _temp_name()
                try:
                    os.link(source, tmp, dst_dir_fd=self.fd, follow_symlinks=True)
                    break
                except FileExistsError:
                    tmp = None
                except OSError:
                    tmp = None
                    return False
            else:  # pragma: no cover - a hundred random names all taken
                return False
            self._replace(tmp, name)
            tmp = None
        finally:
            if tmp is not None:
                self.unlink(tmp)
        return True

    def _replace(self, src: str, dst: str) -> None:
        """Rename ``src`` over ``dst``; on Windows, retry while another program holds ``dst``."""
        a, b, kw = self._pair(src, dst)
        deadline = time.monotonic() + REPLACE_RETRY_SECONDS
        pause = 0.02
        while True:
            try:
                os.replace(a, b, **kw)
                return
            except PermissionError:
                if not _RETRY_REPLACE:
                    raise
                if time.monotonic() >= deadline:
                    raise UsageError(t("error.output_busy", self.lang, path=shown(self.target))) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def _publish_new(self, tmp: str, name: str) -> None:
        """Give ``tmp`` the name ``name`` only if no file has that name yet (atomically)."""
        exists = UsageError(t("error.output_exists", self.lang, path=shown(self.target)))
        a, b, kw = self._pair(tmp, name)
        if _WINDOWS:  # pragma: no cover - os.rename never replaces an existing file there
            try:
                os.rename(a, b, **kw)
            except FileExistsError:
                raise exists from None
            return
        try:
            if rename_noreplace(self.fd, tmp, name) if self.fd is not None else rename_noreplace(None, a, b):
                return
        except FileExistsError:
            raise exists from None
        try:
            os.link(a, b, follow_symlinks=False, **kw)
        except FileExistsError:
            raise exists from None
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            self._claim_then_replace(tmp, name, exists)
            return
        self.unlink(tmp)

    def _claim_then_replace(self, tmp: str, name: str, exists: UsageError) -> None:
        """No atomic no-replace at all: claim ``name`` with an empty file, then rename over it."""
        where, kw = self._where(name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
        try:
            fd = os.open(where, flags, 0o600, **kw)
        except FileExistsError:
            raise exists from None
        try:
            claimed = os.fstat(fd)
        finally:
            os.close(fd)
        try:
            self._replace(tmp, name)
        except BaseException:
            now = self.lstat(name)
            if now is not None and (now.st_dev, now.st_ino) == (claimed.st_dev, claimed.st_ino):
                self.unlink(name)  # only our own empty placeholder
            raise

    def _sync(self) -> None:
        """Make the new name durable where the platform allows it (best effort)."""
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self.fd)


def _temp_name() -> str:
    """A short hidden name (16 characters), so any target name up to 255 bytes works."""
    return f".gr-{secrets.token_hex(4)}.tmp"


def _fill(fd: int, data: bytes, mode: int) -> None:
    """Write all of ``data`` to ``fd``, set its permission bits, flush it to disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    os.fsync(fd)


# ---- Linux: O_TMPFILE ---------------------------------------------------------------------


def _tmpfile_works() -> bool:
    """Whether ``O_TMPFILE`` files can be named through ``/proc/self/fd`` (Linux)."""
    return hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def _open_tmpfile(dir_fd: int) -> int | None:
    """An unnamed file in the folder ``dir_fd`` (mode 0o600), or None where not supported."""
    try:
        return os.open(".", os.O_TMPFILE | os.O_WRONLY | _CLOEXEC, 0o600, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # a file system (or an old kernel) without O_TMPFILE
        raise


# ---- atomic no-replace renames ------------------------------------------------------------

_RENAME_NOREPLACE = 1  # linux/fs.h
_RENAME_EXCL = 0x4  # macOS sys/stdio.h
_AT_FDCWD = -100


def _libc_call() -> Any:
    """The C library's renameat2 (Linux) or renameatx_np (macOS), or None."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover
        return None
    for name in ("renameat2", "renameatx_np"):
        function = getattr(libc, name, None)
        if function is not None:
            function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            function.restype = ctypes.c_int
            return function
    return None


_LIBC_RENAME: Any = None
_LIBC_LOOKED_UP = False


def rename_noreplace(dir_fd: int | None, src: str, dst: str) -> bool:
    """Rename ``src`` to ``dst`` (in the folder ``dir_fd``, or paths when None) unless ``dst`` exists.

    Uses Linux ``renameat2(RENAME_NOREPLACE)`` or macOS ``renameatx_np(RENAME_EXCL)``.

    Returns:
        True when renamed; False when the system or the file system has no such call
        (the caller falls back to another way).

    Raises:
        FileExistsError: ``dst`` exists (nothing was renamed).
        OSError: the rename failed otherwise.
    """
    global _LIBC_RENAME, _LIBC_LOOKED_UP
    if not _LIBC_LOOKED_UP:
        _LIBC_RENAME, _LIBC_LOOKED_UP = _libc_call(), True
    function = _LIBC_RENAME
    if function is None:
        return False
    import ctypes

    flag = _RENAME_NOREPLACE if sys.platform.startswith("linux") else _RENAME_EXCL
    fd = _AT_FDCWD if dir_fd is None else dir_fd
    if function(fd, os.fsencode(src), fd, os.fsencode(dst), flag) == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), dst)
    if code in _NO_NOREPLACE:
        return False
    raise OSError(code, os.strerror(code), dst)


# ---- opening the folder without following another user's link -----------------------------


def _open_folder(folder: str, target: str, lang: str) -> int:
    """Open ``folder`` one component at a time, following symbolic links as the kernel's
    ``fs.protected_symlinks`` rule allows, and return its descriptor.

    A link in a world-writable sticky folder (``/tmp``) is followed only when its owner is the
    user running the command or the folder's owner; any other link is followed. ``..`` is
    taken physically (from where the links led), as the kernel does.

    Raises:
        UsageError: such a link of another user is on the way (``error.output_shared_link``).
        OSError: a component is missing or not a folder, or more than 40 links.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC
    absolute = os.path.isabs(folder)
    parts = folder.split("/")
    fd = os.open("/" if absolute else ".", os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    hops = 0
    geteuid = getattr(os, "geteuid", lambda: -1)
    try:
        while parts:
            part = parts.pop(0)
            if part in ("", "."):
                continue
            try:
                nfd = os.open(part, flags, dir_fd=fd)
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                link = os.stat(part, dir_fd=fd, follow_symlinks=False)
                if not stat.S_ISLNK(link.st_mode):
                    raise
                parent = os.fstat(fd)
                shared = parent.st_mode & stat.S_ISVTX and parent.st_mode & stat.S_IWOTH
                if shared and link.st_uid not in (geteuid(), parent.st_uid):
                    raise UsageError(
                        t("error.output_shared_link", lang, path=shown(target), link=shown(part))
                    ) from None
                hops += 1
                if hops > _MAX_HOPS:
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), folder) from None
                destination = os.readlink(part, dir_fd=fd)
                if destination.startswith("/"):
                    os.close(fd)
                    fd = os.open("/", os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
                parts[:0] = destination.split("/")
                continue
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd
