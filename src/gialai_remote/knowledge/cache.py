"""The knowledge-base cache: a file read and checked once is not parsed or checked again.

A knowledge base costs a YAML parse (the built-in file) or a full validation (a ``--data``
file: YAML events and bounds, the JSON Schema, every id, phone and URL) before the model is
built. Both depend only on the file's bytes and on the code that reads them, so their result,
the plain JSON view of the document (and, for a checked file, its warnings), is kept in the
user's cache folder and used again when the same bytes come back. The model itself is not
cached: it is rebuilt from the view every time (:func:`gialai_remote.knowledge.build.build`,
under a millisecond for the shipped file), so a change to the model or the builder never
meets an old cached model.

**Where** (:func:`folder`): ``GIALAI_REMOTE_CACHE`` when set; else ``%LOCALAPPDATA%\\gialai-remote\\Cache``
on Windows; else ``$XDG_CACHE_HOME/gialai-remote``, or ``~/.cache/gialai-remote`` (Linux,
macOS and other systems). Without ``LOCALAPPDATA`` (Windows) or ``HOME`` (elsewhere), and when
the folder cannot be made or used, there is no cache and nothing fails: the file is read and
checked as without one.

**What an entry is keyed by** (:func:`entry_key`): the entry's kind (``builtin``: the shipped
file, parsed but not validated at run time; ``checked``: a file validated in full, with the
language of its messages), the cache format, the knowledge-base format the model is built in
(``schema_version`` 2), the tool's version, Python's version and the
BLAKE2b digest of the bytes of EVERY input file. Each entry also records the size and
modification time of the code that produced it (every loaded module of the package, the
top-level files of the libraries that read and check a file, the JSON Schema): an edited
module (an editable install) or an upgraded library makes the entry stale.

**Why an entry is never trusted unverified**, whoever can write to the folder:

- the folder must belong to the user (POSIX), else it is not used at all;
- an entry is opened without following a symbolic link, must be a regular file owned by the
  user and writable by nobody else, and at most :data:`MAX_ENTRY_BYTES` long;
- it carries a keyed BLAKE2b MAC of its name and content, under a 32-byte random key kept in
  the folder (``key``: made once, owned by the user, readable by nobody else): a changed,
  truncated, renamed or foreign entry fails the check;
- only then is it read with :mod:`marshal`, which builds plain values (no code runs, no class is
  looked up: unlike pickle, it cannot name a function to call), and it must have the expected
  shape.

An entry that fails any check is ignored and written again after the file is read the long way;
nothing is ever said about it (the answer is the same either way). Entries are written to a
temporary file in the folder and renamed into place (:func:`os.replace`), so a concurrent
process sees the old entry or the new one, never half of one. At most :data:`MAX_ENTRIES`
entries are kept (the oldest go first).

This module imports nothing of the package: it is a leaf, like ``report`` and ``build``.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from typing import Any

try:  # CPython's BLAKE2, which hashlib.blake2b is; importing hashlib would load OpenSSL (~3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b

try:  # hmac.compare_digest without importing hmac (and hashlib)
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - another Python implementation
    from hmac import compare_digest  # type: ignore[no-redef]

#: The entry format: a change makes every older entry a miss.
FORMAT = 2
#: The knowledge-base format the model is built in (``schema_version`` 2: sources, tool status,
#: notices that end; a version-1 file's view is upgraded when the model is built). Part of every
#: key, so entries kept by a version-1 build are never used by this one (tests/test_cache.py
#: checks it equals build's newest supported version).
KB_SCHEMA_VERSION = 2
#: The first bytes of an entry file.
MAGIC = b"GRKC"
#: The largest entry file read, in bytes (the view of a file at the 2 MB reading bound is well below).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: The most entries kept in the folder.
MAX_ENTRIES = 64
#: The MAC key's file name in the folder, and its length in bytes.
KEY_FILE = "key"
KEY_BYTES = 32
#: The suffix of an entry file.
SUFFIX = ".kb"
#: Third-party packages whose code decides what a file parses or checks to.
LIBRARIES = ("yaml", "jsonschema", "jsonschema_specifications", "referencing", "rpds", "phonenumbers", "idna")

_MAC_BYTES = 32
_HEADER = len(MAGIC) + 1 + _MAC_BYTES
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def folder(environ: Any = None) -> str | None:
    """The cache folder's path, or None when this environment names none.

    Args:
        environ: the environment (default ``os.environ``).

    Returns:
        ``GIALAI_REMOTE_CACHE`` (made absolute) when set and not empty; on Windows
        ``%LOCALAPPDATA%\\gialai-remote\\Cache``; elsewhere ``$XDG_CACHE_HOME/gialai-remote`` when
        ``XDG_CACHE_HOME`` is an absolute path (the XDG rule), else ``$HOME/.cache/gialai-remote``;
        None without ``LOCALAPPDATA`` (Windows) or ``HOME``.
    """
    env = os.environ if environ is None else environ
    moved = env.get("GIALAI_REMOTE_CACHE")
    if moved:
        return os.path.abspath(moved)
    if sys.platform == "win32":
        local = env.get("LOCALAPPDATA")
        return os.path.join(local, "gialai-remote", "Cache") if local else None
    base = env.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = env.get("HOME")
        if not home:
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "gialai-remote")


def digest(data: bytes) -> bytes:
    """The 32-byte BLAKE2b digest of ``data`` (an input file's bytes)."""
    return blake2b(data, digest_size=32).digest()


def stack_digest(digests: Sequence[str]) -> str:
    """One digest (BLAKE2b-256, hexadecimal) of a knowledge base made of several files: of each
    file's :func:`digest` (hexadecimal), in order (``docs/layers.md``: what ``--version`` shows)."""
    h = blake2b(digest_size=32, person=b"gialai-stack")
    for item in digests:
        h.update(bytes.fromhex(item))
    return h.hexdigest()


def entry_key(kind: str, *parts: str | bytes) -> str:
    """The name of the entry for ``kind`` and ``parts``: 64 hexadecimal digits.

    Args:
        kind: "builtin" or "checked".
        parts: what else the entry depends on: the language of its messages, and the
            :func:`digest` of every input file, in order.

    The tool's version, Python's version, :data:`FORMAT` and :data:`KB_SCHEMA_VERSION` are
    always part of the key.
    """
    # The package is always imported before any of its modules; reading its version from
    # sys.modules keeps this module a leaf (an import would make a circle through the package).
    version = str(getattr(sys.modules.get("gialai_remote"), "__version__", ""))
    h = blake2b(digest_size=32, person=b"gialai-remote")
    for part in (str(FORMAT), str(KB_SCHEMA_VERSION), version, sys.version, str(marshal.version), kind, *parts):
        raw = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "little"))
        h.update(raw)
    return h.hexdigest()


