"""When a subscription's next reminder is due, and re-planning after a change of time, days, zone or pause."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.content.types import CatalogueState
from bot.localtime import local_instant, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.people.types import PersonRef
from bot.practice.models import PracticeSubscription, SubscriptionStatus
from bot.practice.rhythm import Rhythm

# Delivery kinds. Their subject is the subscription, but for the monthly review's: the person, since one
# review covers all their practice. Reviews were once one per subscription (SUBSCRIPTION_REVIEW): rows of
# that kind queued before are still sent as they were, and a month one of them covered is not reviewed again.
REMINDER = "practice"
SUGGESTION = "practice_suggestion"
REVIEW = "monthly_review"
SUBSCRIPTION_REVIEW = "practice_review"


def new_subscription(
    person: PersonRef,
    technique_key: str,
    status: SubscriptionStatus,
    now: datetime,
    minute_of_day: int,
    weekdays: tuple[int, ...],
) -> PracticeSubscription:
    return PracticeSubscription(
        workspace_id=person.workspace_id,
        person_id=person.person_id,
        technique_key=technique_key,
        status=status.value,
        minute_of_day=minute_of_day,
        weekdays=sorted(set(weekdays)),
        used_variations=[],
        created_at=now,
        updated_at=now,
    )


def rhythm_of(subscription: PracticeSubscription, state: CatalogueState) -> Rhythm:
    return Rhythm(
        minute_of_day=subscription.minute_of_day,
        weekdays=frozenset(subscription.weekdays),
        until=subscription.until,
        paused_until=subscription.paused_until,
        holidays=state.holidays,
    )


def reminder_key(subscription_id: int, day: date) -> DeliveryKey:
    return DeliveryKey(REMINDER, subscription_id, day)


def review_key(person_id: int, occasion: str) -> DeliveryKey:
    """A month's review (`occasion`, from `review_occasion`): one a person, however many practices, ticks or
    processes materialise it."""
    return DeliveryKey(REVIEW, person_id, occasion=occasion)


def subscription_review_key(subscription_id: int, occasion: str) -> DeliveryKey:
    """A review of one practice, as reviews were before they became the person's."""
    return DeliveryKey(SUBSCRIPTION_REVIEW, subscription_id, occasion=occasion)


def review_occasion(month: date) -> str:
    """The month's review, in its delivery key and its self-ratings: review:YYYY-MM."""
    return f"review:{month:%Y-%m}"


def schedule_next(
    subscription: PracticeSubscription, person: PersonRef, state: CatalogueState, *, after: datetime, default_tz: str
) -> None:
    """Set the subscription's next reminder: the first due time after `after` on a date not yet materialised."""
    tz = zone(person.tz, default_tz)
    following = subscription.next_due_date
    found = rhythm_of(subscription, state).next_due(tz, after=after, from_date=following)
    subscription.next_due_date, subscription.next_due_at = found if found else (None, None)


def catch_up(
    subscription: PracticeSubscription,
    person: PersonRef,
    state: CatalogueState,
    *,
    now: datetime,
    catchup: timedelta,
    default_tz: str,
) -> list[date]:
    """Bring a subscription whose next reminder's send window closed (the bot was down) up to date: the
    local dates it missed are returned, to be recorded as missed, never sent; the next reminder becomes
    the first that can still go out (late, within its window) or a future one."""
    tz = zone(person.tz, default_tz)
    rhythm = rhythm_of(subscription, state)
    missed: list[date] = []
    for day in rhythm.due_dates(subscription.next_due_date or now.date()):
        if local_instant(day, rhythm.at, tz) + catchup > now:
            break
        missed.append(day)
    if missed:
        subscription.next_due_date = missed[-1] + timedelta(days=1)
    schedule_next(subscription, person, state, after=now - catchup, default_tz=default_tz)
    if subscription.next_due_at is None and subscription.until is not None:
        subscription.move_to(SubscriptionStatus.STOPPED, now=now, reason="finished")
    subscription.updated_at = now
    return missed


def replan(
    session: Session,
    subscription: PracticeSubscription,
    person: PersonRef,
    state: CatalogueState,
    *,
    now: datetime,
    default_tz: str,
    catchup: timedelta,
) -> None:
    """Move or cancel reminders not yet sent, and plan the next one, after a change of time, days or zone.

    A reminder keeps its local date (so no day is sent twice); if its new time has already passed, it is
    sent now rather than missed.
    """
    tz = zone(person.tz, default_tz)
    rhythm = rhythm_of(subscription, state)
    active = subscription.status == SubscriptionStatus.ACTIVE
    waiting = outbox.pending(session, kind=REMINDER, subject=subscription.id, now=now)
    gone = [d for d in waiting if not active or d.key.day is None or not rhythm.is_due_on(d.key.day)]
    outbox.cancel(session, gone, reason="rescheduled")
    for delivery in waiting:
        if delivery not in gone and not delivery.key.is_snooze and delivery.key.day is not None:
            due = max(local_instant(delivery.key.day, rhythm.at, tz), now)
            outbox.move(session, delivery, due_at=due, expires_at=due + catchup)
    latest = outbox.latest(session, REMINDER, subscription.id)
    day = latest.day if latest is not None else None
    subscription.next_due_date = day + timedelta(days=1) if day is not None else None
    if active:
        schedule_next(subscription, person, state, after=now, default_tz=default_tz)
    else:
        subscription.next_due_at = None
    subscription.updated_at = now
