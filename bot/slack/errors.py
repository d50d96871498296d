"""Errors at the edge: one friendly line for the person, the stack for the operator (only for the bot's
own failures; a refusal such as "that practice belongs to someone else" is logged in one line)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.errors import BotError

log = logging.getLogger("bot.slack.errors")

SORRY = "Sorry, something went wrong on my side. It has been logged; please try again in a minute."


def friendly_message(error: Exception) -> str:
    return error.message if isinstance(error, BotError) else SORRY


def log_error(error: Exception) -> None:
    """A refusal (bad input, someone else's id, something gone) is one WARNING line; anything else is the
    bot's own failure, logged with its stack."""
    if isinstance(error, BotError):
        log.warning("refused: %s", error.message)
    else:
        log.error("listener failed: %s", error, exc_info=error)


def tell_about(error: Exception, *, body: Mapping[str, Any], respond: Respond | None, client: WebClient) -> None:
    """Log the error, then tell the person where they asked: next to the message (response_url), privately
    in the channel, or else in their DM with the bot."""
    log_error(error)
    text = friendly_message(error)
    user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else body.get("user_id")
    if not user and body.get("type") == "event_callback":
        user = (body.get("event") or {}).get("user")
    channel = (body.get("channel") or {}).get("id") if isinstance(body.get("channel"), dict) else body.get("channel_id")
    try:
        if respond is not None and body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif user and channel and not str(channel).startswith("D"):
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        elif isinstance(user, str) and user:
            client.chat_postMessage(channel=user, text=text)
    except Exception as failure:  # Slack cannot be reached: the operator has the line above
        log.warning("could not tell the person about it: %s", failure.__class__.__name__)
