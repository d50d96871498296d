"""The limits of a challenge, each defined once: content validation, the windows, the services and the
messages all read them from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import BadInput


@dataclass(frozen=True)
class Span:
    """Whole numbers from `low` to `high`, both included."""

    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high


DAYS = Span(5, 42)  # a challenge's length when proposed or changed
TARGET = Span(1, 20)  # a target, and what one log may add
LENGTHS = (7, 10, 14, 21, 28)  # the lengths a window offers (each within DAYS)
DEFAULT_DAYS = 14
START_AHEAD = timedelta(days=60)  # how far ahead a challenge may start
MAX_DAYS = 60  # however often it is extended or paused
EXTENSION = 7  # "Extend a week"
MAX_COLLEAGUES = 10  # a cohort, not a whole channel
COOL_DOWN = timedelta(days=30)  # after a "no", the same challenge is not proposed to them again before


def check_days(days: int, *, field: str = "days") -> int:
    if days not in DAYS:
        raise BadInput(f"A challenge lasts between {DAYS.low} and {DAYS.high} days.", field=field)
    return days


def check_target(target: int, *, field: str = "target") -> int:
    if target not in TARGET:
        raise BadInput(f"Pick a target between {TARGET.low} and {TARGET.high}.", field=field)
    return target


def check_count(count: int) -> int:
    if count not in TARGET:
        raise BadInput(f"Log between {TARGET.low} and {TARGET.high} at a time.", field="count")
    return count


def check_start(start: date, today: date, *, field: str = "start") -> date:
    if not today <= start <= today + START_AHEAD:
        raise BadInput("Pick a start date from today to two months ahead.", field=field)
    return start
