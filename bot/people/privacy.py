"""A person's data: what is stored about them, an export of it, and deleting it.

It follows foreign keys through every table it is given (the whole schema, from the composition root), so a
new table that refers to a person is covered without changing this code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.errors import NotFound
from bot.people import repository
from bot.people.types import TeamMember

Export = dict[str, list[dict[str, Any]]]


Forgetting = Callable[[Session, int], None]


class PrivacyService:
    def __init__(self, *, sessions: sessionmaker[Session], tables: Sequence[Table]) -> None:
        self._sessions = sessions
        self._tables = list(tables)
        # Domains whose rows hold a person's words where their foreign keys do not reach (a note inside a
        # colleague's invitation, a summary in a DM to someone else): run, in order, before the person goes.
        self.forgetting: list[Forgetting] = []

    def export(self, member: TeamMember) -> Export:
        """Every row about the person, table by table."""
        with self._sessions() as session:
            person = repository.find_person_in_team(session, team_id=member.team_id, slack_user_id=member.user_id)
            if person is None:
                raise NotFound("I have nothing stored about you.")
            return repository.rows_about(session, person.id, self._tables)

    def summary(self, member: TeamMember) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.export(member).items() if rows}

    def forget(self, member: TeamMember) -> int:
        """Delete everything about the person; returns how many rows went."""
        with transaction(self._sessions) as session:
            person = repository.find_person_in_team(session, team_id=member.team_id, slack_user_id=member.user_id)
            if person is None:
                return 0
            count = sum(len(rows) for rows in repository.rows_about(session, person.id, self._tables).values())
            for hook in self.forgetting:
                hook(session, person.id)
            repository.delete_person(session, person.id, self._tables)
            return count


def to_json(export: Export) -> str:
    return json.dumps(export, indent=2, default=_plain, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
