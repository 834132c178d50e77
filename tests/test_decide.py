"""The decision table: one row per rule of Công văn 415/STTTT-CNTT, on the shipped knowledge base."""

from __future__ import annotations

import datetime as dt

import pytest

from gialai_remote.advice import Query
from gialai_remote.decide import check, decide
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.model import KnowledgeBase
from gialai_remote.rules import serving

APRIL = dt.date(2020, 4, 15)
TODAY = dt.date(2026, 11, 29)
PUBLIC_APPS = ["facebook", "zalo", "viber", "skype", "whatsapp", "telegram", "teamviewer", "google-drive"]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def q(role: str = "agency-staff", task: str | None = "meeting", **kw: object) -> Query:
    base = Query(role=role, task=task, date=APRIL, sensitivity="internal")
    return base._replace(**kw)  # type: ignore[arg-type]


def ranked(kb: KnowledgeBase, query: Query) -> list[str]:
    return [r.tool for r in decide(kb, query).recommendations]


def exclusions(kb: KnowledgeBase, query: Query) -> set[tuple[str, str]]:
    return {(e.tool, r.code) for e in decide(kb, query).excluded for r in e.reasons}


# (id, query, ranked tool ids, (tool, reason code) exclusions that must be present)
CASES = [
    pytest.param(q(task="documents"), ["document-management", "official-email"], set(), id="1-documents"),
    pytest.param(q(task="public-services"), ["one-stop-shop", "online-public-services"], set(), id="1-public-services"),
    pytest.param(
        q(task="documents", has_device=False),
        [],
        {("document-management", "requires_device_and_internet"), ("official-email", "requires_device_and_internet")},
        id="1-requires-device",
    ),
    pytest.param(
        q(task="meeting", has_internet=False),
        [],
        {("polycom", "requires_device_and_internet"), ("aic-emeeting", "requires_device_and_internet")},
        id="1-requires-internet",
    ),
    pytest.param(
        q(role="ubnd-member", participants=10),
        ["polycom", "aic-smart-meeting", "vnpt-meeting", "aic-emeeting"],
        set(),
        id="2.1-before-2.2",
    ),
    pytest.param(
        q(role="agency-staff", participants=10),
        ["vnpt-meeting", "aic-emeeting"],
        {("polycom", "role_not_allowed"), ("aic-smart-meeting", "role_not_allowed")},
        id="2.1.a-role",
    ),
    pytest.param(
        q(role="ubnd-member", participants=26),
        ["polycom", "aic-smart-meeting", "vnpt-meeting", "aic-emeeting"],
        set(),
        id="2.1.a-capacity-26-allowed",
    ),
    pytest.param(
        q(role="ubnd-member", participants=27),
        ["aic-smart-meeting", "vnpt-meeting", "aic-emeeting"],
        {("polycom", "capacity_exceeded")},
        id="2.1.a-capacity-27-excluded",
    ),
    pytest.param(
        q(role="ubnd-member", platform="windows"),
        ["aic-smart-meeting", "aic-emeeting"],
        {("polycom", "platform_not_supported"), ("vnpt-meeting", "platform_not_supported")},
        id="2.1.a-platforms",
    ),
    pytest.param(
        q(role="ubnd-member", platform="ios"),
        ["polycom", "aic-smart-meeting", "vnpt-meeting", "aic-emeeting"],
        set(),
        id="2.1.a-platforms-ios",
    ),
    pytest.param(
        q(role="agency-staff", date=dt.date(2020, 5, 31)),
        ["vnpt-meeting", "aic-emeeting"],
        set(),
        id="2.2.a-offer-last-day",
    ),
    pytest.param(
        q(role="agency-staff", date=dt.date(2020, 6, 1)),
        ["aic-emeeting"],
        {("vnpt-meeting", "offer_expired")},
        id="2.2.a-offer-expired",
    ),
    pytest.param(
        q(role="agency-staff", platform="web"),
        ["aic-emeeting"],
        {("vnpt-meeting", "platform_not_supported")},
        id="2.2.b-platforms-web",
    ),
    pytest.param(
        q(role="agency-staff", sensitivity="normal"),
        ["vnpt-meeting", "aic-emeeting", *PUBLIC_APPS],
        set(),
        id="2.3-normal-after-official",
    ),
    pytest.param(
        q(role="agency-staff", sensitivity="internal"),
        ["vnpt-meeting", "aic-emeeting"],
        {(app, "sensitivity_not_allowed") for app in PUBLIC_APPS},
        id="2.3-internal-no-public-apps",
    ),
    pytest.param(
        q(role="agency-staff", task="group-exchange", sensitivity="normal"),
        ["document-management", "official-email", *PUBLIC_APPS],
        set(),
        id="2.3-group-exchange",
    ),
    pytest.param(
        q(role="ubnd-member", sensitivity="secret"),
        [],
        {
            ("polycom", "sensitivity_not_allowed"),
            ("aic-smart-meeting", "sensitivity_not_allowed"),
            ("aic-emeeting", "sensitivity_not_allowed"),
            *((app, "sensitivity_not_allowed") for app in PUBLIC_APPS),
        },
        id="2.3-secret-nothing",
    ),
    pytest.param(
        q(role="agency-staff", task="documents", sensitivity="secret"),
        [],
        {("document-management", "sensitivity_not_allowed"), ("official-email", "sensitivity_not_allowed")},
        id="2.3-secret-documents",
    ),
]


