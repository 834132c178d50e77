"""What lets a test run on Windows as well as on POSIX systems.

- :data:`BIN`: the console script of this environment (``Scripts\\gialai-remote.exe`` on
  Windows, ``bin/gialai-remote`` elsewhere).
- :data:`SYSTEM`: the variables a Windows process needs even in a "bare" environment
  (``SYSTEMROOT`` for sockets and random numbers, the temporary folders); empty elsewhere,
  so ``{"PATH": ..., **SYSTEM}`` stays as bare as before on Linux.

Tests that need what only POSIX systems have (a pty, ``sh``, ``fork``, POSIX signals, file
modes, FIFOs) carry the ``posix`` marker; tests/conftest.py skips them elsewhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

WINDOWS = os.name == "nt"
BIN = str(Path(sys.executable).with_name("gialai-remote.exe" if WINDOWS else "gialai-remote"))
_WINDOWS_ESSENTIALS = ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "TEMP", "TMP", "COMSPEC", "PATHEXT")
SYSTEM = {name: os.environ[name] for name in _WINDOWS_ESSENTIALS if WINDOWS and name in os.environ}
