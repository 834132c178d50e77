"""Text output of ``doctor``: lines (:class:`~.lines.Line`) for people.

Made from the same :class:`gialai_remote.doctor.DoctorReport` as its JSON
(:func:`gialai_remote.render.json_doctor.report_dict`), so they cannot disagree. Text from the network
(certificate names, OpenSSL's and the OS's error words, the HTTP reason phrase) is shown
through :func:`gialai_remote.render.words.safe` like knowledge-base text: a hostile server
cannot put control characters on the terminal.
"""

from __future__ import annotations

from typing import Any

from gialai_remote.doctor import Certificate, DoctorReport, ProxyInfo, StepResult, ToolCheck, TrustInfo
from gialai_remote.i18n import t
from gialai_remote.render.text.advice import contact_line
from gialai_remote.render.text.lines import Line, Lines
from gialai_remote.render.text.lines import line as _line
from gialai_remote.render.words import format_date

_STATUS_STYLE = {"passed": "bold green", "failed": "bold red", "skipped": "dim"}


def _seconds(value: float) -> str:
    return f"{value:g}"


def _when(check_time: Any) -> str:
    return str(check_time.strftime("%Y-%m-%d %H:%M:%S UTC"))


def _cert_lines(cert: Certificate, host: str, lang: str, indent: int) -> Lines:
    yes_no = t("doctor.yes" if cert.hostname_match else "doctor.no", lang)
    date_text = format_date(cert.not_after.date(), lang)
    details = [
        t("doctor.detail.subject", lang, subject=cert.subject),
        t("doctor.detail.issuer", lang, issuer=cert.issuer),
        t("doctor.detail.names", lang, names=", ".join(cert.names)),
        t("doctor.detail.expiry", lang, date=date_text, days=cert.days_left),
        t("doctor.detail.hostname", lang, host=host, match=yes_no),
    ]
    return [_line((d, "dim"), indent=indent) for d in details]


def _setting(proxy: ProxyInfo, lang: str) -> str:
    """Where the proxy is set, for a sentence: the variable's name, or "the system's settings"."""
    return t("doctor.setting.system", lang) if proxy.setting == "system" else proxy.setting or ""


def proxy_line(proxy: ProxyInfo, lang: str, indent: int) -> Line:
    """How the tool's connection goes: directly, through the proxy, or exempted from it."""
    if proxy.mode == "none":
        return _line((t("doctor.route.none", lang), "dim"), indent=indent)
    key = "doctor.route.proxy" if proxy.mode == "proxy" else "doctor.route.bypassed"
    bypass = t("doctor.bypass.system", lang) if proxy.bypassed_by == "system" else proxy.bypassed_by or ""
    text = t(key, lang, proxy=proxy.url or "", setting=_setting(proxy, lang), bypass=bypass)
    return _line((text, "dim"), indent=indent)


def _trust_line(trust: TrustInfo | None, lang: str, indent: int) -> Lines:
    if trust is None:
        return []
    words = t(f"doctor.trust.{trust.code}", lang, system=trust.system)
    return [_line((t("doctor.detail.trust", lang, trust=words), "dim"), indent=indent)]


def _step_details(step: StepResult, check: ToolCheck, lang: str, indent: int) -> Lines:
    if step.status == "failed":
        lines = [_line(step.message or "", indent=indent)]
        if step.error:
            lines.append(_line((t("doctor.detail.error", lang, error=step.error), "dim"), indent=indent))
        return lines + _trust_line(step.trust, lang, indent)
    if step.status != "passed":
        return []
    tunnel = check.proxy is not None and check.proxy.tunnel
    if step.step == "dns":
        key = "doctor.detail.proxy_addresses" if tunnel else "doctor.detail.addresses"
        return [_line((t(key, lang, addresses=", ".join(step.addresses)), "dim"), indent=indent)]
    if step.step == "tcp":
        key = "doctor.detail.proxy_address" if tunnel else "doctor.detail.address"
        text = t(key, lang, address=step.address or "", port=step.port or check.port)
        lines = [_line((text, "dim"), indent=indent)]
        if step.tunnel_status is not None:
            status = f"{step.tunnel_status} {step.tunnel_text or ''}".strip()
            target = f"[{check.host}]" if ":" in check.host else check.host
            words = t("doctor.detail.tunnel", lang, target=f"{target}:{check.port}", status=status)
            lines.append(_line((words, "dim"), indent=indent))
        return lines
    if step.step == "tls":
        lines = _trust_line(step.trust, lang, indent)
        if step.protocol:
            lines.append(_line((t("doctor.detail.protocol", lang, protocol=step.protocol), "dim"), indent=indent))
        if step.certificate is not None:
            lines += _cert_lines(step.certificate, check.host, lang, indent)
        return lines
    status = f"{step.status_code} {step.status_text or ''}".strip()
    return [_line((t("doctor.detail.status", lang, status=status), "dim"), indent=indent)]


