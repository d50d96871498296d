"""/learn: help now; the library, practice and profile subcommands register here as they arrive."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.blocks.help import help_blocks, help_text
from bot.slack.commands import CommandRouter
from bot.slack.deps import AppDeps
from bot.slack.text import unescape

router = CommandRouter("/learn")


@router.subcommand("help", "/learn help", "show what I can do")
def show_help(_rest: str, *, respond: Respond, **_: Any) -> None:
    respond(text=help_text(router.usages()), blocks=help_blocks(router.usages()), response_type="ephemeral")


@router.default("/learn <topic>", "find the two or three best short resources for what you need right now")
def search(topic: str, *, respond: Respond, **context: Any) -> None:
    if not topic:
        show_help(topic, respond=respond, **context)
        return
    respond(
        text="The resource library is not set up in this workspace yet. Try `/learn help`.",
        response_type="ephemeral",
    )


def register(app: App, deps: AppDeps) -> None:
    @app.command("/learn")
    def learn(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        deps.people.touch(team_id=command["team_id"], user_id=command["user_id"])
        router.dispatch(unescape(command.get("text") or ""), respond=respond, command=command, deps=deps)
