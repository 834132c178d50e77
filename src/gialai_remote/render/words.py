"""The words shared by every format: what the text, Markdown and HTML outputs say alike.

Dates (:func:`format_date`, the only date formatter, from :mod:`gialai_remote.i18n`), phone
numbers grouped for reading, a contact's "name (title, organization)", the one-line summary of
a query, a notice's source, the letter's footer and source lines, and the words of a printed
handout. These helpers return plain strings and never escape anything: each renderer escapes
for its own format (:func:`safe` for terminals, ``md`` for Markdown, MarkupSafe for HTML), so
every format says the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

from gialai_remote.i18n import format_date, t

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gialai_remote.advice import (
        Advice,
        Citation,
        ContactInfo,
        Exclusion,
        NoticeInfo,
        Query,
        QueryNames,
        SourceInfo,
        StatusInfo,
        WarningInfo,
    )
    from gialai_remote.handout import Handout, HandoutSet

__all__ = [
    "cite_words",
    "contact_freshness",
    "contact_phone",
    "contact_who",
    "detail_warnings",
    "excluded_entries",
    "exclusion_groups",
    "facts",
    "footer_line",
    "format_date",
    "group_phone",
    "heading",
    "index_groups",
    "index_subtitle",
    "index_title",
    "made_line",
    "no_contact",
    "notice_confidence",
    "notice_head",
    "notice_source",
    "notice_title",
    "opening",
    "other_warnings",
    "query_summary",
    "safe",
    "source_line",
    "status_line",
    "steps_heading",
    "subtitle",
    "title",
    "url_warning",
    "verdict",
]

# Bidirectional overrides and isolates can make a terminal show text other than what is there
# ("Trojan Source"); they are removed.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some
# terminals), the Unicode line and paragraph separators, and the bidi controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _BIDI:
        return ""
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def safe(text: str) -> str:
    r"""Make knowledge-base text safe for a terminal.

    Control characters (C0 but tab and newline, DEL, C1: ESC, BEL, backspace...) and the
    Unicode line separators are shown as ``\xNN``/``\uNNNN``, and bidirectional overrides
    and isolates are removed, so no character of the data can move the cursor, clear the
    screen, ring the bell, start a hyperlink or reorder what the reader sees. Square brackets
    are left alone: renderers print text as data, never as markup. Text is put in NFC form.

    >>> safe("a\x1b[31mb\u202ec")
    'a\\x1b[31mbc'
    """
    return _CONTROL.sub(_visible, unicodedata.normalize("NFC", text))


def group_phone(digits: str) -> str:
    """Group a phone number as Vietnamese write it: "0935076079" -> "0935 076 079",
    "02693822555" -> "0269 3822 555", "02438251234" -> "024 3825 1234".

    The phone library's national format (:func:`gialai_remote.phones.national`); text that is
    not a number it can read is returned as it is.
    """
    from gialai_remote.phones import national

    return national(digits)


def query_summary(query: Query, names: QueryNames) -> str:
    """One line naming the query: role, task, participants, sensitivity, platform, date.

    ``names`` holds the display names of the query's ids (``Advice.names``).
    """
    lang = query.lang
    parts = [f"{t('label.role', lang)}: {names.role}"]
    if query.task is not None:
        parts.append(f"{t('label.task', lang)}: {names.task}")
    if query.participants is not None:
        parts.append(f"{t('label.participants', lang)}: {query.participants}")
    sensitivity = names.sensitivity
    if query.sensitivity_assumed:
        sensitivity += f" ({t('label.assumed', lang)})"
    parts.append(f"{t('label.sensitivity', lang)}: {sensitivity}")
    if query.platform is not None:
        parts.append(f"{t('label.platform', lang)}: {names.platform}")
    parts.append(f"{t('label.date', lang)}: {format_date(query.date, lang)}")
    return " | ".join(parts)


def contact_who(contact: ContactInfo) -> str:
    """The contact's name with title and organization when the letter gives them:
    "Ông Lê Văn Hải (Giám đốc, Trung tâm ...)"; the only such formatter."""
    extra = ", ".join(x for x in (contact.title, contact.organization) if x)
    return f"{contact.name} ({extra})" if extra else contact.name


def contact_freshness(contact: ContactInfo) -> str:
    """How fresh the number is, as printed right after it in every format: "(theo Công văn,
    2020)", "(xác minh ngày 15/11/2026, Sở KH&CN Gia Lai)"; "" when the contact does not say."""
    return f"({contact.freshness})" if contact.freshness else ""


