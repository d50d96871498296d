"""What a handler answers, and the one place that knows how each kind of request gets its answer to Slack.

A command answers privately in the channel (its response_url) or as a message in the bot's DM; a button
press answers next to its message (replacing it, or a private line) and may open a window or refresh the
Home tab; a window's submission answers after the ack in the person's DM.

An answer Slack does not take (a response_url that refuses the connection or answers an error, a post
Slack refuses) is lost: one line says which, and the listener goes on (`deliver`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.people.types import PersonRef
from bot.slack.blocks.kit import Block
from bot.slack.deps import Services
from bot.slack.home import publish_home
from bot.slack.notifier import NETWORK_ERRORS
from bot.slack.uploads import Upload, share

log = logging.getLogger(__name__)

# Slack refused what we sent as malformed: a bug of ours, not a lost answer.
SENT_WRONG = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "invalid_arguments", "missing_scope"}
)
# slack_sdk logs a send that fails at ERROR, without saying what was lost, then raises: `deliver` says it
# once. So the response_url client gets a logger of its own that keeps quiet (it has no handlers either).
_QUIET = logging.Logger("bot.slack.replies.webhook", level=logging.CRITICAL)


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
    upload: Upload | None = None  # a file for the person's DM; the answer it comes with goes there too

    @property
    def says_something(self) -> bool:
        return bool(self.text or self.blocks)


NOTHING = Reply()
IN_THE_DM = "I've sent it to our DM."


def answer_command(
    reply: Reply,
    *,
    asked: str,
    channel: str,
    user: str,
    response_url: str | None,
    client: WebClient,
    trigger_id: str,
) -> None:
    """A command's answer: a message in the bot's DM when typed there, otherwise private in the channel;
    one that comes with a file goes to the DM (a private line in the channel says so). `asked` says what was
    asked and by whom, for the log line if the answer is lost."""
    if reply.modal is not None:
        _open(reply.modal, trigger_id=trigger_id, asked=asked, client=client)
    if not reply.says_something:
        return
    if channel.startswith("D"):
        answer_in_dm(reply, asked=asked, channel=channel, client=client)
    elif reply.upload is not None:
        respond_to(response_url, _message(Reply(text=IN_THE_DM), response_type="ephemeral"), asked=asked)
        answer_in_dm(reply, asked=asked, channel=user, client=client)
    else:
        respond_to(response_url, _message(reply, response_type="ephemeral"), asked=asked)


def answer_in_dm(reply: Reply, *, asked: str, channel: str, client: WebClient) -> None:
    """An answer as a message in the bot's DM (a command typed there, or a message written to the bot), and
    the file that comes with it."""
    post = partial(client.chat_postMessage, channel=channel, text=reply.text, blocks=reply.blocks, unfurl_links=False)
    deliver(post, asked=asked, through="chat.postMessage")
    if reply.upload is not None:
        share(reply.upload, channel=channel, client=client, asked=asked)


def answer_click(
    reply: Reply,
    *,
    asked: str,
    body: Mapping[str, Any],
    person: PersonRef,
    client: WebClient,
    services: Services,
) -> None:
    """A button's answer. From the Home tab or a window there is no message to answer next to: what
    changed shows in the refreshed view."""
    if reply.modal is not None:  # the trigger expires in 3 s: first
        _open(reply.modal, trigger_id=str(body.get("trigger_id")), asked=asked, client=client)
    view = body.get("view")
    if reply.window is not None and isinstance(view, dict) and isinstance(view.get("id"), str):
        redraw = partial(client.views_update, view_id=view["id"], view=reply.window)
        deliver(redraw, asked=asked, through="views.update")
    if reply.says_something and body.get("response_url"):
        where = (
            {"replace_original": True} if reply.replace else {"response_type": "ephemeral", "replace_original": False}
        )
        respond_to(str(body["response_url"]), _message(reply, **where), asked=asked)
    if reply.upload is not None:
        share(reply.upload, channel=person.slack_user_id, client=client, asked=asked)
    _update(reply, client, asked)
    if reply.home:
        _home(reply, person, asked=asked, client=client, services=services)


def answer_after_submit(reply: Reply, *, asked: str, person: PersonRef, client: WebClient, services: Services) -> None:
    """After a window's ack the window is gone: do the slow part, say what changed in the DM, bring messages
    up to date, refresh the Home tab."""
    if reply.then is not None:
        reply = reply.then()
    if reply.says_something:
        channel, thread_ts = reply.thread or (person.slack_user_id, None)
        post = partial(
            client.chat_postMessage, channel=channel, thread_ts=thread_ts, text=reply.text, blocks=reply.blocks
        )
        deliver(post, asked=asked, through="chat.postMessage")
    _update(reply, client, asked)
    if reply.home:
        _home(reply, person, asked=asked, client=client, services=services)


def respond_to(response_url: str | None, message: Mapping[str, Any], *, asked: str) -> bool:
    """Post `message` to a request's response_url; False when it was lost (and logged so)."""
    if not response_url:
        log.warning("could not answer %s: it came without a response_url; the answer was lost", asked)
        return False
    client = WebhookClient(url=response_url, timeout=10, logger=_QUIET)
    return deliver(partial(client.send_dict, dict(message)), asked=asked, through="its response_url")


