"""Today in Vietnam: the one place that turns the clock into the day advice is for.

The letter's dates are Vietnamese days (the VNPT offer ends on 31/5/2020, Vietnam time), and
its readers are in Vietnam, so "today" is the calendar day in Vietnam (UTC+7, no daylight
saving time since 1975), whatever time zone the machine is set to: on a UTC server at 18:00
on 31/5/2020 it is already 1/6/2020 in Gia Lai. The CLI's default ``--date`` and ``hôm nay``
use :func:`vietnam_today`; the core may too (it is pure when given the instant).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["VIETNAM", "vietnam_today"]

#: Vietnam's time zone (Asia/Ho_Chi_Minh): a fixed UTC+7 offset, so no time-zone database is
#: needed (Windows has none built in).
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def vietnam_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar day in Vietnam at the instant ``now``.

    Args:
        now: a time-zone-aware instant; None reads the clock (``datetime.now(timezone.utc)``).

    Returns:
        The day in Vietnam (UTC+7) at that instant.

    Raises:
        ValueError: ``now`` is naive (no time zone): its day in Vietnam is unknown.

    >>> vietnam_today(dt.datetime(2020, 5, 31, 18, 0, tzinfo=dt.timezone.utc))
    datetime.date(2020, 6, 1)
    """
    if now is None:
        now = dt.datetime.now(dt.timezone.utc)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("vietnam_today() needs a time-zone-aware instant")
    return now.astimezone(VIETNAM).date()
