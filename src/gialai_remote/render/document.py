"""The words of a printed handout, shared by its text, Markdown and HTML renderers.

These helpers turn a :class:`gialai_remote.handout.Handout` (or a piece of an
:class:`gialai_remote.decide.Advice`) into plain strings: labels from the catalogue, values from
the knowledge base, phone numbers grouped for reading. They never escape anything; each
renderer escapes for its own format, so the three formats say the same thing.
"""

from __future__ import annotations

import datetime as dt

from gialai_remote.decide import Advice, ContactInfo, NoticeInfo, SourceInfo, format_date
from gialai_remote.handout import Handout
from gialai_remote.i18n import t
from gialai_remote.render.common import group_phone


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
    """(label, value) rows: who may use the tool, for which tasks and content, limits, needs.

    Rows without a value (no operator, no app named) are left out.
    """
    lang = h.lang
    rows = [
        (t("handout.who", lang), "; ".join(h.roles)),
        (t("handout.tasks", lang), "; ".join(h.tasks)),
        (t("handout.content", lang), "; ".join(h.sensitivities)),
        (t("handout.not_for", lang), "; ".join(h.not_for)),
    ]
    if h.max_participants is not None:
        rows.append((t("handout.capacity", lang), t("handout.capacity_value", lang, max=h.max_participants)))
    rows.append((t("handout.platforms", lang), ", ".join(h.platforms) or t("handout.platforms_any", lang)))
    if h.needs:
        rows.append((t("handout.needs", lang), "; ".join(h.needs)))
    if h.operator:
        rows.append((t("handout.operator", lang), h.operator))
    if h.app:
        rows.append((t("handout.app", lang), h.app))
    return [(label, value) for label, value in rows if value]


def contact_who(contact: ContactInfo) -> str:
    """The contact's name with title and organization when the letter gives them."""
    extra = ", ".join(x for x in (contact.title, contact.organization) if x)
    return f"{contact.name} ({extra})" if extra else contact.name


def contact_phone(contact: ContactInfo) -> str:
    """The phone number grouped for reading ("0934 121 298")."""
    return group_phone(contact.phone)


def notice_head(notice: NoticeInfo, lang: str) -> str:
    """The notice's effective day, as the language writes dates."""
    return format_date(notice.effective, lang)


def notice_source(notice: NoticeInfo, lang: str) -> str:
    """ "(nguồn: Nghị định 45/2025/NĐ-CP)"."""
    return f"({t('label.notice_source', lang)}: {notice.source})"


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


def made_line(day: dt.date, lang: str) -> str:
    """The closing line: made with gialai-remote for the day, call support when unsure."""
    return t("handout.made", lang, date=format_date(day, lang))


def verdict(advice: Advice) -> str:
    """The advice's first line: how many tools are recommended, or why none is."""
    lang = advice.query.lang
    if advice.recommendations:
        return t("verdict.recommend", lang, count=len(advice.recommendations))
    return t("verdict.not_eligible" if not advice.eligible else "verdict.none", lang)


def footer_line(source: SourceInfo, lang: str) -> str:
    """ "Nguồn: Công văn 415/STTTT-CNTT ngày 1/4/2020 của Sở ..."."""
    return t("label.footer", lang, document=source.document, date=format_date(source.date, lang), issuer=source.issuer)


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
