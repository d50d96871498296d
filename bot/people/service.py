"""People: who someone is (role title, time zone) as far as the bot needs to know, and their choices.

`PeopleService` opens its own transactions (the edge and the tick call it). The functions below it join
the caller's transaction, for other domains that must change a person in the same unit of work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import transaction
from bot.errors import NotFound
from bot.people import repository
from bot.people.models import Person
from bot.people.types import Directory, PersonRef, Profile, TeamMember

log = logging.getLogger(__name__)

ZONE_REFRESH = timedelta(days=1)
ZONE_BATCH = 50  # users.info is tier 4 (100+ a minute): stay well below

# Who needs a fresh zone: (read before, at most) -> (team id, user id) pairs. Domains that schedule provide one.
ZoneWatcher = Callable[[datetime, int], list[tuple[str, str]]]


@dataclass
class PeopleHooks:
    """What other domains want to hear about. Wired once, by the composition root."""

    zone_changed: list[Callable[[int], None]] = field(default_factory=list)  # after commit, with the person id
    opted_in: list[Callable[[int], None]] = field(default_factory=list)  # after commit
    opted_out: list[Callable[[Session, int], None]] = field(default_factory=list)  # in the same transaction
    zone_watchers: list[ZoneWatcher] = field(default_factory=list)


class PeopleService:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock, directory: Directory) -> None:
        self._sessions = sessions
        self._clock = clock
        self._directory = directory
        self.hooks = PeopleHooks()

    def identify(self, member: TeamMember) -> PersonRef:
        """The person behind a request, from the database alone (`is_new` until their profile is read)."""
        with self._sessions() as session:  # most requests come from people the bot knows: read only
            known = repository.find_person_in_team(session, team_id=member.team_id, slack_user_id=member.user_id)
            if known is not None and known.tz_checked_at is not None:
                return _ref(known, is_new=False, team_id=member.team_id)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            workspace = repository.ensure_workspace(session, team_id=member.team_id, now=now)
            person = repository.ensure_person(session, workspace_id=workspace.id, slack_user_id=member.user_id, now=now)
            return _ref(person, is_new=person.tz_checked_at is None, team_id=member.team_id)

    def complete(self, person: PersonRef) -> PersonRef:
        """Someone new: their profile (name, title, zone) read from the directory, when it answers."""
        profile = self._directory.profile(person.slack_user_id)
        if profile is None:
            return person
        return self.apply_profile(TeamMember(person.team_id, person.slack_user_id), profile, is_new=True)

    def colleague(self, person: PersonRef, user_id: str) -> PersonRef:
        """Someone `person` named (a suggestion, a proposal): known, or looked up in the directory now. A
        NotFound when the directory knows nobody of that id (the id is never recorded then)."""
        member = TeamMember(person.team_id, user_id)
        with self._sessions() as session:
            known = repository.find_person_in_team(session, team_id=member.team_id, slack_user_id=user_id)
            if known is not None and known.tz_checked_at is not None:
                return _ref(known, is_new=False, team_id=member.team_id)
        profile = self._directory.profile(user_id)
        if profile is not None and not profile.exists:
            raise NotFound("I can't find that person in this workspace.")
        if profile is None:
            return self.identify(member)
        return self.apply_profile(member, profile, is_new=True)

    def apply_profile(self, member: TeamMember, profile: Profile, *, is_new: bool = False) -> PersonRef:
        """Store what the directory said (on first use and on `user_change`)."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            workspace = repository.ensure_workspace(session, team_id=member.team_id, now=now)
            person = repository.ensure_person(session, workspace_id=workspace.id, slack_user_id=member.user_id, now=now)
            moved = person.tz != profile.tz and person.tz_checked_at is not None
            person.display_name = profile.name[:200]
            person.title = profile.title[:200]
            person.tz = profile.tz
            person.tz_checked_at = now
            if profile.deleted and person.unreachable_at is None:
                person.unreachable_at = now
            session.flush()
            ref = _ref(person, is_new=is_new, team_id=member.team_id)
        if moved:
            for hook in self.hooks.zone_changed:
                hook(ref.person_id)
        return ref

    def opt_out(self, person: PersonRef, *, out: bool) -> None:
        """Stop every message from the bot (and cancel what is queued), or start them again."""
        with transaction(self._sessions) as session:
            repository.update_person(session, person.person_id, opted_out_at=self._clock.now() if out else None)
            if out:
                for in_transaction in self.hooks.opted_out:
                    in_transaction(session, person.person_id)
        if not out:
            for hook in self.hooks.opted_in:  # nothing was planned while opted out: plan it again
                hook(person.person_id)

    def is_workspace_admin(self, person: PersonRef) -> bool:
        """A workspace admin or owner, as the directory says now (False when it cannot say)."""
        profile = self._directory.profile(person.slack_user_id)
        return profile is not None and profile.admin

    def refresh_zones(self, now: datetime) -> int:
        """Once a day, re-read the zone of people with scheduled work (Slack sends no event when DST shifts it)."""
        stale = [pair for watcher in self.hooks.zone_watchers for pair in watcher(now - ZONE_REFRESH, ZONE_BATCH)]
        refreshed = 0
        for team_id, user_id in list(dict.fromkeys(stale))[:ZONE_BATCH]:
            profile = self._directory.profile(user_id)
            if profile is not None:
                self.apply_profile(TeamMember(team_id, user_id), profile)
                refreshed += 1
        return refreshed

    def set_profile(
        self,
        person: PersonRef,
        *,
        role_key: str | None = None,
        skills: Sequence[str] | None = None,
        followups_enabled: bool | None = None,
    ) -> PersonRef:
        """Change what a person chose in the Home tab; arguments left as None stay as they are."""
        with transaction(self._sessions) as session:
            row = repository.get_person(session, person.person_id)
            if row is None:
                raise NotFound("I don't know you yet. Type `/learn help` first.")
            if role_key is not None:
                row.role_key = role_key or None
            if skills is not None:
                row.skills = list(dict.fromkeys(skills))
            if followups_enabled is not None:
                row.followups_enabled = followups_enabled
            session.flush()
            return _ref(row, is_new=False, team_id=person.team_id)

    def register_workspace(self, team_id: str) -> None:
        """The bot's own workspace at start-up: recorded, and a pause lifted that the token no longer warrants."""
        with transaction(self._sessions) as session:
            workspace = repository.ensure_workspace(session, team_id=team_id, now=self._clock.now())
            repository.resume_workspace(session, workspace.id)


