"""Errors at the edge: one friendly line for the person, the stack for the operator (only for the bot's
own failures; a refusal such as "that practice belongs to someone else" is logged in one line)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.errors import BotError
from bot.slack.replies import deliver, respond_to
from bot.slack.requests import described
from bot.slack.text import escape

log = logging.getLogger("bot.slack.errors")

SORRY = "Sorry, something went wrong on my side. It has been logged; please try again in a minute."


def friendly_message(error: Exception) -> str:
    """What the person reads, as mrkdwn: a refusal's words escaped (they may quote what was typed)."""
    return escape(error.message) if isinstance(error, BotError) else SORRY


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
    try:
        _tell(friendly_message(error), body=body, response_url=respond.response_url if respond else None, client=client)
    except Exception as failure:  # Slack refused even that (a missing scope?): the operator has the line above
        log.warning("could not tell the person about it: %s", failure.__class__.__name__)


def _tell(text: str, *, body: Mapping[str, Any], response_url: str | None, client: WebClient) -> None:
    """An answer lost here is said in one line (`deliver`); the operator has the error's own line above."""
    asked = f"{described(body)} with what went wrong"
    user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else body.get("user_id")
    if not user and body.get("type") == "event_callback":
        user = (body.get("event") or {}).get("user")
    channel = (body.get("channel") or {}).get("id") if isinstance(body.get("channel"), dict) else body.get("channel_id")
    if response_url and body.get("response_url"):
        respond_to(response_url, {"text": text, "response_type": "ephemeral", "replace_original": False}, asked=asked)
    elif user and channel and not str(channel).startswith("D"):
        post = partial(client.chat_postEphemeral, channel=channel, user=user, text=text)
        deliver(post, asked=asked, through="chat.postEphemeral")
    elif isinstance(user, str) and user:
        deliver(partial(client.chat_postMessage, channel=user, text=text), asked=asked, through="chat.postMessage")
