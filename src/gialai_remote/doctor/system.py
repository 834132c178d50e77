"""The defaults of a run that touch the system: its DNS resolver and clock.

:func:`gialai_remote.doctor.run.run_doctor` looks each one up here at call time, so a test can
replace it (``monkeypatch.setattr(system, "system_resolver", ...)``) and never query a real DNS
server. The trust store is chosen in :mod:`gialai_remote.doctor.trust`, the proxy in
:mod:`gialai_remote.doctor.proxy`.
"""

from __future__ import annotations

import datetime as dt
import socket


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


def utc_now() -> dt.datetime:
    """The current time, UTC."""
    return dt.datetime.now(dt.timezone.utc)
