"""The error handler: one friendly ephemeral line for the person, the stack for the operator."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.context.respond import Respond
from slack_bolt.kwargs_injection.args import Args
from slack_sdk import WebClient

from bot.errors import BotError

log = logging.getLogger("bot.slack.errors")

SORRY = "Sorry, something went wrong on my side. It has been logged; please try again in a minute."


def friendly_message(error: Exception) -> str:
    return error.message if isinstance(error, BotError) else SORRY


def handle_error(error: Exception, body: dict[str, Any], respond: Respond | None, client: WebClient) -> None:
    if isinstance(error, BotError):
        log.info("refused: %s", error.message)
    else:
        log.error("listener failed: %s", error, exc_info=error)
    text = friendly_message(error)
    try:
        if respond is not None and body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        user = (body.get("user") or {}).get("id") or body.get("user_id")
        channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
        if user and channel:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
    except Exception:  # the person cannot be told; the operator already has the stack
        log.exception("could not tell the person about an error")


def guarded(listener: Callable[..., None]) -> Callable[[Args], None]:
    """Run a listener and turn any error into the friendly reply ourselves.

    Bolt's own path for an error raised after ack() can reset the ack and answer Slack 404 (a race in
    ThreadListenerRunner), so errors never leave our listeners.
    """
    names = inspect.getfullargspec(listener).args

    def run(args: Args) -> None:
        try:
            listener(**{name: getattr(args, name) for name in names})
        except Exception as error:
            if args.ack.response is None:
                args.ack()
            handle_error(error, args.body, args.respond, args.client)

    run.__name__ = run.__qualname__ = listener.__name__
    return run
