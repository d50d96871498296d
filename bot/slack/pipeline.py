"""The stages every request goes through before its listener, in order: check its shape (unless the HTTP
edge did), process each event once, then resolve the person once. The HTTP edge checked the signature
before; routing comes after (`routes`).

One Bolt middleware runs the stages: Bolt injects arguments for every middleware it calls, per request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.slack.deps import Services
from bot.slack.requests import member_of
from bot.slack.shapes import SHAPE_CHECKED, problem_with

log = logging.getLogger(__name__)


def install(app: App, services: Services) -> None:
    def stages(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        problem = None if context.get(SHAPE_CHECKED) else problem_with(body)
        if problem is not None:
            log.warning("refused a request of the wrong shape: %s", problem)
            return BoltResponse(status=400, body="")
        if _seen_before(services, body):
            return BoltResponse(status=200, body="")
        _resolve_person(services, body, context)
        next()
        return None

    app.use(stages)


def _seen_before(services: Services, body: dict[str, Any]) -> bool:
    """Record each event_id; a repeat (a retry, or a second delivery after a restart) is acked and dropped.

    The id is recorded before the listeners run: a retry that arrives while the first delivery is still
    being handled must not run it twice.
    """
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if isinstance(event_id, str) and event_id and not services.inbox.first_time(event_id):
        log.info("event %s seen before: ignored", event_id)
        return True
    return False


def _resolve_person(services: Services, body: dict[str, Any], context: BoltContext) -> None:
    """Put the person behind the request in the context as a PersonRef: one read for someone the bot knows,
    rows created for someone new (their profile is read after the ack). A failure here is kept for the
    listener to report after its ack, as its own failure."""
    member = member_of(body)
    event = body.get("event") or {}
    overheard = event.get("type") == "message" and event.get("channel_type") != "im"  # not said to the bot
    if member is None or overheard or event.get("bot_id") or member.user_id == context.bot_user_id:
        return
    try:
        context["person"] = services.people.identify(member)
    except Exception as error:
        context["person_error"] = error
