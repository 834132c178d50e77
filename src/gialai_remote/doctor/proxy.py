"""The proxy a browser on this machine would go through, and the ``CONNECT`` tunnel through it.

Where the proxy is set is read by the standard library, as every Python program reads it:
``urllib.request.getproxies()`` (the ``*_proxy`` variables, lower case winning; when none is
set, the Windows Internet settings or the macOS network settings) and
``urllib.request.proxy_bypass()`` (``NO_PROXY``, or the system's exceptions). An ``https``
proxy is taken, else an ``all`` one (``HTTPS_PROXY``, ``ALL_PROXY``; ``HTTP_PROXY`` is for
plain-HTTP addresses and is not used for an ``https://`` server). A proxy auto-configuration
script (PAC, WPAD) is not read.

Through a proxy, the ``dns`` step looks up the proxy's name and the ``tcp`` step connects to
the proxy and asks it for a tunnel (``CONNECT host:port``); TLS and HTTP then run inside the
tunnel exactly as on a direct connection. Only ``http://`` proxies are spoken to (credentials
in the URL are sent as ``Proxy-Authorization: Basic``); another scheme (``socks5://``,
``https://``) is reported as ``proxy_unsupported`` rather than silently bypassed, since a
browser would use it.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from gialai_remote.doctor.model import ProxyInfo, StepResult
from gialai_remote.doctor.reasons import PROXY_UNREACHABLE_FROM, StepFailed, connect_reason, describe
from gialai_remote.doctor.steps import Keep, tcp_step

if TYPE_CHECKING:
    from gialai_remote.urls import ServerUrl

#: The port of an ``http://`` proxy whose URL names none (what ``urllib`` and ``http.client`` use).
DEFAULT_PROXY_PORT = 80


@dataclass(frozen=True, slots=True)
class Route:
    """How a check reaches its server.

    Attributes:
        proxy: what the report says (never the credentials).
        host: the proxy's host (ASCII; an IPv6 address without brackets); "" when direct.
        port: the proxy's port; 0 when direct.
        authorization: the ``Proxy-Authorization`` header's value, when the proxy URL carries
            a user name; never reported.
        problem: why the proxy setting cannot be used (``proxy_unsupported``), in English.
    """

    proxy: ProxyInfo
    host: str = ""
    port: int = 0
    authorization: str | None = None
    problem: str | None = None


#: ``finder(url)`` returns the route to the server of ``url``. It may read the system's
#: settings (and, on Windows with a bypass list, look names up): the probe calls it in its own
#: thread, within the run's bound.
RouteFinder = Callable[["ServerUrl"], Route]

DIRECT = Route(proxy=ProxyInfo(mode="none"))


def system_route(url: ServerUrl) -> Route:
    """The route the standard library's proxy settings give for ``url`` (see the module).

    Args:
        url: the server URL; its host (with the port, as ``urllib`` passes it, and alone) is
            matched against the exceptions.

    Returns:
        :data:`DIRECT` when no ``https`` or ``all`` proxy is set; a ``bypassed`` route when
        the exceptions name the host; else the parsed proxy (:func:`parse_proxy`).
    """
    import urllib.request

    from_environment = bool(urllib.request.getproxies_environment())
    proxies = urllib.request.getproxies()
    value, setting = proxies.get("https"), "HTTPS_PROXY"
    if not value:
        value, setting = proxies.get("all"), "ALL_PROXY"
    if not value:
        return DIRECT
    if not from_environment:
        setting = "system"
    hosts = dict.fromkeys((f"{_bracketed(url.ascii_host)}:{url.port}", url.host_header, url.ascii_host))
    if any(urllib.request.proxy_bypass(host) for host in hosts):
        bypassed_by = "NO_PROXY" if from_environment else "system"
        return Route(proxy=ProxyInfo(mode="bypassed", url=shown(value), setting=setting, bypassed_by=bypassed_by))
    return parse_proxy(value, setting)


def parse_proxy(value: str, setting: str) -> Route:
    """The route through the proxy ``value`` ("http://user:pw@proxy:3128", "proxy:3128").

    A value without ``scheme://`` is an ``http://`` proxy, as ``urllib`` reads it.

    Returns:
        The route; its ``problem`` says why it cannot be used (not ``http://``, no host, a
        bad port), in which case the check fails as ``proxy_unsupported``.
    """
    import base64
    import urllib.parse

    written = value.strip()
    if "://" not in written:
        written = f"http://{written}"
    info = ProxyInfo(mode="proxy", url=shown(written), setting=setting)
    try:
        parts = urllib.parse.urlsplit(written)
        port = parts.port
    except ValueError as exc:
        return Route(proxy=info, problem=describe(exc))
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme != "http":
        return Route(proxy=info, problem=f"{scheme}:// proxies are not supported, only http://")
    if not host or not host.isascii() or any(c.isspace() or not c.isprintable() for c in host):
        return Route(proxy=info, problem="the proxy URL has no usable host name")
    if port == 0:
        return Route(proxy=info, problem="port 0")
    authorization = None
    if parts.username is not None:
        pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return Route(proxy=info, host=host, port=port or DEFAULT_PROXY_PORT, authorization=authorization)


def shown(value: str) -> str:
    """``value`` as a report shows it: without the user name and password before an ``@``."""
    scheme, sep, rest = value.strip().partition("://")
    if not sep:
        scheme, rest = "http", scheme
    authority, slash, path = rest.partition("/")
    return f"{scheme}://{authority.rpartition('@')[2]}{slash}{path}"


def tunnel_step(
    addresses: Sequence[str],
    url: ServerUrl,
    route: Route,
    deadline: float,
    keep: Keep,
    holder: list[socket.socket],
) -> StepResult:
    """The ``tcp`` step through a proxy: connect to it, then open the tunnel to the server.

    Args:
        addresses: the proxy's addresses (from the ``dns`` step).
        url: the server URL (its ASCII host and port are asked for).
        route: the route through the proxy (its ``port`` and ``authorization``).
        deadline: ``time.monotonic()`` value by which the tunnel must be open.
        keep: receives each socket as soon as it exists.
        holder: the socket, once tunnelled, is appended to it.

    Returns:
        The passed ``tcp`` step: the proxy's ``address`` and ``port``, and its answer
        (``tunnel_status``, ``tunnel_text``).

    Raises:
        StepFailed: ``proxy_unreachable`` (the proxy's port cannot be reached),
            ``proxy_auth_required`` (407), ``proxy_refused`` (another status), ``proxy_bad_response``,
            ``timed_out`` (no answer to ``CONNECT`` in time), ``too_many_open_files``.
    """
    connected: list[socket.socket] = []
    try:
        result = tcp_step(addresses, route.port, deadline, keep, connected)
    except StepFailed as exc:
        if exc.reason in PROXY_UNREACHABLE_FROM:
            raise StepFailed("proxy_unreachable", exc.error, **exc.fields) from None
        raise
    status, text = open_tunnel(connected[0], url, route, deadline)
    holder.append(connected[0])
    return replace(result, port=route.port, tunnel_status=status, tunnel_text=text)


def open_tunnel(sock: socket.socket, url: ServerUrl, route: Route, deadline: float) -> tuple[int, str]:
    """Ask the proxy on ``sock`` for a tunnel to ``url``'s host and port (RFC 9110, 9.3.6).

    The answer is read by ``http.client`` (its bounds: lines of 64 KiB, 100 headers); its body,
    if any, is not read.

    Returns:
        The status code (2xx) and reason phrase of the proxy's answer.

    Raises:
        StepFailed: see :func:`tunnel_step`.
    """
    import http.client

    from gialai_remote import __version__

    target = f"{_bracketed(url.ascii_host)}:{url.port}"
    headers = {"Host": target, "User-Agent": f"gialai-remote/{__version__} (doctor)"}
    if route.authorization:
        headers["Proxy-Authorization"] = route.authorization
    lines = [f"CONNECT {target} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    response = http.client.HTTPResponse(sock, method="CONNECT")
    try:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        sock.sendall(request)
        response.begin()
        status, text = int(response.status), str(response.reason or "")
    except TimeoutError as exc:
        raise StepFailed("timed_out", describe(exc)) from None
    except (http.client.HTTPException, ConnectionResetError, BrokenPipeError) as exc:
        raise StepFailed("proxy_bad_response", describe(exc)) from None
    except OSError as exc:
        raise StepFailed(connect_reason(exc), describe(exc)) from None
    finally:
        response.close()  # the answer's reader only: the socket stays open for the tunnel
    fields = {"status": status, "tunnel_status": status, "tunnel_text": text}
    if status == 407:
        raise StepFailed("proxy_auth_required", f"HTTP {status} {text}".strip(), **fields)
    if not 200 <= status < 300:
        raise StepFailed("proxy_refused", f"HTTP {status} {text}".strip(), **fields)
    return status, text


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
