"""The delivery outbox: materialise once, claim under a lease, record the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Delivery, DeliveryStatus, Person, Workspace
from bot.repositories.rows import insert_or_ignore


@dataclass(frozen=True)
class NewDelivery:
    """A piece of due work. `key` is unique: materialising the same key again does nothing."""

    key: str
    kind: str
    workspace_id: int
    payload: dict[str, Any]
    due_at: datetime
    expires_at: datetime
    person_id: int | None = None
    subject_id: int | None = None
    user_id: str | None = None
    channel: str | None = None
    thread_ts: str | None = None

    @classmethod
    def to_person(
        cls,
        person: Person,
        *,
        key: str,
        kind: str,
        subject_id: int | None,
        payload: dict[str, Any],
        due_at: datetime,
        expires_at: datetime,
    ) -> NewDelivery:
        """A DM to `person` (through their known DM channel, else opened when sent)."""
        return cls(
            key=key,
            kind=kind,
            workspace_id=person.workspace_id,
            person_id=person.id,
            subject_id=subject_id,
            user_id=person.slack_user_id,
            channel=person.dm_channel_id,
            payload=payload,
            due_at=due_at,
            expires_at=expires_at,
        )


def add_deliveries(session: Session, items: Sequence[NewDelivery], *, now: datetime) -> int:
    """Insert-or-ignore by key; returns how many were new."""
    rows = [
        {
            "key": item.key,
            "kind": item.kind,
            "workspace_id": item.workspace_id,
            "person_id": item.person_id,
            "subject_id": item.subject_id,
            "user_id": item.user_id,
            "channel": item.channel,
            "thread_ts": item.thread_ts,
            "payload": item.payload,
            "status": DeliveryStatus.PENDING.value,
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


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.scalars(select(Delivery.key).where(Delivery.key.in_(keys))))


def claim(session: Session, *, owner: str, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    """Lease up to `limit` due rows to `owner`.

    One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING: on PostgreSQL concurrent
    claimers skip each other's rows; on SQLite the statement holds the write lock. A row whose earlier
    lease ran out without a recorded outcome comes back flagged `in_doubt`.
    """
    due = (
        select(Delivery.id)
        .join(Workspace, Workspace.id == Delivery.workspace_id)
        .where(
            Delivery.status == DeliveryStatus.PENDING.value,
            Delivery.due_at <= now,
            Delivery.expires_at > now,
            or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
            or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
            Workspace.paused_at.is_(None),
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
    return (Delivery.id == delivery_id) & (Delivery.lease_owner == owner) & (Delivery.status == "pending")


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
            table.c.status == DeliveryStatus.PENDING.value,
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
            Delivery.status == DeliveryStatus.PENDING.value,
            or_(Delivery.not_before.is_(None), Delivery.not_before < not_before),
        )
        .values(not_before=not_before)
    )


def expire_overdue(session: Session, *, now: datetime) -> int:
    """Mark pending rows past their catch-up window as expired: skipped and recorded, never sent late."""
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.status == DeliveryStatus.PENDING.value,
            Delivery.expires_at <= now,
            or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
        )
        .values(status=DeliveryStatus.EXPIRED.value, lease_until=None, last_error="later than its catch-up window")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def cancel_pending(
    session: Session,
    *,
    person_id: int | None = None,
    kind: str | None = None,
    subject_id: int | None = None,
    reason: str,
) -> int:
    """Cancel pending rows for a person, or for one subject of a kind."""
    conditions = [Delivery.status == DeliveryStatus.PENDING.value]
    if person_id is not None:
        conditions.append(Delivery.person_id == person_id)
    if kind is not None:
        conditions.append(Delivery.kind == kind)
    if subject_id is not None:
        conditions.append(Delivery.subject_id == subject_id)
    result = session.execute(
        update(Delivery).where(*conditions).values(status=DeliveryStatus.CANCELLED.value, last_error=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def get_delivery(session: Session, delivery_id: int) -> Delivery | None:
    return session.get(Delivery, delivery_id)


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return {status: int(count) for status, count in rows}


def next_pending_after(session: Session, after: datetime) -> datetime | None:
    """When the next pending row becomes claimable after `after` (its due time or its `not_before`)."""
    due = session.scalar(
        select(func.min(Delivery.due_at)).where(
            Delivery.status == DeliveryStatus.PENDING.value, Delivery.due_at > after
        )
    )
    retry = session.scalar(
        select(func.min(Delivery.not_before)).where(
            Delivery.status == DeliveryStatus.PENDING.value, Delivery.not_before > after
        )
    )
    found = [instant for instant in (due, retry) if instant is not None]
    return min(found) if found else None
