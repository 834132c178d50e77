"""Phone numbers as Vietnamese write them: the phone library's national format.

``0269 3822 555`` and ``024 3825 1234`` for landlines (the area code, then the subscriber
number in the groups the numbering plan gives), ``0934 121 298`` for mobiles. The grouping is
libphonenumber's (``phonenumbers``, region VN), never a hand-made rule. The library costs about
25 ms to import, so the loader works out the readings of a knowledge base's numbers when it
reads the file anyway (:attr:`gialai_remote.model.KnowledgeBase.readings`, kept by the cache)
and a renderer only comes here for a number it was not given.

This module imports nothing of the package; ``phonenumbers`` is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The region numbers are read in.
REGION = "VN"


def national(digits: str) -> str:
    """``digits`` grouped as the national format writes them ("02693822555" -> "0269 3822 555").

    Args:
        digits: a phone number, digits only.

    Returns:
        The grouped number; ``digits`` unchanged when they are not digits or the library cannot
        read them as a number of :data:`REGION`. Never raises.
    """
    if not digits.isascii() or not digits.isdigit():
        return digits
    import phonenumbers

    try:
        number = phonenumbers.parse(digits, REGION)
    except phonenumbers.NumberParseException:
        return digits
    grouped = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    # The national format only groups: the same digits must come back, or the number is shown as given.
    return grouped if grouped.replace(" ", "") == digits else digits


def readings(numbers: Iterable[str]) -> dict[str, str]:
    """:func:`national` of each of ``numbers``, as a mapping digits -> grouped text."""
    return {digits: national(digits) for digits in dict.fromkeys(numbers)}
