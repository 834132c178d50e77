"""The ``tls`` step: a verified handshake, and the certificate it saw.

Verification is never turned off: the context comes from the run's trust (a factory of client
``ssl.SSLContext`` objects that verify the chain and the host name).
"""

from __future__ import annotations

import datetime as dt
import socket
import time
from typing import TYPE_CHECKING, Any

from gialai_remote.doctor.model import Certificate, ContextFactory, StepResult, WallClock
from gialai_remote.doctor.reasons import StepFailed, connect_reason, describe

if TYPE_CHECKING:
    import ssl

    from gialai_remote.doctor.steps import Keep

#: Verification error codes and what they mean for a person: OpenSSL's (X509_V_ERR_*, small
#: positive numbers), and those truststore passes on from the operating system's verifier as
#: ``verify_code``: Windows' (CERT_E_* HRESULTs, above 0x80000000) and macOS's (errSec*, negative).
#: A code not listed is ``certificate_invalid``.
VERIFY_CODES: dict[int, str] = {
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
    # Windows (winerror.h). CERT_E_EXPIRED also means "not valid yet": its words are in `error`.
    0x800B0101: "certificate_expired",  # CERT_E_EXPIRED
    0x800B0109: "certificate_untrusted",  # CERT_E_UNTRUSTEDROOT
    0x800B010A: "certificate_untrusted",  # CERT_E_CHAINING
    0x800B010D: "certificate_untrusted",  # CERT_E_UNTRUSTEDTESTROOT
    0x800B010F: "certificate_wrong_name",  # CERT_E_CN_NO_MATCH
    # macOS (Security/SecBase.h).
    -67818: "certificate_expired",  # errSecCertificateExpired
    -67819: "certificate_not_yet_valid",  # errSecCertificateNotValidYet
    -67843: "certificate_untrusted",  # errSecNotTrusted
    -67602: "certificate_wrong_name",  # errSecHostNameMismatch
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


def tls_step(
    sock: socket.socket,
    host: str,
    context: ContextFactory,
    deadline: float,
    now: WallClock,
    keep: Keep,
    holder: list[ssl.SSLSocket],
) -> StepResult:
    """Shake hands over ``sock`` and verify the server's certificate for ``host``.

    Args:
        sock: the connected socket of the ``tcp`` step.
        host: the name to verify and send as SNI (ASCII: the A-label form or an IP literal).
        context: makes the client context (see :data:`~gialai_remote.doctor.model.ContextFactory`).
        deadline: ``time.monotonic()`` value by which the handshake must be done.
        now: the wall clock (UTC), read after the handshake for the certificate's days left.
        keep: receives the TLS socket as soon as it exists.
        holder: the verified TLS socket is appended to it.

    Returns:
        The passed ``tls`` step: ``protocol``, ``certificate``, ``hostname_match`` True.

    Raises:
        StepFailed: a ``certificate_*`` reason (:data:`VERIFY_CODES`), ``connection_closed``,
            ``timed_out``, ``tls_failed``, a connection reason, or ``internal_error``.
    """
    import ssl

    try:
        made = context()
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        tls = made.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
        keep(tls)
        tls.do_handshake()
    except ssl.SSLCertVerificationError as exc:
        code = VERIFY_CODES.get(int(getattr(exc, "verify_code", 0) or 0), "certificate_invalid")
        raise StepFailed(code, str(getattr(exc, "verify_message", "") or exc)) from None
    except (ssl.SSLZeroReturnError, ssl.SSLEOFError, ConnectionResetError, BrokenPipeError) as exc:
        raise StepFailed("connection_closed", describe(exc)) from None
    except TimeoutError as exc:
        raise StepFailed("timed_out", describe(exc)) from None
    except ssl.SSLError as exc:
        raise StepFailed("tls_failed", describe(exc)) from None
    except OSError as exc:
        raise StepFailed(connect_reason(exc), describe(exc)) from None
    except (UnicodeError, ValueError) as exc:  # a host name the ssl module cannot take
        raise StepFailed("internal_error", describe(exc)) from None
    holder.append(tls)
    peer = peer_fields(tls)
    return StepResult(
        step="tls",
        status="passed",
        protocol=tls.version(),
        certificate=certificate(peer, now()),
        hostname_match=True,
    )


def peer_fields(tls: ssl.SSLSocket) -> dict[str, Any]:
    """The server certificate's fields (the dictionary of ``getpeercert()``) after a handshake.

    On Windows and macOS truststore lets OpenSSL accept the chain and has the operating system
    verify it right after the handshake; OpenSSL then keeps no verified certificate and
    ``getpeercert()`` returns ``{}``. The fields are then read from the chain the server sent
    (the first certificate: the server's own, which the system has just verified), through
    CPython's ``_ssl.Certificate.get_info()`` (CPython 3.10 and later). ``{}`` when neither
    gives them: the report then has no certificate details, the verdict stands.
    """
    peer = tls.getpeercert()
    if peer:
        return dict(peer)
    try:
        chain = getattr(tls, "_sslobj").get_unverified_chain()  # noqa: B009 - not in typeshed
        return dict(chain[0].get_info()) if chain else {}
    except Exception:  # an interpreter without these: no details, never a failed step
        return {}


def _name(rdns: Any) -> str:
    """``(( ("commonName", "x"), ), ...)`` -> ``"CN=x"``."""
    parts = []
    for rdn in rdns or ():
        for key, value in rdn:
            parts.append(f"{_NAME_FIELDS.get(key, key)}={value}")
    return ", ".join(parts)


def certificate(peer: dict[str, Any], now: dt.datetime) -> Certificate | None:
    """The certificate fields of ``SSLSocket.getpeercert()``; None when there is none.

    Args:
        peer: the dictionary ``getpeercert()`` returns (``subject``, ``issuer``,
            ``subjectAltName``, ``notAfter``...).
        now: the check's time (UTC), for ``days_left``.
    """
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
