"""The Home tab."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.blocks import kit
from bot.slack.text import escape


@dataclass(frozen=True)
class HomeModel:
    name: str
    title: str
    first_visit: bool


def home_view(model: HomeModel) -> kit.Block:
    greeting = f"Welcome, {escape(model.name)}!" if model.name else "Welcome!"
    role = f"Your Slack profile says you are *{escape(model.title)}*." if model.title else ""
    blocks = [
        kit.header("Learning in the flow of work"),
        kit.section(f"{greeting} I help you learn on the job, at the moment you need it. {role}".strip()),
        kit.divider(),
        kit.section(
            "*Find help now*\nType `/learn` and a topic, for example `/learn giving feedback`, in any channel."
        ),
        kit.section("*See everything you can do*\nType `/learn help`."),
        kit.context("Your data stays in this workspace. Nothing you write is shown to others unless you share it."),
    ]
    return kit.home(blocks)
