"""Workspaces and the people in them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from bot.db.models import Person, Workspace
from bot.repositories.rows import insert_or_ignore


def ensure_workspace(session: Session, *, team_id: str, now: datetime) -> Workspace:
    """The workspace row for `team_id`, created on first sight (safe under concurrency)."""
    insert_or_ignore(
        session,
        Workspace.__table__,  # type: ignore[arg-type]
        [{"team_id": team_id, "name": "", "created_at": now}],
        conflict=["team_id"],
    )
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()


def find_workspace(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def pause_workspace(session: Session, workspace_id: int, *, reason: str, now: datetime) -> None:
    session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.paused_at.is_(None))
        .values(paused_at=now, pause_reason=reason)
    )


def resume_workspace(session: Session, workspace_id: int) -> bool:
    """Lift a pause; True when there was one."""
    result = session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.paused_at.is_not(None))
        .values(paused_at=None, pause_reason=None)
    )
    return bool(getattr(result, "rowcount", 0))


def ensure_person(session: Session, *, workspace_id: int, slack_user_id: str, now: datetime) -> Person:
    """The person row for a Slack user, created on first sight (safe under concurrency)."""
    insert_or_ignore(
        session,
        Person.__table__,  # type: ignore[arg-type]
        [
            {
                "workspace_id": workspace_id,
                "slack_user_id": slack_user_id,
                "display_name": "",
                "title": "",
                "created_at": now,
            }
        ],
        conflict=["workspace_id", "slack_user_id"],
    )
    return find_person(session, workspace_id=workspace_id, slack_user_id=slack_user_id)  # type: ignore[return-value]


def find_person_in_team(session: Session, *, team_id: str, slack_user_id: str) -> Person | None:
    return session.scalars(
        select(Person)
        .join(Workspace, Workspace.id == Person.workspace_id)
        .where(Workspace.team_id == team_id, Person.slack_user_id == slack_user_id)
    ).one_or_none()


def find_person(session: Session, *, workspace_id: int, slack_user_id: str) -> Person | None:
    return session.scalars(
        select(Person).where(Person.workspace_id == workspace_id, Person.slack_user_id == slack_user_id)
    ).one_or_none()


def remember_dm_channels(session: Session, channels: Sequence[tuple[int, str]]) -> None:
    """Keep people's DM channels, (person id, channel), so later messages need no conversations.open."""
    if not channels:
        return
    table: Table = Person.__table__  # type: ignore[assignment]  # Core: one compiled executemany
    statement = (
        update(table)
        .where(table.c.id == bindparam("person"), table.c.dm_channel_id.is_(None))
        .values(dm_channel_id=bindparam("channel"))
    )
    session.execute(statement, [{"person": person, "channel": channel} for person, channel in channels])


def mark_unreachable(session: Session, person_id: int, *, now: datetime) -> None:
    session.execute(
        update(Person).where(Person.id == person_id, Person.unreachable_at.is_(None)).values(unreachable_at=now)
    )


def people_with_stale_zone(session: Session, *, checked_before: datetime, limit: int) -> list[tuple[str, str]]:
    """(team id, Slack user id) of people with active practice whose zone was last read before a time."""
    from bot.db.models import PracticeSubscription

    statement = (
        select(Workspace.team_id, Person.slack_user_id)
        .join(Person, Person.workspace_id == Workspace.id)
        .where(
            Person.unreachable_at.is_(None),
            (Person.tz_checked_at.is_(None)) | (Person.tz_checked_at < checked_before),
            Person.id.in_(select(PracticeSubscription.person_id).where(PracticeSubscription.status == "active")),
        )
        .order_by(Person.tz_checked_at)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]
