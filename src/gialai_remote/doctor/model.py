"""The result types of ``doctor`` and the constants every part of it shares.

A leaf of the package: it imports nothing else of :mod:`gialai_remote.doctor`, opens nothing
and prints nothing. The renderers (``render/json.py``, ``render/text/doctor.py``) read only
these types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gialai_remote.advice import ContactInfo

if TYPE_CHECKING:
    import ssl

#: The steps of one tool's check, in order.
STEPS: tuple[str, ...] = ("dns", "tcp", "tls", "http")

#: Per-step timeout in seconds when none is given.
DEFAULT_TIMEOUT = 5.0

#: Added to ``timeout * len(STEPS)`` to make the default bound on the whole run (seconds).
BOUND_SLACK = 1.0

Status = Literal["passed", "failed", "skipped"]

#: ``resolver(host, port)`` returns the host's addresses as strings ("203.0.113.5", "::1"),
#: in the order to try them. It raises ``socket.gaierror`` (or any ``OSError``) when there
#: is no answer; an empty result counts as no answer.
Resolver = Callable[[str, int], Sequence[str]]

#: Returns a fresh client ``ssl.SSLContext`` that verifies certificates and host names.
ContextFactory = Callable[[], "ssl.SSLContext"]

#: Returns the current time, timezone-aware (UTC), for "days until expiry" and ``checked_at``.
WallClock = Callable[[], dt.datetime]


def default_bound(timeout: float) -> float:
    """The bound on a whole run for a per-step ``timeout`` (seconds): every step may use it all."""
    return timeout * len(STEPS) + BOUND_SLACK


@dataclass(frozen=True, slots=True)
class Certificate:
    """The server certificate seen in a successful handshake.

    Attributes:
        subject: the subject as ``"CN=..., O=..."`` (the names it covers when it has none).
        issuer: the issuer, same form.
        names: the DNS names and IP addresses it is valid for (subjectAltName).
        not_after: the last moment it is valid (UTC).
        days_left: whole days from the check until ``not_after`` (negative once expired).
        hostname_match: True: the handshake verified it against the URL's host name.
    """

    subject: str
    issuer: str
    names: tuple[str, ...]
    not_after: dt.datetime
    days_left: int
    hostname_match: bool


@dataclass(frozen=True, slots=True)
class StepResult:
    """The outcome of one step.

    Attributes:
        step: one of :data:`STEPS`.
        status: "passed", "failed" or "skipped" (an earlier step failed).
        duration_ms: how long the step took, in milliseconds; None when skipped.
        reason: for a failed step, one of ``REASON_CODES``.
        message: for a failed step, the reason in plain words, in the report's language.
        error: for a failed step, the operating system's or OpenSSL's own words (English).
        addresses: ``dns``: the addresses found.
        address: ``tcp``: the address connected to (or the last one tried).
        protocol: ``tls``: the TLS version agreed ("TLSv1.3").
        certificate: ``tls``: the verified certificate.
        hostname_match: ``tls``: True when verified, False when the certificate is for another
            name, None when unknown (the handshake failed for another reason).
        status_code: ``http``: the HTTP status code.
        status_text: ``http``: the status line's reason phrase ("OK").
    """

    step: str
    status: Status
    duration_ms: int | None = None
    reason: str | None = None
    message: str | None = None
    error: str | None = None
    addresses: tuple[str, ...] = ()
    address: str | None = None
    protocol: str | None = None
    certificate: Certificate | None = None
    hostname_match: bool | None = None
    status_code: int | None = None
    status_text: str | None = None


@dataclass(frozen=True, slots=True)
class ToolCheck:
    """One tool's check.

    Attributes:
        tool: the tool id ("aic-emeeting").
        name: its display name.
        section: the letter's section that gives the tool (and its server URL).
        url: the server URL, or None when the knowledge base gives none (nothing checked).
        host: the URL's host name ("" when unchecked).
        port: the URL's port (443 when the URL names none; 0 when unchecked).
        steps: the four steps, in order (empty when unchecked).
        contacts: the tool's support contacts from the knowledge base.
        hint: for a failed check, the catalogue suffix of what to try first (``HINTS``).
    """

    tool: str
    name: str
    section: str
    url: str | None
    host: str = ""
    port: int = 0
    steps: tuple[StepResult, ...] = ()
    contacts: tuple[ContactInfo, ...] = ()
    hint: str | None = None

    @property
    def checked(self) -> bool:
        """True when the tool has a server URL and was checked."""
        return self.url is not None

    @property
    def failed_step(self) -> StepResult | None:
        """The step that failed, or None when every step passed (or nothing was checked)."""
        return next((s for s in self.steps if s.status == "failed"), None)

    @property
    def passed(self) -> bool:
        """True when every step passed (a tool without a server URL counts as passed)."""
        return not self.checked or (len(self.steps) == len(STEPS) and all(s.status == "passed" for s in self.steps))


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """The result of a run.

    Attributes:
        checks: one per tool, in knowledge-base order (or the order given).
        timeout: the per-step timeout, in seconds.
        bound: the bound on the whole run, in seconds.
        checked_at: when the run started (UTC).
        duration_ms: how long the run took, in milliseconds.
        lang: the language of every message ("vi" or "en").
        document: the letter the server URLs come from ("415/STTTT-CNTT").
        letter_date: the letter's date (the contacts are as of that day).
    """

    checks: tuple[ToolCheck, ...]
    timeout: float
    bound: float
    checked_at: dt.datetime
    duration_ms: int
    lang: str
    document: str = ""
    letter_date: dt.date | None = None

    @property
    def passed(self) -> bool:
        """True when every step of every checked tool passed."""
        return all(c.passed for c in self.checks)

    @property
    def checked(self) -> tuple[ToolCheck, ...]:
        """The checks of tools that have a server URL."""
        return tuple(c for c in self.checks if c.checked)
