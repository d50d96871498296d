"""When a challenge's messages fall. Check-ins: day N of the challenge at 10:00 where the person is, moved to
the next working day when it falls on a weekend or a holiday, never on or after the last day. The close: the
last day (or the first working day from it) at 10:00. "Did it stick?": a week after that.

`next_step` and `next_at` name the next of these (`next_day`: which check-in). Delivery keys for everything a
challenge sends are built here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.challenges.models import Challenge
from bot.challenges.types import CheckinSpec, NextStep, Terms
from bot.localtime import local_instant, working_time
from bot.outbox.keys import DeliveryKey

CHECKIN_TIME = time(10)
WORKING_DAYS_TO_ANSWER = 2  # then one reminder; one working day later the proposal expires
# The proposal DM (occasion "reminder" for its one reminder); after a change, the proposer's answer and the new
# terms go under it too (occasion "terms:…"), so an answer cancels whatever of them is still queued.
INVITATION = "challenge_invite"
ANSWER = "challenge_answer"  # what the colleague answered, for the proposer; occasion: the outcome
CARD = "challenge_card"  # the thread's top message
CHECKIN = "challenge_checkin"  # occasion: day:N (pause:N when unanswered check-ins paused it instead)
CLOSE = "challenge_close"  # the last day's message in the thread
STICK = "challenge_stick"  # "did it stick?", a week after the end
SHARE = "challenge_share"  # a summary shared with peers; occasion: where
OBSERVE = "challenge_observe"  # the proposer asked for their rating; occasion: when
PROPOSED = "challenge_proposed"  # the proposer hears who was asked (subject: the proposal)
SUMMARY = "challenge_summary"  # the drafted summary, shown in the thread
DAY = "day:"
STICK_AFTER = timedelta(days=7)
# Check-ins are days apart (three in two weeks), so one ignored is a few quiet days and two are a week or more:
ASK_AFTER = 1  # unanswered check-ins in a row before the next one asks whether a pause would help
PAUSE_AFTER = 2  # ... before the challenge pauses itself instead of asking again, with a Resume button


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


def close_instant(challenge: Challenge, tz: ZoneInfo, holidays: frozenset[date]) -> datetime:
    return local_instant(working_day(last_day(challenge), holidays), CHECKIN_TIME, tz)


def stick_instant(challenge: Challenge, tz: ZoneInfo, holidays: frozenset[date]) -> datetime:
    return local_instant(working_day(last_day(challenge) + STICK_AFTER, holidays), CHECKIN_TIME, tz)


def plan_next(
    challenge: Challenge, tz: ZoneInfo, holidays: frozenset[date], *, after: datetime, from_day: int = 1
) -> None:
    """Point the challenge at its first check-in from `from_day` on that is still ahead of `after`; after the
    last one, at its close (which is never skipped: late, it goes at the next working hour)."""
    for checkin in sorted(challenge.checkins, key=lambda c: c.day):
        if checkin.day < from_day or checkin.day >= challenge.days:
            continue
        instant = checkin_instant(challenge, checkin.day, tz, holidays)
        if instant is not None and instant > after:
            challenge.plan(NextStep.CHECKIN, instant, day=checkin.day)
            return
    challenge.plan(NextStep.CLOSE, max(close_instant(challenge, tz, holidays), working_time(after, tz, holidays)))


def question_for(challenge: Challenge, day: int) -> str:
    return next((c.question for c in challenge.checkins if c.day == day), "")


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


def default_checkins(days: int) -> tuple[CheckinSpec, ...]:
    """Check-ins for a challenge written by hand: about a fifth, half and four fifths of the way."""
    marks = sorted({max(2, round(days * share)) for share in (0.2, 0.5, 0.8)} - {days})
    questions = [
        "What have you tried so far, and what did you notice?",
        "Halfway: what is working, and what would you do differently next time?",
        "Nearly there: what is left to do before the end, and what have you learned?",
    ]
    return tuple(CheckinSpec(day, questions[min(i, 2)]) for i, day in enumerate(marks))


def invitation_key(challenge_id: int, occasion: str | None = None) -> DeliveryKey:
    return DeliveryKey(INVITATION, challenge_id, occasion=occasion)


def card_key(challenge_id: int, edit: str | None = None) -> DeliveryKey:
    """The card; with `edit`, one scheduled edit of it (e.g. "day:3", refreshed with that check-in)."""
    return DeliveryKey(CARD, challenge_id, occasion=f"edit:{edit}" if edit else None)


def checkin_key(challenge_id: int, day: int) -> DeliveryKey:
    return DeliveryKey(CHECKIN, challenge_id, occasion=f"{DAY}{day}")


def snooze_key(challenge_id: int, day: int) -> DeliveryKey:
    """Check-in `day` asked again the next working day (once)."""
    return checkin_key(challenge_id, day).snoozed(1)


def checkin_day(key: DeliveryKey) -> int | None:
    """The day of the check-in a `checkin_key` is for; None for any other key."""
    occasion = key.occasion or ""
    return int(occasion.removeprefix(DAY)) if key.kind == CHECKIN and occasion.startswith(DAY) else None


def pause_key(challenge_id: int, day: int) -> DeliveryKey:
    """Said in the thread instead of check-in `day` when unanswered check-ins paused the challenge."""
    return DeliveryKey(CHECKIN, challenge_id, occasion=f"pause:{day}")


def answer_key(challenge_id: int, occasion: str) -> DeliveryKey:
    """Something said to the proposer (or, about the proposer's silence, to the person) about an answer."""
    return DeliveryKey(ANSWER, challenge_id, occasion=occasion)


def close_key(challenge_id: int) -> DeliveryKey:
    return DeliveryKey(CLOSE, challenge_id)


def stick_key(challenge_id: int) -> DeliveryKey:
    return DeliveryKey(STICK, challenge_id)


def observe_key(challenge_id: int) -> DeliveryKey:
    return DeliveryKey(OBSERVE, challenge_id)


def share_key(challenge_id: int, occasion: str) -> DeliveryKey:
    return DeliveryKey(SHARE, challenge_id, occasion=occasion)


def proposed_key(proposal_id: int) -> DeliveryKey:
    return DeliveryKey(PROPOSED, proposal_id)


def summary_key(challenge_id: int) -> DeliveryKey:
    return DeliveryKey(SUMMARY, challenge_id, occasion="draft")
