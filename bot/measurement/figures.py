"""Capability change, per skill, for a report: aggregated in the database (see the repository), handed out as
raw numbers with the number of distinct people behind each; the report suppresses small groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db.figures import Among, Changes, Spread
from bot.measurement import repository
from bot.measurement.types import Moment, Rater


@dataclass(frozen=True)
class CapabilityFigures:
    """Per skill key: self baseline -> after, self retrospective -> after, the proposer's after against the
    person's own baseline, the monthly self-rating by month (YYYY-MM), and did-it-stick answers (1-5 -> people)."""

    before_after: dict[str, Changes]
    retrospective_after: dict[str, Changes]
    proposer_observed: dict[str, Changes]
    monthly: dict[str, dict[str, Spread]]
    stuck: dict[str, dict[int, int]]

    @property
    def skills(self) -> set[str]:
        return {
            *self.before_after,
            *self.retrospective_after,
            *self.proposer_observed,
            *self.monthly,
            *self.stuck,
        }


def capability(session: Session, among: Among) -> CapabilityFigures:
    """The capability figures of ratings given in `among`'s period by its people (the after rating's time for
    a change)."""
    return CapabilityFigures(
        before_after=repository.changes(session, among, first=Moment.BASELINE, second_rater=Rater.SELF),
        retrospective_after=repository.changes(session, among, first=Moment.RETROSPECTIVE, second_rater=Rater.SELF),
        proposer_observed=repository.changes(session, among, first=Moment.BASELINE, second_rater=Rater.PROPOSER),
        monthly=repository.monthly(session, among),
        stuck=repository.stuck_answers(session, among),
    )
