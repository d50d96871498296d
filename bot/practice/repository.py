"""Practice subscriptions, practice days and self-ratings: the only SQL on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.db.rows import insert_or_ignore
from bot.outbox import ledger
from bot.people import audience
from bot.people.types import PersonRef
from bot.practice.models import LIVE, DayStatus, PracticeDay, PracticeSubscription, SubscriptionStatus

ACTIVE = SubscriptionStatus.ACTIVE.value
PAUSED = SubscriptionStatus.PAUSED.value


def add_subscription(session: Session, subscription: PracticeSubscription) -> PracticeSubscription:
    session.add(subscription)
    session.flush()
    return subscription


def get_subscription(session: Session, subscription_id: int, *, lock: bool = False) -> PracticeSubscription | None:
    """The subscription; with `lock`, held (PostgreSQL: FOR UPDATE) until the transaction ends."""
    return session.get(PracticeSubscription, subscription_id, with_for_update=lock or None)


def subscriptions_of(session: Session, person_id: int, statuses: Sequence[str] = LIVE) -> list[PracticeSubscription]:
    return list(
        session.scalars(
            select(PracticeSubscription)
            .where(PracticeSubscription.person_id == person_id, PracticeSubscription.status.in_(statuses))
            .order_by(PracticeSubscription.id)
        )
    )


def due_subscriptions(
    session: Session, *, before: datetime, limit: int
) -> list[tuple[PracticeSubscription, PersonRef]]:
    """Active subscriptions whose next reminder is due before `before`, for people who can receive it."""
    people = audience.recipients()
    statement = (
        select(PracticeSubscription, people)
        .join(people, people.c.person_id == PracticeSubscription.person_id)
        .where(
            PracticeSubscription.status == ACTIVE,
            PracticeSubscription.next_due_at.is_not(None),
            PracticeSubscription.next_due_at <= before,
        )
        .order_by(PracticeSubscription.next_due_at, PracticeSubscription.id)
        .limit(limit)
    )
    return [(row[0], audience.person_ref(row)) for row in session.execute(statement)]


def overdue_subscriptions(
    session: Session, *, before: datetime, limit: int
) -> list[tuple[PracticeSubscription, PersonRef]]:
    """Active subscriptions whose next reminder should have gone out before `before` (its send window has
    closed: the bot was down), for people who can receive messages."""
    people = audience.recipients()
    statement = (
        select(PracticeSubscription, people)
        .join(people, people.c.person_id == PracticeSubscription.person_id)
        .where(PracticeSubscription.status == ACTIVE, PracticeSubscription.next_due_at < before)
        .order_by(PracticeSubscription.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=PracticeSubscription)
    )
    return [(row[0], audience.person_ref(row)) for row in session.execute(statement)]


def add_missed_days(session: Session, days: Sequence[tuple[int, date, str]]) -> int:
    """(subscription id, local date, delivery key) of days missed while the bot was down, in one statement."""
    rows = [
        {
            "subscription_id": subscription_id,
            "local_date": day,
            "variation": 0,
            "status": DayStatus.MISSED.value,
            "delivery_key": key,
        }
        for subscription_id, day, key in days
    ]
    return insert_or_ignore(
        session,
        PracticeDay.__table__,  # type: ignore[arg-type]
        rows,
        conflict=["subscription_id", "local_date"],
    )


def earliest_due(session: Session) -> datetime | None:
    """The first next-reminder time among subscriptions that would be materialised."""
    people = audience.recipients()
    return session.scalar(
        select(func.min(PracticeSubscription.next_due_at))
        .join(people, people.c.person_id == PracticeSubscription.person_id)
        .where(PracticeSubscription.status == ACTIVE)
    )


def pauses_ending(session: Session) -> list[tuple[date, str | None]]:
    """(first day back, the person's zone) for every subscription paused until a date."""
    people = audience.recipients()
    rows = session.execute(
        select(PracticeSubscription.paused_until, people.c.tz)
        .join(people, people.c.person_id == PracticeSubscription.person_id)
        .where(PracticeSubscription.status == PAUSED, PracticeSubscription.paused_until.is_not(None))
    )
    return [(row[0], row[1]) for row in rows if row[0] is not None]


def paused_until_passed(session: Session, *, today_at_latest: date) -> list[tuple[PracticeSubscription, PersonRef]]:
    """Subscriptions paused until a date that has come somewhere on Earth (they resume by themselves)."""
    people = audience.recipients()
    statement = (
        select(PracticeSubscription, people)
        .join(people, people.c.person_id == PracticeSubscription.person_id)
        .where(
            PracticeSubscription.status == PAUSED,
            PracticeSubscription.paused_until.is_not(None),
            PracticeSubscription.paused_until <= today_at_latest,
        )
    )
    return [(row[0], audience.person_ref(row)) for row in session.execute(statement)]


def people_with_stale_zone(session: Session, *, checked_before: datetime, limit: int) -> list[tuple[str, str]]:
    """(team id, Slack user id) of people with active practice whose zone was last read before a time."""
    people = audience.recipients()
    statement = (
        select(people.c.team_id, people.c.slack_user_id)
        .where(
            (people.c.tz_checked_at.is_(None)) | (people.c.tz_checked_at < checked_before),
            people.c.person_id.in_(select(PracticeSubscription.person_id).where(PracticeSubscription.status == ACTIVE)),
        )
        .order_by(people.c.tz_checked_at)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def add_day(session: Session, *, subscription_id: int, local_date: date, variation: int, delivery_key: str) -> bool:
    return bool(
        insert_or_ignore(
            session,
            PracticeDay.__table__,  # type: ignore[arg-type]
            [
                {
                    "subscription_id": subscription_id,
                    "local_date": local_date,
                    "variation": variation,
                    "status": DayStatus.SCHEDULED.value,
                    "delivery_key": delivery_key,
                }
            ],
            conflict=["subscription_id", "local_date"],
        )
    )


def find_day(session: Session, *, subscription_id: int, local_date: date) -> PracticeDay | None:
    return session.scalars(
        select(PracticeDay).where(PracticeDay.subscription_id == subscription_id, PracticeDay.local_date == local_date)
    ).one_or_none()


def get_day(session: Session, day_id: int) -> PracticeDay | None:
    return session.get(PracticeDay, day_id)


def days_with_delivery(
    session: Session, subscription_id: int, *, limit: int = 400
) -> list[tuple[PracticeDay, str | None]]:
    """The subscription's days, newest first, with the status of the delivery that carried each."""
    sent = ledger.statuses()
    statement = (
        select(PracticeDay, sent.c.status)
        .outerjoin(sent, sent.c.key == PracticeDay.delivery_key)
        .where(PracticeDay.subscription_id == subscription_id)
        .order_by(PracticeDay.local_date.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def due_between(session: Session, person_id: int, *, start: date, end: date) -> list[tuple[PracticeSubscription, int]]:
    """The person's subscriptions that had a day due from `start` to before `end` (local dates), each with how
    many of those days were done."""
    done = func.sum(case((PracticeDay.status == DayStatus.DONE.value, 1), else_=0))
    statement = (
        select(PracticeSubscription, done)
        .join(PracticeDay, PracticeDay.subscription_id == PracticeSubscription.id)
        .where(
            PracticeSubscription.person_id == person_id, PracticeDay.local_date >= start, PracticeDay.local_date < end
        )
        .group_by(PracticeSubscription.id)
        .order_by(PracticeSubscription.id)
    )
    return [(row[0], int(row[1] or 0)) for row in session.execute(statement)]


def recent_reflections(session: Session, person_id: int, *, limit: int = 3) -> list[tuple[date, str, str]]:
    """(local date, technique key, text) of the person's own latest reflections (never anyone else's)."""
    statement = (
        select(PracticeDay.local_date, PracticeSubscription.technique_key, PracticeDay.reflection)
        .join(PracticeSubscription, PracticeSubscription.id == PracticeDay.subscription_id)
        .where(PracticeSubscription.person_id == person_id, PracticeDay.reflection.is_not(None))
        .order_by(PracticeDay.answered_at.desc())
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(statement) if row[2]]


def unanswered_in_a_row(session: Session, subscription_id: int, *, before: date, since: date | None, limit: int) -> int:
    """How many of the latest reminders before `before` (after `since`) went unanswered in a row. Days the
    bot missed are nobody's silence and are passed over."""
    statement = (
        select(PracticeDay.status)
        .where(
            PracticeDay.subscription_id == subscription_id,
            PracticeDay.local_date < before,
            PracticeDay.status != DayStatus.MISSED.value,
        )
        .order_by(PracticeDay.local_date.desc())
        .limit(limit)
    )
    if since is not None:
        statement = statement.where(PracticeDay.local_date > since)
    quiet = 0
    for status in session.scalars(statement):
        if DayStatus(status).answered:
            break
        quiet += 1
    return quiet
