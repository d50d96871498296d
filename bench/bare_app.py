"""The learn_http baseline: a bare Bolt app whose /learn listener only acks, served by gunicorn like learnbot.

`gunicorn 'bench.bare_app:create()'` with SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and SLACK_API_URL set (the
emulator: Bolt asks auth.test once per process, as it does for learnbot). It verifies signatures exactly as
learnbot does and answers GET /healthz so the benchmark can wait for it the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def build_bolt_app(signing_secret: str) -> App:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"], timeout=10)
    app = App(
        signing_secret=signing_secret,
        client=client,
        token_verification_enabled=False,
        request_verification_enabled=True,
        name="bench-bare",
    )

    @app.command("/learn")
    def learn(ack: Ack) -> None:
        ack()

    return app


def create() -> WSGIApp:
    handler = SlackRequestHandler(build_bolt_app(os.environ["SLACK_SIGNING_SECRET"]))

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("content-type", "application/json"), ("content-length", "11")])
            return [b'{"ok":true}']
        return handler(environ, start_response)

    return application
