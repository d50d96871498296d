"""Insert-or-ignore, the one portable upsert primitive the repositories share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_or_ignore(session: Session, table: Table, rows: Sequence[dict[str, Any]], *, conflict: Sequence[str]) -> int:
    """Insert `rows`, skipping any that collide on the unique `conflict` columns. Returns rows inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(table).on_conflict_do_nothing(index_elements=list(conflict)).returning(*table.primary_key.columns)
    )
    # Rows as parameters (not literal VALUES) keep the compiled statement cacheable. Count RETURNING rows:
    # rowcount is not reliable for INSERT … ON CONFLICT across drivers.
    return len(session.execute(statement, list(rows)).all())