def contact_phone(contact: ContactInfo) -> str:
    """The phone number grouped for reading ("0934 121 298", "0269 3822 555"): the reading the
    loader worked out, else :func:`group_phone`."""
    return contact.reading or group_phone(contact.phone)


def notice_head(notice: NoticeInfo, lang: str) -> str:
    """The notice's effective day, as the language writes dates; for a notice no longer in
    force, its period and that it ended ("1/7/2020–28/2/2026, đã hết hiệu lực")."""
    if notice.in_force or notice.until is None:
        return format_date(notice.effective, lang)
    return t("label.notice_ended", lang, start=format_date(notice.effective, lang), end=format_date(notice.until, lang))


def notice_confidence(notice: NoticeInfo, lang: str) -> str:
    """ "độ tin cậy: trung bình" for a notice whose confidence is not high, else ""."""
    return "" if notice.confidence == "high" else t(f"confidence.{notice.confidence}", lang)


def notice_title(notice: NoticeInfo) -> str:
    """The notice's one-line form: its title, or its text when it has none."""
    return notice.title or notice.text


def exclusion_groups(excluded: Sequence[Exclusion], everyone: str | None = None) -> list[tuple[str, str]]:
    """The excluded tools listed by cause: one (tools, cause) pair per cause.

    Reasons are the same cause when their ``code`` and ``cause`` (the decision's wording of
    it, with its parameters and section) are equal; which rule kind it is plays no part. A tool
    ruled out for two causes is listed under both. Causes come in the order they first appear
    (tools in the decision's order, each tool's reasons in order), tools in the decision's order.
    A reason without a ``cause`` stands alone, as its ``message`` (which names the tool).

    Args:
        excluded: ``Advice.excluded``.
        everyone: the words for "every tool listed" ("Cả 12 công cụ phục vụ công việc này"),
            used instead of the names for a cause that rules out every one of them (more than
            one); None to always name them.

    Returns:
        (tools, cause) pairs: ``tools`` the display names joined by ", " (by "; " when a name
        holds a comma: 'Hệ thống "Họp thông minh", mô-đun ...'), "" for a reason without a
        cause; ``cause`` the sentence ('không dùng cho mức "Bí mật nhà nước"; ... (mục 2.3).').
    """
    groups: dict[tuple[str, str, str], list[str]] = {}
    for exc in excluded:
        for reason in exc.reasons:
            key = (reason.code, reason.cause, "") if reason.cause else (reason.code, reason.message, exc.tool)
            names = groups.setdefault(key, [])
            if exc.name not in names:
                names.append(exc.name)
    every = {exc.name for exc in excluded}
    out = []
    for (_, text, alone), names in groups.items():
        sep = "; " if any("," in name for name in names) else ", "
        if alone:
            out.append(("", text))
        elif everyone is not None and len(every) > 1 and set(names) == every:
            out.append((everyone, text))
        else:
            out.append((sep.join(names), text))
    return out


def excluded_entries(
    excluded: Sequence[Exclusion], lang: str, verbose: bool = False, everyone: bool = False
) -> list[tuple[str, str]]:
    """What every format lists under "ruled out": (lead, text) pairs, one per line.

    Args:
        excluded: ``Advice.excluded``.
        lang: "vi" or "en".
        verbose: one pair per tool, lead "" and text every reason's sentence (each names the
            tool); else one per cause (:func:`exclusion_groups`), lead the tools' names.
        everyone: nothing is recommended: a cause ruling out every tool listed leads with
            "Cả N công cụ phục vụ công việc này" instead of the names.
    """
    if verbose:
        return [("", " ".join(r.message for r in exc.reasons)) for exc in excluded]
    every = t("label.every_tool", lang, count=len(excluded)) if everyone else None
    return exclusion_groups(excluded, every)


