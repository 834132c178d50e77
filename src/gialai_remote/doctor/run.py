"""A whole run: which tools to check, one probe per tool, concurrently, within one bound."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from gialai_remote.advice import contact_infos
from gialai_remote.doctor import proxy, system
from gialai_remote.doctor import trust as _trust
from gialai_remote.doctor.model import (
    DEFAULT_TIMEOUT,
    ContextFactory,
    DoctorReport,
    Resolver,
    ToolCheck,
    WallClock,
    default_bound,
)
from gialai_remote.doctor.probe import Env, Probe
from gialai_remote.doctor.proxy import RouteFinder
from gialai_remote.doctor.reasons import ms
from gialai_remote.doctor.trust import Trust
from gialai_remote.errors import KnowledgeBaseError, Problem, UsageError
from gialai_remote.i18n import t
from gialai_remote.urls import ServerUrl, UrlRefused, parse_server_url

if TYPE_CHECKING:
    from gialai_remote.model import KnowledgeBase, Tool


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
    trust: Trust | ContextFactory | None = None,
    route: RouteFinder | None = None,
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
        resolver: the DNS resolver; None: ``system.system_resolver`` (looked up at call time).
        trust: how certificates are verified; None: ``trust.system_trust()`` (the operating
            system's trust through truststore where available), chosen once per run. A bare
            context factory counts as ``custom``.
        route: finds the proxy for a server URL; None: ``proxy.system_route`` (the standard
            library's reading of ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY`` and the system's
            settings), called in each probe's thread.
        now: the wall clock; None: ``system.utc_now``.

    Returns:
        The :class:`DoctorReport`; its ``passed`` is False when any step failed.

    Raises:
        UsageError: an unknown tool id.
        KnowledgeBaseError: a server URL that ``gialai_remote.urls.parse_server_url`` refuses
            (``validate`` refuses the same URLs when the file is loaded).
        KeyboardInterrupt: Ctrl-C; the connections still open are shut down first.
    """
    clock = now or system.utc_now
    limit = default_bound(timeout) if bound is None else bound
    checked_at = clock().astimezone(dt.timezone.utc)
    started = time.monotonic()
    tools = tools_to_check(kb, tool_ids, lang)
    bases = [base_check(kb, tool, lang) for tool in tools]
    env: Env | None = None
    probes: list[Probe | ToolCheck] = []
    for base, url in bases:
        if url is None:
            probes.append(base)
            continue
        if env is None:  # chosen once, and only when something is checked
            env = Env(
                resolver=resolver or system.system_resolver,
                trust=_chosen_trust(trust),
                route=route or proxy.system_route,
                now=clock,
                timeout=timeout,
                lang=lang,
            )
        probes.append(Probe(base, env, url))
    running = [p for p in probes if isinstance(p, Probe)]
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
    checks = tuple(p.result() if isinstance(p, Probe) else p for p in probes)
    return DoctorReport(
        checks=checks,
        timeout=timeout,
        bound=limit,
        checked_at=checked_at,
        duration_ms=ms(time.monotonic() - started),
        lang=lang,
        document=kb.source.document,
        letter_date=kb.source.date,
    )


def _chosen_trust(trust: Trust | ContextFactory | None) -> Trust:
    """The run's trust: the one given, a bare factory as ``custom``, else the system's."""
    if trust is None:
        return _trust.system_trust()
    if isinstance(trust, Trust):
        return trust
    return _trust.custom_trust(trust)


def base_check(kb: KnowledgeBase, tool: Tool, lang: str) -> tuple[ToolCheck, ServerUrl | None]:
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
