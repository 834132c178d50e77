"""Forgiving input, strict meaning: the folding table, ambiguity and suggestions (cli/match.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gialai_remote.cli.match import fold, resolve, suggest
from gialai_remote.cli.query import candidates
from gialai_remote.errors import UsageError
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.model import KnowledgeBase

TONES = "\u0300\u0301\u0303\u0309\u0323"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def windows(text: str) -> str:
    """The Windows Vietnamese keyboard's form: shape marks composed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(None, lang="vi")


def pick(kb: KnowledgeBase, kind: str, value: str, lang: str = "vi") -> str:
    flag = {"roles": "--role", "tasks": "--task", "tools": "--tool"}.get(kind, "--" + kind)
    return resolve(value, candidates(kb, kind, lang), what=kind, flag=flag, lang=lang)


# ---- the folding table -----------------------------------------------------------------
# (what the user types, kind, the id it must resolve to). Every row is one spelling.

TABLE = [
    # roles
    ("ubnd-member", "roles", "ubnd-member"),
    ("UBND-MEMBER", "roles", "ubnd-member"),
    ("ubnd member", "roles", "ubnd-member"),
    ("Thành viên UBND tỉnh", "roles", "ubnd-member"),
    (nfd("Thành viên UBND tỉnh"), "roles", "ubnd-member"),
    ("thanh vien ubnd tinh", "roles", "ubnd-member"),
    ("thanh vien uy ban", "roles", "ubnd-member"),
    ("Thành viên Ủy ban", "roles", "ubnd-member"),  # old tone placement
    ("Thành viên Uỷ ban", "roles", "ubnd-member"),  # new tone placement
    ("THÀNH VIÊN UỶ BAN NHÂN DÂN TỈNH", "roles", "ubnd-member"),
    (windows("Thành viên Ủy ban nhân dân tỉnh"), "roles", "ubnd-member"),
    ("  thành   viên\tUBND  ", "roles", "ubnd-member"),
    ("thanhvienuyban", "roles", "ubnd-member"),
    ("committee member", "roles", "ubnd-member"),
    ("cán bộ", "roles", "agency-staff"),
    ("can bo", "roles", "agency-staff"),
    ("CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", "roles", "agency-staff"),
    (nfd("công chức"), "roles", "agency-staff"),
    ("vien_chuc", "roles", "agency-staff"),
    ("Civil Servant", "roles", "agency-staff"),
    ("agency staff", "roles", "agency-staff"),
    # tasks
    ("hop", "tasks", "meeting"),
    ("Họp", "tasks", "meeting"),
    ("HỌP TRỰC TUYẾN", "tasks", "meeting"),
    (nfd("cuộc họp"), "tasks", "meeting"),
    ("xu ly cong viec dot xuat", "tasks", "meeting"),
    (windows("Xử lý công việc đột xuất"), "tasks", "meeting"),
    ("Họp, xử lý công việc đột xuất", "tasks", "meeting"),
    ("Văn bản đến-đi", "tasks", "documents"),
    ("van ban den - di", "tasks", "documents"),
    ("cong van", "tasks", "documents"),
    ("Hồ sơ công việc", "tasks", "documents"),
    ("thủ tục hành chính", "tasks", "public-services"),
    ("THU TUC HANH CHINH", "tasks", "public-services"),
    ("dịch vụ công", "tasks", "public-services"),
    ("public_services", "tasks", "public-services"),
    ("trao đổi nội bộ", "tasks", "group-exchange"),
    ("trao doi noi bo", "tasks", "group-exchange"),
    ("Tạo nhóm họp", "tasks", "group-exchange"),
    # tools
    ("Polycom", "tools", "polycom"),
    ("hệ thống polycom", "tools", "polycom"),
    ("họp thông minh", "tools", "aic-smart-meeting"),
    ("HOP THONG MINH", "tools", "aic-smart-meeting"),
    (windows("Hệ thống họp thông minh"), "tools", "aic-smart-meeting"),
    ("Quản lý văn bản", "tools", "document-management"),
    ("quan ly van ban va dieu hanh", "tools", "document-management"),
    ("QLVB", "tools", "document-management"),
    ("thư điện tử công vụ", "tools", "official-email"),
    ("thu dien tu", "tools", "official-email"),
    ("E-mail", "tools", "official-email"),
    ("một cửa điện tử", "tools", "one-stop-shop"),
    ("mot cua", "tools", "one-stop-shop"),
    ("Dịch vụ công trực tuyến", "tools", "online-public-services"),
    ("VNPT Meeting", "tools", "vnpt-meeting"),
    ("e-meeting", "tools", "aic-emeeting"),
    ("Team Viewer", "tools", "teamviewer"),
    ("google_drive", "tools", "google-drive"),
    ("Whats App", "tools", "whatsapp"),
    ("ZALO", "tools", "zalo"),
    # sensitivities and platforms
    ("Bí mật nhà nước", "sensitivities", "secret"),
    ("tuyet mat", "sensitivities", "secret"),
    ("nội bộ", "sensitivities", "internal"),
    ("thong thuong", "sensitivities", "normal"),
    ("iPhone", "platforms", "ios"),
    ("CH Play", "platforms", "android"),
    ("Điện thoại Android", "platforms", "android"),
    ("trinh duyet", "platforms", "web"),
]


