"""/challenge and the "Start a challenge" message shortcut: an honest "not yet" until the challenge engine
lands."""

from __future__ import annotations

from bot.slack.deps import Services
from bot.slack.replies import Reply
from bot.slack.requests import Ask
from bot.slack.routes import Surface

NOT_YET = "Challenges are not available in this version yet. Try `/learn help` for what works today."


def not_yet(services: Services, ask: Ask) -> Reply:
    return Reply(text=NOT_YET)


SURFACE = Surface(commands={"/challenge": not_yet}, shortcuts={"start_challenge": not_yet})
