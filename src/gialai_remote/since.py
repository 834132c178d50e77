"""What is known since the letter: each tool's status on a day, and the warnings of a late answer.

The letter is from 1/4/2020; people ask in 2026. For a day, this module says what the knowledge
base's later sources change: which status entries of a tool are in force (discontinued,
renamed, changed hands, unverified: :class:`gialai_remote.advice.StatusInfo`), the ``discontinued``
reason that rules a tool out from its day, the warning that a tool's contacts have not been
verified for more than a year, and the block that opens every answer given more than a year
after the letter (what the answer is and how old, how many of the letter's tools changed, the
notices' opening lines, check before use). Every fact comes with its citations; a confidence
that is not high is said in the text.

Pure functions of (knowledge base, day, language): no clock, file or terminal.
"""

from __future__ import annotations

import datetime as dt

from gialai_remote.advice import (
    Citation,
    NoticeInfo,
    Reason,
    SourceEntry,
    StatusInfo,
    WarningInfo,
    cite_info,
    cite_label,
    is_late,
)
from gialai_remote.i18n import format_date, t
from gialai_remote.memo import per_kb
from gialai_remote.model import CHANGED, Cite, KnowledgeBase, Notice, Status, Tool

#: The reason code of a tool whose service ended (``docs/contract.md``); not a rule kind: it
#: comes from the tool's ``discontinued`` status entry.
DISCONTINUED = "discontinued"


def with_confidence(text: str, confidence: str, lang: str) -> str:
    """``text`` followed by its confidence in brackets when it is not high: "... (độ tin cậy:
    trung bình)."; a high confidence adds nothing."""
    if confidence == "high":
        return text
    body = text[:-1] if text.endswith(".") else text
    return f"{body} ({t(f'confidence.{confidence}', lang)})."


def status_info(kb: KnowledgeBase, status: Status, lang: str) -> StatusInfo:
    """``status`` as results show it, in ``lang``; worked out once per knowledge base, entry
    and language (:func:`gialai_remote.memo.per_kb`; an entry is known by its identity, kept
    with it)."""
    kept = per_kb(kb, ("status_info", id(status), lang), lambda: (status, _status_info(kb, status, lang)))
    return kept[1] if kept[0] is status else _status_info(kb, status, lang)


def _status_info(kb: KnowledgeBase, status: Status, lang: str) -> StatusInfo:
    text = status.text.get(lang)
    kind = t(f"status.{status.kind}", lang)
    start = status.start
    if (start.month, start.day) == (1, 1):  # "after 2020" rather than "from 1/1/2021"
        head = t("status.after", lang, kind=kind, year=start.year - 1)
    else:
        head = t("status.from", lang, kind=kind, date=format_date(start, lang))
    return StatusInfo(
        kind=status.kind,
        start=start,
        confidence=status.confidence,
        text=text,
        head=head,
        message=with_confidence(f"{head}: {text}", status.confidence, lang),
        sources=tuple(cite_info(kb, c, lang) for c in status.sources),
    )


def status_infos(kb: KnowledgeBase, tool: Tool, on: dt.date, lang: str) -> tuple[StatusInfo, ...]:
    """The status entries of ``tool`` in force on ``on``, in file order."""
    return tuple(status_info(kb, s, lang) for s in tool.status_on(on))


def has_ended(tool: Tool, on: dt.date) -> bool:
    """True when ``tool``'s service had ended by ``on`` (a ``discontinued`` status entry in
    force): exactly when :func:`discontinued` gives a reason."""
    return any(s.kind == DISCONTINUED and s.in_force(on) for s in tool.status)


def discontinued(kb: KnowledgeBase, tool: Tool, on: dt.date, lang: str) -> Reason | None:
    """The reason ruling ``tool`` out on ``on`` because its service had ended by then, citing the
    status entry's sources; None while it runs."""
    status = next((s for s in tool.status_on(on) if s.kind == DISCONTINUED), None)
    if status is None:
        return None
    sources = tuple(cite_info(kb, c, lang) for c in status.sources)
    message = t(
        f"reason.{DISCONTINUED}",
        lang,
        tool=tool.name.get(lang),
        date=format_date(status.start, lang),
        cite=cite_label(sources),
    )
    cause = t(f"cause.{DISCONTINUED}", lang, date=format_date(status.start, lang), cite=cite_label(sources))
    return Reason(code=DISCONTINUED, message=message, section="", rule="", sources=sources, cause=cause)


