"""Global middleware: process each Events API event once, whatever Slack's retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from bot.db.engine import transaction
from bot.repositories.events import record_event
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def dedupe_events(runtime: Runtime) -> Callable[..., BoltResponse | None]:
    """Record each event_id; a repeat (a retry, or a second delivery after a restart) is acked and dropped.

    The id is recorded before the listeners run: a retry that arrives while the first delivery is still
    being handled must not run it twice.
    """

    def middleware(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id:
            with transaction(runtime.sessions) as session:
                first = record_event(session, event_id, now=runtime.clock.now())
            if not first:
                log.info("event %s seen before: ignored", event_id)
                return BoltResponse(status=200, body="")
        next()
        return None

    return middleware
