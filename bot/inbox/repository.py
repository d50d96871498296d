"""Slack Events API ids already seen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.db.rows import insert_or_ignore
from bot.inbox.models import ProcessedEvent


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