# -- in the caller's transaction ----------------------------------------------------------------------------------
def person(session: Session, person_id: int) -> PersonRef | None:
    """The person as stored now (e.g. their zone, read again inside a transaction that plans for them)."""
    found = repository.person_and_team(session, person_id)
    return _ref(found[0], is_new=False, team_id=found[1]) if found else None


def known(session: Session, *, team_id: str, user_id: str) -> PersonRef | None:
    """Someone of the team as stored, if the bot has met them (nothing is written)."""
    found = repository.find_person_in_team(session, team_id=team_id, slack_user_id=user_id)
    return _ref(found, is_new=False, team_id=team_id) if found is not None else None


def colleague(session: Session, *, workspace_id: int, user_id: str, now: datetime) -> PersonRef:
    """A colleague someone named, recorded on first sight."""
    row = repository.ensure_person(session, workspace_id=workspace_id, slack_user_id=user_id, now=now)
    return _ref(row, is_new=False, team_id=repository.team_of(session, workspace_id))


def person_ids(session: Session, workspace_id: int, slack_user_ids: Collection[str]) -> frozenset[int]:
    """The people the bot knows among these Slack users (the others have no data to count)."""
    return frozenset(repository.ids_of(session, workspace_id, slack_user_ids))


def zones(session: Session, person_ids: Sequence[int]) -> dict[int, str | None]:
    """People's time zones, for planning many at once (None when unknown: the workspace default applies)."""
    return repository.zones_of(session, list(set(person_ids))) if person_ids else {}


def remember_dm_channels(session: Session, channels: Sequence[tuple[int, str]]) -> None:
    """(person id, DM channel) pairs the outbox learnt by sending."""
    repository.remember_dm_channels(session, channels)


def mark_unreachable(session: Session, person_id: int, *, now: datetime) -> None:
    """Slack says the person is gone (deactivated, deleted): nothing more is planned for them."""
    repository.mark_unreachable(session, person_id, now=now)


def pause_workspace(session: Session, workspace_id: int, *, reason: str, now: datetime) -> None:
    """The token stopped working for the workspace: nothing is sent there until it is registered again."""
    repository.pause_workspace(session, workspace_id, reason=reason, now=now)


def claim_zone_notice(session: Session, person_id: int) -> bool:
    """True once per person: the moment to tell them that the workspace's zone is used for them."""
    return repository.claim_zone_notice(session, person_id)


def _ref(person: Person, *, is_new: bool, team_id: str) -> PersonRef:
    return PersonRef.from_row(person, person_id=person.id, team_id=team_id, is_new=is_new)
