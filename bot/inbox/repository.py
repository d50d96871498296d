"""Slack Events API ids already seen, and requests acknowledged at the edge whose work is not done."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.db.rows import insert_or_ignore
from bot.inbox.models import AcceptedRequest, ProcessedEvent


def record_event(session: Session, event_id: str, *, now: datetime) -> bool:
    """Remember `event_id`; True the first time, False for a repeat."""
    inserted = insert_or_ignore(
        session,
        ProcessedEvent.__table__,  # type: ignore[arg-type]
        [{"event_id": event_id, "received_at": now}],
        conflict=["event_id"],
    )
    return inserted == 1


def forget_events_before(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def accept(session: Session, *, body: str, headers: dict[str, str], owner: str, now: datetime, lease: timedelta) -> int:
    row = AcceptedRequest(
        body=body, headers=headers, received_at=now, lease_owner=owner, lease_until=now + lease, attempts=1
    )
    session.add(row)
    session.flush()
    return row.id


def finish(session: Session, request_id: int) -> None:
    session.execute(delete(AcceptedRequest).where(AcceptedRequest.id == request_id))


def claim_stale(session: Session, *, owner: str, now: datetime, lease: timedelta, limit: int) -> list[AcceptedRequest]:
    """Requests whose worker's lease ran out, leased again to `owner` (FOR UPDATE SKIP LOCKED: no two
    processes take the same one)."""
    stale = (
        select(AcceptedRequest.id)
        .where(AcceptedRequest.lease_until <= now)
        .order_by(AcceptedRequest.received_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(AcceptedRequest)
        .where(AcceptedRequest.id.in_(stale.scalar_subquery()))
        .values(lease_owner=owner, lease_until=now + lease, attempts=AcceptedRequest.attempts + 1)
        .returning(AcceptedRequest)
        .execution_options(synchronize_session=False)
    )
    return list(session.scalars(statement))


def drop_older_than(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(AcceptedRequest).where(AcceptedRequest.received_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def next_lease_end(session: Session) -> datetime | None:
    return session.scalar(select(func.min(AcceptedRequest.lease_until)))
