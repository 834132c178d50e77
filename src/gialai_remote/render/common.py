"""Formatting helpers shared by the renderers: phone numbers for reading, terminal-safe text."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates can make a terminal show text other than what is there.
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _BIDI:
        return ""
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def safe(text: str) -> str:
    """Make knowledge-base text safe for a terminal.

    Control characters (C0 but tab and newline, DEL, C1: ESC, BEL, backspace...) are shown
    as ``\\xNN`` and bidirectional overrides are removed, so no byte of the data can move the
    cursor, ring the bell or reorder what the reader sees. Text is also put in NFC form.
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
