"""A Slack Web API emulator over real HTTP on an ephemeral loopback port.

It answers the methods the bot uses, keeps messages, threads and views in memory, and can be told to
fail: 429 with Retry-After, 5xx, a dropped connection (before or after doing the work), a slow answer,
or a Slack error code. Tests assert on what it received; the sandbox renders what it holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.sandbox import emulator_files  # noqa: F401  (registers files.getUploadURLExternal and files.completeUploadExternal)
from bot.sandbox.blockkit import view_problems
from bot.sandbox.emulator_http import Server, handler_for
from bot.sandbox.emulator_methods import METHODS, check_message
from bot.sandbox.errors import SlackMethodError, refusal
from bot.sandbox.failures import Failure
from bot.sandbox.state import Call, Channel, Ephemeral, Message, SlackState, User, View

__all__ = ["Ephemeral", "Failure", "Message", "SlackEmulator", "View"]


class SlackEmulator:
    """Start with `start()`; `api_url` goes into SLACK_API_URL / WebClient(base_url=…)."""

    def __init__(
        self,
        *,
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "U0LEARNBOT",
        token: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.state = SlackState(team_id=team_id, bot_user_id=bot_user_id, clock=clock or (lambda: datetime.now(UTC)))
        self.token = token
        self._failures: list[Failure] = []
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def start(self) -> SlackEmulator:
        self._server = Server(("127.0.0.1", 0), handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-emulator", daemon=True
        )
        self._thread.start()
        self.state.base_url = self.base_url
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "emulator not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    # -- set-up -----------------------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, **details: Any) -> User:
        user = User(id=user_id, name=name, **details)
        with self.state.lock:
            self.state.users[user_id] = user
        return user

    def add_channel(self, channel_id: str, name: str, **details: Any) -> Channel:
        channel = Channel(id=channel_id, name=name, **details)
        with self.state.lock:
            self.state.channels[channel_id] = channel
        return channel

    def fail(self, method: str, mode: str, **options: Any) -> Failure:
        """Make the next call(s) to `method` fail; see `Failure` for the modes."""
        failure = Failure(method=method, mode=mode, **options)
        with self.state.lock:
            self._failures.append(failure)
        return failure

    def new_response_url(self, *, channel: str, user: str, message_ts: str | None = None) -> str:
        """A response_url for a request from `user` in `channel` (about the message `message_ts`, if any)."""
        token = self.state.next_id("R")
        with self.state.lock:
            self.state.response_urls[token] = (channel, user, message_ts)
        return f"{self.base_url}/respond/{token}"

    def after_submission(self, view_id: str, answer: Any) -> None:
        """What Slack does with a window once its submission is acknowledged: errors keep it open as it was,
        `update` shows the new view in its place (checked like any view), anything else closes it."""
        action = answer.get("response_action") if isinstance(answer, dict) else None
        with self.state.lock:
            stored = self.state.views.get(view_id)
            if stored is None or action == "errors":
                return
            if action == "update":
                found = view_problems(answer.get("view") or {})
                if found:
                    raise AssertionError(f"Slack would refuse this view: {found}")
                stored.view, stored.version = dict(answer["view"]), stored.version + 1
            else:
                stored.closed = True

    # -- reading ----------------------------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self.state.lock:
            return [call for call in self.state.calls if call.method == method]

    def messages_in(self, channel: str) -> list[Message]:
        with self.state.lock:
            return list(self.state.messages.get(channel, []))

    def dm_messages(self, user_id: str) -> list[Message]:
        with self.state.lock:
            channel = self.state.dm_channels.get(user_id)
            return list(self.state.messages.get(channel, [])) if channel else []

    def ephemerals_for(self, user_id: str) -> list[Ephemeral]:
        with self.state.lock:
            return [item for item in self.state.ephemerals if item.user == user_id and not item.deleted]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self.state.lock:
            view_id = self.state.home.get(user_id)
            return {**self.state.views[view_id].view, "id": view_id} if view_id else None

    def open_views(self, user_id: str) -> list[View]:
        with self.state.lock:
            return [v for v in self.state.views.values() if v.user == user_id and v.kind == "modal" and not v.closed]

    def close_views(self, user_id: str) -> None:
        """The person presses Close on the windows they have open."""
        with self.state.lock:
            for view in self.state.views.values():
                if view.user == user_id and view.kind == "modal":
                    view.closed = True

    # -- serving ----------------------------------------------------------------------------------------------
    def take_failure(self, method: str, args: dict[str, Any]) -> Failure | None:
        with self.state.lock:
            for failure in self._failures:
                if failure.method in (method, "*") and failure.channel in (None, args.get("channel")):
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                    failure.reached.set()
                    return failure
        return None

    def handle_api(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Do one Web API call: (HTTP status, JSON body, extra headers)."""
        with self.state.lock:
            self.state.calls.append(Call(method=method, args=args, token=token))
        if self.token is not None and token != self.token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        handler = METHODS.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        try:
            with self.state.lock:
                result = handler(self.state, args)
        except SlackMethodError as error:
            return 200, refusal(error), {}
        return 200, {"ok": True, **result}, {}

    def handle_upload(self, file_id: str, content: bytes) -> tuple[int, dict[str, Any]]:
        """Step two of an upload: the bytes, posted to the URL files.getUploadURLExternal gave."""
        with self.state.lock:
            sent = {"file_id": file_id, "length": len(content)}
            self.state.calls.append(Call(method="upload", args=sent, token=None))
            file = self.state.files.get(file_id)
            if file is None or file.shared:
                return 404, {"ok": False, "error": "file_not_found"}
            file.content = content
            return 200, {"ok": True}

    def files_in(self, channel: str) -> list[tuple[Message, bytes]]:
        """Each file shared in `channel` (a DM by its user id too), with the message it came with."""
        with self.state.lock:
            channel = self.state.dm_channels.get(channel, channel)
            found = self.state.messages.get(channel, [])
            return [(m, self.state.files[f["id"]].content or b"") for m in found for f in m.files]

    def handle_response_url(self, token: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.state.lock:
            target = self.state.response_urls.get(token)
            if target is None:
                return 404, {"ok": False, "error": "expired_url"}
            channel, user, message_ts = target
            self.state.calls.append(Call(method="response_url", args=payload, token=None))
            if not payload.get("delete_original"):
                try:
                    check_message(payload)
                except SlackMethodError as error:
                    return 400, refusal(error)
            original = next((m for m in self.state.messages.get(channel, []) if m.ts == message_ts), None)
            if original is not None and (payload.get("replace_original") or payload.get("delete_original")):
                if payload.get("delete_original"):
                    self.state.messages[channel].remove(original)
                else:  # like chat.update on the message the button was on
                    original.text = str(payload.get("text", ""))
                    original.blocks = list(payload.get("blocks") or [])
                    original.edited = True
                return 200, {"ok": True}
            if payload.get("response_type") == "in_channel":
                message = Message(
                    channel=channel,
                    ts=self.state.next_ts(),
                    user=self.state.bot_user_id,
                    text=str(payload.get("text", "")),
                    blocks=list(payload.get("blocks") or []),
                )
                self.state.messages.setdefault(channel, []).append(message)
                return 200, {"ok": True}
            if payload.get("replace_original") or payload.get("delete_original"):
                for item in reversed(self.state.ephemerals):
                    if item.channel == channel and item.user == user and not item.deleted:
                        item.deleted = True
                        break
            if not payload.get("delete_original"):
                self.state.ephemerals.append(
                    Ephemeral(
                        channel=channel,
                        user=user,
                        text=str(payload.get("text", "")),
                        blocks=list(payload.get("blocks") or []),
                        id=len(self.state.ephemerals) + 1,
                    )
                )
            return 200, {"ok": True}