def test_table_is_large_enough() -> None:
    per_kind = {kind: sum(1 for _, k, _ in TABLE if k == kind) for kind in ("roles", "tasks", "tools")}
    assert sum(per_kind.values()) >= 40
    assert all(count >= 10 for count in per_kind.values()), per_kind
    assert any(text != unicodedata.normalize("NFC", text) for text, _, _ in TABLE)  # NFD and mixed forms


@pytest.mark.parametrize(("typed", "kind", "expected"), TABLE, ids=[f"{k}:{v!a}" for v, k, _ in TABLE])
def test_folding_table(kb: KnowledgeBase, typed: str, kind: str, expected: str) -> None:
    assert pick(kb, kind, typed) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hòa", "hoà"),
        ("thủy", "thuỷ"),
        ("Ủy", "Uỷ"),
        ("Ủy ban", "uy ban"),
        ("Đột xuất", "dot xuat"),
        ("đ", "D"),
        (nfd("Nguyễn"), "nguyen"),
        (windows("Nguyễn"), "NGUYEN"),
        ("hoa\u0300", "hòa"),  # a tone typed after the vowel as a combining mark
        ("ca\u00adn\u200b bộ", "can bo"),  # soft hyphen and zero-width space dropped
        ("ＵＢＮＤ", "ubnd"),  # full-width letters
        (" a\t\n b ", "a b"),
        ("văn bản đến - đi", "van ban den di"),
    ],
)
def test_fold_pairs(a: str, b: str) -> None:
    assert fold(a) == fold(b)


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ-_,."


@given(st.text(alphabet=VIETNAMESE, max_size=40))
def test_fold_is_stable(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert key == fold(nfd(text)) == fold(windows(text)) == fold(text.upper()) == fold(text.lower())
    assert key == key.strip() and "  " not in key
    assert key.isascii()


# ---- ambiguity, suggestions, never a guess ------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "both"),
    [
        ("platforms", "điện thoại", ("ios", "android")),
        ("platforms", "DIEN THOAI", ("ios", "android")),
        ("platforms", "tablet", ("ios", "android")),
        ("tools", "aic", ("aic-smart-meeting", "aic-emeeting")),
        ("tools", "AIC", ("aic-smart-meeting", "aic-emeeting")),
    ],
)
def test_ambiguous_input_is_a_usage_error_listing_both(
    kb: KnowledgeBase, kind: str, typed: str, both: tuple[str, str]
) -> None:
    with pytest.raises(UsageError) as info:
        pick(kb, kind, typed)
    message = info.value.message
    assert info.value.exit_code == 2
    assert "khớp với nhiều" in message
    assert all(name in message for name in both)


def test_ambiguity_in_english(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError, match="matches more than one"):
        pick(kb, "tools", "aic", lang="en")


