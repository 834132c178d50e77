"""The ``doctor --format json`` object (``schemas/doctor.schema.json``), in the shapes of
:mod:`gialai_remote.render.json` (its ``SCHEMA_VERSION``, its one contact shape).

Kept apart from :mod:`gialai_remote.render.json` so that neither goes over ~500 lines; the text
report (:mod:`gialai_remote.render.text.doctor`) reads the same values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gialai_remote.i18n import t
from gialai_remote.render.json import SCHEMA_VERSION, contact_dict

if TYPE_CHECKING:
    from gialai_remote.doctor import Certificate, DoctorReport, ProxyInfo, StepResult, ToolCheck, TrustInfo

__all__ = ["doctor_check_dict", "proxy_dict", "report_dict", "step_dict", "trust_dict"]


# ---- doctor ---------------------------------------------------------------------------------------------


def _certificate_dict(cert: Certificate | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    return {
        "subject": cert.subject,
        "issuer": cert.issuer,
        "names": list(cert.names),
        "not_after": cert.not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "days_left": cert.days_left,
        "hostname_match": cert.hostname_match,
    }


def trust_dict(trust: TrustInfo | None, lang: str) -> dict[str, Any] | None:
    """Which trust verified the certificate: ``{"code", "message"}`` (``doctor.trust.<code>``)."""
    if trust is None:
        return None
    return {"code": trust.code, "message": t(f"doctor.trust.{trust.code}", lang, system=trust.system)}


def proxy_dict(proxy: ProxyInfo | None) -> dict[str, Any] | None:
    """The proxy a check went through: ``{"mode", "url", "setting", "bypassed_by"}``, or None."""
    if proxy is None:
        return None
    return {"mode": proxy.mode, "url": proxy.url, "setting": proxy.setting, "bypassed_by": proxy.bypassed_by}


def step_dict(step: StepResult, lang: str) -> dict[str, Any]:
    """A step of ``doctor``: ``step``, ``status``, ``duration_ms``, ``reason`` and the step's own fields."""
    out: dict[str, Any] = {
        "step": step.step,
        "status": step.status,
        "duration_ms": step.duration_ms,
        "reason": None if step.reason is None else {"code": step.reason, "message": step.message},
        "error": step.error,
    }
    if step.status == "skipped":
        return out
    if step.step == "dns":
        out["addresses"] = list(step.addresses)
    elif step.step == "tcp":
        out["address"] = step.address
        out["port"] = step.port
        out["tunnel"] = None
        if step.tunnel_status is not None:
            out["tunnel"] = {"status_code": step.tunnel_status, "status_text": step.tunnel_text}
    elif step.step == "tls":
        out["trust"] = trust_dict(step.trust, lang)
        out["protocol"] = step.protocol
        out["certificate"] = _certificate_dict(step.certificate)
        out["hostname_match"] = step.hostname_match
    elif step.step == "http":
        out["status_code"] = step.status_code
        out["status_text"] = step.status_text
    return out


def doctor_check_dict(check: ToolCheck, lang: str, document: str) -> dict[str, Any]:
    """One tool's check, as in ``schemas/doctor.schema.json``."""
    failed = check.failed_step
    out: dict[str, Any] = {
        "tool": check.tool,
        "name": check.name,
        "url": check.url,
        "host": check.host or None,
        "port": check.port or None,
        "checked": check.checked,
        "passed": check.passed,
        "failed_step": None if failed is None else failed.step,
        "hint": None if check.hint is None else t(f"doctor.hint.{check.hint}", lang, host=check.host, port=check.port),
    }
    if check.checked:  # how the connection went: only for a tool that was checked
        out["proxy"] = proxy_dict(check.proxy)
    out["steps"] = [step_dict(s, lang) for s in check.steps]
    out["contacts"] = [contact_dict(c) for c in check.contacts]
    # The letter's section the server URL comes from (doctor's own shape, as in schema_version 1).
    out["source"] = {"document": document, "section": check.section}
    return out


def report_dict(report: DoctorReport) -> dict[str, Any]:
    """The ``doctor --format json`` object (``schemas/doctor.schema.json``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "passed": report.passed,
        "lang": report.lang,
        "checked_at": report.checked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timeout_seconds": report.timeout,
        "bound_seconds": report.bound,
        "duration_ms": report.duration_ms,
        "checks": [doctor_check_dict(c, report.lang, report.document) for c in report.checks],
    }
