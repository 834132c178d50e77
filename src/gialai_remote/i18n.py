"""User-interface strings in Vietnamese and English, looked up from one catalogue.

The catalogue (:mod:`gialai_remote.catalogue`) maps a key to its Vietnamese and English text.
The system locale is never consulted: the language is ``--lang``, else ``GIALAI_REMOTE_LANG``,
else Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from gialai_remote.catalogue import MESSAGES

DEFAULT_LANG = "vi"
LANGS = ("vi", "en")


def t(key: str, lang: str, /, **params: object) -> str:
    """Return message ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``.

    Args:
        key: a key of the catalogue, e.g. "reason.capacity_exceeded".
        lang: "vi" or "en"; anything else gives Vietnamese.
        params: values for the placeholders; they are inserted as text, never interpreted.
            The one named by the entry's "plural" (default "count") picks "en_one" when 1.

    Raises:
        KeyError: the key is not in the catalogue (a programming error, caught by the tests).
    """
    entry = MESSAGES[key]
    text = entry["en"] if lang == "en" else entry["vi"]
    # English inflects for number, Vietnamese does not: an entry may add "en_one", used when
    # the placeholder named by "plural" (default "count") is 1 ("1 tool", "3 tools").
    if lang == "en" and "en_one" in entry and params.get(entry.get("plural", "count")) == 1:
        text = entry["en_one"]
    return text.format_map(params) if params else text


def resolve_lang(flag: str | None, environ: Mapping[str, str]) -> str | None:
    """Choose the language: the flag beats ``GIALAI_REMOTE_LANG``; neither gives "vi".

    Returns the language, or None when the chosen value is not one of :data:`LANGS` (the
    caller reports that as a usage error). Case and surrounding spaces are ignored.
    """
    value = flag if flag is not None else environ.get("GIALAI_REMOTE_LANG") or DEFAULT_LANG
    value = value.strip().lower()
    return value if value in LANGS else None


def format_date(day: dt.date, lang: str) -> str:
    """A day as the language writes it: Vietnamese readers write 31/5/2020 (day/month/year,
    no leading zeros); English gets ISO 8601, 2020-05-31. The only date formatter: the core's
    messages and every renderer (through :mod:`gialai_remote.render.words`) use it."""
    return f"{day.day}/{day.month}/{day.year}" if lang != "en" else day.isoformat()
