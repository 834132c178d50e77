"""The shipped guidance.yaml: every fact cites the letter, every contract id exists, facts as written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gialai_remote.knowledge.load import builtin_bytes, load_knowledge_base
from gialai_remote.model import SECTIONS, KnowledgeBase, Rule
from gialai_remote.rules import NAMES as RULE_KINDS
from gialai_remote.rules import serving

ROOT = Path(__file__).resolve().parents[1]
LETTER = next((ROOT.parent / "shared" / "seeds").glob("*.txt"), None)

CONTRACT_IDS = {
    "roles": {"ubnd-member", "agency-staff"},
    "tasks": {"documents", "public-services", "meeting", "group-exchange"},
    "sensitivities": {"normal", "internal", "secret"},
    "tools": {
        "document-management",
        "official-email",
        "one-stop-shop",
        "online-public-services",
        "polycom",
        "aic-smart-meeting",
        "vnpt-meeting",
        "aic-emeeting",
        "facebook",
        "zalo",
        "viber",
        "skype",
        "whatsapp",
        "telegram",
        "teamviewer",
        "google-drive",
    },
    "platforms": {"ios", "android", "windows", "macos", "linux", "web"},
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize("kind", sorted(CONTRACT_IDS))
def test_every_contract_id_exists(kb: KnowledgeBase, kind: str) -> None:
    items = kb.tools if kind == "tools" else getattr(kb, kind)
    assert {i.id for i in items} == CONTRACT_IDS[kind]


def test_every_entry_cites_a_section_of_the_letter_or_a_later_source(kb: KnowledgeBase) -> None:
    """Every entry cites the letter and its section, except a rule of a later document (the
    state-secrets law over time), which cites that source by id and no section."""
    later = {s.id for s in kb.sources[1:]}
    for entries in (kb.tools, kb.contacts, kb.rules, kb.roles, kb.tasks, kb.sensitivities):
        for entry in entries:
            if getattr(entry, "source", kb.source.id) in later:
                assert entry.section == "" and isinstance(entry, Rule), entry
            else:
                assert entry.section in SECTIONS, entry
    assert sorted(r.id for r in kb.rules if r.source in later) == [
        "secret-law-2018",
        "secret-law-2025",
        "secret-ordinance-2000",
    ]


def test_rules_use_the_fixed_vocabulary(kb: KnowledgeBase) -> None:
    assert {r.kind for r in kb.rules} <= set(RULE_KINDS)
    assert {r.kind for r in kb.rules} == set(RULE_KINDS)


def test_the_letters_facts(kb: KnowledgeBase) -> None:
    assert kb.source.document == "415/STTTT-CNTT"
    assert kb.source.date == dt.date(2020, 4, 1)
    assert len(kb.source.based_on) == 3
    capacity = [r for r in kb.rules if r.kind == "capacity"]
    assert [(r.tools, r.max_participants, r.section) for r in capacity] == [(("polycom",), 26, "2.1.a")]
    offer = [r for r in kb.rules if r.kind == "offer"]
    assert [(r.tools, r.until) for r in offer] == [(("vnpt-meeting",), dt.date(2020, 5, 31))]
    assert kb.tool("aic-emeeting").server_url == "https://emeetingjalai.hcdt.vn:2443/"
    assert kb.tool("polycom").bridge_points == 17
    phones = {c.id: c.phone for c in kb.contacts}
    assert phones == {
        "phan-dinh-hieu": "0935076079",
        "nguyen-dung": "0931636869",
        "le-van-hai": "0934121298",
        "ta-manh-hung": "0913450011",
    }
    assert kb.tool("polycom").contacts == ("phan-dinh-hieu", "nguyen-dung")
    assert kb.tool("aic-smart-meeting").contacts == ("le-van-hai",)
    assert kb.tool("aic-emeeting").contacts == ("le-van-hai",)
    assert kb.tool("vnpt-meeting").contacts == ("ta-manh-hung",)


def test_the_policom_spelling_is_kept_with_a_note(kb: KnowledgeBase) -> None:
    vnpt = kb.tool("vnpt-meeting")
    assert vnpt.app is not None and '"Policom"' in vnpt.app.vi
    assert any("Policom" in n.vi for n in vnpt.notes)


def test_phone_numbers_are_quoted_digit_strings() -> None:
    text = builtin_bytes().decode("utf-8")
    for match in re.finditer(r"^\s*phone:\s*(.+)$", text, flags=re.M):
        assert re.fullmatch(r'"\d{10}"', match.group(1).strip()), match.group(0)


@pytest.mark.skipif(LETTER is None, reason="the letter is not beside the checkout")
def test_every_phone_number_is_in_the_letter(kb: KnowledgeBase) -> None:
    assert LETTER is not None
    letter_digits = re.sub(r"\D", "", LETTER.read_text(encoding="utf-8"))
    for contact in kb.contacts:
        assert contact.phone in letter_digits
        assert contact.name in LETTER.read_text(encoding="utf-8")


def test_every_tool_reference_resolves(kb: KnowledgeBase) -> None:
    for tool in kb.tools:
        for contact_id in tool.contacts:
            assert kb.has("contacts", contact_id)
        for step in tool.setup_steps:
            assert all(kb.has("platforms", p) for p in step.platforms)
    for rule in kb.rules:
        assert all(kb.has("tools", t) for t in rule.tools or ())
    every_tool_serves_a_task = all(any(t.id in serving(kb, "tasks", task.id) for task in kb.tasks) for t in kb.tools)
    assert every_tool_serves_a_task


def test_every_text_has_both_languages(kb: KnowledgeBase) -> None:
    def texts(obj: object) -> list[object]:
        from gialai_remote.model import KnowledgeBase, Text

        found: list[object] = []
        if isinstance(obj, Text):
            return [obj]
        if isinstance(obj, tuple):
            for item in obj:
                found += texts(item)
        elif isinstance(obj, KnowledgeBase):
            for name in KnowledgeBase._fields:
                found += texts(getattr(obj, name))
        return found

    all_texts = texts(kb)
    assert len(all_texts) > 80
    for text in all_texts:
        assert text.vi.strip() and text.en.strip(), text  # type: ignore[attr-defined]
