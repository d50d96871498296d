"""Plays the part of Slack's servers sending requests to the bot: signed slash commands, clicks, events.

The same driver feeds the sandbox and the tests, through `app.dispatch` or over real HTTP.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.state import escaped_command_text


@dataclass(frozen=True)
class Reply:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


Transport = Callable[[str, dict[str, Any]], Reply]

_counter = itertools.count(1)


def dispatch_transport(app: App) -> Transport:
    """Send through `app.dispatch` (fast, in process, still signed and verified)."""

    def send(body: str, headers: dict[str, Any]) -> Reply:
        response = app.dispatch(BoltRequest(body=body, headers=dict(headers)))
        return Reply(status=response.status, body=response.body or "")

    return send


def http_transport(url: str, *, timeout: float = 10.0) -> Transport:
    """Send over real HTTP to a running server (`url` ends with /slack/events)."""

    def send(body: str, headers: dict[str, Any]) -> Reply:
        request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return Reply(status=response.status, body=response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(status=error.code, body=error.read().decode())

    return send


class SlackDriver:
    def __init__(
        self,
        *,
        emulator: SlackEmulator,
        signing_secret: str,
        transport: Transport,
        channel: str = "C0SANDBOX",
    ) -> None:
        self.emulator = emulator
        self.transport = transport
        self.channel = channel
        self._verifier = SignatureVerifier(signing_secret)

    @property
    def team_id(self) -> str:
        return self.emulator.state.team_id

    # -- the raw, signed request -------------------------------------------------------------------------
    def signed_headers(self, body: str, content_type: str, *, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        return {
            "content-type": content_type,
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": self._verifier.generate_signature(timestamp=stamp, body=body) or "",
        }

    def send_form(self, fields: dict[str, str]) -> Reply:
        body = urlencode(fields)
        return self.transport(body, self.signed_headers(body, "application/x-www-form-urlencoded"))

    def send_json(self, payload: dict[str, Any], extra_headers: dict[str, str] | None = None) -> Reply:
        body = json.dumps(payload)
        headers = self.signed_headers(body, "application/json")
        headers.update(extra_headers or {})
        return self.transport(body, headers)

    # -- what a person does ---------------------------------------------------------------------------------
    def command(self, user: str, command: str, text: str = "", *, channel: str | None = None) -> Reply:
        """A slash command as a person types it; Slack escapes it (the manifests set `should_escape`)."""
        channel = channel or self.channel
        with self.emulator.state.lock:
            text = escaped_command_text(self.emulator.state, text)
        return self.send_form(
            {
                "token": "sandbox",
                "team_id": self.team_id,
                "team_domain": "sandbox",
                "channel_id": channel,
                "channel_name": "sandbox",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0LEARNBOT",
                "response_url": self.emulator.new_response_url(channel=channel, user=user),
                "trigger_id": self.trigger_id(user),
            }
        )

    def click(self, user: str, element: dict[str, Any], *, block_id: str, container: dict[str, Any]) -> Reply:
        """Press a button (or pick an option) in a message or view. `container` is what it sits in."""
        action: dict[str, Any] = {
            "type": element.get("type", "button"),
            "action_id": element.get("action_id", ""),
            "block_id": block_id,
            "action_ts": f"{time.time():.6f}",
        }
        if "value" in element:
            action["value"] = element["value"]
        for chosen in ("selected_option", "selected_options"):
            if chosen in element:
                action[chosen] = element[chosen]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": {"id": user, "team_id": self.team_id},
            "api_app_id": "A0LEARNBOT",
            "trigger_id": self.trigger_id(user),
            "actions": [action],
        }
        payload.update(self._container(user, container))
        return self.send_form({"payload": json.dumps(payload)})

    def submit_view(self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]) -> Reply:
        """Submit a modal; `values` is Slack's view.state.values shape."""
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": {"id": user, "team_id": self.team_id},
            "api_app_id": "A0LEARNBOT",
            "trigger_id": self.trigger_id(user),
            "view": {**view, "state": {"values": values}},
        }
        return self.send_form({"payload": json.dumps(payload)})

    def shortcut_on_message(self, user: str, callback_id: str, *, channel: str, message: dict[str, Any]) -> Reply:
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": {"id": user, "team_id": self.team_id},
            "channel": {"id": channel},
            "message": message,
            "message_ts": message.get("ts"),
            "trigger_id": self.trigger_id(user),
            "response_url": self.emulator.new_response_url(channel=channel, user=user),
        }
        return self.send_form({"payload": json.dumps(payload)})

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None) -> Reply:
        payload: dict[str, Any] = {
            "token": "sandbox",
            "team_id": self.team_id,
            "api_app_id": "A0LEARNBOT",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):010d}",
            "event_time": int(time.time()),
            "event": event,
        }
        headers = {}
        if retry_num is not None:
            headers = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"}
        return self.send_json(payload, headers)

    def open_home(self, user: str) -> Reply:
        return self.event({"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"})

    @staticmethod
    def trigger_id(user: str) -> str:
        return f"{user}:{next(_counter)}"

    def _container(self, user: str, container: dict[str, Any]) -> dict[str, Any]:
        if container.get("type") == "view":
            view = container["view"]
            return {"container": {"type": "view", "view_id": view.get("id")}, "view": view}
        channel = container["channel"]
        message = container.get("message") or {}
        result: dict[str, Any] = {
            "container": {
                "type": "message" if not container.get("ephemeral") else "ephemeral",
                "message_ts": message.get("ts", ""),
                "channel_id": channel,
                "is_ephemeral": bool(container.get("ephemeral")),
            },
            "channel": {"id": channel},
            "response_url": self.emulator.new_response_url(
                channel=channel, user=user, message_ts=None if container.get("ephemeral") else message.get("ts")
            ),
        }
        if message:
            result["message"] = message
        return result
