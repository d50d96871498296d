"""Small builders shared by tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.repositories import deliveries as outbox
from bot.repositories.workspaces import ensure_person, ensure_workspace


def add_due_message(
    sessions: sessionmaker[Session],
    *,
    key: str,
    due_at: datetime,
    user_id: str = "U0ALEX",
    team_id: str = "T0SANDBOX",
    text: str = "Time to practise",
    window: timedelta = timedelta(hours=2),
    channel: str | None = None,
    kind: str = "test",
) -> int:
    """Materialise one delivery (a DM to `user_id` unless `channel` is given); returns its id."""
    with transaction(sessions) as session:
        workspace = ensure_workspace(session, team_id=team_id, now=due_at)
        person = ensure_person(session, workspace_id=workspace.id, slack_user_id=user_id, now=due_at)
        outbox.add_deliveries(
            session,
            [
                outbox.NewDelivery(
                    key=key,
                    kind=kind,
                    workspace_id=workspace.id,
                    person_id=person.id,
                    user_id=user_id,
                    channel=channel,
                    payload={"text": text},
                    due_at=due_at,
                    expires_at=due_at + window,
                )
            ],
            now=due_at,
        )
        return int(session.scalars(outbox.select(outbox.Delivery.id).where(outbox.Delivery.key == key)).one())


def delivery(sessions: sessionmaker[Session], delivery_id: int) -> Any:
    with sessions() as session:
        return outbox.get_delivery(session, delivery_id)


def wait_for(condition: Callable[[], Any], *, timeout: float = 10.0, interval: float = 0.02) -> Any:
    """Poll until `condition()` is truthy; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
