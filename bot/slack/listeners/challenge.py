"""/challenge and the "Start a challenge" message shortcut."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded

NOT_YET = "Challenges are not available in this version yet. Try `/learn help` for what works today."


def register(app: App, deps: AppDeps) -> None:
    @app.command("/challenge")
    @guarded
    def challenge(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text=NOT_YET, response_type="ephemeral")

    @app.shortcut("start_challenge")
    @guarded
    def start_from_message(ack: Ack, respond: Respond, body: dict[str, Any]) -> None:
        ack()
        respond(text=NOT_YET, response_type="ephemeral")
