"""The WSGI application for HTTP mode: POST /slack/events and GET /healthz.

Every request is bounded, decoded and its signature checked here, so a malformed, oversized, slow or
unsigned request gets a 4xx (and one WARNING line), never a 500. A signed slash command, button press or
shortcut is recorded in the inbox, acknowledged at once (its acknowledgement is always empty) and handled
by Bolt on a background thread; a sweeper replays what a dead process left unfinished. Events and window
submissions, whose answer can matter, go through Bolt in the request. Bolt does not check the signature
again: it was checked here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from bot.inbox.service import Inbox
from bot.slack.shapes import SHAPE_CHECKED, problem_with

log = logging.getLogger(__name__)

MAX_BODY = 512 * 1024
BODY_SECONDS = 3.0  # Slack sends a whole body at once: a client slower than this is holding a thread
SWEEP_SECONDS = 2.0
EDGE_ACKED = frozenset({"block_actions", "message_action", "shortcut"})
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
FORWARDED = ("content-type", "x-slack-request-timestamp", "x-slack-signature", "x-slack-retry-num")
_TIMESTAMP = re.compile(r"^\d{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]


class SlackWSGI:
    def __init__(
        self,
        app: App,
        *,
        healthy: Callable[[], bool],
        signing_secret: str,
        inbox: Inbox,
        on_shutdown: Callable[[], None] | None = None,
    ) -> None:
        self._app = app
        self._healthy = healthy
        self._verifier = SignatureVerifier(signing_secret)
        self._inbox = inbox
        self._on_shutdown = on_shutdown
        self._background = ThreadPoolExecutor(max_workers=8, thread_name_prefix="edge")
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, name="edge-sweeper", daemon=True)
        self._sweeper.start()

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
            log.warning("refused a request: HTTP %s while reading its body", body)
            return _reply(start_response, body, {"error": HTTPStatus(body).phrase.lower().replace(" ", "_")})
        headers = {key: str(environ.get(_cgi(key), "")) for key in FORWARDED if environ.get(_cgi(key))}
        if not self._signed(body, headers):
            log.warning("refused a request without a valid Slack signature")
            return _reply(start_response, 401, {"error": "invalid_signature"})
        problem = _shape_problem(body, headers.get("content-type"))
        if problem is not None:
            log.warning("refused a signed request of the wrong shape: %s", problem)
            return _reply(start_response, 400, {"error": "bad_request"})
        if _acked_at_the_edge(body):
            accepted = self._inbox.accept(body, headers)  # recorded before the 200: a crash loses nothing
            self._background.submit(self._run, accepted, body, headers)
            start_response(_status(200), [("content-length", "0")])
            return [b""]
        return self._in_request(body, headers, start_response)

    def _signed(self, body: str, headers: dict[str, str]) -> bool:
        """Slack's signature, checked without ever raising: header values of the wrong shape are refused."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not _TIMESTAMP.match(timestamp) or not _SIGNATURE.match(signature):
            return False
        return self._verifier.is_valid(body, timestamp, signature)

    def _in_request(self, body: str, headers: dict[str, str], start_response: StartResponse) -> Iterable[bytes]:
        try:
            response = self._app.dispatch(_verified(body, headers))
        except Exception as error:  # a body Bolt cannot parse
            log.warning("refused a malformed request: %s", error.__class__.__name__)
            return _reply(start_response, 400, {"error": "bad_request"})
        status = response.status
        if status >= 500:  # its cause is logged already, by the app's error handler: a stack for a bug of ours
            log.warning("Bolt answered %s; sent 400 instead", status)
            status = 400
        response_headers = [(k, v) for k, values in response.headers.items() for v in values if k != "content-length"]
        data = (response.body or "").encode()
        start_response(_status(status), [*response_headers, ("content-length", str(len(data)))])
        return [data]

    def _run(self, accepted: int, body: str, headers: dict[str, str]) -> None:
        """Bolt handles a request acknowledged at the edge; its listener marks it done (routes)."""
        try:
            self._app.dispatch(_verified(body, headers, accepted=accepted))
        except Exception:
            log.exception("a request acknowledged at the edge failed in Bolt")

    def _sweep(self) -> None:
        """Every few seconds: requests another process acknowledged and did not finish are done here."""
        while not self._stopping.wait(SWEEP_SECONDS):
            try:
                for request in self._inbox.stale():
                    log.info("replaying acknowledged request %s left unfinished", request.id)
                    self._background.submit(self._run, request.id, request.body, request.headers)
            except RuntimeError:  # the pool is shutting down
                return
            except Exception as error:
                log.warning("could not look for unfinished requests: %s", error.__class__.__name__)

    def drain(self) -> None:
        """Stop the sweeper (waiting out a sweep under way), then finish what was acknowledged and stop the pool."""
        self._stopping.set()
        if self._sweeper is not threading.current_thread():
            self._sweeper.join(timeout=10)  # mid-query at worst: it hands its finds over first
        self._background.shutdown(wait=True)

    def shutdown(self) -> None:
        """The process is stopping (gunicorn's worker_exit): close everything it built, draining first."""
        if self._on_shutdown is not None:
            self._on_shutdown()
        else:
            self.drain()


def _verified(body: str, headers: dict[str, str], accepted: int | None = None) -> BoltRequest:
    """A request whose signature and shape the edge checked: Bolt and the pipeline do not check again."""
    context: dict[str, Any] = {SHAPE_CHECKED: True}
    if accepted is not None:
        context["accepted"] = accepted
    return BoltRequest(body=body, headers=dict(headers), context=context, mode="socket_mode")


def _shape_problem(body: str, content_type: str | None) -> str | None:
    try:
        parsed = parse_body(body, content_type)
    except ValueError:
        return "not JSON"
    return problem_with(parsed) if isinstance(parsed, dict) else "not an object"


def _acked_at_the_edge(body: str) -> bool:
    """A slash command, button press or shortcut (shape checked): its acknowledgement is always empty."""
    if not body.startswith(("command=", "token=", "payload=")):
        return False
    fields = parse_qs(body)
    return "command" in fields or json.loads(fields["payload"][0]).get("type") in EDGE_ACKED


def _read_body(environ: Environ) -> str | int:
    """The request body as text, or the HTTP status to refuse it with. Under gunicorn the socket gets a
    read timeout first, so a client that stops sending frees its thread after BODY_SECONDS."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400
    if length < 0:
        return 400
    if length > MAX_BODY:
        return 413
    connection = environ.get("gunicorn.socket")
    previous = connection.gettimeout() if isinstance(connection, socket.socket) else None
    try:
        if isinstance(connection, socket.socket):
            connection.settimeout(BODY_SECONDS)
        raw = environ["wsgi.input"].read(length) if length else b""
    except (TimeoutError, OSError):
        if isinstance(connection, socket.socket):  # nothing more is read from it: gunicorn does not wait again
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RD)
        return 408
    finally:
        if isinstance(connection, socket.socket):
            connection.settimeout(previous)
    if len(raw) != length:
        return 400
    try:
        return str(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return 400


def _cgi(header: str) -> str:
    return "CONTENT_TYPE" if header == "content-type" else "HTTP_" + header.upper().replace("-", "_")


def _status(code: int) -> str:
    return f"{code} {HTTPStatus(code).phrase}"


def _reply(start_response: StartResponse, code: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(_status(code), [("content-type", "application/json"), ("content-length", str(len(data)))])
    return [data]
