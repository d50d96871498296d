"""When a challenge's check-ins fall: day N of the challenge at 10:00 where the person is, moved to the next
working day when it falls on a weekend or a holiday, never on or after the last day (which has its close).
Delivery keys for everything a challenge sends are built here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.challenges.models import Challenge
from bot.challenges.types import Terms
from bot.localtime import local_instant, working_time
from bot.outbox.keys import DeliveryKey

CHECKIN_TIME = time(10)
WORKING_DAYS_TO_ANSWER = 2  # then one reminder; one working day later the proposal expires
# The proposal DM (occasion "reminder" for its one reminder); after a change, the proposer's answer and the new
# terms go under it too (occasion "terms:…"), so an answer cancels whatever of them is still queued.
INVITATION = "challenge_invite"
ANSWER = "challenge_answer"  # what the colleague answered, for the proposer; occasion: the outcome
CARD = "challenge_card"  # the thread's top message
CHECKIN = "challenge_checkin"  # occasion: day:N
DAY = "day:"


def working_day(day: date, holidays: frozenset[date]) -> date:
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def answer_due(now: datetime, tz: ZoneInfo, holidays: frozenset[date], *, working_days: int) -> datetime:
    """`working_days` working days after a message sent now reaches the person (in their working hours)."""
    due = working_time(now, tz, holidays)
    for _ in range(working_days):
        due = working_time(due + timedelta(days=1), tz, holidays)
    return due


def last_day(challenge: Challenge) -> date:
    return challenge.start_date + timedelta(days=challenge.days - 1)


def checkin_instant(challenge: Challenge, day: int, tz: ZoneInfo, holidays: frozenset[date]) -> datetime | None:
    """When check-in `day` goes out, or None when its working day would be the last day or later."""
    local = working_day(challenge.start_date + timedelta(days=day - 1), holidays)
    if local >= last_day(challenge):
        return None
    return local_instant(local, CHECKIN_TIME, tz)


def plan_next(
    challenge: Challenge, tz: ZoneInfo, holidays: frozenset[date], *, after: datetime, from_day: int = 1
) -> None:
    """Point the challenge at its first check-in from `from_day` on that is still ahead of `after`."""
    for checkin in sorted(challenge.checkins, key=lambda c: int(c["day"])):
        day = int(checkin["day"])
        if day < from_day:
            continue
        instant = checkin_instant(challenge, day, tz, holidays)
        if instant is not None and instant > after:
            challenge.next_checkin_day, challenge.next_checkin_at = day, instant
            return
    challenge.next_checkin_day, challenge.next_checkin_at = None, None


def question_for(challenge: Challenge, day: int) -> str:
    return next((str(c["question"]) for c in challenge.checkins if int(c["day"]) == day), "")


def terms_of(challenge: Challenge) -> Terms:
    return Terms(
        title=challenge.title,
        brief=challenge.brief,
        skill_key=challenge.skill_key,
        days=challenge.days,
        target_count=challenge.target_count,
        target_unit=challenge.target_unit,
        target_units=challenge.target_units,
    )


def default_checkins(days: int) -> list[dict[str, object]]:
    """Check-ins for a challenge written by hand: about a fifth, half and four fifths of the way."""
    marks = sorted({max(2, round(days * share)) for share in (0.2, 0.5, 0.8)} - {days})
    questions = [
        "What have you tried so far, and what did you notice?",
        "Halfway: what is working, and what would you do differently next time?",
        "Nearly there: what is left to do before the end, and what have you learned?",
    ]
    return [{"day": day, "question": questions[min(i, 2)]} for i, day in enumerate(marks)]


def invitation_key(challenge_id: int, occasion: str | None = None) -> DeliveryKey:
    return DeliveryKey(INVITATION, challenge_id, occasion=occasion)


def card_key(challenge_id: int) -> DeliveryKey:
    return DeliveryKey(CARD, challenge_id)


def checkin_key(challenge_id: int, day: int) -> DeliveryKey:
    return DeliveryKey(CHECKIN, challenge_id, occasion=f"{DAY}{day}")


def checkin_day(key: DeliveryKey) -> int | None:
    """The day of the check-in a `checkin_key` is for; None for any other key."""
    occasion = key.occasion or ""
    return int(occasion.removeprefix(DAY)) if key.kind == CHECKIN and occasion.startswith(DAY) else None
