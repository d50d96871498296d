"""Recording ratings, inside the caller's transaction (a rating and what caused it commit together)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import BadInput
from bot.measurement import repository
from bot.measurement.types import Moment, Rater

LEVELS = range(1, 6)


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
) -> None:
    if value not in LEVELS:
        raise BadInput("Pick a level from 1 to 5.", field="rating")
    repository.record(
        session,
        workspace_id=workspace_id,
        person_id=person_id,
        skill_key=skill_key,
        rater=rater,
        moment=moment,
        value=value,
        source=source,
        now=now,
    )


def of_source(session: Session, person_id: int, source: str) -> dict[tuple[Rater, Moment], int]:
    """Every rating of the person's that belongs to `source` (e.g. one challenge)."""
    return repository.of_source(session, person_id, source)