@pytest.mark.parametrize(
    ("kind", "typed", "suggested"),
    [
        ("roles", "thanh vien", "ubnd-member"),
        ("roles", "UBND tỉnh", "ubnd-member"),  # the committee's office staff are agency-staff: no guess
        ("roles", "can bo vien", "agency-staff"),
        ("tasks", "hopp", "meeting"),
        ("tasks", "van ban den", "documents"),
        ("tools", "polycon", "polycom"),
        ("tools", "zallo", "zalo"),
        ("tools", "telegramm", "telegram"),
        ("tools", "goggle drive", "google-drive"),
        ("platforms", "andriod", "android"),
    ],
)
def test_unknown_input_suggests_but_never_guesses(kb: KnowledgeBase, kind: str, typed: str, suggested: str) -> None:
    with pytest.raises(UsageError) as info:
        pick(kb, kind, typed)
    message = info.value.message
    assert "Có phải bạn muốn: " in message and message.endswith("?")
    tail = message.split("Có phải bạn muốn: ", 1)[1]
    named = [cand.id for cand in candidates(kb, kind, "vi") if f"{cand.id} (" in tail]
    assert suggested in named and len(named) <= 3


def test_at_most_three_suggestions(kb: KnowledgeBase) -> None:
    # "meeting" is close to several tools' spellings.
    with pytest.raises(UsageError) as info:
        pick(kb, "tools", "meetin")
    tail = info.value.message.split("Có phải bạn muốn: ", 1)[1]
    ids = [tool.id for tool in kb.tools if f"{tool.id} (" in tail]
    assert 1 <= len(ids) <= 3


def test_suggestion_in_english(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError, match=r"Did you mean: .*polycom"):
        pick(kb, "tools", "polycon", lang="en")


@pytest.mark.parametrize("typed", ["xyzxyz", "", "   ", "---", "1234567"])
def test_nothing_close_lists_the_choices(kb: KnowledgeBase, typed: str) -> None:
    with pytest.raises(UsageError) as info:
        pick(kb, "roles", typed)
    assert "Chọn một trong: ubnd-member, agency-staff." in info.value.message


def test_suggest_helper() -> None:
    assert suggest("recomend", ["recommend", "check", "doctor"]) == ["recommend"]
    assert suggest("", ["a"]) == []
    assert suggest("zzzz", ["recommend", "check"]) == []
    assert len(suggest("meeting", ["vnpt-meeting", "aic-emeeting", "aic-smart-meeting", "meeting"])) <= 3


# ---- the knowledge base's own spellings -------------------------------------------------

#: Spellings that name two entries on purpose (see the comment above `platforms:` in
#: data/guidance.yaml). Any other ambiguity is an accident and fails the test below.
DELIBERATE = {
    ("platforms", "dien thoai"),
    ("platforms", "may tinh bang"),
    ("platforms", "phone"),
    ("platforms", "tablet"),
    ("tools", "aic"),
}
KINDS = ("roles", "tasks", "sensitivities", "platforms", "tools")


def test_no_accidental_ambiguity(kb: KnowledgeBase) -> None:
    found = set()
    for kind in KINDS:
        owners: dict[str, set[str]] = {}
        for cand in candidates(kb, kind, "vi"):
            for spelling in (cand.id, *cand.spellings):
                owners.setdefault(fold(spelling), set()).add(cand.id)
                owners.setdefault(fold(spelling).replace(" ", ""), set()).add(cand.id)
        found |= {(kind, key) for key, ids in owners.items() if len(ids) > 1}
    squashed = {(kind, key.replace(" ", "")) for kind, key in DELIBERATE}
    assert found == DELIBERATE | squashed


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_id_name_and_alias_resolves_to_its_entry(kb: KnowledgeBase, kind: str, lang: str) -> None:
    for cand in candidates(kb, kind, lang):
        for spelling in (cand.id, *cand.spellings):
            if (kind, fold(spelling)) in DELIBERATE:
                continue
            assert pick(kb, kind, spelling, lang) == cand.id, spelling
            assert pick(kb, kind, nfd(spelling.upper()), lang) == cand.id, spelling


def test_a_canonical_id_wins_over_another_entrys_alias() -> None:
    from gialai_remote.cli.match import Candidate, resolve

    pool = [
        Candidate("polycom", "polycom (Polycom)", ("Polycom",)),
        Candidate("whatsapp", "whatsapp (WhatsApp)", ("WhatsApp", "polycom")),
    ]
    assert resolve("polycom", pool, what="tool", flag="--tool", lang="en") == "polycom"
    assert resolve("Polycom", pool, what="tool", flag="--tool", lang="en") == "polycom"
