"""The outbox's operations for the other domains. Each joins the caller's transaction, so that a domain's
change and the messages it owes are committed together or not at all (the transactional outbox).

Nothing outside this package changes a delivery: every state change goes through here or the dispatcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.outbox import repository
from bot.outbox.keys import DeliveryKey, subject_prefix
from bot.outbox.types import NewDelivery, Payload, Pending, Posted


def enqueue(session: Session, items: Sequence[NewDelivery], *, now: datetime) -> int:
    """Materialise deliveries; a key that exists already is left as it is. Returns how many were new."""
    return repository.add_deliveries(session, items, now=now)


def exists(session: Session, key: DeliveryKey) -> bool:
    return repository.key_exists(session, str(key))


def any_exists(session: Session, keys: Sequence[DeliveryKey]) -> bool:
    """Whether one of these keys was materialised (in one query)."""
    return repository.any_key_exists(session, [str(key) for key in keys])


def keys_of(session: Session, kind: str, subject: int) -> list[DeliveryKey]:
    """Every key materialised for one subject of a kind: the bare key (`challenge_invite:7`) and those with
    days, snoozes or occasions."""
    bare = DeliveryKey(kind, subject)
    found = [DeliveryKey.parse(key) for key in repository.keys_with_prefix(session, subject_prefix(kind, subject))]
    return [bare, *found] if repository.key_exists(session, str(bare)) else found


def days_taken(session: Session, kind: str, subject: int) -> set[date]:
    """The local dates that already have a delivery of `kind` for `subject`."""
    return {key.day for key in keys_of(session, kind, subject) if key.day is not None}


def posted(session: Session, key: DeliveryKey) -> Posted | None:
    """Where and when a delivery was posted in Slack, once it was (a thread's parent, a message to update)."""
    found = repository.sent_at(session, str(key))
    return Posted(channel=found[0], ts=found[1]) if found is not None else None


def reached(session: Session, key: DeliveryKey) -> datetime | None:
    """When a delivery reached Slack, once it did."""
    return repository.sent_when(session, str(key))


def latest(session: Session, kind: str, subject: int) -> DeliveryKey | None:
    """The key of the subject's delivery due last."""
    found = repository.latest_key(session, subject_prefix(kind, subject))
    return DeliveryKey.parse(found) if found is not None else None


def pending(session: Session, *, kind: str, subject: int, now: datetime) -> list[Pending]:
    """Deliveries of a subject not sent yet and not being sent right now."""
    return [
        Pending(id=row_id, key=DeliveryKey.parse(key), due_at=due, expires_at=expires)
        for row_id, key, due, expires in repository.unclaimed_pending(session, kind=kind, subject_id=subject, now=now)
    ]


def move(session: Session, delivery: Pending, *, due_at: datetime, expires_at: datetime | None = None) -> None:
    """Send a pending delivery at another time (its local date stays the same); by default it may be as late
    as before."""
    expires = expires_at or due_at + (delivery.expires_at - delivery.due_at)
    repository.move(session, delivery.id, due_at=due_at, expires_at=expires)


def cancel(session: Session, deliveries: Sequence[Pending], *, reason: str) -> int:
    """Cancel these pending deliveries (their reason went away)."""
    if not deliveries:
        return 0
    return repository.cancel_pending(session, ids=[d.id for d in deliveries], reason=reason)


def cancel_subject(session: Session, *, kind: str, subject: int, reason: str) -> int:
    return repository.cancel_pending(session, kind=kind, subject_id=subject, reason=reason)


def cancel_for_person(session: Session, person_id: int, *, kind: str | None = None, reason: str) -> int:
    """Cancel what is queued for a person (every kind, or one)."""
    return repository.cancel_pending(session, person_id=person_id, kind=kind, reason=reason)


def opted_out(session: Session, person_id: int) -> None:
    """People hook: a person who opts out gets nothing more that was queued."""
    cancel_for_person(session, person_id, reason="opted out")


def rewrite(session: Session, key: DeliveryKey, payload: Payload, *, author_id: int | None = None) -> Posted | None:
    """What a delivery says, replaced (e.g. an invitation whose terms or note changed); where it was posted,
    when it was, so that the message itself can be edited too."""
    found = repository.rewrite(session, str(key), payload, author_id=author_id)
    return Posted(channel=found[0], ts=found[1]) if found is not None else None


REMOVED = {"text": "(Removed: the person who wrote this asked for their data to be deleted.)"}


def forgetting(session: Session, person_id: int) -> None:
    """Privacy hook, before a person is deleted: deliveries to others that still carry their words are
    blanked, and those not sent yet are not sent."""
    repository.blank_authored(session, person_id, REMOVED, reason="its author was forgotten")
