"""Process each Events API event once, whatever Slack's retries, across restarts and processes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import transaction
from bot.inbox import repository

EVENT_MEMORY = timedelta(hours=48)  # longer than Slack's retries, and than Delayed Events


class Inbox:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def first_time(self, event_id: str) -> bool:
        """Record `event_id`; False when it was seen before (a retry, or a second delivery after a restart)."""
        with transaction(self._sessions) as session:
            return repository.record_event(session, event_id, now=self._clock.now())

    def forget_old(self, now: datetime) -> int:
        """A chore for the tick: ids older than Slack could still retry are dropped."""
        with transaction(self._sessions) as session:
            return repository.forget_events_before(session, now - EVENT_MEMORY)
