"""The global middleware, in order: process each event once, then resolve the person once.

Bolt verifies the signature before either runs (HTTP mode); listeners come after (`routes`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.slack.deps import Services
from bot.slack.requests import member_of

log = logging.getLogger(__name__)


def install(app: App, services: Services) -> None:
    app.use(_dedupe_events(services))
    app.use(_resolve_person(services))


def _dedupe_events(services: Services) -> Callable[..., BoltResponse | None]:
    """Record each event_id; a repeat (a retry, or a second delivery after a restart) is acked and dropped.

    The id is recorded before the listeners run: a retry that arrives while the first delivery is still
    being handled must not run it twice.
    """

    def dedupe(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id and not services.inbox.first_time(event_id):
            log.info("event %s seen before: ignored", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe


def _resolve_person(services: Services) -> Callable[..., None]:
    """Put the person behind the request in the context as a PersonRef: one read for someone the bot knows,
    rows created for someone new (their profile is read after the ack). A failure here is kept for the
    listener to report after its ack, as its own failure."""

    def resolve(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
        member = member_of(body)
        event = body.get("event") or {}
        overheard = event.get("type") == "message" and event.get("channel_type") != "im"  # not said to the bot
        if member is not None and not overheard and not event.get("bot_id") and member.user_id != context.bot_user_id:
            try:
                context["person"] = services.people.identify(member)
            except Exception as error:
                context["person_error"] = error
        next()

    return resolve
