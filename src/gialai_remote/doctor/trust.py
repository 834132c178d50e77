"""Which trust the ``tls`` step verifies certificates with, chosen once per run.

A browser verifies a server's chain with the operating system: on Windows CryptoAPI (its
certificate store, the agency's own root certificates included, and its chain building, which
fetches a missing intermediate), on macOS the Security framework and the keychains. OpenSSL
with the system's CA files is not that: it can call untrusted a certificate the browser accepts.
So :func:`system_trust` prefers the ``truststore`` library, which gives an ``ssl.SSLContext``
backed by the operating system's verifier (on Linux: by the system's CA files, as OpenSSL
reads them). It falls back to today's choice where truststore is not available: the system's
CA files through OpenSSL (``ssl.create_default_context()``), and certifi's bundle only when
the system has no CA certificate at all. Verification is never turned off.

The choice is injectable (``run_doctor(trust=...)``): ``system_trust(use_truststore=False)``
forces the fallback; a bare context factory is reported as ``custom``.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gialai_remote.doctor.model import ContextFactory, TrustInfo

if TYPE_CHECKING:
    import ssl

#: ``platform.system()`` values whose own verifier truststore uses (elsewhere: CA files).
_OWN_VERIFIER = {"Windows": "Windows", "Darwin": "macOS"}


@dataclass(frozen=True, slots=True)
class Trust:
    """How a run verifies certificates: a code for the report and a context factory.

    Attributes:
        code: one of :data:`~gialai_remote.doctor.model.TRUST_CODES`.
        context: makes a fresh client context (one per handshake) that verifies the chain and
            the host name.
        system: the operating system the trust belongs to ("Windows", "macOS", "Linux"), ""
            for ``certifi`` and ``custom``.
    """

    code: str
    context: ContextFactory
    system: str = ""

    @property
    def info(self) -> TrustInfo:
        """What the report says about it."""
        return TrustInfo(code=self.code, system=self.system)


def custom_trust(context: ContextFactory) -> Trust:
    """A trust made by the caller (a test's throwaway CA, an API user's own store): ``custom``."""
    return Trust(code="custom", context=context)


def system_trust(use_truststore: bool = True) -> Trust:
    """The trust a browser on this machine would use, as near as this machine allows.

    Args:
        use_truststore: False forces the fallback (as when truststore cannot be imported).

    Returns:
        ``truststore`` when the library imports and (on systems without a verifier of their own)
        the system has CA files; else ``openssl`` when the system has CA certificates; else
        ``certifi``.
    """
    system = platform.system()
    shown = _OWN_VERIFIER.get(system, system or "?")
    if use_truststore:
        try:
            import truststore  # noqa: F401 - importable here, on this Python
        except ImportError:
            pass
        else:
            if system in _OWN_VERIFIER or _has_ca_files():
                return Trust(code="truststore", context=_truststore_context, system=shown)
    if _has_ca_files() or _store_has_cas():
        return Trust(code="openssl", context=_openssl_context, system=shown)
    return Trust(code="certifi", context=_certifi_context)


def system_context() -> ssl.SSLContext:
    """A client SSL context of the fallback trust: the system's CA certificates through OpenSSL.

    ``ssl.create_default_context()`` reads the system store (and honours OpenSSL's
    ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``). Only when the system has no CA certificates at
    all (no CA file or directory, nothing in the store) are ``certifi``'s loaded.
    """
    if _has_ca_files() or _store_has_cas():
        return _openssl_context()
    return _certifi_context()


# ---- the contexts -------------------------------------------------------------------------------


def _truststore_context() -> ssl.SSLContext:
    """truststore's context: the OS verifies the chain and the name after the handshake.

    On Windows and macOS the operating system's store does not read OpenSSL's
    ``SSL_CERT_FILE``; when it is set, its certificates are added as extra roots, which
    truststore consults when the system's own verdict is "untrusted" (so the documented
    ``SSL_CERT_FILE=ca-don-vi.pem`` keeps working everywhere). On Linux truststore reads
    ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` itself.
    """
    import ssl

    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    extra = os.environ.get("SSL_CERT_FILE")
    if platform.system() in _OWN_VERIFIER and extra and os.path.isfile(extra):
        context.load_verify_locations(cafile=extra)
    return context


def _openssl_context() -> ssl.SSLContext:
    import ssl

    return ssl.create_default_context()


def _certifi_context() -> ssl.SSLContext:
    import ssl

    import certifi

    context = ssl.create_default_context()
    context.load_verify_locations(cafile=certifi.where())
    return context


def _has_ca_files() -> bool:
    """Whether OpenSSL's default CA file or directory (or ``SSL_CERT_FILE``/``_DIR``) has certificates."""
    import ssl

    paths = ssl.get_default_verify_paths()
    has_file = bool(paths.cafile and os.path.isfile(paths.cafile))
    try:
        has_dir = bool(paths.capath and os.path.isdir(paths.capath) and os.listdir(paths.capath))
    except OSError:  # unreadable, or no descriptor left: the steps will say what is wrong
        has_dir = False
    return has_file or has_dir


def _store_has_cas() -> bool:
    """Whether a default context finds CA certificates (on Windows: the system's store)."""
    import ssl

    try:
        return ssl.create_default_context().cert_store_stats().get("x509_ca", 0) > 0
    except (ssl.SSLError, OSError):  # an unreadable SSL_CERT_FILE: the handshake will say so
        return False
