"""Practice subscriptions, practice days and self-ratings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Delivery, DeliveryStatus, Person, PracticeDay, PracticeSubscription, SelfRating, Workspace
from bot.repositories.rows import insert_or_ignore

LIVE = ("active", "paused", "suggested")


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


def due_subscriptions(session: Session, *, before: datetime, limit: int) -> list[tuple[PracticeSubscription, Person]]:
    """Active subscriptions whose next reminder is due before `before`, for people who can receive it."""
    statement = (
        select(PracticeSubscription, Person)
        .join(Person, Person.id == PracticeSubscription.person_id)
        .join(Workspace, Workspace.id == PracticeSubscription.workspace_id)
        .where(
            PracticeSubscription.status == "active",
            PracticeSubscription.next_due_at.is_not(None),
            PracticeSubscription.next_due_at <= before,
            Person.opted_out_at.is_(None),
            Person.unreachable_at.is_(None),
            Workspace.paused_at.is_(None),
        )
        .order_by(PracticeSubscription.next_due_at, PracticeSubscription.id)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def earliest_due(session: Session) -> datetime | None:
    """The first next-reminder time among subscriptions that would be materialised."""
    return session.scalar(
        select(func.min(PracticeSubscription.next_due_at))
        .join(Person, Person.id == PracticeSubscription.person_id)
        .join(Workspace, Workspace.id == PracticeSubscription.workspace_id)
        .where(
            PracticeSubscription.status == "active",
            Person.opted_out_at.is_(None),
            Person.unreachable_at.is_(None),
            Workspace.paused_at.is_(None),
        )
    )


def pauses_ending(session: Session) -> list[tuple[date, str | None]]:
    """(first day back, the person's zone) for every subscription paused until a date."""
    rows = session.execute(
        select(PracticeSubscription.paused_until, Person.tz)
        .join(Person, Person.id == PracticeSubscription.person_id)
        .where(PracticeSubscription.status == "paused", PracticeSubscription.paused_until.is_not(None))
    )
    return [(row[0], row[1]) for row in rows if row[0] is not None]


def paused_until_passed(session: Session, *, today_at_latest: date) -> list[PracticeSubscription]:
    """Subscriptions paused until a date that has come (they resume by themselves)."""
    return list(
        session.scalars(
            select(PracticeSubscription).where(
                PracticeSubscription.status == "paused",
                PracticeSubscription.paused_until.is_not(None),
                PracticeSubscription.paused_until <= today_at_latest,
            )
        )
    )


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
                    "status": "scheduled",
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
    statement = (
        select(PracticeDay, Delivery.status)
        .outerjoin(Delivery, Delivery.key == PracticeDay.delivery_key)
        .where(PracticeDay.subscription_id == subscription_id)
        .order_by(PracticeDay.local_date.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def recent_reflections(session: Session, person_id: int, *, limit: int = 3) -> list[str]:
    """The person's own latest reflections (never anyone else's)."""
    statement = (
        select(PracticeDay.reflection)
        .join(PracticeSubscription, PracticeSubscription.id == PracticeDay.subscription_id)
        .where(PracticeSubscription.person_id == person_id, PracticeDay.reflection.is_not(None))
        .order_by(PracticeDay.answered_at.desc())
        .limit(limit)
    )
    return [text for text in session.scalars(statement) if text]


def pending_deliveries(session: Session, *, kind: str, subject_id: int, now: datetime) -> list[Delivery]:
    """Not yet sent and not being sent right now (a claimed row is left to its worker)."""
    return list(
        session.scalars(
            select(Delivery).where(
                Delivery.kind == kind,
                Delivery.subject_id == subject_id,
                Delivery.status == DeliveryStatus.PENDING.value,
                or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
            )
        )
    )


def latest_delivery_key(session: Session, *, prefix: str) -> str | None:
    return session.scalar(
        select(Delivery.key)
        .where(Delivery.key.startswith(prefix, autoescape=True))
        .order_by(Delivery.due_at.desc())
        .limit(1)
    )


def set_rating(
    session: Session, *, workspace_id: int, person_id: int, skill_key: str, rating: int, occasion: str, now: datetime
) -> None:
    inserted = insert_or_ignore(
        session,
        SelfRating.__table__,  # type: ignore[arg-type]
        [
            {
                "workspace_id": workspace_id,
                "person_id": person_id,
                "skill_key": skill_key,
                "rating": rating,
                "occasion": occasion,
                "created_at": now,
            }
        ],
        conflict=["person_id", "skill_key", "occasion"],
    )
    if not inserted:
        session.execute(
            update(SelfRating)
            .where(
                SelfRating.person_id == person_id, SelfRating.skill_key == skill_key, SelfRating.occasion == occasion
            )
            .values(rating=rating, created_at=now)
        )
