"""The registry of rule kinds (``rules.py``): complete, agreeing with the schemas and the
catalogue, the only module that names a kind, and each shipped rule's decision table."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gialai_remote import rules
from gialai_remote.advice import Query
from gialai_remote.catalogue import MESSAGES
from gialai_remote.decide import evaluate
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.model import Rule

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "gialai_remote"
KB = load_knowledge_base()
APRIL = dt.date(2020, 4, 15)


def schema(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    return value


# ---- completeness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", rules.KINDS, ids=rules.NAMES)
def test_every_kind_has_every_field(entry: rules.RuleKind) -> None:
    assert entry.name and entry.key and entry.code
    assert entry.field in set(Rule._fields) - {"id", "kind", "section", "tools", "note"}
    assert callable(entry.fails) and callable(entry.narrow) and callable(entry.reads)
    assert entry.show is not None and entry.show.key, "every kind reads in `tools show`"
    if entry.field == "values":  # a list names a vocabulary of the knowledge base, or fixed words
        assert (entry.vocabulary is None) == bool(entry.choices)
        assert entry.vocabulary in (None, "roles", "tasks", "sensitivities", "platforms")
    for key in (f"rule.kind.{entry.name}", f"reason.{entry.code}", entry.show.label):
        assert key in MESSAGES, key
    for reading in entry.handout:
        assert reading.label in MESSAGES
    for choice in entry.choices:
        assert f"{entry.words}.{choice}" in MESSAGES
    if entry.coverage is not None:
        assert entry.coverage.message in MESSAGES


def test_names_and_codes_are_unique() -> None:
    assert len(set(rules.NAMES)) == len(rules.KINDS)
    assert len(set(rules.REASON_CODES)) == len(rules.KINDS)
    assert len({e.show.key for e in rules.KINDS if e.show}) == len(rules.KINDS)


def test_the_schema_kinds_are_the_registry_kinds() -> None:
    rule = schema("knowledge-base")["$defs"]["rule"]
    assert tuple(rule["properties"]["kind"]["enum"]) == rules.NAMES
    required = {
        branch["if"]["properties"]["kind"]["const"]: tuple(branch["then"]["required"]) for branch in rule["allOf"]
    }
    assert required == {entry.name: (entry.key,) for entry in rules.KINDS}
    for entry in rules.KINDS:
        assert entry.key in rule["properties"]
        if entry.choices:
            assert tuple(rule["properties"][entry.key]["items"]["enum"]) == entry.choices


@pytest.mark.parametrize("name", ["recommend", "check"])
def test_every_reason_code_is_in_the_output_schemas(name: str) -> None:
    # "discontinued" is no kind of rule: it comes from a tool's dated status (gialai_remote.since).
    assert set(schema(name)["$defs"]["reason_code"]["enum"]) == {*rules.REASON_CODES, "discontinued"}


def test_every_reason_message_takes_the_same_placeholders_in_both_languages() -> None:
    import string

    for code in (*rules.REASON_CODES, "discontinued"):
        entry = MESSAGES[f"reason.{code}"]
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("vi", "en")]
        assert fields[0] == fields[1], code
        # every reason names the tool and ends with its citations ("mục 2.1.a", a law's article)
        assert {"tool", "cite"} <= fields[0] and entry["vi"].endswith("({cite})."), code


# ---- no other module names a kind -------------------------------------------------------------------

#: Kind names that are no vocabulary's, no query field's and no JSON key's: only the registry
#: may spell them.
_ONLY_KINDS = {"requires", "capacity", "offer"}


def _kind_mentions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            kind = any(isinstance(s, ast.Attribute) and s.attr == "kind" for s in sides)
            literal = any(isinstance(c, ast.Constant) and isinstance(c.value, str) for s in sides for c in ast.walk(s))
            if kind and literal:
                found.append(f"{path.name}:{node.lineno}: compares a rule's kind with a name")
        if isinstance(node, ast.Constant) and node.value in _ONLY_KINDS:
            found.append(f"{path.name}:{node.lineno}: names {node.value!r}")
    return found


def test_no_module_but_the_registry_names_a_kind() -> None:
    skip = {SRC / "rules.py", SRC / "catalogue.py"}
    found = [m for p in sorted(SRC.rglob("*.py")) if p not in skip for m in _kind_mentions(p)]
    # cli/helptext.py reads click's own error text ("Option '--x' requires an argument").
    assert [m for m in found if not (m.startswith("helptext.py:") and m.endswith("names 'requires'"))] == []


# ---- each shipped rule: when it holds, when it rules a tool out -----------------------------------------

BASE = Query(role="ubnd-member", task=None, date=APRIL, sensitivity="normal", participants=10, platform="ios")

INTERNAL = "Nội dung có tính chất nội bộ"
SECRET = "Bí mật nhà nước"
SECRET_ALLOWED = f"Thông thường, {INTERNAL}"

#: For each rule of the shipped file: the query changes that make it fail, and the reason's params.
TABLE: dict[str, tuple[dict[str, Any], dict[str, object]]] = {
    "1-requires": ({"has_internet": False}, {"missing": "kết nối mạng Internet"}),
    "1-tasks-documents": ({"task": "meeting"}, {"task": "Họp, xử lý công việc đột xuất"}),
    "1-tasks-public-services": ({"task": "documents"}, {"task": "Xử lý hồ sơ công việc, văn bản đến - đi"}),
    "2.1.a-role": ({"role": "agency-staff"}, {"allowed": "Thành viên UBND tỉnh"}),
    "2.1.a-task": ({"task": "documents"}, {"task": "Xử lý hồ sơ công việc, văn bản đến - đi"}),
    "2.1.a-capacity": ({"participants": 27}, {"max": 26, "participants": 27}),
    "2.1.a-platforms": ({"platform": "windows"}, {"platform": "Windows", "allowed": "iOS, Android"}),
    "2.1.b-role": ({"role": "agency-staff"}, {"allowed": "Thành viên UBND tỉnh"}),
    "2.1.b-task": ({"task": "group-exchange"}, {"task": "Tạo nhóm, trao đổi nội bộ"}),
    "2.2.a-role": ({"role": "nobody"}, {"allowed": "Cán bộ, công chức, viên chức, Thành viên UBND tỉnh"}),
    "2.2.a-task": ({"task": "documents"}, {"task": "Xử lý hồ sơ công việc, văn bản đến - đi"}),
    "2.2.a-offer": ({"date": dt.date(2020, 6, 1)}, {"until": "31/5/2020"}),
    "2.2.a-platforms": ({"platform": "web"}, {"platform": "Trình duyệt web", "allowed": "iOS, Android"}),
    "2.2.b-role": ({"role": "nobody"}, {"allowed": "Cán bộ, công chức, viên chức, Thành viên UBND tỉnh"}),
    "2.2.b-task": ({"task": "public-services"}, {"task": "Thủ tục hành chính cho tổ chức, công dân"}),
    "2.2.b-platforms": ({"platform": "nowhere"}, {"platform": "nowhere"}),
    "2.3-task": ({"task": "documents"}, {"task": "Xử lý hồ sơ công việc, văn bản đến - đi"}),
    "2.3-sensitivity": ({"sensitivity": "internal"}, {"sensitivity": INTERNAL, "allowed": "Thông thường"}),
    # The rule on state secrets over time: the law in force cites it (FACTS 3.1-3.4), the same values.
    "secret-ordinance-2000": ({"sensitivity": "secret"}, {"sensitivity": SECRET, "allowed": SECRET_ALLOWED}),
    "secret-law-2018": ({"sensitivity": "secret"}, {"sensitivity": SECRET, "allowed": SECRET_ALLOWED}),
    "secret-law-2025": ({"sensitivity": "secret"}, {"sensitivity": SECRET, "allowed": SECRET_ALLOWED}),
}


def test_the_table_has_every_shipped_rule() -> None:
    assert set(TABLE) == {r.id for r in KB.rules}


@pytest.mark.parametrize("rule", KB.rules, ids=[r.id for r in KB.rules])
def test_rule_holds_then_fails(rule: Rule) -> None:
    entry = rules.kind_of(rule)
    changes, params = TABLE[rule.id]
    holding = BASE._replace(task=rule.values[0] if entry.any_of else None)
    assert entry.fails(KB, rule, holding) is None
    failing = holding._replace(**changes)
    got = entry.fails(KB, rule, failing)
    assert got is not None
    for key, value in params.items():
        assert got[key] == value, key


@pytest.mark.parametrize("rule", [r for r in KB.rules if r.tools], ids=lambda r: r.id)
def test_a_failing_rule_gives_its_code_section_and_id(rule: Rule) -> None:
    """Through evaluate(): the reason cites the rule (the decision code path, not the entry)."""
    entry = rules.kind_of(rule)
    changes, _ = TABLE[rule.id]
    if changes.get("role") == "nobody" or changes.get("platform") == "nowhere":
        pytest.skip("an id the knowledge base lacks: decide() refuses it before evaluating")
    assert rule.tools is not None
    tool = KB.tool(rule.tools[0])
    query = BASE._replace(**{"task": None, **changes})
    reasons = [r for r in evaluate(KB, tool, query).failures if r.rule == rule.id]
    assert [(r.code, r.section) for r in reasons] == [(entry.code, rule.section)]


# ---- the one narrowing agrees with evaluate ------------------------------------------------------------

#: For each kind naming a vocabulary: the query field it judges.
_FIELDS = {"roles": "role", "tasks": "task", "sensitivity": "sensitivity", "platforms": "platform"}


@pytest.mark.parametrize("tool", KB.tools, ids=lambda t: t.id)
def test_scope_allows_an_id_exactly_when_evaluate_does(tool: Any) -> None:
    scope = rules.scope(KB, tool)
    for entry in rules.KINDS:
        if entry.vocabulary is None:
            continue
        field = _FIELDS[entry.name]
        for item in getattr(KB, entry.vocabulary):
            query = BASE._replace(**{"platform": None, "participants": None, field: item.id})
            codes = {r.code for r in evaluate(KB, tool, query).failures}
            assert (item.id in scope.of(entry.name).ids) == (entry.code not in codes), (entry.name, item.id)


def test_scope_of_polycom() -> None:
    scope = rules.scope(KB, KB.tool("polycom"))
    assert scope.of("roles") == rules.Limit("roles", True, ("ubnd-member",))
    assert scope.of("tasks").ids == ("meeting",)
    assert scope.of("capacity") == rules.Limit("capacity", True, 26)
    assert scope.of("sensitivity").ids == ("normal", "internal")
    assert scope.of("platforms").ids == ("ios", "android")
    assert scope.of("offer") == rules.Limit("offer", False, None)
    assert scope.of("requires").ids == ("device", "internet")
    with pytest.raises(KeyError):
        scope.of("weekdays")


def test_says_and_blocking() -> None:
    capacity = next(r for r in KB.rules if r.kind == "capacity")
    assert rules.says(KB, capacity, "vi") == "số người tối đa: 26."
    offer = next(r for r in KB.rules if r.kind == "offer")
    assert rules.says(KB, offer, "en") == "recommended by the letter until: 2020-05-31."
    assert {e.code for e in rules.KINDS if e.blocks_handout} == {"offer_expired", "platform_not_supported"}
    assert rules.blocks_handout("offer_expired") and not rules.blocks_handout("role_not_allowed")
    assert not rules.blocks_handout("no_such_code")


# ---- selectors (tools: {category: ..., section: ...}) --------------------------------------------------


def test_a_selector_matches_every_key_it_names() -> None:
    from gialai_remote.model import ToolSelector

    public = ToolSelector(category="public-app")
    assert public.select(KB.tools) == tuple(t.id for t in KB.tools if t.section == "2.3")
    assert ToolSelector(section="2.1.a").select(KB.tools) == ("polycom",)
    assert ToolSelector(category="official", section="2.3").select(KB.tools) == ()
    assert ToolSelector().select(KB.tools) == tuple(t.id for t in KB.tools)
