"""Everyone in a workspace, as SQL that other domains' report queries join with (read-only).

A view of the people table published on purpose for reports: its columns (person_id, workspace_id, tz) are
the contract; names and Slack ids are not in it, so no figure built on it can name anyone.
"""

from __future__ import annotations

from sqlalchemy import Subquery, select
from sqlalchemy.orm import Session

from bot.people.models import Person, Workspace


def members() -> Subquery:
    """(person_id, workspace_id, tz) of every person, opted out or not (figures are counts, never names)."""
    return select(Person.id.label("person_id"), Person.workspace_id, Person.tz).subquery("members")


def workspaces(session: Session) -> list[tuple[int, str]]:
    """(id, Slack team id) of every workspace, oldest first."""
    return [
        (int(row[0]), str(row[1]))
        for row in session.execute(select(Workspace.id, Workspace.team_id).order_by(Workspace.id))
    ]
