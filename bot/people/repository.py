"""Workspaces and the people in them: the only SQL on their tables."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from bot.db.rows import insert_or_ignore
from bot.people.models import Person, Workspace

PEOPLE: Table = Person.__table__  # type: ignore[assignment]  # Core, for executemany updates


def ensure_workspace(session: Session, *, team_id: str, now: datetime) -> Workspace:
    """The workspace row for `team_id`, created on first sight (safe under concurrency)."""
    insert_or_ignore(
        session,
        Workspace.__table__,  # type: ignore[arg-type]
        [{"team_id": team_id, "name": "", "created_at": now}],
        conflict=["team_id"],
    )
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()


def team_of(session: Session, workspace_id: int) -> str:
    return str(session.scalar(select(Workspace.team_id).where(Workspace.id == workspace_id)) or "")


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


def get_person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def person_and_team(session: Session, person_id: int) -> tuple[Person, str] | None:
    """The person and their workspace's team id, in one query."""
    row = session.execute(
        select(Person, Workspace.team_id)
        .join(Workspace, Workspace.id == Person.workspace_id)
        .where(Person.id == person_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def zones_of(session: Session, person_ids: Sequence[int]) -> dict[int, str | None]:
    """Each person's IANA zone as last read from Slack (None when unknown)."""
    rows = session.execute(select(Person.id, Person.tz).where(Person.id.in_(person_ids)))
    return {person_id: tz for person_id, tz in rows}


def ids_of(session: Session, workspace_id: int, slack_user_ids: Collection[str]) -> list[int]:
    found: list[int] = []
    users = sorted(slack_user_ids)
    for start in range(0, len(users), 500):  # a bounded IN list, however large the team
        chunk = users[start : start + 500]
        statement = select(Person.id).where(Person.workspace_id == workspace_id, Person.slack_user_id.in_(chunk))
        found.extend(session.scalars(statement))
    return found


def remember_dm_channels(session: Session, channels: Sequence[tuple[int, str]]) -> None:
    """Keep people's DM channels, (person id, channel), so later messages need no conversations.open."""
    if not channels:
        return
    statement = (
        update(PEOPLE)
        .where(PEOPLE.c.id == bindparam("person"), PEOPLE.c.dm_channel_id.is_(None))
        .values(dm_channel_id=bindparam("channel"))
    )
    session.execute(statement, [{"person": person, "channel": channel} for person, channel in channels])


def update_person(session: Session, person_id: int, **values: Any) -> None:
    session.execute(update(Person).where(Person.id == person_id).values(**values))


def mark_unreachable(session: Session, person_id: int, *, now: datetime) -> None:
    session.execute(
        update(Person).where(Person.id == person_id, Person.unreachable_at.is_(None)).values(unreachable_at=now)
    )


def claim_zone_notice(session: Session, person_id: int) -> bool:
    """Set `tz_notice_sent`; True when this call set it (the notice is due now)."""
    result = session.execute(
        update(Person).where(Person.id == person_id, Person.tz_notice_sent.is_(False)).values(tz_notice_sent=True)
    )
    return bool(getattr(result, "rowcount", 0))


# -- a person's data, wherever it is -------------------------------------------------------------------------------
def rows_about(session: Session, person_id: int, tables: Sequence[Table]) -> dict[str, list[dict[str, Any]]]:
    """The person's row and every row in `tables` that refers to it, directly or through another such row.

    From `people` only `person_id` columns are followed (and columns marked `info={"owner": True}`, such as
    who proposed a challenge), and a row with a `person_id` of someone else is never taken: a row that merely
    mentions someone (a colleague's practice they suggested, an open of theirs that points at this person's
    search) belongs to the other person.
    """
    found: dict[str, list[dict[str, Any]]] = {
        "people": [dict(row) for row in session.execute(select(PEOPLE).where(PEOPLE.c.id == person_id)).mappings()]
    }
    links = [(t, key.parent.name, key.column.table, key.column.name) for t in tables for key in t.foreign_keys]
    changed = True
    while changed:
        changed = False
        for table, column, target, target_column in links:
            ids = [row[target_column] for row in found.get(target.name, [])]
            if not ids or table.name == "people":
                continue
            if target.name == "people" and column != "person_id" and not table.c[column].info.get("owner"):
                continue  # e.g. suggested_by: a colleague's row that merely mentions this person is theirs
            statement = select(table).where(table.c[column].in_(ids))
            if "person_id" in table.c:  # a row of someone else's that points at this person's row is theirs
                statement = statement.where(table.c.person_id == person_id)
            rows = [dict(r) for r in session.execute(statement).mappings()]
            known = found.setdefault(table.name, [])
            new = [row for row in rows if row not in known]
            if new:
                known.extend(new)
                changed = True
    return found


def delete_person(session: Session, person_id: int, tables: Sequence[Table] = ()) -> None:
    """Delete the person; their rows go with them (ON DELETE CASCADE), references from others are cleared.
    A row the person owns that others' rows hang off (a proposal with its cohort's challenges) stays, with
    what they wrote in it (the table's `info["personal"]` columns) erased."""
    for table in tables:
        for column in table.c:
            if column.info.get("owner") and table.info.get("personal"):
                erased = dict.fromkeys(table.info["personal"])
                session.execute(table.update().where(column == person_id).values(erased))
    session.execute(PEOPLE.delete().where(PEOPLE.c.id == person_id))
