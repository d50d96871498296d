"""Everyone in a workspace, as SQL that other domains' report queries join with (read-only).

A view of the people table published on purpose for reports: its columns (person_id, workspace_id, tz) are
the contract; names and Slack ids are not in it, so no figure built on it can name anyone.
"""

from __future__ import annotations

from sqlalchemy import Subquery, select

from bot.people.models import Person


def members() -> Subquery:
    """(person_id, workspace_id, tz) of every person, opted out or not (figures are counts, never names)."""
    return select(Person.id.label("person_id"), Person.workspace_id, Person.tz).subquery("members")
