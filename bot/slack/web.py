"""The WSGI application for HTTP mode: POST /slack/events and GET /healthz.

Requests are bounded and decoded here so that a malformed or oversized request gets a 4xx, never a 500.
Slash commands, button presses and shortcuts are acknowledged at the edge: once the signature checks
out, Slack gets its 200 at once and Bolt handles the request on a background thread. (Our listeners
always ack() without a body for these, so the answer is the same; events and view submissions, whose
answer can matter, go through Bolt in the request.)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

MAX_BODY = 512 * 1024
EDGE_ACKED = frozenset({"block_actions", "message_action", "shortcut"})
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]


class SlackWSGI:
    def __init__(self, app: App, *, healthy: Callable[[], bool], signing_secret: str | None = None) -> None:
        self._app = app
        self._healthy = healthy
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self._background = ThreadPoolExecutor(max_workers=8, thread_name_prefix="edge")

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            ok = self._healthy()
            return _reply(start_response, 200 if ok else 503, {"ok": ok, "database": "up" if ok else "down"})
        if path != EVENTS_PATH:
            return _reply(start_response, 404, {"error": "not_found"})
        if method != "POST":
            return _reply(start_response, 405, {"error": "method_not_allowed"})
        body = _read_body(environ)
        if isinstance(body, int):
            return _reply(start_response, body, {"error": "bad_request"})
        return self._dispatch(environ, body, start_response)

    def _dispatch(self, environ: Environ, body: str, start_response: StartResponse) -> Iterable[bytes]:
        headers = {
            key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        query = environ.get("QUERY_STRING", "")
        if self._acks_at_the_edge(body, headers):
            self._background.submit(self._dispatch_later, body, query, headers)
            start_response(_status(200), [("content-length", "0")])
            return [b""]
        try:
            request = BoltRequest(body=body, query=query, headers=headers)
            response = self._app.dispatch(request)
        except Exception:  # a body Bolt cannot parse
            log.warning("malformed request rejected", exc_info=True)
            return _reply(start_response, 400, {"error": "bad_request"})
        status = response.status
        if status >= 500:
            log.error("Bolt answered %s; sent 400 instead", status)
            status = 400
        response_headers = [(k, v) for k, values in response.headers.items() for v in values if k != "content-length"]
        data = (response.body or "").encode()
        start_response(_status(status), [*response_headers, ("content-length", str(len(data)))])
        return [data]

    def _acks_at_the_edge(self, body: str, headers: dict[str, str]) -> bool:
        """A correctly signed slash command, button press or shortcut: its acknowledgement is always empty."""
        if self._verifier is None or not body.startswith(("command=", "token=", "payload=")):
            return False
        if not self._verifier.is_valid_request(body, headers):
            return False  # Bolt answers 401
        fields = parse_qs(body)
        if "command" in fields:
            return True
        try:
            payload = json.loads(fields.get("payload", ["{}"])[0])
        except ValueError:
            return False
        return isinstance(payload, dict) and payload.get("type") in EDGE_ACKED

    def close(self) -> None:
        """Finish the requests already acknowledged, then stop the pool."""
        self._background.shutdown(wait=True)

    def _dispatch_later(self, body: str, query: str, headers: dict[str, Any]) -> None:
        try:
            self._app.dispatch(BoltRequest(body=body, query=query, headers=dict(headers.items())))
        except Exception:
            log.exception("a request acknowledged at the edge failed in Bolt")


def _read_body(environ: Environ) -> str | int:
    """The request body as text, or the HTTP status to refuse it with."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400
    if length < 0:
        return 400
    if length > MAX_BODY:
        return 413
    raw = environ["wsgi.input"].read(length) if length else b""
    if len(raw) != length:
        return 400
    try:
        return str(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return 400


def _status(code: int) -> str:
    from http import HTTPStatus

    return f"{code} {HTTPStatus(code).phrase}"


def _reply(start_response: StartResponse, code: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(_status(code), [("content-type", "application/json"), ("content-length", str(len(data)))])
    return [data]
