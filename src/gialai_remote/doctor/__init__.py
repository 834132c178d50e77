"""Can this machine reach the meeting servers the letter names?

For every tool whose knowledge-base entry has a ``server_url`` (today ``aic-emeeting``,
section 2.2.b of Công văn 415/STTTT-CNTT: ``https://emeetingjalai.hcdt.vn:2443/``), run four
steps in order, each bounded by a per-step timeout:

1. ``dns``: resolve the host name to addresses (the proxy's, when the check goes through one);
2. ``tcp``: open a TCP connection to the port (each address in turn); through a proxy
   (``HTTPS_PROXY``, ``ALL_PROXY`` or the system's settings, unless ``NO_PROXY`` exempts the
   host), connect to the proxy and open a ``CONNECT`` tunnel to the server;
3. ``tls``: a TLS handshake that verifies the certificate and the host name as a browser
   would: with the operating system's verifier and trust store through ``truststore`` where
   available, else the system's CA files through OpenSSL (``certifi`` only when the system
   has none); verification is never turned off;
4. ``http``: one ``GET`` of the URL over that verified connection; a status below 400 passes.

The report says which trust verified the certificate and which proxy (or none) was used. A
step that fails stops the tool's check; the later steps are reported as skipped. Tools are
checked concurrently in daemon threads, and the whole run is bounded (by default the per-step
timeout times the number of steps, plus one second): a step still running when the bound is
reached is reported as timed out.

This package is the only code of gialai-remote that opens a network connection. Nothing here
prints; the DNS resolver, the wall clock, the trust and the proxy finder are parameters so that
tests never touch a real DNS server, the system's trust store or a real proxy. It is imported
by the ``doctor`` command only (never on the start-up path of another command).

The modules, each importing only those above it (no circle):

- :mod:`.model`: the result types and the shared constants (``STEPS``, ``DEFAULT_TIMEOUT``);
- :mod:`.reasons`: the reason codes, their hints, and how an error maps to one;
- :mod:`.system`: the resolver and the clock; :mod:`.trust`: the trust, chosen once per run;
- :mod:`.steps` (``dns``, ``tcp``, ``http``), :mod:`.proxy` (the route and the ``CONNECT``
  tunnel) and :mod:`.tls` (``tls``): the steps;
- :mod:`.probe`: one tool's steps in a thread, with a snapshot at the bound;
- :mod:`.run`: :func:`run_doctor`, the whole run.
"""

from __future__ import annotations

from gialai_remote.doctor.model import (
    BOUND_SLACK,
    DEFAULT_TIMEOUT,
    STEPS,
    TRUST_CODES,
    Certificate,
    ContextFactory,
    DoctorReport,
    ProxyInfo,
    ProxyMode,
    Resolver,
    Status,
    StepResult,
    ToolCheck,
    TrustInfo,
    WallClock,
    default_bound,
)
from gialai_remote.doctor.proxy import Route, RouteFinder, system_route
from gialai_remote.doctor.reasons import HINTS, REASON_CODES
from gialai_remote.doctor.run import run_doctor, tools_to_check
from gialai_remote.doctor.system import system_resolver, utc_now
from gialai_remote.doctor.trust import Trust, custom_trust, system_context, system_trust

__all__ = [
    "BOUND_SLACK",
    "DEFAULT_TIMEOUT",
    "HINTS",
    "REASON_CODES",
    "STEPS",
    "TRUST_CODES",
    "Certificate",
    "ContextFactory",
    "DoctorReport",
    "ProxyInfo",
    "ProxyMode",
    "Resolver",
    "Route",
    "RouteFinder",
    "Status",
    "StepResult",
    "ToolCheck",
    "Trust",
    "TrustInfo",
    "WallClock",
    "custom_trust",
    "default_bound",
    "run_doctor",
    "system_context",
    "system_resolver",
    "system_route",
    "system_trust",
    "tools_to_check",
    "utc_now",
]
