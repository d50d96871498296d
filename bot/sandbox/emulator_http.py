"""The emulator's HTTP face: Web API calls under /api/, response_url posts under /respond/."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs

from bot.sandbox.failures import Failure
from bot.sandbox.state import Call, SlackState

JSON_FIELDS = frozenset({"blocks", "attachments", "metadata", "view", "users", "channels", "files"})


class Backend(Protocol):
    state: SlackState

    def take_failure(self, method: str, args: dict[str, Any]) -> Failure | None: ...

    def handle_api(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]: ...

    def handle_response_url(self, token: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...

    def handle_upload(self, file_id: str, content: bytes) -> tuple[int, dict[str, Any]]: ...


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 resets connections when several workers post at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (as in the drop and hold tests) is not an error here."""
        return


def handler_for(emulator: Backend) -> type[BaseHTTPRequestHandler]:
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
            if self.path.startswith("/upload/"):
                status, body = emulator.handle_upload(self.path.removeprefix("/upload/"), raw)
                self._reply(status, body, {})
                return
            if not self.path.startswith("/api/"):
                self._reply(404, {"ok": False, "error": "not_found"}, {})
                return
            method = self.path.removeprefix("/api/").split("?")[0]
            args = _arguments(raw, self.headers.get("Content-Type", ""))
            token = _bearer(self.headers.get("Authorization")) or args.pop("token", None)
            failure = emulator.take_failure(method, args)
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
