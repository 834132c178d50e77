"""One tool's check in a daemon thread: its steps in order, a consistent snapshot at any time.

The run (:mod:`gialai_remote.doctor.run`) starts a :class:`Probe` per tool, waits until each
has finished or the run's bound is reached, then takes :meth:`Probe.result`: a step still
running is reported as timed out, the later ones as skipped, and every socket the probe opened
is shut down (which wakes a thread blocked on one).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from gialai_remote.doctor.model import STEPS, ProxyInfo, Resolver, StepResult, ToolCheck, WallClock
from gialai_remote.doctor.proxy import Route, RouteFinder, tunnel_step
from gialai_remote.doctor.reasons import HINTS, PROXY_UNREACHABLE_FROM, StepFailed, describe, ms, seconds
from gialai_remote.doctor.steps import dns_step, http_step, tcp_step
from gialai_remote.doctor.tls import tls_step
from gialai_remote.doctor.trust import Trust
from gialai_remote.i18n import t

if TYPE_CHECKING:
    import ssl

    from gialai_remote.urls import ServerUrl


@dataclass(frozen=True, slots=True)
class Env:
    """What every probe of a run shares.

    Attributes:
        resolver: the DNS resolver.
        trust: how each handshake verifies certificates (and what the report says of it).
        route: finds the proxy (or none) for a server URL.
        now: the wall clock (UTC).
        timeout: the per-step timeout, in seconds.
        lang: the language of the messages ("vi" or "en").
    """

    resolver: Resolver
    trust: Trust
    route: RouteFinder
    now: WallClock
    timeout: float
    lang: str


@dataclass
class _State:
    done: list[StepResult] = field(default_factory=list)
    current: tuple[str, float] | None = None
    aborted: bool = False
    proxy: ProxyInfo | None = None


class Probe:
    """Runs one tool's steps in a daemon thread; the run reads a consistent snapshot of it.

    Args:
        base: the tool's check before any step ran (its ``host`` and ``port`` set).
        env: what the run's probes share.
        url: the tool's parsed server URL.
    """

    def __init__(self, base: ToolCheck, env: Env, url: ServerUrl) -> None:
        self.base = base
        self.env = env
        self.url = url
        self.finished = threading.Event()
        self._lock = threading.RLock()  # _failed() reads the state, also from under the lock
        self._state = _State()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._run, name=f"doctor-{base.tool}", daemon=True)

    def start(self) -> None:
        """Start the steps in the probe's thread; :attr:`finished` is set when they are done."""
        self._thread.start()

    # -- the snapshot and the bound

    def result(self) -> ToolCheck:
        """The check as it stands: a step still running is timed out, the rest skipped.

        Once called, the probe records nothing more and its sockets are shut down.
        """
        with self._lock:
            self._state.aborted = True
            steps = list(self._state.done)
            current = self._state.current
            proxy = self._state.proxy
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
        return replace(self.base, steps=tuple(steps), hint=hint, proxy=proxy)

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
                    state.done.append(self._failed(name, "internal_error", describe(exc), 0))
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
        except StepFailed as exc:
            result = self._failed(name, exc.reason, exc.error, time.monotonic() - began, **exc.fields)
        else:
            result = replace(result, duration_ms=ms(time.monotonic() - began))
        with self._lock:
            if self._state.aborted:
                return None
            self._state.done.append(result)
            self._state.current = None
        return result if result.status == "passed" else None

    def _failed(self, name: str, reason: str, error: str, elapsed: float, **fields: Any) -> StepResult:
        base, lang = self.base, self.env.lang
        with self._lock:
            proxy = self._state.proxy
        params: dict[str, Any] = {"host": base.host, "port": base.port, "seconds": seconds(self.env.timeout)}
        if proxy is not None and proxy.url is not None:
            setting = t("doctor.setting.system", lang) if proxy.setting == "system" else proxy.setting
            params |= {"proxy": proxy.url, "setting": setting}
        params |= fields
        params.setdefault("proxy", "")
        params.setdefault("setting", "")
        params.setdefault("status", "")
        params.setdefault("address", base.host)
        return StepResult(
            step=name,
            status="failed",
            duration_ms=ms(elapsed),
            reason=reason,
            message=t(f"doctor.reason.{reason}", lang, **params),
            error=error,
            address=fields.get("address"),
            port=fields.get("tcp_port"),
            tunnel_status=fields.get("tunnel_status"),
            tunnel_text=fields.get("tunnel_text"),
            trust=self.env.trust.info if name == "tls" else None,
            hostname_match=False if reason == "certificate_wrong_name" else None,
            status_code=fields.get("status_code"),
            status_text=fields.get("status_text"),
        )

    def _lookup(self, deadline: float, routes: list[Route]) -> StepResult:
        """The ``dns`` step: read the proxy settings, then look up the server's or the proxy's name."""
        env, url = self.env, self.url
        route = env.route(url)
        with self._lock:
            self._state.proxy = route.proxy
        routes.append(route)
        if route.problem is not None:
            raise StepFailed("proxy_unsupported", route.problem)
        if not route.proxy.tunnel:
            return dns_step(env.resolver, url.ascii_host, url.port, deadline, env.timeout)
        try:
            return dns_step(env.resolver, route.host, route.port, deadline, env.timeout)
        except StepFailed as exc:
            if exc.reason in PROXY_UNREACHABLE_FROM:
                raise StepFailed("proxy_unreachable", exc.error) from None
            raise

    def _connect(
        self, deadline: float, addresses: Sequence[str], route: Route, holder: list[socket.socket]
    ) -> StepResult:
        """The ``tcp`` step: to the server, or to the proxy and through its tunnel."""
        port = route.port if route.proxy.tunnel else self.url.port
        try:
            if route.proxy.tunnel:
                return tunnel_step(addresses, self.url, route, deadline, self._keep, holder)
            return replace(tcp_step(addresses, port, deadline, self._keep, holder), port=port)
        except StepFailed as exc:
            exc.fields["tcp_port"] = port  # the step's ``port``; the message's {port} stays the server's
            raise

    def _handshake(self, deadline: float, sock: socket.socket, holder: list[ssl.SSLSocket]) -> StepResult:
        """The ``tls`` step, with the trust it used."""
        env = self.env
        result = tls_step(sock, self.url.ascii_host, env.trust.context, deadline, env.now, self._keep, holder)
        return replace(result, trust=env.trust.info)

    def _steps(self) -> None:
        env, url = self.env, self.url
        routes: list[Route] = []
        dns = self._record("dns", lambda deadline: self._lookup(deadline, routes))
        if dns is None:
            return
        tcp_holder: list[socket.socket] = []
        tcp = self._record("tcp", lambda deadline: self._connect(deadline, dns.addresses, routes[0], tcp_holder))
        if tcp is None:
            return
        tls_holder: list[ssl.SSLSocket] = []
        tls = self._record("tls", lambda deadline: self._handshake(deadline, tcp_holder[0], tls_holder))
        if tls is None:
            return
        self._record("http", lambda deadline: http_step(tls_holder[0], url, deadline, env.timeout))
