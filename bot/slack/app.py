"""The Bolt app factory: middleware, the error handler and every surface's listeners."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.deps import AppDeps
from bot.slack.listeners import challenge, errors, events, home, learn, library, practice, privacy
from bot.slack.middleware import dedupe_events

SURFACES = (learn, library, practice, privacy, challenge, home, events)


def create_app(
    deps: AppDeps,
    *,
    client: WebClient,
    signing_secret: str | None,
    executor: Executor | None = None,
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
    app.use(dedupe_events(deps.runtime))
    app.error(errors.handle_error)
    for surface in SURFACES:
        surface.register(app, deps)
    return app


class _QuietTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment and warns that the client we pass wins. It does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "token` will be unused" not in record.getMessage()
