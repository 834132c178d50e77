"""The ``dns``, ``tcp`` and ``http`` steps, one function each (``tls`` is in :mod:`.tls`).

Each step is given its deadline (a ``time.monotonic()`` value) and either returns its passed
:class:`~gialai_remote.doctor.model.StepResult` or raises
:class:`~gialai_remote.doctor.reasons.StepFailed` with a reason code. A socket a step opens is
handed to ``keep`` at once, so that the run can shut it down when its bound is reached or on
Ctrl-C. Nothing here prints or reads the clock of the report.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gialai_remote.doctor.model import Resolver, StepResult
from gialai_remote.doctor.reasons import LOCAL_LIMITS, StepFailed, connect_reason, describe, seconds

if TYPE_CHECKING:
    import ssl

    from gialai_remote.urls import ServerUrl

#: Called with every socket a step opens, before it is used.
Keep = Callable[[socket.socket], None]


def dns_step(resolver: Resolver, host: str, port: int, deadline: float, timeout: float) -> StepResult:
    """Resolve ``host`` (ASCII) with ``resolver``, waiting at most until ``deadline``.

    Args:
        resolver: see :data:`~gialai_remote.doctor.model.Resolver`.
        host: the name to look up (the IDNA A-label form, or an IP literal).
        port: passed to the resolver (``getaddrinfo`` wants one).
        deadline: ``time.monotonic()`` value by which the answer must be in.
        timeout: the per-step timeout in seconds, for the message.

    Returns:
        The passed ``dns`` step with its ``addresses``.

    Raises:
        StepFailed: ``timed_out``, ``no_dns_answer``, ``too_many_open_files`` or
            ``internal_error`` (the resolver raised something that is not an ``OSError``).
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def lookup() -> None:
        try:
            box["addresses"] = list(resolver(host, port))
        except Exception as exc:  # reported below, in the probe's thread
            box["error"] = exc
        finally:
            done.set()

    # getaddrinfo has no timeout of its own: wait for it in a thread of its own.
    threading.Thread(target=lookup, name=f"doctor-dns-{host}", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        raise StepFailed("timed_out", f"no answer from the resolver within {seconds(timeout)} s")
    error = box.get("error")
    if isinstance(error, TimeoutError):
        raise StepFailed("timed_out", str(error) or "timed out")
    if isinstance(error, OSError) and error.errno in LOCAL_LIMITS:
        raise StepFailed("too_many_open_files", describe(error))
    if isinstance(error, OSError):
        raise StepFailed("no_dns_answer", describe(error))
    if error is not None:
        raise StepFailed("internal_error", describe(error))
    addresses = tuple(box.get("addresses", ()))
    if not addresses:
        raise StepFailed("no_dns_answer", "the resolver returned no address")
    return StepResult(step="dns", status="passed", addresses=addresses)


def tcp_step(
    addresses: Sequence[str], port: int, deadline: float, keep: Keep, holder: list[socket.socket]
) -> StepResult:
    """Connect to ``port`` at each address in turn until one answers.

    Args:
        addresses: IP addresses, in the order to try them.
        port: the TCP port.
        deadline: ``time.monotonic()`` value by which the connection must be made.
        keep: receives each socket as soon as it exists.
        holder: the connected socket is appended to it.

    Returns:
        The passed ``tcp`` step with the ``address`` connected to.

    Raises:
        StepFailed: the reason of the last address's error (:func:`connect_reason`), with the
            errors of every address tried in ``error`` and the last address in ``address``.
    """
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
            if exc.errno in LOCAL_LIMITS:
                break
            continue
        keep(sock)
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
    detail = "; ".join(f"{a}: {describe(e)}" for a, e in errors)
    raise StepFailed(connect_reason(last), detail, address=last_address)


def http_step(tls: ssl.SSLSocket, url: ServerUrl, deadline: float, timeout: float) -> StepResult:
    """One ``GET`` of ``url`` over the verified connection ``tls``; a status below 400 passes.

    Args:
        tls: the socket the ``tls`` step verified (http.client never opens its own).
        url: the parsed server URL (its ``target`` and ``host_header`` are sent).
        deadline: ``time.monotonic()`` value by which the answer must be in.
        timeout: the per-step timeout in seconds.

    Returns:
        The passed ``http`` step with ``status_code`` and ``status_text``.

    Raises:
        StepFailed: ``http_error`` (status 400 or more), ``timed_out``, ``connection_closed``,
            ``bad_http_response``, a connection reason, or ``internal_error``.
    """
    import http.client

    from gialai_remote import __version__

    connection = http.client.HTTPConnection(url.ascii_host, url.port, timeout=timeout)
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
        raise StepFailed("timed_out", describe(exc)) from None
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
        raise StepFailed("connection_closed", describe(exc)) from None
    except http.client.HTTPException as exc:
        raise StepFailed("bad_http_response", describe(exc)) from None
    except OSError as exc:
        raise StepFailed(connect_reason(exc), describe(exc)) from None
    except (UnicodeError, ValueError) as exc:  # http.client refusing the request line
        raise StepFailed("internal_error", describe(exc)) from None
    finally:
        connection.close()
    if status >= 400:
        raise StepFailed(
            "http_error", f"HTTP {status} {text}".strip(), status=status, status_code=status, status_text=text
        )
    return StepResult(step="http", status="passed", status_code=status, status_text=text)
