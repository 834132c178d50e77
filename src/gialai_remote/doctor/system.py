"""The defaults of a run that touch the system: its DNS resolver, trust store and clock.

:func:`gialai_remote.doctor.run.run_doctor` looks each one up here at call time, so a test can
replace it (``monkeypatch.setattr(system, "system_resolver", ...)``) and never query a real DNS
server.
"""

from __future__ import annotations

import datetime as dt
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the operating system's resolver (``getaddrinfo``).

    Returns the distinct addresses, in the system's order of preference. Raises
    ``socket.gaierror`` when there is no answer.
    """
    seen: list[str] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = str(sockaddr[0])
        if address not in seen:
            seen.append(address)
    return seen


def system_context() -> ssl.SSLContext:
    """A client SSL context with the system's trust store, verifying certificates and names.

    ``ssl.create_default_context()`` reads the system store (and honours OpenSSL's
    ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``). Only when the system has no CA certificates at
    all (no CA file or directory, nothing in the store) are ``certifi``'s loaded, if installed.
    """
    import os
    import ssl

    context = ssl.create_default_context()
    paths = ssl.get_default_verify_paths()
    has_file = bool(paths.cafile and os.path.isfile(paths.cafile))
    has_dir = bool(paths.capath and os.path.isdir(paths.capath) and os.listdir(paths.capath))
    if not (has_file or has_dir) and context.cert_store_stats().get("x509_ca", 0) == 0:
        try:
            import certifi
        except ImportError:  # pragma: no cover - certifi is a dependency
            return context
        context.load_verify_locations(cafile=certifi.where())
    return context


def utc_now() -> dt.datetime:
    """The current time, UTC."""
    return dt.datetime.now(dt.timezone.utc)
