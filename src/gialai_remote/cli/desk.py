"""Whose work is it? The words people at the desk answer the role question with.

The letter sorts the meeting tools by *whose* meeting it is: section 2.1 for the members of
the provincial People's Committee, section 2.2 for every agency and unit. The person at the
keyboard is often someone else: a secretary preparing a meeting for a committee member, the
committee office's staff, a department's IT officer. Answering "thư ký" to the role question
is truthful and matches no role; instead of "không có vai trò", :func:`explain` says how to
choose: by the person who chairs the meeting (or owns the work).

Two kinds of words: people who *help* (thư ký, trợ lý, văn thư, chuyên viên, văn phòng...),
and *leaders* whose office does not by itself say whether they are committee members (lãnh
đạo sở, giám đốc sở...: some department directors are members of the provincial People's
Committee, most are not). The words are matched folded (:func:`gialai_remote.cli.match.fold`)
as whole words inside what was typed, and only after the knowledge base's own names and
aliases failed (an agency's file that makes "văn phòng" an alias keeps it).
"""

from __future__ import annotations

from collections.abc import Sequence

from gialai_remote.cli.match import Candidate, fold
from gialai_remote.i18n import t

#: People who help someone else's meeting or work happen (Vietnamese and English).
HELPERS = (
    "thư ký",
    "trợ lý",
    "văn thư",
    "chuyên viên",
    "văn phòng",
    "cán bộ văn phòng",
    "chánh văn phòng",
    "phó chánh văn phòng",
    "giúp việc",
    "người chuẩn bị",
    "người hỗ trợ",
    "kỹ thuật viên",
    "cán bộ kỹ thuật",
    "cán bộ CNTT",
    "cán bộ công nghệ thông tin",
    "bộ phận CNTT",
    "secretary",
    "assistant",
    "clerk",
    "office",
    "aide",
    "organiser",
    "organizer",
    "technician",
    "IT staff",
    "IT officer",
)
#: Leaders whose office alone does not say whether they sit on the provincial People's Committee.
LEADERS = (
    "lãnh đạo",
    "lãnh đạo sở",
    "lãnh đạo đơn vị",
    "lãnh đạo cơ quan",
    "giám đốc",
    "giám đốc sở",
    "phó giám đốc",
    "phó giám đốc sở",
    "thủ trưởng",
    "thủ trưởng cơ quan",
    "trưởng phòng",
    "phó trưởng phòng",
    "chủ tịch",
    "phó chủ tịch",
    "director",
    "deputy director",
    "head of department",
    "department head",
    "leader",
    "chairman",
    "chairwoman",
    "chairperson",
    "vice chairman",
)

_HELPERS = tuple(fold(word) for word in HELPERS)
_LEADERS = tuple(fold(word) for word in LEADERS)
#: The letter's two roles: the committee's members (section 2.1) and everyone else (2.2).
MEMBER, STAFF = "ubnd-member", "agency-staff"


def kind_of(value: str) -> str | None:
    """ "helper", "leader" or None: which desk word ``value`` contains, as whole words.

    A helper's word wins ("thư ký giám đốc sở" is someone helping a director).
    """
    key = f" {fold(value)} "
    if any(f" {word} " in key for word in _HELPERS):
        return "helper"
    if any(f" {word} " in key for word in _LEADERS):
        return "leader"
    return None


def explain(value: str, candidates: Sequence[Candidate], lang: str, *, flag: str, numbered: bool) -> str | None:
    """How to answer the role question for someone who typed ``value``, or None.

    Args:
        value: what was typed for the role.
        candidates: the roles offered, in the order the prompt numbers them.
        lang: message language.
        flag: the option the value came from ("--role"), for the flag form.
        numbered: True at the prompt ("chọn 1 (ubnd-member)"), False for a flag value
            ("dùng --role ubnd-member").

    Returns:
        One or two sentences, or None when ``value`` is no desk word. When the knowledge base
        does not have exactly the letter's two roles, the explanation says to choose by the
        chair without naming them.
    """
    kind = kind_of(value)
    if kind is None:
        return None
    ids = [c.id for c in candidates]
    shown = value.strip()[:60]
    if sorted(ids) != sorted((MEMBER, STAFF)):
        return t(f"role_hint.{kind}_other", lang, value=shown)

    def choice(role: str) -> str:
        if numbered:
            return t("role_hint.pick", lang, number=ids.index(role) + 1, id=role)
        # A flag ("--role ubnd-member"), or a --batch line's key ('"role": "ubnd-member"').
        return t("role_hint.use" if flag.startswith("-") else "role_hint.use_key", lang, flag=flag, id=role)

    return t(f"role_hint.{kind}", lang, value=shown, member=choice(MEMBER), staff=choice(STAFF))
