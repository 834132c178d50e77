"""Can this machine reach the meeting servers the letter names?

For every tool whose knowledge-base entry has a ``server_url`` (today ``aic-emeeting``,
section 2.2.b of Công văn 415/STTTT-CNTT: ``https://emeetingjalai.hcdt.vn:2443/``), run four
steps in order, each bounded by a per-step timeout:

1. ``dns``: resolve the host name to addresses;
2. ``tcp``: open a TCP connection to the port (each address in turn);
3. ``tls``: a TLS handshake that verifies the certificate against the system's trust store
   (``certifi`` only when the system has none) and the host name; verification is never
   turned off;
4. ``http``: one ``GET`` of the URL over that verified connection; a status below 400 passes.

A step that fails stops the tool's check; the later steps are reported as skipped. Tools are
checked concurrently in daemon threads, and the whole run is bounded (by default the per-step
timeout times the number of steps, plus one second): a step still running when the bound is
reached is reported as timed out.

This is the only module of gialai-remote that opens a network connection. Nothing here prints;
the DNS resolver, the wall clock and the SSL context are parameters so that tests never touch
a real DNS server or the system's trust store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from gialai_remote.decide import ContactInfo, contact_infos
from gialai_remote.errors import KnowledgeBaseError, Problem, UsageError
from gialai_remote.i18n import t
from gialai_remote.urls import ServerUrl, UrlRefused, parse_server_url

if TYPE_CHECKING:
    import ssl

    from gialai_remote.model import KnowledgeBase, Tool

#: The steps of one tool's check, in order.
STEPS: tuple[str, ...] = ("dns", "tcp", "tls", "http")

#: Per-step timeout in seconds when none is given.
DEFAULT_TIMEOUT = 5.0

#: Added to ``timeout * len(STEPS)`` to make the default bound on the whole run (seconds).
BOUND_SLACK = 1.0

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
}

# errno values that mean this machine, not the network, ran out of something.
_LOCAL_LIMITS = frozenset({errno.EMFILE, errno.ENFILE})

# OpenSSL verification error codes (X509_V_ERR_*) and what they mean for a person.
_VERIFY_CODES: dict[int, str] = {
    9: "certificate_not_yet_valid",  # CERT_NOT_YET_VALID
    10: "certificate_expired",  # CERT_HAS_EXPIRED
    2: "certificate_untrusted",  # UNABLE_TO_GET_ISSUER_CERT
    18: "certificate_untrusted",  # DEPTH_ZERO_SELF_SIGNED_CERT
    19: "certificate_untrusted",  # SELF_SIGNED_CERT_IN_CHAIN
    20: "certificate_untrusted",  # UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: "certificate_untrusted",  # UNABLE_TO_VERIFY_LEAF_SIGNATURE
    27: "certificate_untrusted",  # CERT_UNTRUSTED
    62: "certificate_wrong_name",  # HOSTNAME_MISMATCH
    64: "certificate_wrong_name",  # IP_ADDRESS_MISMATCH
}

_NAME_FIELDS = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "emailAddress": "E",
}

Status = Literal["passed", "failed", "skipped"]

#: ``resolver(host, port)`` returns the host's addresses as strings ("203.0.113.5", "::1"),
#: in the order to try them. It raises ``socket.gaierror`` (or any ``OSError``) when there
#: is no answer; an empty result counts as no answer.
Resolver = Callable[[str, int], Sequence[str]]

#: Returns a fresh client ``ssl.SSLContext`` that verifies certificates and host names.
ContextFactory = Callable[[], "ssl.SSLContext"]

#: Returns the current time, timezone-aware (UTC), for "days until expiry" and ``checked_at``.
WallClock = Callable[[], dt.datetime]


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
        reason: for a failed step, one of :data:`REASON_CODES`.
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


# ---- defaults that touch the system ---------------------------------------------------------


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


# ---- the run --------------------------------------------------------------------------------


def default_bound(timeout: float) -> float:
    """The bound on a whole run for a per-step ``timeout`` (seconds): every step may use it all."""
    return timeout * len(STEPS) + BOUND_SLACK


def tools_to_check(kb: KnowledgeBase, tool_ids: Sequence[str] | None = None, lang: str = "vi") -> list[Tool]:
    """The tools a run checks: those given (in order, without repeats), else every tool with a
    server URL, in knowledge-base order.

    Raises:
        UsageError: a given id is not a tool of the knowledge base (resolve names first).
    """
    if not tool_ids:
        return [tool for tool in kb.tools if tool.server_url]
    out: list[Tool] = []
    for tool_id in tool_ids:
        if not kb.has("tools", tool_id):
            raise UsageError(t("match.unknown", lang, flag="--tool", what=t("kind.tool", lang), value=tool_id))
        tool = kb.tool(tool_id)
        if tool not in out:
            out.append(tool)
    return out


def run_doctor(
    kb: KnowledgeBase,
    tool_ids: Sequence[str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    bound: float | None = None,
    lang: str = "vi",
    resolver: Resolver | None = None,
    context: ContextFactory | None = None,
    now: WallClock | None = None,
) -> DoctorReport:
    """Check every tool that names a server (or the tools given) and report each step.

    Args:
        kb: the knowledge base.
        tool_ids: canonical tool ids to check; None or empty: every tool with a server URL.
            A given tool without one is reported unchecked (not a failure).
        timeout: per-step timeout in seconds (> 0).
        bound: bound on the whole run in seconds; None: :func:`default_bound`.
        lang: language of the messages ("vi" or "en").
        resolver: the DNS resolver; None: :func:`system_resolver` (looked up at call time).
        context: makes the client SSL context; None: :func:`system_context`.
        now: the wall clock; None: :func:`utc_now`.

    Returns:
        The :class:`DoctorReport`; its ``passed`` is False when any step failed.

    Raises:
        UsageError: an unknown tool id.
        KnowledgeBaseError: a server URL that ``gialai_remote.urls.parse_server_url`` refuses
            (``validate`` refuses the same URLs when the file is loaded).
        KeyboardInterrupt: Ctrl-C; the connections still open are shut down first.
    """
    clock = now or utc_now
    limit = default_bound(timeout) if bound is None else bound
    env = _Env(
        resolver=resolver or system_resolver,
        context=context or system_context,
        now=clock,
        timeout=timeout,
        lang=lang,
    )
    checked_at = clock().astimezone(dt.timezone.utc)
    started = time.monotonic()
    tools = tools_to_check(kb, tool_ids, lang)
    probes: list[_Probe | ToolCheck] = []
    for tool in tools:
        base, url = _base_check(kb, tool, lang)
        if url is None:
            probes.append(base)
            continue
        probes.append(_Probe(base, env, url))
    running = [p for p in probes if isinstance(p, _Probe)]
    try:
        for probe in running:
            probe.start()
        deadline = started + limit
        for probe in running:
            # Event.wait wakes for Ctrl-C in the main thread, so an interrupt is immediate.
            probe.finished.wait(max(0.0, deadline - time.monotonic()))
    except BaseException:
        for probe in running:
            probe.abort()
        raise
    checks = tuple(p.result() if isinstance(p, _Probe) else p for p in probes)
    return DoctorReport(
        checks=checks,
        timeout=timeout,
        bound=limit,
        checked_at=checked_at,
        duration_ms=_ms(time.monotonic() - started),
        lang=lang,
        document=kb.source.document,
        letter_date=kb.source.date,
    )


# ---- internals ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Env:
    resolver: Resolver
    context: ContextFactory
    now: WallClock
    timeout: float
    lang: str


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _base_check(kb: KnowledgeBase, tool: Tool, lang: str) -> tuple[ToolCheck, ServerUrl | None]:
    """The check of ``tool`` before any step ran, and its parsed server URL (None: no URL).

    Raises:
        KnowledgeBaseError: the URL is refused by :func:`gialai_remote.urls.parse_server_url`.
    """
    base = ToolCheck(
        tool=tool.id,
        name=tool.name.get(lang),
        section=tool.section,
        url=tool.server_url or None,
        contacts=contact_infos(kb, tool, lang),
    )
    if base.url is None:
        return base, None
    try:
        url = parse_server_url(base.url)
    except UrlRefused as exc:
        message = t("kb.bad_server_url", lang, tool=tool.id, url=base.url)
        problem = Problem(
            path=kb.path,
            line=0,
            column=0,
            code="bad-server-url",
            message=f"{message} ({t(f'url.reason.{exc.reason}', lang)})",
        )
        raise KnowledgeBaseError([problem]) from None
    return replace(base, host=url.host, port=url.port), url


class _StepFailed(Exception):
    """A step failed: carries the reason code, the message parameters and the raw error."""

    def __init__(self, reason: str, error: str, **fields: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error
        self.fields = fields


@dataclass
class _State:
    done: list[StepResult] = field(default_factory=list)
    current: tuple[str, float] | None = None
    aborted: bool = False


class _Probe:
    """Runs one tool's steps in a daemon thread; the run reads a consistent snapshot of it."""

    def __init__(self, base: ToolCheck, env: _Env, url: ServerUrl) -> None:
        self.base = base
        self.env = env
        self.url = url
        self.finished = threading.Event()
        self._lock = threading.Lock()
        self._state = _State()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._run, name=f"doctor-{base.tool}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    # -- the snapshot and the bound

    def result(self) -> ToolCheck:
        """The check as it stands: a step still running is timed out, the rest skipped."""
        with self._lock:
            self._state.aborted = True
            steps = list(self._state.done)
            current = self._state.current
        # Once ``aborted`` is set the worker records nothing more, so this snapshot is final.
        has_failed = any(s.status == "failed" for s in steps)
        if not has_failed and len(steps) < len(STEPS):
            # Still running at the bound: the step under way (or about to start) timed out.
            name, began = current if current is not None else (STEPS[len(steps)], time.monotonic())
            steps.append(self._failed(name, "timed_out", "run bound reached", time.monotonic() - began))
        self.abort()
        steps += [StepResult(step=s, status="skipped") for s in STEPS[len(steps) :]]
        failed = next((s for s in steps if s.status == "failed"), None)
        hint = HINTS.get(failed.reason or "") if failed else None
        return replace(self.base, steps=tuple(steps), hint=hint)

    def abort(self) -> None:
        """Shut down every socket this probe opened, waking any thread blocked on one."""
        with self._lock:
            self._state.aborted = True
            sockets = list(self._sockets)
        for sock in sockets:
            # shutdown() wakes a thread blocked in recv() on the socket; close() alone may not.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            aborted = self._state.aborted
        if aborted:
            self.abort()

    # -- the steps

    def _run(self) -> None:
        try:
            self._steps()
        except Exception as exc:  # a bug must not hang the run: the step shows it, in one line
            with self._lock:
                state = self._state
                if not state.aborted and len(state.done) < len(STEPS):
                    name = state.current[0] if state.current else STEPS[len(state.done)]
                    state.done.append(self._failed(name, "internal_error", _describe(exc), 0))
        finally:
            self.abort()
            self.finished.set()

    def _record(self, name: str, action: Callable[[float], StepResult]) -> StepResult | None:
        """Run ``action(deadline)`` as step ``name``; None when it failed or the run was aborted."""
        began = time.monotonic()
        with self._lock:
            if self._state.aborted:
                return None
            self._state.current = (name, began)
        deadline = began + self.env.timeout
        try:
            result = action(deadline)
        except _StepFailed as exc:
            result = self._failed(name, exc.reason, exc.error, time.monotonic() - began, **exc.fields)
        else:
            result = replace(result, duration_ms=_ms(time.monotonic() - began))
        with self._lock:
            if self._state.aborted:
                return None
            self._state.done.append(result)
            self._state.current = None
        return result if result.status == "passed" else None

    def _failed(self, name: str, reason: str, error: str, seconds: float, **fields: Any) -> StepResult:
        base = self.base
        params = {"host": base.host, "port": base.port, "seconds": _seconds(self.env.timeout), **fields}
        params.setdefault("status", "")
        params.setdefault("address", base.host)
        return StepResult(
            step=name,
            status="failed",
            duration_ms=_ms(seconds),
            reason=reason,
            message=t(f"doctor.reason.{reason}", self.env.lang, **params),
            error=error,
            address=fields.get("address"),
            hostname_match=False if reason == "certificate_wrong_name" else None,
            status_code=fields.get("status_code"),
            status_text=fields.get("status_text"),
        )

    def _steps(self) -> None:
        dns = self._record("dns", self._dns)
        if dns is None:
            return
        tcp_holder: list[socket.socket] = []
        tcp = self._record("tcp", lambda deadline: self._tcp(deadline, dns.addresses, tcp_holder))
        if tcp is None:
            return
        tls_holder: list[ssl.SSLSocket] = []
        tls = self._record("tls", lambda deadline: self._tls(deadline, tcp_holder[0], tls_holder))
        if tls is None:
            return
        self._record("http", lambda deadline: self._http(deadline, tls_holder[0]))

    def _dns(self, deadline: float) -> StepResult:
        host, port = self.url.ascii_host, self.url.port
        box: dict[str, Any] = {}
        done = threading.Event()

        def lookup() -> None:
            try:
                box["addresses"] = list(self.env.resolver(host, port))
            except Exception as exc:  # reported below, in the probe's thread
                box["error"] = exc
            finally:
                done.set()

        # getaddrinfo has no timeout of its own: wait for it in a thread of its own.
        threading.Thread(target=lookup, name=f"doctor-dns-{host}", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            raise _StepFailed("timed_out", f"no answer from the resolver within {_seconds(self.env.timeout)} s")
        error = box.get("error")
        if isinstance(error, TimeoutError):
            raise _StepFailed("timed_out", str(error) or "timed out")
        if isinstance(error, OSError) and error.errno in _LOCAL_LIMITS:
            raise _StepFailed("too_many_open_files", _describe(error))
        if isinstance(error, OSError):
            raise _StepFailed("no_dns_answer", _describe(error))
        if error is not None:
            raise _StepFailed("internal_error", _describe(error))
        addresses = tuple(box.get("addresses", ()))
        if not addresses:
            raise _StepFailed("no_dns_answer", "the resolver returned no address")
        return StepResult(step="dns", status="passed", addresses=addresses)

    def _tcp(self, deadline: float, addresses: Sequence[str], holder: list[socket.socket]) -> StepResult:
        port = self.base.port
        errors: list[tuple[str, OSError]] = []
        for address in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                errors.append((address, TimeoutError("timed out")))
                break
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            try:
                sock = socket.socket(family, socket.SOCK_STREAM)
            except OSError as exc:  # out of file descriptors, or no such address family here
                errors.append((address, exc))
                if exc.errno in _LOCAL_LIMITS:
                    break
                continue
            self._keep(sock)
            try:
                sock.settimeout(remaining)
                sock.connect((address, port))
            except OSError as exc:
                sock.close()
                errors.append((address, exc))
                continue
            holder.append(sock)
            return StepResult(step="tcp", status="passed", address=address)
        last_address, last = errors[-1]
        detail = "; ".join(f"{a}: {_describe(e)}" for a, e in errors)
        raise _StepFailed(_connect_reason(last), detail, address=last_address)

    def _tls(self, deadline: float, sock: socket.socket, holder: list[ssl.SSLSocket]) -> StepResult:
        import ssl

        host = self.url.ascii_host
        try:
            context = self.env.context()
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            tls = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
            self._keep(tls)
            tls.do_handshake()
        except ssl.SSLCertVerificationError as exc:
            code = _VERIFY_CODES.get(int(getattr(exc, "verify_code", 0) or 0), "certificate_invalid")
            raise _StepFailed(code, str(getattr(exc, "verify_message", "") or exc)) from None
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError, ConnectionResetError, BrokenPipeError) as exc:
            raise _StepFailed("connection_closed", _describe(exc)) from None
        except TimeoutError as exc:
            raise _StepFailed("timed_out", _describe(exc)) from None
        except ssl.SSLError as exc:
            raise _StepFailed("tls_failed", _describe(exc)) from None
        except OSError as exc:
            raise _StepFailed(_connect_reason(exc), _describe(exc)) from None
        except (UnicodeError, ValueError) as exc:  # a host name the ssl module cannot take
            raise _StepFailed("internal_error", _describe(exc)) from None
        holder.append(tls)
        peer = tls.getpeercert() or {}
        return StepResult(
            step="tls",
            status="passed",
            protocol=tls.version(),
            certificate=_certificate(peer, self.env.now()),
            hostname_match=True,
        )

    def _http(self, deadline: float, tls: ssl.SSLSocket) -> StepResult:
        import http.client

        from gialai_remote import __version__

        url = self.url
        connection = http.client.HTTPConnection(url.ascii_host, url.port, timeout=self.env.timeout)
        connection.sock = tls  # the verified connection: http.client never opens its own
        try:
            tls.settimeout(max(0.001, deadline - time.monotonic()))
            connection.request(
                "GET",
                url.target,
                headers={
                    "Host": url.host_header,
                    "User-Agent": f"gialai-remote/{__version__} (doctor)",
                    "Accept": "*/*",
                    "Connection": "close",
                },
            )
            response = connection.getresponse()
            status, text = int(response.status), str(response.reason or "")
            response.close()
        except TimeoutError as exc:
            raise _StepFailed("timed_out", _describe(exc)) from None
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            raise _StepFailed("connection_closed", _describe(exc)) from None
        except http.client.HTTPException as exc:
            raise _StepFailed("bad_http_response", _describe(exc)) from None
        except OSError as exc:
            raise _StepFailed(_connect_reason(exc), _describe(exc)) from None
        except (UnicodeError, ValueError) as exc:  # http.client refusing the request line
            raise _StepFailed("internal_error", _describe(exc)) from None
        finally:
            connection.close()
        if status >= 400:
            raise _StepFailed(
                "http_error", f"HTTP {status} {text}".strip(), status=status, status_code=status, status_text=text
            )
        return StepResult(step="http", status="passed", status_code=status, status_text=text)


