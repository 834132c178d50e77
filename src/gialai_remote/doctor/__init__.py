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

This package is the only code of gialai-remote that opens a network connection. Nothing here
prints; the DNS resolver, the wall clock and the SSL context are parameters so that tests never
touch a real DNS server or the system's trust store.

The modules, each importing only those above it (no circle):

- :mod:`.model`: the result types and the shared constants (``STEPS``, ``DEFAULT_TIMEOUT``);
- :mod:`.reasons`: the reason codes, their hints, and how an error maps to one;
- :mod:`.system`: the defaults that touch the system (resolver, trust store, clock);
- :mod:`.steps` (``dns``, ``tcp``, ``http``) and :mod:`.tls` (``tls``): one function per step;
- :mod:`.probe`: one tool's steps in a thread, with a snapshot at the bound;
- :mod:`.run`: :func:`run_doctor`, the whole run.
"""

from __future__ import annotations

from gialai_remote.doctor.model import (
    BOUND_SLACK,
    DEFAULT_TIMEOUT,
    STEPS,
    Certificate,
    ContextFactory,
    DoctorReport,
    Resolver,
    Status,
    StepResult,
    ToolCheck,
    WallClock,
    default_bound,
)
from gialai_remote.doctor.reasons import HINTS, REASON_CODES
from gialai_remote.doctor.run import run_doctor, tools_to_check
from gialai_remote.doctor.system import system_context, system_resolver, utc_now

__all__ = [
    "BOUND_SLACK",
    "DEFAULT_TIMEOUT",
    "HINTS",
    "REASON_CODES",
    "STEPS",
    "Certificate",
    "ContextFactory",
    "DoctorReport",
    "Resolver",
    "Status",
    "StepResult",
    "ToolCheck",
    "WallClock",
    "default_bound",
    "run_doctor",
    "system_context",
    "system_resolver",
    "tools_to_check",
    "utc_now",
]
