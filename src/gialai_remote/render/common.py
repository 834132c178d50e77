"""Formatting helpers shared by the renderers: phone numbers for reading, terminal-safe text."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from gialai_remote.i18n import t

if TYPE_CHECKING:
    from gialai_remote.decide import Query

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
    """Group a phone number for reading: "0935076079" -> "0935 076 079".

    Ten-digit Vietnamese numbers are grouped 4-3-3 as they are printed in the letter's
    region; other lengths are grouped in threes from the end after a leading group.
    """
    if not digits.isdigit():
        return digits
    if len(digits) == 10:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(groups)


def query_summary(query: Query, names: dict[str, str]) -> str:
    """One line naming the query: role, task, participants, sensitivity, platform, date.

    ``names`` holds the display names of the query's ids, keyed "role", "task",
    "sensitivity", "platform" (see ``gialai_remote.cli.recommend.query_names``).
    """
    lang = query.lang
    parts = [f"{t('label.role', lang)}: {names['role']}"]
    if query.task is not None:
        parts.append(f"{t('label.task', lang)}: {names['task']}")
    if query.participants is not None:
        parts.append(f"{t('label.participants', lang)}: {query.participants}")
    sensitivity = names["sensitivity"]
    if query.sensitivity_assumed:
        sensitivity += f" ({t('label.assumed', lang)})"
    parts.append(f"{t('label.sensitivity', lang)}: {sensitivity}")
    if query.platform is not None:
        parts.append(f"{t('label.platform', lang)}: {names['platform']}")
    from gialai_remote.decide import format_date

    parts.append(f"{t('label.date', lang)}: {format_date(query.date, lang)}")
    return " | ".join(parts)
