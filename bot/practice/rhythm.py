"""When a practice reminder is due: a local wall-clock time on chosen weekdays, in the person's zone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.localtime import local_date, local_instant

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SEARCH_DAYS = 400


@dataclass(frozen=True)
class Rhythm:
    minute_of_day: int
    weekdays: frozenset[int]
    until: date | None = None
    paused_until: date | None = None
    holidays: frozenset[date] = frozenset()

    @property
    def at(self) -> time:
        return time(self.minute_of_day // 60, self.minute_of_day % 60)

    def is_due_on(self, day: date) -> bool:
        """Whether a reminder belongs to this local date (weekday chosen, not a holiday, not paused, not over)."""
        return (
            day.weekday() in self.weekdays
            and day not in self.holidays
            and (self.paused_until is None or day >= self.paused_until)
            and (self.until is None or day <= self.until)
        )

    def due_dates(self, start: date) -> Iterator[date]:
        day = start
        for _ in range(SEARCH_DAYS):
            if self.until is not None and day > self.until:
                return
            if self.is_due_on(day):
                yield day
            day += timedelta(days=1)

    def next_due(self, tz: ZoneInfo, *, after: datetime, from_date: date | None = None) -> tuple[date, datetime] | None:
        """The first due (local date, UTC instant) strictly after `after`, on or after `from_date`."""
        start = local_date(after, tz) - timedelta(days=1)
        if from_date is not None:
            start = max(start, from_date)
        for day in self.due_dates(start):
            instant = local_instant(day, self.at, tz)
            if instant > after:
                return day, instant
        return None

    def describe(self) -> str:
        """`09:00 Mon-Fri`, `07:30 Sun-Thu`, `18:00 Mon, Wed, Fri`."""
        return f"{self.at.strftime('%H:%M')} {describe_weekdays(self.weekdays)}"


def describe_weekdays(weekdays: frozenset[int]) -> str:
    days = sorted(weekdays)
    if len(days) == 7:
        return "every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) == 2 and runs[0][0] == 0 and runs[-1][-1] == 6:  # a run that wraps round the week (Sun-Thu)
        runs = [runs[1] + runs[0]]
    parts = [
        f"{WEEKDAY_NAMES[run[0]]}-{WEEKDAY_NAMES[run[-1]]}"
        if len(run) > 2
        else ", ".join(WEEKDAY_NAMES[d] for d in run)
        for run in runs
    ]
    return ", ".join(parts)
