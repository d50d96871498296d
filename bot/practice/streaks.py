"""Streaks: practice days in a row, where the bot's own failures and the person's choices do not count."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.outbox.types import NOT_DELIVERED
from bot.practice import repository
from bot.practice.models import DayStatus

_NEUTRAL = frozenset(status.value for status in NOT_DELIVERED)  # the bot did not reach them: not their miss


def streak(days: list[tuple[date, str, str | None]], today: date) -> int:
    """Practice days in a row, newest first. Skipped and paused days, and days the bot could not deliver
    (or missed while it was down), do not break it; a past day with no answer does."""
    count = 0
    for day, status, delivery_status in days:
        if status == DayStatus.DONE:
            count += 1
        elif status in (DayStatus.SKIPPED, DayStatus.MISSED) or delivery_status in _NEUTRAL or day >= today:
            continue
        else:
            break
    return count


def streak_of(session: Session, subscription_id: int, today: date) -> int:
    rows = repository.days_with_delivery(session, subscription_id)
    return streak([(day.local_date, day.status, status) for day, status in rows], today)
