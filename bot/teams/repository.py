"""The only SQL on team rosters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.teams.models import TeamRoster


def rosters(session: Session) -> dict[str, TeamRoster]:
    return {roster.team_key: roster for roster in session.scalars(select(TeamRoster))}


def store(session: Session, team_key: str, source: str, members: Sequence[str], now: datetime) -> None:
    roster = session.get(TeamRoster, team_key)
    if roster is None:
        session.add(TeamRoster(team_key=team_key, source=source, members=sorted(members), refreshed_at=now))
    else:
        roster.source, roster.members, roster.refreshed_at = source, sorted(members), now


def forget_others(session: Session, keep: Sequence[str]) -> None:
    """Rosters of teams no longer in the content go."""
    session.execute(delete(TeamRoster).where(TeamRoster.team_key.not_in(keep)))


def members(session: Session, team_key: str) -> list[str] | None:
    """A team's members as last read; None when they were never read."""
    roster = session.get(TeamRoster, team_key)
    return list(roster.members) if roster is not None else None
