"""Why a step failed: the reason codes, what to try first for each, and how an error maps to one.

A leaf of the package (it imports nothing else of :mod:`gialai_remote.doctor`). The codes are
public (JSON ``reason.code``, ``docs/doctor.md``); each has a catalogue text
``doctor.reason.<code>``, and its hint a text ``doctor.hint.<hint>``.
"""

from __future__ import annotations

import errno
from typing import Any

#: The reason codes a failed step may carry (JSON ``reason.code``). Each has a catalogue key
#: ``doctor.reason.<code>``.
REASON_CODES: tuple[str, ...] = (
    "no_dns_answer",
    "timed_out",
    "connection_refused",
    "network_unreachable",
    "connection_closed",
    "connection_failed",
    "certificate_expired",
    "certificate_not_yet_valid",
    "certificate_untrusted",
    "certificate_wrong_name",
    "certificate_invalid",
    "tls_failed",
    "http_error",
    "bad_http_response",
    "too_many_open_files",
    "internal_error",
    "proxy_unreachable",
    "proxy_auth_required",
    "proxy_refused",
    "proxy_bad_response",
    "proxy_unsupported",
)

#: What to do first, by reason code (catalogue key ``doctor.hint.<value>``).
HINTS: dict[str, str] = {
    "no_dns_answer": "network",
    "network_unreachable": "network",
    "timed_out": "firewall",
    "connection_refused": "server",
    "connection_closed": "firewall",
    "connection_failed": "network",
    "certificate_expired": "certificate",
    "certificate_not_yet_valid": "clock",
    "certificate_untrusted": "certificate",
    "certificate_wrong_name": "certificate",
    "certificate_invalid": "certificate",
    "tls_failed": "firewall",
    "http_error": "server",
    "bad_http_response": "firewall",
    "too_many_open_files": "local",
    "internal_error": "report",
    "proxy_unreachable": "proxy",
    "proxy_auth_required": "proxy_auth",
    "proxy_refused": "proxy_blocked",
    "proxy_bad_response": "proxy",
    "proxy_unsupported": "proxy",
}

#: The reasons of a failure to reach the proxy itself (its name, its port): reported as
#: ``proxy_unreachable``, with the operating system's words kept in ``error``.
PROXY_UNREACHABLE_FROM = frozenset(
    {
        "no_dns_answer",
        "timed_out",
        "connection_refused",
        "network_unreachable",
        "connection_closed",
        "connection_failed",
    }
)

#: errno values that mean this machine, not the network, ran out of something.
LOCAL_LIMITS = frozenset({errno.EMFILE, errno.ENFILE})


class StepFailed(Exception):
    """A step failed: carries the reason code, the message parameters and the raw error.

    Args:
        reason: one of :data:`REASON_CODES`.
        error: the operating system's, OpenSSL's or the peer's own words, on one line.
        **fields: parameters of the reason's message (``status``, ``address``...) and fields
            of the step's result (``address``, ``status_code``, ``status_text``).
    """

    def __init__(self, reason: str, error: str, **fields: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error
        self.fields = fields


def seconds(value: float) -> str:
    """Seconds for a message: "5", "0.5"."""
    return f"{value:g}"


def ms(value: float) -> int:
    """``value`` seconds as whole milliseconds, never negative."""
    return max(0, round(value * 1000))


def describe(exc: BaseException) -> str:
    """``Type: message`` of ``exc`` on one line (white space folded), at most 500 characters."""
    text = " ".join(str(exc).split())
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:500]


def connect_reason(exc: OSError) -> str:
    """The reason code of an error raised while connecting or talking on a socket."""
    if isinstance(exc, TimeoutError):
        return "timed_out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return "connection_closed"
    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return "network_unreachable"
    if exc.errno in LOCAL_LIMITS:
        return "too_many_open_files"
    return "connection_failed"
