"""What a handler answers, and the one place that knows how each kind of request gets its answer to Slack.

A command answers privately in the channel (its response_url) or as a message in the bot's DM; a button
press answers next to its message (replacing it, or a private line) and may open a window or refresh the
Home tab; a window's submission answers after the ack in the person's DM.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.people.types import PersonRef
from bot.slack.blocks.kit import Block
from bot.slack.deps import Services
from bot.slack.home import publish_home


@dataclass(frozen=True)
class Update:
    """A message of the bot's to change in place (a challenge's card at the top of its thread)."""

    channel: str
    ts: str
    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class Reply:
    text: str = ""  # the notification text; the blocks are what is shown
    blocks: list[Block] | None = None
    replace: bool = False  # replace the message the button was on (else: a new private line next to it)
    modal: Block | None = None  # open this window (after a submission: what the window turns into)
    window: Block | None = None  # a click in a window: what that window becomes (views.update)
    home: bool = False  # publish the person's Home tab again
    person: PersonRef | None = None  # the person as the handler changed them (for the Home tab)
    updates: tuple[Update, ...] = ()  # messages to bring up to date
    then: Callable[[], Reply] | None = None  # a window's slow part, after the ack; its reply goes to the DM
    thread: tuple[str, str] | None = None  # after a window: say it in this thread (channel, ts) of the DM

    @property
    def says_something(self) -> bool:
        return bool(self.text or self.blocks)


NOTHING = Reply()


def answer_command(reply: Reply, *, channel: str, respond: Respond, client: WebClient, trigger_id: str) -> None:
    """A command's answer: a message in the bot's DM when typed there, otherwise private in the channel."""
    if reply.modal is not None:
        client.views_open(trigger_id=trigger_id, view=reply.modal)
    if not reply.says_something:
        return
    if channel.startswith("D"):
        client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks, unfurl_links=False)
    else:
        respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral")


def answer_click(
    reply: Reply,
    *,
    body: Mapping[str, Any],
    person: PersonRef,
    respond: Respond,
    client: WebClient,
    services: Services,
) -> None:
    """A button's answer. From the Home tab or a window there is no message to answer next to: what
    changed shows in the refreshed view."""
    if reply.modal is not None:
        client.views_open(trigger_id=body["trigger_id"], view=reply.modal)  # the trigger expires in 3 s: first
    view = body.get("view")
    if reply.window is not None and isinstance(view, dict) and isinstance(view.get("id"), str):
        client.views_update(view_id=view["id"], view=reply.window)
    if reply.says_something and body.get("response_url"):
        if reply.replace:
            respond(text=reply.text, blocks=reply.blocks, replace_original=True)
        else:
            respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral", replace_original=False)
    _update(reply, client)
    if reply.home:
        publish_home(services, client, reply.person or person)


def _update(reply: Reply, client: WebClient) -> None:
    for update in reply.updates:
        client.chat_update(channel=update.channel, ts=update.ts, text=update.text, blocks=update.blocks)


def answer_after_submit(reply: Reply, *, person: PersonRef, client: WebClient, services: Services) -> None:
    """After a window's ack the window is gone: do the slow part, say what changed in the DM, bring messages
    up to date, refresh the Home tab."""
    if reply.then is not None:
        reply = reply.then()
    if reply.says_something:
        channel, thread_ts = reply.thread or (person.slack_user_id, None)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=reply.text, blocks=reply.blocks)
    _update(reply, client)
    if reply.home:
        publish_home(services, client, reply.person or person)
