"""The Slack Notifier: posts one message, classifies what Slack answered, finds earlier posts."""

from __future__ import annotations

import http.client
import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.outbox.types import (
    NotPosted,
    OutgoingMessage,
    Posted,
    PostOutcome,
    RateLimited,
    Rejected,
    Target,
    TargetGone,
    Unclear,
    WorkspaceBlocked,
)

log = logging.getLogger(__name__)

METADATA_EVENT = "learnbot_delivery"
PERSON_GONE = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot"})
TARGET_GONE = frozenset({"channel_not_found", "is_archived", "not_in_channel"}) | PERSON_GONE
WORKSPACE_BLOCKED = frozenset(
    {
        "account_inactive",
        "token_revoked",
        "invalid_auth",
        "not_authed",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)
UNCLEAR = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
NETWORK_ERRORS = (OSError, TimeoutError, http.client.HTTPException)
LOOKBACK = timedelta(minutes=5)


def classify(response: SlackResponse, channel: str | None = None) -> PostOutcome:
    """Turn a failed Slack answer into an outcome."""
    if response.status_code == 429:
        return RateLimited(retry_after=_retry_after(response.headers), channel=channel)
    if response.status_code >= 500:
        return Unclear(reason=f"http_{response.status_code}", channel=channel)
    code = str(response.get("error", "unknown_error")) if isinstance(response.data, dict) else "unknown_error"
    if code == "ratelimited":
        return RateLimited(retry_after=_retry_after(response.headers), channel=channel)
    if code in TARGET_GONE:
        return TargetGone(code, person=code in PERSON_GONE)
    if code in WORKSPACE_BLOCKED:
        return WorkspaceBlocked(code)
    if code in UNCLEAR:
        return Unclear(reason=code, channel=channel)
    return Rejected(code)


def _retry_after(headers: Any) -> float:
    for name in ("Retry-After", "retry-after"):
        value = headers.get(name) if headers else None
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None:
            try:
                return max(float(value), 1.0)
            except ValueError:
                break
    return 30.0


class SlackNotifier:
    """Implements `bot.outbox.types.Notifier` over a WebClient that does not retry."""

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._dm_channels: dict[str, str] = {}
        self._lock = threading.Lock()

    def post(self, target: Target, message: OutgoingMessage) -> PostOutcome:
        channel = self._channel(target)
        if not isinstance(channel, str):
            return channel
        arguments: dict[str, Any] = {
            "channel": channel,
            "text": message.text,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if message.blocks:
            arguments["blocks"] = message.blocks
        if target.thread_ts:
            arguments["thread_ts"] = target.thread_ts
        if target.edit_ts:
            return self._edit(channel, target.edit_ts, arguments)
        if message.delivery_id is not None:
            arguments["metadata"] = {
                "event_type": METADATA_EVENT,
                "event_payload": {"delivery_id": message.delivery_id},
            }
        try:
            response = self._client.chat_postMessage(**arguments)
        except SlackApiError as error:
            return classify(error.response, channel)
        except NETWORK_ERRORS as error:
            return Unclear(reason=f"network: {error.__class__.__name__}", channel=channel)
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    def _edit(self, channel: str, ts: str, arguments: dict[str, Any]) -> PostOutcome:
        """Replace a message of the bot's: doing it twice shows the same, so an unclear outcome just retries."""
        arguments.pop("unfurl_media")
        arguments.pop("unfurl_links")
        try:
            self._client.chat_update(ts=ts, **arguments)
        except SlackApiError as error:
            return classify(error.response, channel)
        except NETWORK_ERRORS as error:
            return Unclear(reason=f"network: {error.__class__.__name__}", channel=channel)
        return Posted(channel=channel, ts=ts)

    def find_posted(self, target: Target, *, delivery_id: int, since: datetime) -> PostOutcome | None:
        channel = self._channel(target)
        if not isinstance(channel, str):
            return channel
        oldest = f"{(since - LOOKBACK).timestamp():.6f}"
        try:
            for message in self._messages(channel, target.thread_ts, oldest):
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("delivery_id") == delivery_id:
                    return Posted(channel=channel, ts=str(message["ts"]))
        except SlackApiError as error:
            outcome = classify(error.response, channel)
            return outcome if isinstance(outcome, TargetGone | WorkspaceBlocked) else Unclear("lookup_failed", channel)
        except NETWORK_ERRORS as error:
            return Unclear(reason=f"lookup network: {error.__class__.__name__}", channel=channel)
        return None

    def _messages(self, channel: str, thread_ts: str | None, oldest: str) -> Any:
        cursor: str | None = None
        for _page in range(20):
            if thread_ts:
                response = self._client.conversations_replies(
                    channel=channel,
                    ts=thread_ts,
                    oldest=oldest,
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
            else:
                response = self._client.conversations_history(
                    channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
                )
            yield from response.get("messages") or []
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def _channel(self, target: Target) -> str | PostOutcome:
        """The channel to post in; opens the DM for a person (idempotent, so failures post nothing)."""
        if target.channel:
            return target.channel
        if not target.user_id:
            return Rejected("no_target")
        with self._lock:
            cached = self._dm_channels.get(target.user_id)
        if cached:
            return cached
        try:
            response = self._client.conversations_open(users=[target.user_id])
        except SlackApiError as error:
            outcome = classify(error.response)
            return NotPosted(f"conversations.open: {outcome}") if isinstance(outcome, Unclear) else outcome
        except NETWORK_ERRORS as error:
            return NotPosted(f"conversations.open network: {error.__class__.__name__}")
        channel = str(response["channel"]["id"])
        with self._lock:
            self._dm_channels[target.user_id] = channel
        return channel
