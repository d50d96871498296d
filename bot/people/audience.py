"""Who the bot may send to, as SQL that other domains' repositories join with.

A view of the people tables published on purpose: its columns are the contract, the models stay private
to this package. Everything here is read-only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Subquery, select

from bot.people.models import Person, Workspace
from bot.people.types import PersonRef


def recipients() -> Subquery:
    """People who can receive messages now (not opted out, reachable, their workspace not paused)."""
    return (
        select(
            Person.id.label("person_id"),
            Person.workspace_id,
            Workspace.team_id,
            Person.slack_user_id,
            Person.dm_channel_id,
            Person.display_name,
            Person.title,
            Person.tz,
            Person.tz_checked_at,
            Person.role_key,
            Person.skills,
            Person.followups_enabled,
        )
        .join(Workspace, Workspace.id == Person.workspace_id)
        .where(Person.opted_out_at.is_(None), Person.unreachable_at.is_(None), Workspace.paused_at.is_(None))
        .subquery("recipients")
    )


def paused_workspaces() -> Select[Any]:
    """Ids of workspaces the bot must not send to (the token stopped working)."""
    return select(Workspace.id).where(Workspace.paused_at.is_not(None))


def person_ref(row: Any) -> PersonRef:
    """A PersonRef from a row that has the columns of `recipients()`."""
    return PersonRef.from_row(row, person_id=row.person_id, team_id=row.team_id)
