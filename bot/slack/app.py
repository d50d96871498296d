"""The Bolt app: verify (Bolt, HTTP mode) -> dedupe -> resolve the person -> route -> reply."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.slack import pipeline, routes
from bot.slack.commands import CommandRouter
from bot.slack.deps import Services
from bot.slack.errors import tell_about
from bot.slack.listeners import (
    challenge_endings,
    challenge_thread,
    challenges,
    events,
    home,
    learn,
    library,
    practice,
    privacy,
    reports,
)

BoltApp = App  # what the composition root holds, without importing slack_bolt itself

# /learn's words come from the surfaces in this order (and its help lists them so).
SURFACES = (
    learn.SURFACE,
    library.SURFACE,
    practice.SURFACE,
    privacy.SURFACE,
    challenges.SURFACE,
    challenge_thread.SURFACE,
    challenge_endings.SURFACE,
    home.SURFACE,
    reports.SURFACE,
)


def create_app(
    services: Services, *, client: WebClient, signing_secret: str | None, executor: Executor | None = None
) -> App:
    """A Bolt app for one workspace token. Without a signing secret (Socket Mode) requests are not signed."""
    logger = logging.getLogger("bot.slack.bolt")
    if not any(isinstance(existing, _QuietTokenWarning) for existing in logger.filters):
        logger.addFilter(_QuietTokenWarning())
    app = App(
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=signing_secret is not None,
        listener_executor=executor,
        logger=logger,
        name="learnbot",
    )
    pipeline.install(app, services)
    app.error(_last_resort)
    router = CommandRouter("/learn", [sub for surface in SURFACES for sub in surface.subcommands])
    routes.register(app, services, [*SURFACES, events.surface(router)], learn=router)
    return app


def _last_resort(error: Exception, body: dict[str, Any], respond: Respond | None, client: WebClient) -> None:
    """Errors our listeners do not catch themselves (there should be none) still get one friendly line."""
    tell_about(error, body=body, respond=respond, client=client)


class _QuietTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment and warns that the client we pass wins. It does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "token` will be unused" not in record.getMessage()
