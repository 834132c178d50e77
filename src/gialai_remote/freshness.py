"""How fresh a contact is: the day its number was last known to be right, and by whom.

A contact from the letter counts as verified on the letter's date (01/04/2020); a contact a
layer gives (``docs/layers.md``) carries its own ``verified_on`` and the layer that confirmed it.
``validate`` (:func:`contact_date_problems`) warns about every contact verified after today
and, with ``--max-age DAYS``, longer ago.

Pure: no clock, no files; the caller passes the day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gialai_remote.errors import Problem
from gialai_remote.i18n import format_date, t

if TYPE_CHECKING:
    from gialai_remote.model import Contact, KnowledgeBase


def letter_section(kb: KnowledgeBase, contact: Contact) -> str | None:
    """The letter's section naming ``contact``, for a citation of the letter only (a contact a
    layer or a later source gives cites that source, without the letter's section)."""
    return (contact.section or None) if contact.source in ("", kb.source.id) else None


def freshness_words(kb: KnowledgeBase, contact: Contact, lang: str) -> str:
    """How fresh ``contact``'s number is, in ``lang``, as printed next to it: "theo Công văn,
    2020" for the letter's own (verified on the letter's date), else "xác minh ngày 15/11/2026,
    Sở KH&CN Gia Lai": the day it was last verified and the title of the source that says so
    (a layer's name, for a contact a layer gives: ``docs/layers.md``)."""
    letter = kb.source
    day = contact.verified_on
    if contact.source in ("", letter.id):
        if day is None or day == letter.date:
            return t("contact.per_letter", lang, year=letter.date.year)
        return t("contact.verified", lang, date=format_date(day, lang))
    who = kb.source_entry(contact.source).title.get(lang) if kb.has("sources", contact.source) else contact.source
    if day is None:
        return who
    return t("contact.verified_by", lang, date=format_date(day, lang), who=who)


def verified_on(kb: KnowledgeBase, contact: Contact) -> dt.date:
    """The last day ``contact``'s name and number were known to be right: its ``verified_on``,
    else the date of the letter (or of the layer) that gives it."""
    if contact.verified_on is not None:
        return contact.verified_on
    layer = kb.stack.origin("contacts", contact.id) if kb.stack is not None else None
    if layer is not None and layer.date is not None:
        return layer.date
    return kb.source.date


def contact_date_problems(kb: KnowledgeBase, today: dt.date, days: int | None, lang: str) -> list[Problem]:
    """A ``contact-age`` warning for each contact of ``kb`` verified more than ``days`` days before
    ``today`` (none when ``days`` is None), and a ``contact-verified-later`` warning for each
    contact said to be verified after ``today`` (a typing mistake, never a fact yet).

    Args:
        kb: the knowledge base.
        today: the day to count from (today in Vietnam, for ``validate``).
        days: the most days a contact may go unverified (0 or more), or None (no age limit).
        lang: language of the messages.

    Returns:
        The warnings, in the contacts' order; each names the file that gives the contact (the
        layer, else the base) at line 0.
    """
    found = []
    base = kb.stack.layers[0].path if kb.stack is not None else kb.path
    for contact in kb.contacts:
        day = verified_on(kb, contact)
        age = (today - day).days
        if age < 0:
            layer = kb.stack.origin("contacts", contact.id) if kb.stack is not None else None
            path = layer.path if layer is not None else base
            message = t("kb.contact_verified_later", lang, id=contact.id, date=day.isoformat())
            found.append(Problem(path, 0, 0, "contact-verified-later", message, "warning"))
        elif days is not None and age > days:
            layer = kb.stack.origin("contacts", contact.id) if kb.stack is not None else None
            path = layer.path if layer is not None else base
            message = t("kb.contact_age", lang, id=contact.id, date=day.isoformat(), age=age, limit=days)
            found.append(Problem(path, 0, 0, "contact-age", message, "warning"))
    return found