def deliver(send: Callable[[], object], *, asked: str, through: str) -> bool:
    """Send one answer to Slack; False when it did not arrive: it is lost, and one WARNING line says which
    and why. Slack refusing it as malformed is a bug of ours: raised, for the listener's error handling
    (a stack for the operator, a friendly line for the person)."""
    try:
        why = _not_taken(send())
    except SlackApiError as error:
        data = error.response.data
        why = _code(str(data.get("error") or "") if isinstance(data, dict) else "")
        if why in SENT_WRONG:
            raise
    except NETWORK_ERRORS as error:
        why = _cause(error)
    if why is None:
        return True
    log.warning("could not answer %s through %s: %s; the answer was lost", asked, through, why)
    return False


def _not_taken(answer: object) -> str | None:
    """Why a response_url did not take an answer (it answers its errors, where the Web API raises them);
    None when it did."""
    if not isinstance(answer, WebhookResponse) or answer.status_code == 200:
        return None
    try:
        data = json.loads(answer.body)
    except ValueError:
        data = None
    code = _code(str(data["error"]) if isinstance(data, dict) and data.get("error") else answer.body)
    if code in SENT_WRONG:
        raise RuntimeError(f"the response_url refused an answer: HTTP {answer.status_code} {code}")
    return f"HTTP {answer.status_code} {code}"


def _open(modal: Block, *, trigger_id: str, asked: str, client: WebClient) -> None:
    deliver(partial(client.views_open, trigger_id=trigger_id, view=modal), asked=asked, through="views.open")


def _update(reply: Reply, client: WebClient, asked: str) -> None:
    for u in reply.updates:
        edit = partial(client.chat_update, channel=u.channel, ts=u.ts, text=u.text, blocks=u.blocks)
        deliver(edit, asked=asked, through="chat.update")


def _home(reply: Reply, person: PersonRef, *, asked: str, client: WebClient, services: Services) -> None:
    refresh = partial(publish_home, services, client, reply.person or person)
    deliver(refresh, asked=asked, through="views.publish")


def _message(reply: Reply, **where: Any) -> dict[str, Any]:
    """A response_url message, as Bolt's respond() builds one: no `blocks` key without blocks."""
    return {"text": reply.text, **({"blocks": reply.blocks} if reply.blocks else {}), **where}


def _cause(error: BaseException) -> str:
    """The name of what went wrong: urllib wraps the socket's error (ConnectionRefusedError) in URLError."""
    reason = getattr(error, "reason", None)
    return type(reason).__name__ if isinstance(reason, BaseException) else type(error).__name__


def _code(text: str) -> str:
    """Slack's error code, from text that should be one (a response_url answers plain text, or JSON)."""
    words = text.split()
    return words[0][:60] if words else "(no error code)"
