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


#: How the certificates of the ``tls`` step were verified (JSON ``trust.code``; catalogue
#: ``doctor.trust.<code>``): ``truststore`` the operating system's verifier and trust store
#: through the truststore library (Windows, macOS; on Linux the system's CA files);
#: ``openssl`` the system's CA files as OpenSSL reads them (truststore not available);
#: ``certifi`` certifi's bundle (the system has no CA certificate at all); ``custom`` a
#: context the caller of :func:`~gialai_remote.doctor.run.run_doctor` made.
TRUST_CODES: tuple[str, ...] = ("truststore", "openssl", "certifi", "custom")

#: How a check reaches the server (JSON ``proxy.mode``): ``none`` directly, no proxy set;
#: ``proxy`` through the HTTP proxy's ``CONNECT`` tunnel; ``bypassed`` directly, because the
#: proxy's exceptions (``NO_PROXY``, or the system's list) name the host.
ProxyMode = Literal["none", "proxy", "bypassed"]


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
class TrustInfo:
    """Which trust verified (or refused) the server's certificate.

    Attributes:
        code: one of :data:`TRUST_CODES`.
        system: the operating system it belongs to ("Windows", "macOS", "Linux"...), for the
            message; "" when it says nothing about one (``certifi``, ``custom``).
    """

    code: str
    system: str = ""


@dataclass(frozen=True, slots=True)
class ProxyInfo:
    """The proxy a check goes through, or why it goes without one.

    Never carries the proxy's user name or password.

    Attributes:
        mode: see :data:`ProxyMode`.
        url: the proxy as set, without credentials ("http://proxy.example:3128"); None for
            ``none``.
        setting: where it is set: "HTTPS_PROXY" (or ``https_proxy``), "ALL_PROXY" (or
            ``all_proxy``), "system" (the Windows or macOS proxy settings); None for ``none``.
        bypassed_by: for ``bypassed``: "NO_PROXY" (or ``no_proxy``) or "system" (the
            system's exceptions); None otherwise.
    """

    mode: ProxyMode
    url: str | None = None
    setting: str | None = None
    bypassed_by: str | None = None

    @property
    def tunnel(self) -> bool:
        """True when the check goes through the proxy."""
        return self.mode == "proxy"


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
        addresses: ``dns``: the addresses found: the server's, or the proxy's when the check
            goes through one (:attr:`ToolCheck.proxy`).
        address: ``tcp``: the address connected to (or the last one tried): the server's, or
            the proxy's.
        port: ``tcp``: the port connected to (the server's, or the proxy's).
        tunnel_status: ``tcp`` through a proxy: the status code of its answer to ``CONNECT``.
        tunnel_text: ``tcp`` through a proxy: that answer's reason phrase.
        trust: ``tls``: which trust verified the certificate (see :class:`TrustInfo`).
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
    port: int | None = None
    tunnel_status: int | None = None
    tunnel_text: str | None = None
    trust: TrustInfo | None = None
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
        proxy: for a checked tool, the proxy its connection goes through (or why none); None
            when unchecked, or when the run's bound was reached before the settings were read.
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
    proxy: ProxyInfo | None = None

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