def detail_warnings(warnings: Sequence[WarningInfo], explanation: WarningInfo | None) -> list[str]:
    """The warnings a list of warnings shows (:func:`other_warnings`) but the explanation,
    which the human formats show first."""
    return other_warnings([w for w in warnings if w is not explanation])


def notice_source(notice: NoticeInfo, lang: str) -> str:
    """ "(nguồn: Nghị định 45/2025/NĐ-CP)", with "; độ tin cậy: trung bình" when not high."""
    confidence = "" if notice.confidence == "high" else f"; {t(f'confidence.{notice.confidence}', lang)}"
    return f"({t('label.notice_source', lang)}: {notice.source}{confidence})"


def cite_words(cite: Citation, lang: str) -> str:
    """A citation standing alone: the letter's number before its section ("Công văn
    415/STTTT-CNTT, mục 2.2.b"); a later source as its label."""
    if cite.section and cite.document:
        return f"{t('cite.letter', lang, document=cite.document)}, {cite.label}"
    return cite.label


def status_line(status: StatusInfo, lang: str) -> str:
    """A status entry as one line: what happened since when, then its sources and (when not
    high) its confidence in brackets: "Chưa xác minh được sau năm 2020: ... (nguồn: Công văn
    415/STTTT-CNTT, mục 2.2.b; độ tin cậy: trung bình)."."""
    line = f"{status.head}: {status.text}"
    sources = "; ".join(dict.fromkeys(cite_words(c, lang) for c in status.sources))
    confidence = "" if status.confidence == "high" else f"; {t(f'confidence.{status.confidence}', lang)}"
    return f"{line.rstrip('.')} ({t('label.notice_source', lang)}: {sources}{confidence})."


#: Warning codes every format shows elsewhere than in a list of warnings: a tool's status
#: entries are shown with the tool (:func:`status_line`).
_SHOWN_AS_STATUS = frozenset({"tool_changed", "tool_unverified", "no_contact"})  # no_contact: under the contacts


def no_contact(warnings: Sequence[WarningInfo]) -> str | None:
    """The ``no_contact`` warning's words (the letter names nobody for this official tool: ask
    the unit's IT), printed where the contacts would be; None when there is none."""
    return next((w.message for w in warnings if w.code == "no_contact"), None)


def opening(warnings: Sequence[WarningInfo]) -> list[str]:
    """The lines of the block that opens an answer given more than a year after the letter
    (what the answer is and how old first); empty otherwise."""
    return [w.message for w in warnings if w.opening]


def index_opening(hs: HandoutSet) -> list[str]:
    """The opening line of a late training-day set (the letter's age, check before use), as
    each of its handouts shows it under its title; empty for the letter's own time."""
    return opening(hs.handouts[0].warnings) if hs.handouts else []


def other_warnings(warnings: Sequence[WarningInfo], *, with_opening: bool = False) -> list[str]:
    """The warnings a list of warnings shows: not a tool's status (shown with the tool), and
    not the opening block unless ``with_opening`` (a page without that block: ``tools show``,
    a handout)."""
    return [w.message for w in warnings if (with_opening or not w.opening) and w.code not in _SHOWN_AS_STATUS]


def footer_line(source: SourceInfo, lang: str) -> str:
    """ "Nguồn: Công văn 415/STTTT-CNTT ngày 1/4/2020 của Sở ..."."""
    return t("label.footer", lang, document=source.document, date=format_date(source.date, lang), issuer=source.issuer)


