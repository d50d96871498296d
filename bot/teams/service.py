"""Teams: rosters read from Slack once a day, and who may read which report.

An admin (named in LEARN_ADMINS, or a workspace admin or owner) may read the whole workspace's report and any
team's; a team's leads (named in `content/teams.yaml`) may read their team's; nobody else may read one. A
report's people are a team's members the bot knows: nobody can ask for an arbitrary channel, which is how
small groups would be exposed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.content.types import TeamView
from bot.db.engine import transaction
from bot.errors import NotAllowed, NotFound, quote
from bot.people import service as people
from bot.people.service import PeopleService
from bot.people.types import PersonRef
from bot.teams import repository
from bot.teams.types import Rosters, TeamScope

log = logging.getLogger(__name__)

REFRESH = timedelta(days=1)
NOT_ALLOWED = "Reports are for admins and team leads. Ask an admin if you need one."


def source_of(team: TeamView) -> str:
    return f"channel:{team.channel}" if team.channel else f"usergroup:{team.usergroup}"


class TeamsService:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        catalogue: Catalogue,
        people: PeopleService,
        rosters: Rosters,
        admins: frozenset[str] = frozenset(),
    ) -> None:
        self._sessions = sessions
        self._catalogue = catalogue
        self._people = people
        self._rosters = rosters
        self._admins = admins

    # -- rosters ------------------------------------------------------------------------------------------------
    def refresh(self, now: datetime) -> int:
        """A chore: each team whose roster is a day old, missing, or from another source is read from Slack;
        when Slack cannot say, the last roster stays. Rosters of teams gone from the content are dropped."""
        teams = self._catalogue.current().teams
        with self._sessions() as session:
            stored = {key: (r.source, r.refreshed_at) for key, r in repository.rosters(session).items()}
        read = 0
        for team in teams.values():
            last = stored.get(team.key)
            if last is not None and last[0] == source_of(team) and now - last[1] < REFRESH:
                continue
            members = (
                self._rosters.channel_members(team.channel)
                if team.channel
                else self._rosters.usergroup_members(team.usergroup or "")
            )
            if members is None:
                log.warning("could not read the members of team %s (%s); keeping the last", team.key, source_of(team))
                continue
            with transaction(self._sessions) as session:
                repository.store(session, team.key, source_of(team), sorted(members), now)
            read += 1
        with transaction(self._sessions) as session:
            repository.forget_others(session, sorted(teams))
        return read

    # -- who may read what --------------------------------------------------------------------------------------
    def is_admin(self, person: PersonRef) -> bool:
        return person.slack_user_id in self._admins or self._people.is_workspace_admin(person)

    def reads_reports(self, person: PersonRef) -> bool:
        """An admin, or a lead of some team."""
        return bool(self.led_by(person)) or self.is_admin(person)

    def led_by(self, person: PersonRef) -> tuple[TeamView, ...]:
        teams = self._catalogue.current().teams.values()
        return tuple(team for team in teams if person.slack_user_id in team.leads)

    def scope_for(self, person: PersonRef, team_key: str | None) -> TeamScope:
        """The scope `person` asked for, if they may read it: the workspace (admins), or a team (its leads and
        admins). A lead of one team who names no team gets theirs."""
        teams = self._catalogue.current().teams
        admin = self.is_admin(person)
        if team_key is None and not admin:
            led = self.led_by(person)
            if len(led) != 1:
                raise NotAllowed(NOT_ALLOWED if not led else "Name the team: " + ", ".join(t.key for t in led) + ".")
            team_key = led[0].key
        if team_key is None:
            return TeamScope(None, "The whole workspace", None)
        team = teams.get(team_key)
        if not admin and (team is None or person.slack_user_id not in team.leads):
            raise NotAllowed(NOT_ALLOWED)  # a lead learns nothing of other teams, not even their names
        if team is None:
            known = ", ".join(sorted(teams)) or "none yet"
            raise NotFound(f"There is no team called {quote(team_key)}. Teams: {known}.")
        return self.scope(person.workspace_id, team.key)

    def scope(self, workspace_id: int, team_key: str) -> TeamScope:
        return team_scope(self._sessions, self._catalogue, workspace_id, team_key)


def team_scope(sessions: sessionmaker[Session], catalogue: Catalogue, workspace_id: int, team_key: str) -> TeamScope:
    """A team's people as the bot knows them, from the last roster read (the command line answers to the
    operator, so it needs no Slack: the tick keeps rosters a day fresh)."""
    teams = catalogue.current().teams
    team = teams.get(team_key)
    if team is None:
        known = ", ".join(sorted(teams)) or "none yet (content/teams.yaml)"
        raise NotFound(f"There is no team called {quote(team_key)}. Teams: {known}.")
    with sessions() as session:
        members = repository.members(session, team.key)
        if members is None:
            raise NotFound(f"The members of {quote(team.name)} have not been read from Slack yet: try again soon.")
        return TeamScope(team.key, team.name, people.person_ids(session, workspace_id, members))
