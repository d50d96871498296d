"""A person's own ratings over time, per skill: what the Home tab shows them (nobody else's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.localtime import local_date, zone
from bot.measurement import repository
from bot.measurement.types import Moment
from bot.people.types import PersonRef

# where they stood at a point in time, on the skill's rubric; "thinking back" rates a past self and "did it
# stick?" is how often, not a level: neither is a point on this line
ON_THE_LINE = (Moment.BASELINE, Moment.AFTER, Moment.MONTHLY)
SHOWN = 12  # the latest ratings per skill


@dataclass(frozen=True)
class RatingPoint:
    on: date
    moment: Moment
    value: int


@dataclass(frozen=True)
class SkillHistory:
    skill_key: str
    skill_name: str
    points: tuple[RatingPoint, ...]  # oldest first, the latest SHOWN
    count: int  # every rating on the line, shown or not


class RatingsHistory:
    def __init__(self, *, sessions: sessionmaker[Session], catalogue: Catalogue, default_timezone: str) -> None:
        self._sessions = sessions
        self._catalogue = catalogue
        self._default_tz = default_timezone

    def of(self, person: PersonRef) -> tuple[SkillHistory, ...]:
        """The person's own self-ratings per skill, the skill rated most recently first."""
        tz = zone(person.tz, self._default_tz)
        with self._sessions() as session:
            found = repository.own_ratings(session, person.person_id, ON_THE_LINE)
        by_skill: dict[str, list[RatingPoint]] = {}
        for skill_key, moment, value, at in found:
            by_skill.setdefault(skill_key, []).append(RatingPoint(local_date(at, tz), moment, value))
        state = self._catalogue.current()
        histories = [
            SkillHistory(key, state.skill_name(key), tuple(points[-SHOWN:]), len(points))
            for key, points in by_skill.items()
            if key
        ]
        return tuple(sorted(histories, key=lambda h: h.points[-1].on, reverse=True))
