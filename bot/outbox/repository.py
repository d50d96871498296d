"""The delivery outbox: materialise once, claim under a lease, record the outcome. The only SQL on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.rows import insert_or_ignore
from bot.outbox.models import Delivery
from bot.outbox.types import TRANSITIONS, DeliveryStatus, NewDelivery
from bot.people import audience

PENDING = DeliveryStatus.PENDING.value


def add_deliveries(session: Session, items: Sequence[NewDelivery], *, now: datetime) -> int:
    """Insert-or-ignore by key; returns how many were new."""
    rows = [
        {
            "key": str(item.key),
            "kind": item.kind,
            "workspace_id": item.workspace_id,
            "person_id": item.person_id,
            "subject_id": item.subject_id,
            "user_id": item.user_id,
            "channel": item.channel,
            "thread_ts": item.thread_ts,
            "edit_ts": item.edit_ts,
            "payload": item.payload,
            "author_id": item.author_id,
            "status": PENDING,
            "due_at": item.due_at,
            "expires_at": item.expires_at,
            "in_doubt": False,
            "attempts": 0,
            "created_at": now,
        }
        for item in items
    ]
    return insert_or_ignore(session, Delivery.__table__, rows, conflict=["key"])  # type: ignore[arg-type]


def keys_with_prefix(session: Session, prefix: str) -> list[str]:
    return list(session.scalars(select(Delivery.key).where(Delivery.key.startswith(prefix, autoescape=True))))


def key_exists(session: Session, key: str) -> bool:
    return session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None


def any_key_exists(session: Session, keys: Sequence[str]) -> bool:
    return bool(keys) and session.scalar(select(Delivery.id).where(Delivery.key.in_(keys)).limit(1)) is not None


def sent_at(session: Session, key: str) -> tuple[str, str] | None:
    """(channel, ts) of a delivery that was sent."""
    row = session.execute(
        select(Delivery.channel, Delivery.sent_ts).where(Delivery.key == key, Delivery.status == DeliveryStatus.SENT)
    ).first()
    return (row[0], row[1]) if row is not None and row[0] and row[1] else None


def sent_when(session: Session, key: str) -> datetime | None:
    """When a delivery was sent (UTC), if it was."""
    found = session.scalar(select(Delivery.sent_at).where(Delivery.key == key, Delivery.status == DeliveryStatus.SENT))
    return found.replace(tzinfo=UTC) if found is not None and found.tzinfo is None else found


def latest_key(session: Session, prefix: str) -> str | None:
    """The key, among those starting with `prefix`, of the delivery due last."""
    return session.scalar(
        select(Delivery.key)
        .where(Delivery.key.startswith(prefix, autoescape=True))
        .order_by(Delivery.due_at.desc())
        .limit(1)
    )


def unclaimed_pending(
    session: Session, *, kind: str, subject_id: int, now: datetime
) -> list[tuple[int, str, datetime, datetime]]:
    """(id, key, due, expires) of rows not sent yet and not being sent now (a claimed row is its worker's)."""
    rows = session.execute(
        select(Delivery.id, Delivery.key, Delivery.due_at, Delivery.expires_at).where(
            Delivery.kind == kind,
            Delivery.subject_id == subject_id,
            Delivery.status == PENDING,
            or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
        )
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def move(session: Session, delivery_id: int, *, due_at: datetime, expires_at: datetime) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == PENDING)
        .values(due_at=due_at, expires_at=expires_at)
    )


def claim(session: Session, *, owner: str, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    """Lease up to `limit` due rows to `owner`.

    One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING: on PostgreSQL concurrent
    claimers skip each other's rows; on SQLite the statement holds the write lock. A row whose earlier
    lease ran out without a recorded outcome comes back flagged `in_doubt`.
    """
    due = (
        select(Delivery.id)
        .where(
            Delivery.status == PENDING,
            Delivery.due_at <= now,
            Delivery.expires_at > now,
            or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
            or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
            Delivery.workspace_id.not_in(audience.paused_workspaces()),
        )
        .order_by(Delivery.due_at, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Delivery)
    )
    statement = (
        update(Delivery)
        .where(Delivery.id.in_(due.scalar_subquery()))
        .values(
            lease_owner=owner,
            lease_until=now + lease,
            attempts=Delivery.attempts + 1,
            in_doubt=or_(Delivery.in_doubt, Delivery.lease_until.is_not(None)),
        )
        .returning(Delivery)
        .execution_options(synchronize_session=False)
    )
    claimed = list(session.scalars(statement))
    return sorted(claimed, key=lambda row: (row.due_at, row.id))


def _owned(delivery_id: int, owner: str) -> Any:
    return (Delivery.id == delivery_id) & (Delivery.lease_owner == owner) & (Delivery.status == PENDING)


def mark_sent_many(session: Session, sent: Sequence[tuple[int, str, str]], *, owner: str, now: datetime) -> set[int]:
    """Record (id, channel, ts) for many rows in one statement; returns the ids recorded (a row whose lease
    another worker took meanwhile is left alone)."""
    if not sent:
        return set()
    table: Table = Delivery.__table__  # type: ignore[assignment]  # Core: one compiled executemany
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("row_id"),
            table.c.lease_owner == owner,
            table.c.status == PENDING,
        )
        .values(
            status=DeliveryStatus.SENT.value,
            channel=bindparam("row_channel"),
            sent_ts=bindparam("row_ts"),
            sent_at=now,
            lease_until=None,
            in_doubt=False,
            last_error=None,
        )
    )
    session.execute(statement, [{"row_id": i, "row_channel": c, "row_ts": t} for i, c, t in sent])
    recorded = select(Delivery.id, Delivery.sent_ts).where(Delivery.id.in_([i for i, _, _ in sent]))
    expected = {i: t for i, _, t in sent}
    return {row_id for row_id, ts in session.execute(recorded) if expected.get(row_id) == ts}


