"""Files the bot sends to a person's DM (a report, a draft resource): Slack's three-step upload through
slack_sdk's `files_upload_v2` (files.getUploadURLExternal, the bytes to the URL it gives, then
files.completeUploadExternal to share it in the DM with a line of text).

A file that cannot be sent is not lost silently: one WARNING line says which and why, and the person reads
in the DM that it did not come and what to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.slack.notifier import NETWORK_ERRORS
from bot.slack.text import escape

log = logging.getLogger(__name__)

# What the person reads when a file did not come, by Slack's reason.
WHY = {
    "missing_scope": "I'm not allowed to send files here yet: ask whoever installed me to reinstall the app "
    "(it needs the files:write permission).",
}
NOT_SENT = "I could not send you {title} just now. Ask again in a few minutes."


@dataclass(frozen=True)
class Upload:
    filename: str  # as saved: report-2026-12-05.html
    title: str  # as Slack shows it
    content: bytes
    comment: str  # plain text: the line the file comes with


def share(upload: Upload, *, channel: str, client: WebClient, asked: str) -> bool:
    """Upload `upload` into a DM (its channel id, or the person's user id); False when it did not arrive."""
    try:
        if channel.startswith(("U", "W")):
            channel = str(client.conversations_open(users=channel)["channel"]["id"])
        client.files_upload_v2(
            channel=channel,
            content=upload.content,
            filename=upload.filename,
            title=upload.title,
            initial_comment=escape(upload.comment),
        )
        return True
    except SlackApiError as error:
        data = error.response.data
        why = str(data.get("error") or "") if isinstance(data, dict) else ""
    except (SlackRequestError, *NETWORK_ERRORS) as error:
        why = type(error).__name__
    log.warning("could not send %s (%s) for %s: %s", upload.filename, len(upload.content), asked, why)
    _tell(channel, WHY.get(why, NOT_SENT.format(title=upload.title)), client=client, asked=asked)
    return False


def _tell(channel: str, text: str, *, client: WebClient, asked: str) -> None:
    try:
        client.chat_postMessage(channel=channel, text=escape(text))
    except (SlackApiError, *NETWORK_ERRORS) as error:
        log.warning("could not say in the DM that a file for %s did not come: %s", asked, type(error).__name__)
