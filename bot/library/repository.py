"""Searches, resource events, feedback and opens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from bot.db.rows import insert_or_ignore
from bot.library.fit import Fit
from bot.library.models import ResourceEvent, ResourceFeedback, ResourceOpen, Search
from bot.people import audience
from bot.people.types import PersonRef

POSITIVE = ("helpful", "yes")
NEGATIVE = ("not_helpful", "no")


def record_search(
    session: Session,
    *,
    workspace_id: int,
    person_id: int,
    query: str,
    results: list[dict[str, Any]],
    fit: Fit,
    now: datetime,
) -> int:
    search = Search(
        workspace_id=workspace_id, person_id=person_id, query=query[:500], results=results, fit=fit, created_at=now
    )
    session.add(search)
    session.flush()
    return search.id


def find_search(session: Session, search_id: int) -> Search | None:
    return session.get(Search, search_id)


def search_owner(session: Session, search_id: int) -> int | None:
    return session.scalar(select(Search.person_id).where(Search.id == search_id))


def record_event(
    session: Session,
    *,
    workspace_id: int,
    person_id: int,
    kind: str,
    now: datetime,
    item_id: int | None = None,
    search_id: int | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        ResourceEvent(
            workspace_id=workspace_id,
            person_id=person_id,
            content_item_id=item_id,
            search_id=search_id,
            kind=kind,
            detail=detail,
            created_at=now,
        )
    )


def set_feedback(session: Session, *, person_id: int, item_id: int, source: str, value: str, now: datetime) -> bool:
    """Store a person's answer (a repeat click changes nothing twice). True when it is their first answer."""
    first = insert_or_ignore(
        session,
        ResourceFeedback.__table__,  # type: ignore[arg-type]
        [{"person_id": person_id, "content_item_id": item_id, "source": source, "value": value, "updated_at": now}],
        conflict=["person_id", "content_item_id", "source"],
    )
    if not first:
        session.execute(
            update(ResourceFeedback)
            .where(
                ResourceFeedback.person_id == person_id,
                ResourceFeedback.content_item_id == item_id,
                ResourceFeedback.source == source,
            )
            .values(value=value, updated_at=now)
        )
    return bool(first)


def net_feedback(session: Session) -> dict[int, int]:
    """Per item: positive answers minus negative ones, over everyone."""
    score = func.sum(
        case((ResourceFeedback.value.in_(POSITIVE), 1), (ResourceFeedback.value.in_(NEGATIVE), -1), else_=0)
    )
    rows = session.execute(select(ResourceFeedback.content_item_id, score).group_by(ResourceFeedback.content_item_id))
    return {int(item): int(total or 0) for item, total in rows}


def record_open(session: Session, *, person_id: int, item_id: int, now: datetime) -> bool:
    """Remember the first open of a resource by a person; True the first time."""
    return bool(
        insert_or_ignore(
            session,
            ResourceOpen.__table__,  # type: ignore[arg-type]
            [{"person_id": person_id, "content_item_id": item_id, "opened_at": now}],
            conflict=["person_id", "content_item_id"],
        )
    )


def recent_opens(session: Session, *, person_id: int, limit: int) -> list[int]:
    rows = session.scalars(
        select(ResourceOpen.content_item_id)
        .where(ResourceOpen.person_id == person_id)
        .order_by(ResourceOpen.opened_at.desc(), ResourceOpen.id.desc())
        .limit(limit)
    )
    return list(rows)


def opens_awaiting_followup(
    session: Session, *, opened_before: datetime, limit: int
) -> list[tuple[int, int, datetime, PersonRef]]:
    """(open id, content item id, opened at, person) of opens old enough for the follow-up question, for
    people who still want it and can receive it, oldest first."""
    people = audience.recipients()
    statement = (
        select(ResourceOpen.id, ResourceOpen.content_item_id, ResourceOpen.opened_at, people)
        .join(people, people.c.person_id == ResourceOpen.person_id)
        .where(
            ResourceOpen.followup_at.is_(None),
            ResourceOpen.opened_at <= opened_before,
            people.c.followups_enabled.is_(True),
        )
        .order_by(ResourceOpen.opened_at, ResourceOpen.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2], audience.person_ref(row)) for row in session.execute(statement)]


def oldest_open_awaiting_followup(session: Session) -> datetime | None:
    people = audience.recipients()
    return session.scalar(
        select(func.min(ResourceOpen.opened_at))
        .join(people, people.c.person_id == ResourceOpen.person_id)
        .where(ResourceOpen.followup_at.is_(None), people.c.followups_enabled.is_(True))
    )


def skip_missed_followups(session: Session, *, opened_before: datetime, now: datetime) -> int:
    """Opens whose follow-up day has passed unasked (the bot was down) are marked, in one statement."""
    result = session.execute(
        update(ResourceOpen)
        .where(ResourceOpen.followup_at.is_(None), ResourceOpen.opened_at < opened_before)
        .values(followup_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def mark_followed_up(session: Session, open_ids: Sequence[int], *, now: datetime) -> None:
    if open_ids:
        session.execute(update(ResourceOpen).where(ResourceOpen.id.in_(open_ids)).values(followup_at=now))