def code_files(extra: Iterable[str] = ()) -> list[str]:
    """The files whose change makes an entry stale: the package's loaded modules and more.

    Args:
        extra: other files the result depends on (the JSON Schema).

    Returns:
        The file of every loaded module of ``gialai_remote``, the top-level file of every loaded
        package of :data:`LIBRARIES`, and ``extra``, in a stable order; only files on disk.
    """
    found = set(extra)
    for name, module in list(sys.modules.items()):
        top = name.partition(".")[0]
        if top == "gialai_remote" or (name in LIBRARIES):
            path = getattr(module, "__file__", None)
            if isinstance(path, str):
                found.add(path)
    return sorted(p for p in found if os.path.isfile(p))


def _owned(st: os.stat_result) -> bool:
    """True when the user owns ``st``'s file (always on a system without user ids)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or st.st_uid == geteuid()


def _read_regular(path: str, limit: int, *, private: bool) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of the user's, at most ``limit`` long.

    No symbolic link is followed. ``private``: nobody else may read it (the key), else nobody
    else may write it (an entry). None when it is missing or fails a check; never raises.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY | _CLOEXEC)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        others = 0o077 if private else 0o022
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit or not _owned(st):
            return None
        if os.name == "posix" and st.st_mode & others:
            return None
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_new(path: str, data: bytes) -> None:
    """Write ``data`` to a new file ``path`` (mode 0600; never an existing file or a link).

    Raises:
        OSError: the file exists or cannot be written (a partial file is removed).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY | _CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        _remove(path)
        raise
    os.close(fd)