def status_warnings(kb: KnowledgeBase, tool: Tool, on: dt.date, lang: str) -> list[WarningInfo]:
    """One warning per status entry of ``tool`` in force on ``on`` (the ``discontinued`` one is a
    reason, not a warning): ``tool_changed`` for a rename or a change of hands,
    ``tool_unverified`` for what nothing after the letter confirms."""
    out = []
    for status in tool.status_on(on):
        if status.kind == DISCONTINUED:
            continue
        info = status_info(kb, status, lang)
        code = "tool_changed" if status.kind in CHANGED else "tool_unverified"
        out.append(WarningInfo(code, info.message, info.sources[0] if info.sources else None))
    return out


def contact_warning(kb: KnowledgeBase, tool: Tool, on: dt.date, lang: str) -> WarningInfo | None:
    """``contact_unverified`` when one of ``tool``'s contacts was last verified more than a year
    (365 days) before ``on`` (the letter's contacts: on the letter's date), citing the oldest."""
    contacts = [kb.contact(c) for c in tool.contacts if kb.has("contacts", c)]
    stale = [c for c in contacts if c.verified_on is not None and (on - c.verified_on).days > 365]
    if not stale:
        return None
    oldest = min(stale, key=lambda c: c.verified_on or on)
    day = format_date(oldest.verified_on or on, lang)
    letter = kb.source
    if oldest.source == letter.id:
        message = t("warn.contact_unverified", lang, document=letter.document, year=letter.date.year, date=day)
    else:
        message = t("warn.contact_unverified_other", lang, date=day)
    return WarningInfo("contact_unverified", message, cite_info(kb, Cite(oldest.source, oldest.section or None), lang))


def _letter_cite(kb: KnowledgeBase, lang: str) -> Citation:
    return cite_info(kb, Cite(kb.source.id), lang)


def _tools_changed(kb: KnowledgeBase, on: dt.date, lang: str) -> WarningInfo | None:
    """How many of the letter's tools changed by ``on``: discontinued and changed by name, the
    unverified ones counted (each shows its own status)."""
    named = [tool for tool in kb.tools if tool.source == kb.source.id]
    groups: dict[str, list[str]] = {"discontinued": [], "changed": [], "unverified": []}
    for tool in named:
        kinds = {s.kind for s in tool.status_on(on)}
        if DISCONTINUED in kinds:
            groups["discontinued"].append(tool.name.get(lang))
        if kinds.intersection(CHANGED):
            groups["changed"].append(tool.name.get(lang))
        if "unverified" in kinds:
            groups["unverified"].append(tool.name.get(lang))
    parts = [
        t(f"changed.{group}", lang, count=len(names), names=", ".join(names), year=kb.source.date.year)
        for group, names in groups.items()
        if names
    ]
    if not parts:
        return None
    message = t("warn.tools_changed", lang, total=len(named), date=format_date(on, lang), parts="; ".join(parts))
    return WarningInfo("tools_changed", message, None, opening=True)


def date_warnings(kb: KnowledgeBase, on: dt.date, lang: str) -> list[WarningInfo]:
    """The warnings every answer for day ``on`` starts with.

    Before the letter: ``before_letter``. More than a year (365 days) after it, the opening
    block (each :attr:`~gialai_remote.advice.WarningInfo.opening`): ``letter_age`` (this is the
    letter's guidance, and how old it is), ``tools_changed`` (how many of the letter's tools
    changed since, and which), the opening line of each notice in force that has one (the
    built-in file: ``issuer_changed``, whom the issuer's work now belongs to), and
    ``check_before_use``. Otherwise nothing.

    Worked out once per knowledge base, day and language (:func:`gialai_remote.memo.per_kb`);
    each call returns a new list.
    """
    return list(per_kb(kb, ("date_warnings", on, lang), lambda: tuple(_date_warnings(kb, on, lang))))


