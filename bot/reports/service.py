"""Reports for the people allowed to read them: an admin the whole workspace's or any team's, a team's lead
their team's (bot/teams decides); the period is the last `days` days, unless asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.errors import NotAllowed
from bot.library.shelf import Shelf
from bot.people.types import PersonRef
from bot.reports.build import build_report
from bot.reports.drafts import top_topic
from bot.reports.types import Report, Topic
from bot.reports.values import Scope
from bot.teams.service import TeamsService

DAYS = 30
ADMINS_ONLY = "Only an admin can turn a moment of need into a draft resource."


@dataclass(frozen=True)
class Asked:
    """A report as one person asked for it: what it covers, and whether they may draft from its needs."""

    report: Report
    team: str | None  # the team's key; None: the whole workspace
    admin: bool


class ReportsService:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        shelf: Shelf,
        teams: TeamsService,
        min_group: int,
        default_timezone: str,
        days: int = DAYS,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._shelf = shelf
        self._teams = teams
        self._min_group = min_group
        self._zone = default_timezone
        self._days = days

    def for_person(self, person: PersonRef, team_key: str | None) -> Asked:
        """The report `person` asked for, over the last days up to this minute (included); NotAllowed when it
        is not theirs to read."""
        until = self._clock.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
        return self._report(person, team_key, until - timedelta(days=self._days), until)

    def topic(self, person: PersonRef, team_key: str | None, since: datetime, until: datetime, rank: int) -> Topic:
        """One of the top moments of need of a report an admin read, worked out again (for a draft)."""
        asked = self._report(person, team_key, since, until)
        if not asked.admin:
            raise NotAllowed(ADMINS_ONLY)
        return top_topic(asked.report.needs, rank)

    def _report(self, person: PersonRef, team_key: str | None, since: datetime, until: datetime) -> Asked:
        team = self._teams.scope_for(person, team_key)
        report = build_report(
            self._sessions,
            Scope(person.workspace_id, team.name, team.person_ids),
            since=since,
            until=until,
            shelf=self._shelf.current(),
            min_group=self._min_group,
            default_tz=self._zone,
        )
        return Asked(report, team.key, self._teams.is_admin(person))
