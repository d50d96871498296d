"""Due times in people's zones: DST gaps and overlaps, half-hour and date-line zones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.practice.rhythm import Rhythm, describe_weekdays

WORKDAYS = frozenset(range(5))


def due(zone: str, after: datetime, **options: object) -> tuple[date, datetime] | None:
    rhythm = Rhythm(
        minute_of_day=int(options.pop("minute", 9 * 60)), weekdays=frozenset(options.pop("days", WORKDAYS)), **options
    )  # type: ignore[arg-type]
    return rhythm.next_due(ZoneInfo(zone), after=after)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "after", "expected_date", "expected_utc"),
    [
        ("Europe/London", utc(2026, 11, 24, 8, 0), date(2026, 11, 24), utc(2026, 11, 24, 9, 0)),
        ("Europe/London", utc(2026, 11, 24, 9, 0), date(2026, 11, 25), utc(2026, 11, 25, 9, 0)),
        ("Europe/London", utc(2026, 11, 27, 10, 0), date(2026, 11, 30), utc(2026, 11, 30, 9, 0)),  # Fri -> Mon
        ("Asia/Kolkata", utc(2026, 11, 24, 0, 0), date(2026, 11, 24), utc(2026, 11, 24, 3, 30)),
        (
            "Australia/Lord_Howe",
            utc(2026, 11, 23, 20, 0),
            date(2026, 11, 24),
            utc(2026, 11, 23, 22, 0),
        ),  # +11 in summer
        (
            "Pacific/Kiritimati",
            utc(2026, 11, 22, 12, 0),
            date(2026, 11, 23),
            utc(2026, 11, 22, 19, 0),
        ),  # Mon there, Sun in UTC
        ("Pacific/Pago_Pago", utc(2026, 11, 24, 12, 0), date(2026, 11, 24), utc(2026, 11, 24, 20, 0)),  # -11
        (
            "Pacific/Pago_Pago",
            utc(2026, 11, 28, 12, 0),
            date(2026, 11, 30),
            utc(2026, 11, 30, 20, 0),
        ),  # Sat UTC is Fri there: past 09:00
    ],
)
def test_zones_pick_the_right_local_weekday(
    zone: str, after: datetime, expected_date: date, expected_utc: datetime
) -> None:
    assert due(zone, after) == (expected_date, expected_utc)


def test_a_time_in_the_spring_forward_gap_moves_forward() -> None:
    # 2026-03-08: New York clocks go from 02:00 to 03:00. 02:30 does not exist: it is sent at 03:30 EDT.
    found = due("America/New_York", utc(2026, 3, 8, 0, 0), minute=150, days=range(7))
    assert found == (date(2026, 3, 8), utc(2026, 3, 8, 7, 30))
    assert found[1].astimezone(ZoneInfo("America/New_York")).strftime("%H:%M %Z") == "03:30 EDT"


def test_a_time_in_the_fall_back_overlap_takes_the_earlier_instant_once() -> None:
    # 2026-11-01: New York clocks go from 02:00 back to 01:00. 01:30 happens twice: the first one counts.
    found = due("America/New_York", utc(2026, 11, 1, 0, 0), minute=90, days=range(7))
    assert found == (date(2026, 11, 1), utc(2026, 11, 1, 5, 30))
    assert found[1].astimezone(ZoneInfo("America/New_York")).strftime("%H:%M %Z") == "01:30 EDT"
    again = due("America/New_York", found[1], minute=90, days=range(7))
    assert again is not None and again[0] == date(2026, 11, 2), "the second 01:30 is not a new day"


def test_holidays_pauses_and_an_end_date_are_respected() -> None:
    after = utc(2026, 12, 24, 10, 0)
    holidays = frozenset({date(2026, 12, 25)})
    assert due("Europe/London", after, holidays=holidays) == (date(2026, 12, 28), utc(2026, 12, 28, 9, 0))
    assert due("Europe/London", after, paused_until=date(2027, 1, 4))[0] == date(2027, 1, 4)
    assert due("Europe/London", after, until=date(2026, 12, 24)) is None


def test_sunday_to_thursday_weeks() -> None:
    found = due("Asia/Jerusalem", utc(2026, 11, 27, 12, 0), days={6, 0, 1, 2, 3})  # Friday
    assert found is not None and found[0] == date(2026, 11, 29)  # Sunday


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (range(5), "Mon-Fri"),
        ({6, 0, 1, 2, 3}, "Sun-Thu"),
        ({0, 2, 4}, "Mon, Wed, Fri"),
        (range(7), "every day"),
        ({5, 6}, "Sat, Sun"),
    ],
)
def test_weekdays_read_naturally(days: object, text: str) -> None:
    assert describe_weekdays(frozenset(days)) == text  # type: ignore[arg-type]
