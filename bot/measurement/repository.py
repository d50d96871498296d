"""The only SQL for ratings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.measurement.models import Rating
from bot.measurement.types import Moment, Rater


def record(
    session: Session,
    *,
    workspace_id: int,
    person_id: int,
    skill_key: str,
    rater: Rater,
    moment: Moment,
    value: int,
    source: str,
    now: datetime,
) -> bool:
    """Store a rating; one per (person, skill, source, rater, moment): a second answer replaces the first."""
    existing = session.scalars(
        select(Rating).where(
            Rating.person_id == person_id,
            Rating.skill_key == skill_key,
            Rating.source == source,
            Rating.rater == rater,
            Rating.moment == moment,
        )
    ).first()
    if existing is not None:
        existing.value, existing.created_at = value, now
        return False
    session.add(
        Rating(
            workspace_id=workspace_id,
            person_id=person_id,
            skill_key=skill_key,
            rater=rater,
            moment=moment,
            value=value,
            source=source,
            created_at=now,
        )
    )
    session.flush()
    return True


def of_source(session: Session, person_id: int, source: str) -> dict[tuple[Rater, Moment], int]:
    """The person's ratings that belong to `source`, by (rater, moment)."""
    rows = session.execute(
        select(Rating.rater, Rating.moment, Rating.value).where(Rating.person_id == person_id, Rating.source == source)
    ).all()
    return {(rater, moment): value for rater, moment, value in rows}


def own_ratings(session: Session, person_id: int, moments: Sequence[Moment]) -> list[tuple[str, Moment, int, datetime]]:
    """The person's ratings of themselves at these moments: (skill, moment, value, when), oldest first."""
    rows = session.execute(
        select(Rating.skill_key, Rating.moment, Rating.value, Rating.created_at)
        .where(Rating.person_id == person_id, Rating.rater == Rater.SELF, Rating.moment.in_(moments))
        .order_by(Rating.created_at, Rating.id)
    )
    return [(skill, moment, value, at) for skill, moment, value, at in rows]