def verdict(advice: Advice) -> str:
    """The advice's first line: how many tools are recommended, or why none is."""
    lang = advice.query.lang
    if advice.recommendations:
        return t("verdict.recommend", lang, count=len(advice.recommendations))
    return t("verdict.not_eligible" if not advice.eligible else "verdict.none", lang)


def heading(key: str, lang: str) -> str:
    """A catalogue label used as a heading, without its trailing colon ("Vì sao:" -> "Vì sao")."""
    return t(key, lang).rstrip(": ")


def url_warning(url: str, lang: str) -> str | None:
    """The warning printed under a server URL that readers could take for different addresses.

    Args:
        url: the ``server_url`` text.
        lang: "vi" or "en".

    Returns:
        None when :func:`gialai_remote.urls.check_server_url` accepts ``url`` (the QR code may
        then be printed), else one sentence naming the reason; no QR code goes with it.
    """
    from gialai_remote.urls import check_server_url

    reason = check_server_url(url)
    if reason is None:
        return None
    return t("handout.url_refused", lang, reason=t(f"url.reason.{reason}", lang))


# ---- the words of a printed handout ---------------------------------------------------------------


def title(h: Handout) -> str:
    """The handout's heading: "Hướng dẫn sử dụng: AIC eMeeting"."""
    return t("handout.title", h.lang, tool=h.name)


def subtitle(h: Handout) -> str:
    """The letter's number and section, and the day the handout is for."""
    return t("handout.for", h.lang, document=h.source.document, section=h.section, date=format_date(h.date, h.lang))


def steps_heading(h: Handout) -> str:
    """The heading of the steps, naming the platform they are for (or every platform)."""
    platform = h.platform_name or t("handout.all_platforms", h.lang)
    return f"{t('handout.steps', h.lang)} · {t('handout.steps_for', h.lang, platform=platform)}"


def facts(h: Handout) -> list[tuple[str, str]]:
    """(label, value) rows: what the tool's rules allow (who may use it, for which tasks and
    content, limits, needs), then who provides it and which app to install.

    Rows without a value (no operator, no app named) are left out.
    """
    lang = h.lang
    rows = list(h.limits)
    if h.operator:
        rows.append((t("handout.operator", lang), h.operator))
    if h.app:
        rows.append((t("handout.app", lang), h.app))
    return [(label, value) for label, value in rows if value]


def source_line(source: SourceInfo, section: str, letter_title: str, lang: str) -> str:
    """The letter, its issuer, date, the section and its subject line."""
    return t(
        "handout.source",
        lang,
        document=source.document,
        date=format_date(source.date, lang),
        issuer=source.issuer,
        section=section,
        title=letter_title,
    )


def made_line(day: dt.date, lang: str, has_contacts: bool = True) -> str:
    """The closing line: made with gialai-remote for the day; when unsure, call the support
    contacts listed, or, on a sheet that lists none, ask the unit's IT staff."""
    return t("handout.made" if has_contacts else "handout.made_no_contacts", lang, date=format_date(day, lang))


# ---- the index of a set of handouts (setup --all) ------------------------------------------------


def index_title(hs: HandoutSet) -> str:
    """The index page's heading: "Tờ hướng dẫn làm việc từ xa theo Công văn 415/STTTT-CNTT"."""
    return t("index.title", hs.lang, document=hs.source.document)


def index_subtitle(hs: HandoutSet) -> str:
    """The day the sheets are for and the platform their steps are for."""
    platform = hs.platform_name or t("handout.all_platforms", hs.lang)
    return t("index.for", hs.lang, date=format_date(hs.date, hs.lang), platform=platform)


def index_groups(hs: HandoutSet) -> list[tuple[str, list[Handout]]]:
    """The handouts grouped by category (official systems, public apps), each group headed by
    the category's name, in the order the categories first appear."""
    groups: dict[str, list[Handout]] = {}
    for handout in hs.handouts:
        groups.setdefault(handout.category, []).append(handout)
    return [(t(f"browse.category.{category}", hs.lang).capitalize(), items) for category, items in groups.items()]
