"""Rule selectors (``tools: {category: ..., section: ...}``) and the coverage warnings of
``validate``: a tool no task rule names, a public app no sensitivity rule is written for.

The files are the shipped ``data/guidance.yaml`` with one change each, written to a temporary
folder (a fixture in ``tests/kb_invalid/`` would add a case to the sweep).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gialai_remote.advice import Query
from gialai_remote.cli.main import main
from gialai_remote.decide import check, decide
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.knowledge.report import CODES
from gialai_remote.model import ToolSelector
from gialai_remote.render.json import advice_dict
from gialai_remote.rules import KINDS

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8")
APRIL = dt.date(2020, 4, 15)
PUBLIC_APPS = ("facebook", "zalo", "viber", "skype", "whatsapp", "telegram", "teamviewer", "google-drive")

#: A public app an agency adds, after the shipped ones.
SIGNAL = """  - id: signal
    name: {vi: Signal, en: Signal}
    section: "2.3"
    category: public-app
    priority: 99
"""
#: The shipped 2.3 rules, as the shipped file selects their tools.
SELECTOR = "    tools: {category: public-app}\n"


def with_signal(text: str = SHIPPED) -> str:
    """``text`` with the tool ``signal`` added after the last shipped tool."""
    at = text.index("\n# ", text.index("  - id: google-drive")) + 1
    return text[:at] + SIGNAL + text[at:]


def by_ids(text: str, ids: tuple[str, ...] = PUBLIC_APPS, count: int = 2) -> str:
    """``text`` with the first ``count`` of the 2.3 rules' selectors (task, then sensitivity)
    replaced by a list of ids (the file as it was before selectors)."""
    assert text.count(SELECTOR) >= count
    return text.replace(SELECTOR, f"    tools: [{', '.join(ids)}]\n", count)


def write(tmp_path: Path, text: str, name: str = "co-quan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def validate(capsys: pytest.CaptureFixture[str], path: Path, lang: str = "en") -> tuple[int, dict[str, object]]:
    code = main(["validate", "--format", "json", "--lang", lang, str(path)])
    out, err = capsys.readouterr()
    assert err == ""
    report: dict[str, object] = json.loads(out)
    return code, report


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ---- the shipped file ---------------------------------------------------------------------------


def test_the_shipped_file_selects_the_public_apps_by_category() -> None:
    kb = load_knowledge_base()
    section_23 = [r for r in kb.rules if r.section == "2.3" and r.tools is not None]
    assert [r.id for r in section_23] == ["2.3-task", "2.3-sensitivity"]
    for rule in section_23:
        assert rule.selector == ToolSelector(category="public-app")
        assert rule.tools == PUBLIC_APPS  # resolved in file order, as the ids were listed before


def test_selectors_give_the_answers_the_id_lists_gave(tmp_path: Path) -> None:
    """Every decision over the query space is the same with the 2.3 rules written by ids."""
    selected = load_knowledge_base()
    listed = load_knowledge_base(str(write(tmp_path, by_ids(SHIPPED))))
    assert all(r.selector is None for r in listed.rules)
    for role in ("ubnd-member", "agency-staff"):
        for task in ("documents", "public-services", "meeting", "group-exchange"):
            for sensitivity in ("normal", "internal", "secret"):
                query = Query(role=role, task=task, date=APRIL, sensitivity=sensitivity, participants=30)
                # compared as scripts read them: a contact's `reading` (the number grouped for
                # print) is derived display data that only a read file carries
                assert advice_dict(decide(selected, query)) == advice_dict(decide(listed, query))


# ---- an agency adds a public app ---------------------------------------------------------------------


def test_a_new_public_app_is_covered_by_the_selectors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, with_signal())
    code, report = validate(capsys, path)
    assert (code, report["problems"]) == (0, [])
    kb = load_knowledge_base(str(path))
    internal = Query(role="agency-staff", task="meeting", date=APRIL, sensitivity="internal")
    assert [r.code for r in check(kb, internal, "signal").reasons] == ["sensitivity_not_allowed"]
    normal = Query(role="agency-staff", task="group-exchange", date=APRIL, sensitivity="normal")
    assert "signal" in [r.tool for r in decide(kb, normal).recommendations]
    assert check(kb, normal, "signal").warnings[-1].message.startswith("Công việc thuộc bí mật nhà nước")


def test_a_new_public_app_missing_from_id_lists_is_warned_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = with_signal(by_ids(SHIPPED))
    path = write(tmp_path, text)
    code, report = validate(capsys, path)
    line = line_of(text, "  - id: signal")
    assert code == 0 and report["valid"] is True and report["warnings"] == 2
    assert [(p["code"], p["line"], p["severity"]) for p in report["problems"]] == [  # type: ignore[attr-defined]
        ("tool-without-task", line, "warning"),
        ("public-app-without-sensitivity", line, "warning"),
    ]
    messages = [p["message"] for p in report["problems"]]  # type: ignore[attr-defined]
    assert messages[0] == 'no "tasks" rule names the tool "signal", so it can never be recommended'
    assert "against section 2.3" in messages[1] and "{category: public-app}" in messages[1]
    _, vi = validate(capsys, path, "vi")
    assert "không bao giờ được khuyến nghị" in vi["problems"][0]["message"]  # type: ignore[index]


def test_a_rule_for_all_tools_does_not_cover_a_public_app(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """2.3-secret (``tools: all``, normal and internal) would let a new app carry internal content."""
    # The task rule names it; the sensitivity rule lists the shipped apps only.
    text = with_signal(by_ids(by_ids(SHIPPED, (*PUBLIC_APPS, "signal"), count=1), count=1))
    code, report = validate(capsys, write(tmp_path, text))
    assert code == 0
    assert [p["code"] for p in report["problems"]] == ["public-app-without-sensitivity"]  # type: ignore[attr-defined]


def test_a_selector_by_section_and_both_keys(tmp_path: Path) -> None:
    by_section = SHIPPED.replace(SELECTOR, '    tools: {section: "2.3"}\n', 1)
    kb = load_knowledge_base(str(write(tmp_path, by_section, "section.yaml")))
    assert kb.rules[[r.id for r in kb.rules].index("2.3-task")].tools == PUBLIC_APPS
    both = SHIPPED.replace(SELECTOR, '    tools: {category: official, section: "2.3"}\n', 1)
    kb = load_knowledge_base(str(write(tmp_path, both, "both.yaml")))
    assert kb.rules[[r.id for r in kb.rules].index("2.3-task")].tools == ()


BAD_SELECTORS = [
    pytest.param("{category: nonsense}", "wrong-value", id="unknown-category"),
    pytest.param('{section: "9.9"}', "unknown-section", id="unknown-section"),
    pytest.param("{colour: red}", "unknown-key", id="unknown-key"),
    pytest.param("{}", "wrong-type", id="empty"),
]


@pytest.mark.parametrize(("selector", "code"), BAD_SELECTORS)
def test_a_bad_selector_is_an_error_on_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, selector: str, code: str
) -> None:
    text = SHIPPED.replace(SELECTOR, f"    tools: {selector}\n", 1)
    exit_code, report = validate(capsys, write(tmp_path, text))
    assert exit_code == 1
    problems = report["problems"]
    assert code in [p["code"] for p in problems]  # type: ignore[attr-defined]
    assert {p["line"] for p in problems} == {line_of(text, f"    tools: {selector}")}  # type: ignore[attr-defined]


def test_every_coverage_code_is_a_warning_of_the_report() -> None:
    coverage = [entry.coverage for entry in KINDS if entry.coverage is not None]
    assert {c.code for c in coverage} == {"tool-without-task", "public-app-without-sensitivity"}
    assert all(CODES[c.code] == "warning" for c in coverage)