def _seconds(value: float) -> str:
    """Seconds for a message: "5", "0.5"."""
    return f"{value:g}"


def _describe(exc: BaseException) -> str:
    """``Type: message`` of ``exc`` on one line (white space folded), at most 500 characters."""
    text = " ".join(str(exc).split())
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:500]


def _connect_reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "timed_out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return "connection_closed"
    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return "network_unreachable"
    if exc.errno in _LOCAL_LIMITS:
        return "too_many_open_files"
    return "connection_failed"


def _name(rdns: Any) -> str:
    """``(( ("commonName", "x"), ), ...)`` -> ``"CN=x"``."""
    parts = []
    for rdn in rdns or ():
        for key, value in rdn:
            parts.append(f"{_NAME_FIELDS.get(key, key)}={value}")
    return ", ".join(parts)


def _certificate(peer: dict[str, Any], now: dt.datetime) -> Certificate | None:
    """The certificate fields of ``SSLSocket.getpeercert()``; None when there is none."""
    import ssl

    if not peer:
        return None
    names = tuple(value for kind, value in peer.get("subjectAltName", ()) if kind in ("DNS", "IP Address"))
    not_after = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(peer["notAfter"]), dt.timezone.utc)
    return Certificate(
        subject=_name(peer.get("subject")) or ", ".join(names),
        issuer=_name(peer.get("issuer")),
        names=names,
        not_after=not_after,
        days_left=(not_after - now).days,
        hostname_match=True,
    )
