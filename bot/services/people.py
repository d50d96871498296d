"""People: who someone is (role title, time zone) as far as the bot needs to know."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import transaction
from bot.db.models import Person
from bot.errors import NotFound
from bot.repositories import deliveries as outbox
from bot.repositories import workspaces

log = logging.getLogger(__name__)

FOLLOWUP_KIND = "followup"  # deliveries asking "did it help?"
ZONE_REFRESH = timedelta(days=1)
ZONE_BATCH = 50  # users.info is tier 4 (100+ a minute): stay well below


@dataclass(frozen=True)
class Profile:
    """What the directory (Slack users.info) says about someone."""

    name: str
    title: str
    tz: str | None
    deleted: bool = False


class Directory(Protocol):
    def profile(self, user_id: str) -> Profile | None:
        """The person's profile, or None when the directory cannot say right now."""
        ...


@dataclass(frozen=True)
class PersonRef:
    workspace_id: int
    person_id: int
    slack_user_id: str
    display_name: str
    title: str
    tz: str | None
    is_new: bool
    role_key: str | None = None
    skills: tuple[str, ...] = ()
    followups_enabled: bool = True
    team_id: str = ""


class PeopleService:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock, directory: Directory) -> None:
        self._sessions = sessions
        self._clock = clock
        self._directory = directory
        self.on_zone_change: list[Callable[[int], None]] = []  # called with the person id after their zone changed

    def touch(self, *, team_id: str, user_id: str) -> PersonRef:
        """The person behind a request; their profile is read from the directory the first time."""
        with self._sessions() as session:  # most requests come from people the bot knows: read only
            known = workspaces.find_person_in_team(session, team_id=team_id, slack_user_id=user_id)
            if known is not None and known.tz_checked_at is not None:
                return _ref(known, is_new=False, team_id=team_id)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            workspace = workspaces.ensure_workspace(session, team_id=team_id, now=now)
            person = workspaces.ensure_person(session, workspace_id=workspace.id, slack_user_id=user_id, now=now)
            is_new = person.tz_checked_at is None
            ref = _ref(person, is_new=is_new, team_id=team_id)
        if not is_new:
            return ref
        profile = self._directory.profile(user_id)
        if profile is None:
            return ref
        return self.apply_profile(team_id=team_id, user_id=user_id, profile=profile, is_new=True)

    def apply_profile(self, *, team_id: str, user_id: str, profile: Profile, is_new: bool = False) -> PersonRef:
        """Store what the directory said (on first use and on `user_change`)."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            workspace = workspaces.ensure_workspace(session, team_id=team_id, now=now)
            person = workspaces.ensure_person(session, workspace_id=workspace.id, slack_user_id=user_id, now=now)
            moved = person.tz != profile.tz and person.tz_checked_at is not None
            person.display_name = profile.name[:200]
            person.title = profile.title[:200]
            person.tz = profile.tz
            person.tz_checked_at = now
            if profile.deleted and person.unreachable_at is None:
                person.unreachable_at = now
            session.flush()
            ref = _ref(person, is_new=is_new, team_id=team_id)
        if moved:
            for hook in self.on_zone_change:
                hook(ref.person_id)
        return ref

    def opt_out(self, person: PersonRef, *, out: bool) -> None:
        """Stop every message from the bot (and cancel what is queued), or start them again."""
        with transaction(self._sessions) as session:
            row = workspaces.find_person(session, workspace_id=person.workspace_id, slack_user_id=person.slack_user_id)
            if row is None:
                return
            row.opted_out_at = self._clock.now() if out else None
            if out:
                outbox.cancel_pending(session, person_id=row.id, reason="opted out")
        if not out:
            for hook in self.on_zone_change:  # reminders were not planned while opted out: plan them again
                hook(person.person_id)

    def refresh_zones(self, now: datetime) -> int:
        """Once a day, re-read the zone of people with reminders (Slack sends no event when DST shifts it)."""
        with self._sessions() as session:
            stale = workspaces.people_with_stale_zone(session, checked_before=now - ZONE_REFRESH, limit=ZONE_BATCH)
        refreshed = 0
        for workspace_team, user_id in stale:
            profile = self._directory.profile(user_id)
            if profile is not None:
                self.apply_profile(team_id=workspace_team, user_id=user_id, profile=profile)
                refreshed += 1
        return refreshed

    def set_profile(
        self,
        person: PersonRef,
        *,
        role_key: str | None = None,
        skills: list[str] | None = None,
        followups_enabled: bool | None = None,
    ) -> PersonRef:
        """Change what a person chose in the Home tab; arguments left as None stay as they are."""
        with transaction(self._sessions) as session:
            row = workspaces.find_person(session, workspace_id=person.workspace_id, slack_user_id=person.slack_user_id)
            if row is None:
                raise NotFound("I don't know you yet. Type `/learn help` first.")
            if role_key is not None:
                row.role_key = role_key or None
            if skills is not None:
                row.skills = list(dict.fromkeys(skills))
            if followups_enabled is not None:
                row.followups_enabled = followups_enabled
                if not followups_enabled:
                    outbox.cancel_pending(session, person_id=row.id, kind=FOLLOWUP_KIND, reason="opted out")
            session.flush()
            return _ref(row, is_new=False, team_id=person.team_id)


def _ref(person: Person, *, is_new: bool, team_id: str) -> PersonRef:
    return PersonRef(
        team_id=team_id,
        workspace_id=person.workspace_id,
        person_id=person.id,
        slack_user_id=person.slack_user_id,
        display_name=person.display_name,
        title=person.title,
        tz=person.tz,
        is_new=is_new,
        role_key=person.role_key,
        skills=tuple(person.skills or ()),
        followups_enabled=person.followups_enabled,
    )