def _date_warnings(kb: KnowledgeBase, on: dt.date, lang: str) -> list[WarningInfo]:
    """:func:`date_warnings`, worked out."""
    letter = kb.source
    if on < letter.date:
        return [WarningInfo("before_letter", t("warn.before_letter", lang, date=format_date(letter.date, lang)))]
    if not is_late(kb, on):
        return []
    years = (on - letter.date).days // 365
    age = t(
        "warn.letter_age",
        lang,
        document=letter.document,
        date=format_date(letter.date, lang),
        issuer=letter.issuer.get(lang),
        years=years,
        year=letter.date.year,
    )
    out = [WarningInfo("letter_age", age, _letter_cite(kb, lang), opening=True)]
    changed = _tools_changed(kb, on, lang)
    if changed is not None:
        out.append(changed)
    for notice in kb.notices:
        if notice.opening is not None and notice.in_force(on):
            text = with_confidence(notice.opening.text.get(lang), notice.confidence, lang)
            source = cite_info(kb, notice.sources[0], lang) if notice.sources else None
            out.append(WarningInfo(notice.opening.code, text, source, opening=True))
    out.append(WarningInfo("check_before_use", t("warn.check_before_use", lang), None, opening=True))
    return out


def source_entries(kb: KnowledgeBase, lang: str) -> tuple[SourceEntry, ...]:
    """Every source of the knowledge base, the letter first, in ``lang`` (worked out once per
    knowledge base and language)."""
    return per_kb(kb, ("source_entries", lang), lambda: _source_entries(kb, lang))


def _source_entries(kb: KnowledgeBase, lang: str) -> tuple[SourceEntry, ...]:
    return tuple(
        SourceEntry(
            id=s.id,
            kind=s.kind,
            title=s.title.get(lang),
            issuer=s.issuer.get(lang) if s.issuer else None,
            date=s.date,
            document=s.document,
            effective=s.effective,
            references=s.references,
        )
        for s in kb.sources
    )


# ---- notices (shown from their day; an ended one marked) ------------------------------------------


def notice_info(kb: KnowledgeBase, notice: Notice, on: dt.date, lang: str) -> NoticeInfo:
    """``notice`` as results show it on day ``on``, its texts in ``lang`` (its text as its title
    when it has none)."""
    sources = tuple(cite_info(kb, c, lang) for c in notice.sources)
    return NoticeInfo(
        id=notice.id,
        effective=notice.effective,
        text=notice.text.get(lang),
        source=cite_label(sources),
        affects=notice.affects,
        sources=sources,
        confidence=notice.confidence,
        until=notice.until,
        superseded_by=notice.superseded_by,
        in_force=notice.in_force(on),
        title=notice.title.get(lang) if notice.title is not None else notice.text.get(lang),
    )


def relevant_notices(kb: KnowledgeBase, on: dt.date, lang: str, keys: set[str]) -> tuple[NoticeInfo, ...]:
    """Notices shown on ``on`` (ended ones marked) that affect any tool or section in ``keys``,
    or cite a source id in ``keys`` (a reason citing a law brings the law's notices), or affect
    nothing in particular; in file order, in ``lang``."""
    return tuple(info for info, names in _notices_on(kb, on, lang) if not names or keys.intersection(names))


def _notices_on(kb: KnowledgeBase, on: dt.date, lang: str) -> tuple[tuple[NoticeInfo, frozenset[str]], ...]:
    """The notices shown on ``on`` as results show them, each with what it affects or cites
    (empty: it affects nothing in particular); worked out once per knowledge base, day and
    language."""

    def names(notice: Notice) -> frozenset[str]:
        return frozenset([*notice.affects, *(c.source for c in notice.sources)] if notice.affects else ())

    def build() -> tuple[tuple[NoticeInfo, frozenset[str]], ...]:
        return tuple((notice_info(kb, n, on, lang), names(n)) for n in kb.notices_on(on))

    return per_kb(kb, ("notices_on", on, lang), build)