def render_check(check: ToolCheck, lang: str, report: DoctorReport | None = None) -> Lines:
    """One tool's block: its name and URL, a line per step with details, and its verdict.

    ``report`` (optional) supplies the letter's number and date shown with the contacts.
    """
    lines: Lines = [_line((f"{check.name} ({check.tool})", "bold"))]
    if not check.checked:
        lines.append(_line(t("doctor.tool.no_server", lang), indent=2))
        return lines
    lines.append(_line(check.url or "", (f" ({t('doctor.source', lang, section=check.section)})", "dim"), indent=2))
    if check.proxy is not None:
        lines.append(proxy_line(check.proxy, lang, indent=2))
    tags = {s: t(f"doctor.status.{s}", lang) for s in ("passed", "failed", "skipped")}
    width = max(len(tag) for tag in tags.values()) + 3  # brackets and a space
    for step in check.steps:
        tag = f"[{tags[step.status]}]".ljust(width)
        name = t(f"doctor.step.{step.step}", lang)
        if step.status == "skipped":
            lines.append(_line((tag, "dim"), (f"{name}: {t('doctor.skipped', lang)}", "dim"), indent=2))
            continue
        lines.append(_line((tag, _STATUS_STYLE[step.status]), name, (f" ({step.duration_ms} ms)", "dim"), indent=2))
        lines += _step_details(step, check, lang, indent=2 + width)
    if check.passed:
        lines.append(_line(("=> ", "dim"), (t("doctor.tool.passed", lang), "bold green"), indent=2))
        return lines
    failed = check.failed_step or next(s for s in check.steps if s.status != "passed")
    lines.append(
        _line(
            ("=> ", "dim"),
            (t("doctor.tool.failed", lang, step=t(f"doctor.step.{failed.step}", lang)), "bold red"),
            indent=2,
        )
    )
    if check.hint:
        lines.append(_line(t(f"doctor.hint.{check.hint}", lang, host=check.host, port=check.port), indent=5))
    if check.contacts:
        lines.append(_line((t("doctor.call", lang), "bold"), indent=5))
        lines += [contact_line(c, indent=5) for c in check.contacts]
        if report is not None and report.letter_date is not None:
            note = t("doctor.contacts_date", lang, document=report.document, date=format_date(report.letter_date, lang))
            lines.append(_line((note, "dim"), indent=5))
    else:
        lines.append(_line((t("doctor.no_contacts", lang), "yellow"), indent=5))
    return lines


def render_report(report: DoctorReport) -> Lines:
    """The ``doctor`` text output: the overall verdict, a block per tool, the footer."""
    lang = report.lang
    checked = report.checked
    failed = sum(1 for c in checked if not c.passed)
    if not checked:
        verdict = _line((t("doctor.verdict.nothing", lang), "bold yellow"))
    elif failed:
        verdict = _line((t("doctor.verdict.failed", lang, failed=failed, count=len(checked)), "bold red"))
    else:
        verdict = _line((t("doctor.verdict.passed", lang, count=len(checked)), "bold green"))
    lines: Lines = [verdict]
    for check in report.checks:
        lines.append(Line())
        lines += render_check(check, lang, report)
    lines.append(Line())
    footer = t(
        "doctor.footer",
        lang,
        time=_when(report.checked_at),
        timeout=_seconds(report.timeout),
        bound=_seconds(report.bound),
    )
    lines.append(_line((footer, "dim")))
    return lines
