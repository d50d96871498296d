"""A fake OpenAI-compatible server on loopback: answers from a script, records every request."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    """One scripted answer. `mode`: reply, status, malformed, hang (for `seconds`, or until `gate` is set)."""

    mode: str = "reply"
    text: str = "A fine answer."
    finish_reason: str = "stop"
    refusal: str | None = None
    status: int = 500
    seconds: float = 0.0
    gate: threading.Event | None = None
    retry_after: str = "0"  # with a 429
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 40, "completion_tokens": 20})


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.moderation_requests: list[dict[str, Any]] = []
        self.flag_moderation = False
        self._script: deque[Answer] = deque()
        self._default = Answer()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True

    def __enter__(self) -> FakeOpenAI:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1/"

    def always(self, answer: Answer) -> None:
        """Answer every request that nothing is enqueued for like this."""
        with self._lock:
            self._default = answer

    def enqueue(self, *answers: Answer) -> None:
        with self._lock:
            self._script.extend(answers)

    def _next(self) -> Answer:
        with self._lock:
            return self._script.popleft() if self._script else self._default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path.endswith("/moderations"):
                    fake.moderation_requests.append(body)
                    result = {"flagged": fake.flag_moderation, "categories": {}, "category_scores": {}}
                    self._json(200, {"id": "modr-1", "model": "omni-moderation-latest", "results": [result]})
                    return
                with fake._lock:
                    fake.requests.append(body)
                answer = fake._next()
                if answer.mode == "hang" and answer.gate is not None:
                    answer.gate.wait(timeout=60)
                elif answer.mode == "hang":
                    time.sleep(answer.seconds)
                if answer.mode == "status":
                    self._json(
                        answer.status,
                        {"error": {"message": "scripted failure", "type": "server_error"}},
                        retry_after=answer.retry_after,
                    )
                elif answer.mode == "malformed":
                    self._raw(200, b'{"id": "x", "choices": [ {"message": ')
                else:
                    self._json(200, _completion(answer, body.get("model", "m")))

            def _json(self, status: int, payload: dict[str, Any], retry_after: str = "0") -> None:
                self._raw(status, json.dumps(payload).encode(), retry_after)

            def _raw(self, status: int, data: bytes, retry_after: str = "0") -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", retry_after)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

        return Handler


def _completion(answer: Answer, model: str) -> dict[str, Any]:
    usage = {**answer.usage, "total_tokens": sum(answer.usage.values())}
    message: dict[str, Any] = {"role": "assistant", "content": None if answer.refusal else answer.text}
    if answer.refusal:
        message["refusal"] = answer.refusal
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": answer.finish_reason, "message": message}],
        "usage": usage,
    }
