"""Daily practice in a report, as context: per technique, how many people practised (had a reminder due that
was not the bot's own miss), the days due and the days done, counted in the database.

Longest streaks are not reported: a longest streak is one person's figure, which a report never shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from bot.db.figures import Among, Tally, tally
from bot.practice.models import DayStatus, PracticeDay, PracticeSubscription


@dataclass(frozen=True)
class PracticeFigures:
    """One technique's local days in the period: practitioners, days due, days done (each with its people)."""

    practitioners: int
    due: Tally
    done: Tally


def practice(session: Session, among: Among) -> dict[str, PracticeFigures]:
    """Per technique key; a day belongs to the period by its local date (since's date to before until's)."""
    person = PracticeSubscription.person_id
    is_done = PracticeDay.status == DayStatus.DONE.value
    statement = (
        select(
            PracticeSubscription.technique_key,
            func.count(distinct(person)),
            func.count(),
            func.sum(case((is_done, 1), else_=0)),
            func.count(distinct(case((is_done, person), else_=None))),
        )
        .join(PracticeDay, PracticeDay.subscription_id == PracticeSubscription.id)
        .where(
            PracticeSubscription.workspace_id == among.workspace_id,
            PracticeDay.status != DayStatus.MISSED.value,
            PracticeDay.local_date >= among.since.date(),
            PracticeDay.local_date < among.until.date(),
        )
        .group_by(PracticeSubscription.technique_key)
    )
    statement = statement.where(*among.of_people(person))
    return {
        technique: PracticeFigures(int(people), tally(due, people), tally(done, done_people))
        for technique, people, due, done, done_people in session.execute(statement)
    }
