"""Local wall-clock times in a person's IANA zone, turned into UTC instants.

A local time that does not exist (the spring-forward gap) moves forward by the gap; an ambiguous one (the
fall-back overlap) takes the earlier instant. Python's zoneinfo does both when `fold=0`, which is what
`local_instant` relies on and the tests pin down.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_FORMAT = "%a %d %b"  # how every date is shown to a person: "Tue 24 Nov"


def day_text(day: date) -> str:
    return day.strftime(DAY_FORMAT)


def moment_text(instant: datetime, tz: ZoneInfo) -> str:
    """An instant as the person's wall clock shows it: "Tue 24 Nov 09:00"."""
    return instant.astimezone(tz).strftime(f"{DAY_FORMAT} %H:%M")


@lru_cache(maxsize=1024)
def zone(name: str | None, default: str) -> ZoneInfo:
    """The zone called `name`, or `default` when it is missing or unknown."""
    for candidate in (name, default):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def is_valid_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `tz` (gap: moved forward; overlap: the earlier one)."""
    return datetime.combine(day, at, tzinfo=tz).replace(fold=0).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


WORKING_HOURS = (time(9), time(17))


def working_time(after: datetime, tz: ZoneInfo, holidays: frozenset[date] = frozenset()) -> datetime:
    """`after` if it falls in working hours where the person is (Monday to Friday, 09:00 to 17:00, not a
    holiday), else when they next begin: a message from a colleague should not arrive at 03:00."""
    day = local_date(after, tz)
    for _ in range(30):
        if day.weekday() < 5 and day not in holidays:
            opening, closing = (local_instant(day, moment, tz) for moment in WORKING_HOURS)
            if after < closing:
                return max(after, opening)
        day += timedelta(days=1)
    return after