@pytest.mark.parametrize(("query", "expected", "excluded"), CASES)
def test_decision_table(kb: KnowledgeBase, query: Query, expected: list[str], excluded: set[tuple[str, str]]) -> None:
    assert ranked(kb, query) == expected
    assert excluded <= exclusions(kb, query)


def test_excluded_lists_only_tools_serving_the_task(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(task="documents", sensitivity="secret"))
    assert {e.tool for e in advice.excluded} == {"document-management", "official-email"}


def test_every_exclusion_has_a_reason_with_section(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(role="agency-staff", participants=40, date=TODAY))
    assert advice.excluded
    for exc in advice.excluded:
        assert exc.reasons
        # each reason cites what it rests on: a letter's section, or a later source (a law, the
        # announcement that ended a service)
        assert all(r.sources and r.message for r in exc.reasons)
        assert all(c.section or c.id != "letter-415" for r in exc.reasons for c in r.sources)


def test_ranks_are_consecutive(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(role="ubnd-member", sensitivity="normal"))
    assert [r.rank for r in advice.recommendations] == list(range(1, len(advice.recommendations) + 1))


def test_not_eligible_without_device(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(task="meeting", has_device=False))
    assert advice.eligible is False
    assert advice.recommendations == ()
    assert any("thiết bị" in w.message and w.code == "not_eligible" for w in advice.warnings)


def test_secret_says_why(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(sensitivity="secret"))
    assert advice.eligible is True
    assert any("bí mật nhà nước" in w.message and w.code == "no_tool_for_secret" for w in advice.warnings)


def test_public_apps_carry_the_section_2_3_warning(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(sensitivity="normal"))
    zalo = next(r for r in advice.recommendations if r.tool == "zalo")
    assert any("bí mật nhà nước" in w.message and "2.3" in w.message for w in zalo.warnings)
    warning = next(w for w in zalo.warnings if w.code == "rule_warning")
    assert warning.source is not None and warning.source.section == "2.3"


def test_polycom_capacity_reason_names_the_numbers(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(role="ubnd-member", participants=30))
    polycom = next(e for e in advice.excluded if e.tool == "polycom")
    assert polycom.reasons[0].code == "capacity_exceeded"
    assert "26" in polycom.reasons[0].message and "30" in polycom.reasons[0].message
    assert polycom.reasons[0].section == "2.1.a"


def test_contacts_and_setup_steps(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(role="ubnd-member", participants=5))
    polycom = advice.recommendations[0]
    assert polycom.tool == "polycom"
    assert [c.phone for c in polycom.contacts] == ["0935076079", "0931636869"]
    assert any("Polycom" in s for s in polycom.setup_steps)
    emeeting = next(r for r in advice.recommendations if r.tool == "aic-emeeting")
    assert [c.phone for c in emeeting.contacts] == ["0934121298"]
    assert any("https://emeetingjalai.hcdt.vn:2443" in s for s in emeeting.setup_steps)