def _remove(path: str) -> None:
    """Remove ``path``; a missing file or a refusal is not an error."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def _temporary(where: str, name: str) -> str:
    """A fresh temporary file name in ``where``, for ``name``."""
    return os.path.join(where, f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")


class Store:
    """One cache folder in use: its path and its MAC key.

    Use :meth:`open`; :meth:`get` and :meth:`put` never raise.

    Attributes:
        path: the folder.
    """

    def __init__(self, path: str, key: bytes) -> None:
        self.path = path
        self._key = key

    @classmethod
    def open(cls, path: str | None = None) -> Store | None:
        """The cache at ``path`` (default :func:`folder`), made if missing; None when it cannot be used.

        The folder must be a directory owned by the user (POSIX). Its MAC key is read, or made
        (32 random bytes, mode 0600) when the folder has none; a key that is not the user's
        own private regular file of the right length means no cache.
        """
        where = folder() if path is None else path
        if not where:
            return None
        try:
            os.makedirs(where, mode=0o700, exist_ok=True)
            st = os.stat(where)
        except (OSError, ValueError):
            return None
        if not stat.S_ISDIR(st.st_mode) or not _owned(st):
            return None
        key_path = os.path.join(where, KEY_FILE)
        key = _read_regular(key_path, KEY_BYTES, private=True)
        if key is None and not os.path.lexists(key_path):
            key = cls._make_key(where, key_path)
        if key is None or len(key) != KEY_BYTES:
            return None
        return cls(where, key)

    @staticmethod
    def _make_key(where: str, key_path: str) -> bytes | None:
        """Make the folder's key, or read the one another process made first; None on failure."""
        tmp = _temporary(where, KEY_FILE)
        try:
            _write_new(tmp, os.urandom(KEY_BYTES))
            try:
                os.link(tmp, key_path)  # never replaces a key another process made meanwhile
            except FileExistsError:
                pass
            except OSError:  # no hard links here (FAT, some network shares)
                if not os.path.lexists(key_path):
                    os.replace(tmp, key_path)
        except OSError:
            return None
        finally:
            _remove(tmp)
        return _read_regular(key_path, KEY_BYTES, private=True)

    def _mac(self, name: str, payload: bytes) -> bytes:
        mac = blake2b(digest_size=_MAC_BYTES, key=self._key, person=b"gialai-remote")
        mac.update(name.encode("ascii"))
        mac.update(b"\0")
        mac.update(payload)
        return mac.digest()

    def get(self, name: str) -> Any:
        """The value kept under ``name`` (an :func:`entry_key`), or None.

        None when there is no entry, or it fails a check (owner, mode, size, MAC, format), or a
        file it was made from changed since (:func:`code_files`).
        """
        data = _read_regular(os.path.join(self.path, name + SUFFIX), MAX_ENTRY_BYTES, private=False)
        if data is None or len(data) < _HEADER or data[: len(MAGIC)] != MAGIC or data[len(MAGIC)] != FORMAT:
            return None
        payload = data[_HEADER:]
        if not compare_digest(data[len(MAGIC) + 1 : _HEADER], self._mac(name, payload)):
            return None
        try:
            entry = marshal.loads(payload)  # noqa: S302 - the MAC proved it is our own entry
        except (EOFError, ValueError, TypeError):
            return None
        if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == FORMAT and isinstance(entry[1], tuple)):
            return None
        for source in entry[1]:
            if not _unchanged(source):
                return None
        return entry[2]

    def put(self, name: str, value: Any, sources: Sequence[str] = ()) -> None:
        """Keep ``value`` (plain data: dict, list, tuple, str, int, float, bool, None) under ``name``.

        Args:
            name: an :func:`entry_key`.
            value: what :meth:`get` gives back.
            sources: files whose change makes the entry stale (:func:`code_files`).

        Nothing is raised: a folder that refuses the write, or a value marshal cannot write,
        leaves the cache as it was.
        """
        stamps = []
        for path in sources:
            try:
                st = os.stat(path)
            except (OSError, ValueError):
                continue
            stamps.append((path, st.st_mtime_ns, st.st_size))
        try:
            payload = marshal.dumps((FORMAT, tuple(stamps), value))
        except ValueError:
            return
        tmp = _temporary(self.path, name)
        try:
            _write_new(tmp, MAGIC + bytes([FORMAT]) + self._mac(name, payload) + payload)
            os.replace(tmp, os.path.join(self.path, name + SUFFIX))
        except OSError:
            _remove(tmp)
            return
        self._prune()

    def _prune(self) -> None:
        """Remove the oldest entries beyond :data:`MAX_ENTRIES`, and temporary files left for an hour."""
        import time

        entries = []
        try:
            with os.scandir(self.path) as found:
                for item in found:
                    if item.name.endswith(SUFFIX) or item.name.endswith(".tmp"):
                        try:
                            st = item.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        if stat.S_ISREG(st.st_mode) and _owned(st):
                            entries.append((st.st_mtime_ns, item.path, item.name.endswith(".tmp")))
        except OSError:
            return
        stale = time.time_ns() - 3600 * 10**9
        for mtime, path, temporary in entries:
            if temporary and mtime < stale:
                _remove(path)
        kept = sorted((e for e in entries if not e[2]), reverse=True)
        for _, path, _ in kept[MAX_ENTRIES:]:
            _remove(path)


def _unchanged(source: Any) -> bool:
    """True when ``source`` (path, mtime_ns, size) still describes its file."""
    if not (isinstance(source, tuple) and len(source) == 3 and isinstance(source[0], str)):
        return False
    try:
        st = os.stat(source[0])
    except (OSError, ValueError):
        return False
    return (st.st_mtime_ns, st.st_size) == source[1:]
