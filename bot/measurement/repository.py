"""The only SQL for ratings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Float, and_, case, cast, distinct, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from bot.db.figures import Among, Changes, Spread
from bot.measurement.models import Rating
from bot.measurement.types import Moment, Rater

REVIEW_PREFIX = "review:"  # the source of a monthly self-rating: review:YYYY-MM


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


# -- report figures: aggregated here, one row per skill (and value) ------------------------------------------
def _scoped(rating: type[Rating] | Any, among: Among) -> list[Any]:
    """The ratings of `among`'s people, given in its period."""
    where = [
        rating.workspace_id == among.workspace_id,
        rating.created_at >= among.since,
        rating.created_at < among.until,
    ]
    where += among.of_people(rating.person_id)
    return where


def changes(
    session: Session,
    among: Among,
    *,
    first: Moment,
    second_rater: Rater,
) -> dict[str, Changes]:
    """Per skill, each person's latest change from their own `first` rating to the `second_rater`'s after
    rating of the same source (the after rating given in the period)."""
    before, after = aliased(Rating), aliased(Rating)
    change = after.value - before.value
    ranked = (
        select(
            after.skill_key.label("skill"),
            change.label("change"),
            func.row_number()
            .over(partition_by=(after.person_id, after.skill_key), order_by=(after.created_at.desc(), after.id.desc()))
            .label("latest"),
        )
        .join(
            before,
            and_(
                before.person_id == after.person_id,
                before.skill_key == after.skill_key,
                before.source == after.source,
                before.rater == Rater.SELF,
                before.moment == first,
            ),
        )
        .where(
            *_scoped(after, among),
            after.rater == second_rater,
            after.moment == Moment.AFTER,
        )
        .subquery()
    )
    one = select(ranked.c.skill, ranked.c.change).where(ranked.c.latest == 1).subquery()
    people = func.count()
    total, squares = func.sum(one.c.change), func.sum(one.c.change * one.c.change)
    variance = case(
        (people > 1, (cast(squares, Float) - cast(total, Float) * cast(total, Float) / people) / (people - 1)),
        else_=None,
    )
    improved = func.sum(case((one.c.change > 0, 1), else_=0))
    summary = session.execute(
        select(one.c.skill, people, func.avg(cast(one.c.change, Float)), variance, improved).group_by(one.c.skill)
    ).all()
    spread: dict[str, dict[int, int]] = {}
    for skill, value, count in session.execute(
        select(one.c.skill, one.c.change, people).group_by(one.c.skill, one.c.change)
    ):
        spread.setdefault(skill, {})[int(value)] = int(count)
    return {
        skill: Changes(
            people=int(n),
            mean=float(mean) if mean is not None else None,
            variance=max(0.0, float(var)) if var is not None else None,
            improved=int(up or 0),
            by_change=spread.get(skill, {}),
        )
        for skill, n, mean, var, up in summary
    }


def monthly(session: Session, among: Among) -> dict[str, dict[str, Spread]]:
    """Per skill and month (of the review, `review:YYYY-MM`), the mean self-rating and how many gave one."""
    month = func.substr(Rating.source, literal_column(str(len(REVIEW_PREFIX) + 1)), literal_column("7"))
    rows = session.execute(
        select(Rating.skill_key, month, func.avg(cast(Rating.value, Float)), func.count(distinct(Rating.person_id)))
        .where(
            *_scoped(Rating, among),
            Rating.rater == Rater.SELF,
            Rating.moment == Moment.MONTHLY,
            Rating.source.like(f"{REVIEW_PREFIX}%"),
        )
        .group_by(Rating.skill_key, month)
    )
    found: dict[str, dict[str, Spread]] = {}
    for skill, when, mean, people in rows:
        found.setdefault(skill, {})[str(when)] = Spread(float(mean) if mean is not None else None, int(people))
    return found


def stuck_answers(session: Session, among: Among) -> dict[str, dict[int, int]]:
    """Per skill, how many people gave each did-it-stick answer (1-5), each person's latest in the period."""
    ranked = (
        select(
            Rating.skill_key.label("skill"),
            Rating.value.label("value"),
            func.row_number()
            .over(
                partition_by=(Rating.person_id, Rating.skill_key), order_by=(Rating.created_at.desc(), Rating.id.desc())
            )
            .label("latest"),
        )
        .where(
            *_scoped(Rating, among),
            Rating.rater == Rater.SELF,
            Rating.moment == Moment.DID_IT_STICK,
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.skill, ranked.c.value, func.count())
        .where(ranked.c.latest == 1)
        .group_by(ranked.c.skill, ranked.c.value)
    )
    found: dict[str, dict[int, int]] = {}
    for skill, value, people in rows:
        found.setdefault(skill, {})[int(value)] = int(people)
    return found