def test_setup_steps_follow_the_platform(kb: KnowledgeBase) -> None:
    web = decide(kb, q(platform="web")).recommendations[0]
    assert web.tool == "aic-emeeting"
    assert not any("AppStore" in s or "CH-Play" in s for s in web.setup_steps)
    every = decide(kb, q()).recommendations
    emeeting = next(r for r in every if r.tool == "aic-emeeting")
    assert any("AppStore" in s for s in emeeting.setup_steps)
    assert any("CH-Play" in s for s in emeeting.setup_steps)


def test_english(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(role="ubnd-member", participants=30, lang="en"))
    polycom = next(e for e in advice.excluded if e.tool == "polycom")
    assert "at most 26" in polycom.reasons[0].message
    assert advice.source.issuer == "Gia Lai Department of Information and Communications"


def test_notices_follow_the_date(kb: KnowledgeBase) -> None:
    assert decide(kb, q(date=APRIL)).notices == ()
    ids = {n.id for n in decide(kb, q(role="ubnd-member", date=TODAY)).notices}
    assert "province-merger-2025" in ids


def test_sensitivity_assumed_is_said(kb: KnowledgeBase) -> None:
    advice = decide(kb, q(sensitivity_assumed=True))
    assert any("--sensitivity normal" in w.message and w.code == "sensitivity_assumed" for w in advice.warnings)


def test_letter_age_warning(kb: KnowledgeBase) -> None:
    assert not any(w.code == "letter_age" for w in decide(kb, q(date=APRIL)).warnings)
    age = [w for w in decide(kb, q(date=TODAY)).warnings if w.code == "letter_age"]
    assert len(age) == 1 and "hơn 6 năm" in age[0].message and age[0].opening


@pytest.mark.parametrize("participants", [1, 26, 27, 100])
@pytest.mark.parametrize("role", ["ubnd-member", "agency-staff"])
def test_check_agrees_with_decide(kb: KnowledgeBase, role: str, participants: int) -> None:
    query = q(role=role, participants=participants, sensitivity="normal")
    recommended = set(ranked(kb, query))
    for tool in kb.tools:
        if tool.id in serving(kb, "tasks", "meeting"):
            assert check(kb, query, tool.id).allowed == (tool.id in recommended)


def test_check_without_task_skips_task_rules(kb: KnowledgeBase) -> None:
    result = check(kb, q(task=None, role="agency-staff"), "document-management")
    assert result.allowed
    result = check(kb, q(task="meeting", role="agency-staff"), "document-management")
    assert [r.code for r in result.reasons] == ["task_not_supported"]


def test_allows_is_evaluate_without_the_texts(kb: KnowledgeBase) -> None:
    """decide.allows (what check's alternatives ask) answers exactly ``not evaluate().failures``
    for every tool over a grid of queries: roles, tasks (and none), participants, sensitivities,
    platforms, no device or Internet, days before and after VNPT's offer and the services' end."""
    import itertools

    from gialai_remote.decide import allows, evaluate

    days = (APRIL, dt.date(2020, 6, 1), TODAY)
    grid = itertools.product(
        [r.id for r in kb.roles],
        [None, *(t.id for t in kb.tasks)],
        (None, 27),
        [s.id for s in kb.sensitivities],
        (None, kb.platforms[0].id),
        ((True, True), (False, True), (True, False)),
        days,
    )
    allowed = ruled_out = 0
    for role, task, participants, sensitivity, platform, (device, internet), day in grid:
        query = Query(
            role=role,
            task=task,
            participants=participants,
            sensitivity=sensitivity,
            platform=platform,
            has_device=device,
            has_internet=internet,
            date=day,
        )
        for tool in kb.tools:
            expected = not evaluate(kb, tool, query).failures
            assert allows(kb, tool, query) is expected, (tool.id, query)
            allowed += expected
            ruled_out += not expected
    assert allowed > 100 and ruled_out > 100  # both answers are exercised
