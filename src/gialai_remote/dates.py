"""Today in Vietnam: the one place that turns the clock into the day advice is for.

The letter's dates are Vietnamese days (the VNPT offer ends on 31/5/2020, Vietnam time), and
its readers are in Vietnam, so "today" is the calendar day in Vietnam (UTC+7, no daylight
saving time since 1975), whatever time zone the machine is set to: on a UTC server at 18:00
on 31/5/2020 it is already 1/6/2020 in Gia Lai. The CLI's default ``--date`` and ``hôm nay``
use :func:`vietnam_today`; the core may too (it is pure when given the instant).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["VIETNAM", "now", "vietnam_today"]

#: Vietnam's time zone (Asia/Ho_Chi_Minh): a fixed UTC+7 offset, so no time-zone database is
#: needed (Windows has none built in).
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def now() -> dt.datetime:
    """The clock: this instant, in UTC (the one place the tool reads the time of day for advice;
    tests replace it to fix the clock)."""
    return dt.datetime.now(dt.timezone.utc)


def vietnam_today(instant: dt.datetime | None = None) -> dt.date:
    """The calendar day in Vietnam at ``instant``.

    Args:
        instant: a time-zone-aware instant; None reads the clock (:func:`now`).

    Returns:
        The day in Vietnam (UTC+7) at that instant.

    Raises:
        ValueError: ``now`` is naive (no time zone): its day in Vietnam is unknown.

    >>> vietnam_today(dt.datetime(2020, 5, 31, 18, 0, tzinfo=dt.timezone.utc))
    datetime.date(2020, 6, 1)
    """
    if instant is None:
        instant = now()
    elif instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("vietnam_today() needs a time-zone-aware instant")
    return instant.astimezone(VIETNAM).date()
