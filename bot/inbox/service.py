"""What Slack sent the bot: each event processed once, and each acknowledged request done by some process.

A command or button press is recorded before its acknowledgement goes back to Slack and deleted when its
work is done. If the process that acked it dies (a deploy that outlasts the grace period, a crash), its
lease runs out and any process replays it: nothing acknowledged is lost. A replay can repeat work the dead
process had half done (at least once, never zero times).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import transaction
from bot.inbox import repository

log = logging.getLogger(__name__)

EVENT_MEMORY = timedelta(hours=48)  # longer than Slack's retries, and than Delayed Events
LEASE = timedelta(seconds=20)  # longer than a request's work takes (a model call has an 8 s deadline)
ANSWERABLE = timedelta(minutes=30)  # a response_url works for 30 minutes: later, nobody can be answered
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Accepted:
    """A request to do (again): what Slack sent, as it was received and verified."""

    id: int
    body: str
    headers: dict[str, str]


class Inbox:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def first_time(self, event_id: str) -> bool:
        """Record `event_id`; False when it was seen before (a retry, or a second delivery after a restart)."""
        with transaction(self._sessions) as session:
            return repository.record_event(session, event_id, now=self._clock.now())

    def forget_old(self, now: datetime) -> int:
        """A chore for the tick: event ids older than Slack could still retry are dropped."""
        with transaction(self._sessions) as session:
            return repository.forget_events_before(session, now - EVENT_MEMORY)

    def accept(self, body: str, headers: dict[str, str]) -> int:
        """Record a verified request before it is acknowledged; this process holds its lease."""
        with transaction(self._sessions) as session:
            return repository.accept(
                session, body=body, headers=headers, owner=self.owner, now=self._clock.now(), lease=LEASE
            )

    def done(self, request_id: int) -> None:
        with transaction(self._sessions) as session:
            repository.finish(session, request_id)

    def stale(self, limit: int = 20) -> list[Accepted]:
        """Requests whose process stopped before finishing them, now leased to this one. Those past
        answering, or tried too often, are dropped with a WARNING."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            dropped = repository.drop_older_than(session, now - ANSWERABLE)
            claimed = repository.claim_stale(session, owner=self.owner, now=now, lease=LEASE, limit=limit)
            for row in [r for r in claimed if r.attempts > MAX_ATTEMPTS]:
                repository.finish(session, row.id)
                dropped += 1
        if dropped:
            log.warning("%s acknowledged request(s) could not be done in time and were dropped", dropped)
        return [Accepted(r.id, r.body, dict(r.headers)) for r in claimed if r.attempts <= MAX_ATTEMPTS]
