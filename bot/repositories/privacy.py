"""Everything stored about one person, found by following foreign keys from `people` (so new tables count).

From `people` only `person_id` columns are followed: a row that merely mentions someone (a colleague's
practice they suggested) belongs to the colleague."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from bot.db.base import Base
from bot.db.models import Person

PEOPLE = Person.__table__


def _links() -> Iterator[tuple[Table, str, Table, str]]:
    """(table, column, referenced table, referenced column) for every foreign key in the schema."""
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            yield table, key.parent.name, key.column.table, key.column.name


def rows_about(session: Session, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's row and every row that refers to it, directly or through another such row."""
    found: dict[str, list[dict[str, Any]]] = {
        "people": [dict(row) for row in session.execute(select(PEOPLE).where(PEOPLE.c.id == person_id)).mappings()]
    }
    changed = True
    while changed:
        changed = False
        for table, column, target, target_column in _links():
            ids = [row[target_column] for row in found.get(target.name, [])]
            if not ids or table.name == "people":
                continue
            if target.name == "people" and column != "person_id":
                continue  # e.g. suggested_by: a colleague's row that merely mentions this person is theirs
            rows = [dict(r) for r in session.execute(select(table).where(table.c[column].in_(ids))).mappings()]
            known = found.setdefault(table.name, [])
            new = [row for row in rows if row not in known]
            if new:
                known.extend(new)
                changed = True
    return found


def forget(session: Session, person_id: int) -> None:
    """Delete the person; their rows go with them (ON DELETE CASCADE), references from others are cleared."""
    session.execute(delete(Person).where(Person.id == person_id))
