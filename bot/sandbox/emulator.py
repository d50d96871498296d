"""A Slack Web API emulator over real HTTP on an ephemeral loopback port.

It answers the methods the bot uses, keeps messages, threads and views in memory, and can be told to
fail: 429 with Retry-After, 5xx, a dropped connection (before or after doing the work), a slow answer,
or a Slack error code. Tests assert on what it received; the sandbox renders what it holds.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from bot.sandbox.emulator_methods import METHODS, check_message
from bot.sandbox.errors import SlackMethodError
from bot.sandbox.state import Call, Ephemeral, Message, SlackState, User, View

JSON_FIELDS = frozenset({"blocks", "attachments", "metadata", "view", "users", "channels"})


@dataclass
class Failure:
    """A rule for the next matching calls.

    `mode`: status (HTTP `status`, or 429 with `retry_after`), error (ok=false with `error`), drop (close the
    connection before doing anything), drop_after (do the work, then close without answering), slow (wait
    `delay` seconds first), hold (wait until `gate` is set, then answer normally), hold_after (do the work, then
    wait until `gate` is set before answering).
    """

    method: str
    mode: str
    times: int = 1
    status: int = 500
    error: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    gate: threading.Event | None = None
    channel: str | None = None  # only calls for this channel
    reached: threading.Event = field(default_factory=threading.Event)  # set when a request meets this rule
    finished: threading.Event = field(default_factory=threading.Event)  # set when that request was answered


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 resets connections when several workers post at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (as in the drop and hold tests) is not an error here."""
        return


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
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def start(self) -> SlackEmulator:
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-emulator", daemon=True
        )
        self._thread.start()
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

    # -- serving ----------------------------------------------------------------------------------------------
    def _take_failure(self, method: str, args: dict[str, Any]) -> Failure | None:
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


def _handler_for(emulator: SlackEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.startswith("/respond/"):
                status, body = emulator.handle_response_url(self.path.removeprefix("/respond/"), _json(raw))
                self._reply(status, body, {})
                return
            if not self.path.startswith("/api/"):
                self._reply(404, {"ok": False, "error": "not_found"}, {})
                return
            method = self.path.removeprefix("/api/").split("?")[0]
            args = _arguments(raw, self.headers.get("Content-Type", ""))
            token = _bearer(self.headers.get("Authorization")) or args.pop("token", None)
            failure = emulator._take_failure(method, args)
            try:
                self._answer(failure, method, args, token)
            finally:
                if failure is not None:
                    failure.finished.set()

        def _answer(self, failure: Failure | None, method: str, args: dict[str, Any], token: str | None) -> None:
            if failure is not None and self._fail_before(failure, method, args, token):
                return
            status, body, headers = emulator.handle_api(method, args, token)
            if failure is not None and failure.mode == "drop_after":
                self._drop()
                return
            if failure is not None and failure.mode == "hold_after":
                assert failure.gate is not None, "hold_after needs a gate"
                failure.gate.wait(timeout=60)
            self._reply(status, body, headers)

        do_GET = do_POST  # noqa: N815

        def _fail_before(self, failure: Failure, method: str, args: dict[str, Any], token: str | None) -> bool:
            """Apply a failure that happens before the work; True when the request is finished."""
            if failure.mode == "slow":
                time.sleep(failure.delay)
                return False
            if failure.mode == "hold":
                assert failure.gate is not None, "hold needs a gate"
                failure.gate.wait(timeout=30)
                return False
            if failure.mode in ("drop_after", "hold_after"):
                return False
            with emulator.state.lock:
                emulator.state.calls.append(Call(method=method, args=args, token=token))
            if failure.mode == "drop":
                self._drop()
            elif failure.mode == "error":
                self._reply(200, {"ok": False, "error": failure.error}, {})
            elif failure.retry_after is not None or failure.status == 429:
                headers = {"Retry-After": str(failure.retry_after or 1)}
                self._reply(429, {"ok": False, "error": "ratelimited"}, headers)
            else:
                self._reply(failure.status, {"ok": False, "error": "internal_error"}, {})
            return True

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


def refusal(error: SlackMethodError) -> dict[str, Any]:
    """Slack's answer to a refused call; `response_metadata.messages` says what was wrong, as Slack does."""
    body: dict[str, Any] = {"ok": False, "error": error.code}
    if error.messages:
        body["response_metadata"] = {"messages": error.messages}
    return body


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _arguments(raw: bytes, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        return _json(raw)
    args: dict[str, Any] = {key: values[-1] for key, values in parse_qs(raw.decode(), keep_blank_values=True).items()}
    for key in JSON_FIELDS & args.keys():
        try:
            args[key] = json.loads(args[key])
        except ValueError:
            if key == "users" or key == "channels":
                args[key] = args[key].split(",")
    return args
