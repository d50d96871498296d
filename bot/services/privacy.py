"""A person's data: what is stored about them, an export of it, and deleting it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.errors import NotFound
from bot.repositories import privacy as repository
from bot.repositories import workspaces


class PrivacyService:
    def __init__(self, *, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def export(self, *, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, table by table."""
        with self._sessions() as session:
            person = workspaces.find_person_in_team(session, team_id=team_id, slack_user_id=user_id)
            if person is None:
                raise NotFound("I have nothing stored about you.")
            return repository.rows_about(session, person.id)

    def summary(self, *, team_id: str, user_id: str) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.export(team_id=team_id, user_id=user_id).items() if rows}

    def forget(self, *, team_id: str, user_id: str) -> int:
        """Delete everything about the person; returns how many rows went."""
        with transaction(self._sessions) as session:
            person = workspaces.find_person_in_team(session, team_id=team_id, slack_user_id=user_id)
            if person is None:
                return 0
            count = sum(len(rows) for rows in repository.rows_about(session, person.id).values())
            repository.forget(session, person.id)
            return count


def to_json(export: dict[str, list[dict[str, Any]]]) -> str:
    return json.dumps(export, indent=2, default=_plain, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