def release(
    session: Session,
    delivery_id: int,
    *,
    owner: str,
    not_before: datetime,
    in_doubt: bool,
    error: str,
    channel: str | None = None,
) -> None:
    """Give the row back to the pool, to be tried again no earlier than `not_before`."""
    values: dict[str, Any] = {
        "lease_until": None,
        "lease_owner": None,
        "not_before": not_before,
        "in_doubt": in_doubt,
        "last_error": error[:2000],
    }
    if channel is not None:
        values["channel"] = channel
    session.execute(
        update(Delivery).execution_options(synchronize_session=False).where(_owned(delivery_id, owner)).values(**values)
    )


def finish(session: Session, delivery_id: int, *, owner: str, status: DeliveryStatus, error: str) -> None:
    """End a claimed row without sending it (failed, expired or cancelled)."""
    if status not in TRANSITIONS[DeliveryStatus.PENDING]:
        raise ValueError(f"a pending delivery cannot become {status}")
    session.execute(
        update(Delivery)
        .execution_options(synchronize_session=False)
        .where(_owned(delivery_id, owner))
        .values(status=status.value, lease_until=None, last_error=error[:2000])
    )


def defer_channel(session: Session, channel: str, not_before: datetime) -> None:
    """Slack rate-limited a channel: nothing else waiting for it goes out before `not_before`."""
    session.execute(
        update(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.status == PENDING,
            or_(Delivery.not_before.is_(None), Delivery.not_before < not_before),
        )
        .values(not_before=not_before)
    )


def expire_overdue(session: Session, *, now: datetime) -> int:
    """Mark pending rows past their catch-up window as expired: skipped and recorded, never sent late."""
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.status == PENDING,
            Delivery.expires_at <= now,
            or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
        )
        .values(status=DeliveryStatus.EXPIRED.value, lease_until=None, last_error="later than its catch-up window")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def cancel_pending(
    session: Session,
    *,
    reason: str,
    person_id: int | None = None,
    kind: str | None = None,
    subject_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> int:
    """Cancel pending rows: for a person, for a kind, for one subject of a kind, or by id."""
    conditions = [Delivery.status == PENDING]
    if person_id is not None:
        conditions.append(Delivery.person_id == person_id)
    if kind is not None:
        conditions.append(Delivery.kind == kind)
    if subject_id is not None:
        conditions.append(Delivery.subject_id == subject_id)
    if ids is not None:
        conditions.append(Delivery.id.in_(ids))
    result = session.execute(
        update(Delivery).where(*conditions).values(status=DeliveryStatus.CANCELLED.value, last_error=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def next_pending_after(session: Session, after: datetime) -> datetime | None:
    """When the next pending row becomes claimable after `after` (its due time or its `not_before`)."""
    due = session.scalar(select(func.min(Delivery.due_at)).where(Delivery.status == PENDING, Delivery.due_at > after))
    retry = session.scalar(
        select(func.min(Delivery.not_before)).where(Delivery.status == PENDING, Delivery.not_before > after)
    )
    found = [instant for instant in (due, retry) if instant is not None]
    return min(found) if found else None


def rewrite(session: Session, key: str, payload: dict[str, Any], *, author_id: int | None) -> tuple[str, str] | None:
    """Replace what a delivery says (pending: what will be sent; sent: the record of it). Returns the
    (channel, ts) of the message when it was sent, so the caller may edit it in Slack too."""
    session.execute(update(Delivery).where(Delivery.key == key).values(payload=payload, author_id=author_id))
    return sent_at(session, key)


def blank_authored(session: Session, author_id: int, payload: dict[str, Any], *, reason: str) -> int:
    """Deliveries to others carrying `author_id`'s words: pending ones are cancelled, and every one's payload
    becomes `payload`. Returns how many."""
    others = (Delivery.author_id == author_id) & ((Delivery.person_id != author_id) | Delivery.person_id.is_(None))
    session.execute(
        update(Delivery)
        .where(others, Delivery.status == PENDING)
        .values(status=DeliveryStatus.CANCELLED.value, last_error=reason)
    )
    result = session.execute(update(Delivery).where(others).values(payload=payload, author_id=None))
    return int(getattr(result, "rowcount", 0) or 0)
