"""The /learn help message."""

from __future__ import annotations

from collections.abc import Sequence

from bot.slack.blocks import kit
from bot.slack.text import escape


def help_blocks(commands: Sequence[tuple[str, str]]) -> list[kit.Block]:
    """`commands` are (usage, what it does) pairs, in the order to show them."""
    lines = "\n".join(f"• `{escape(usage)}`: {escape(description)}" for usage, description in commands)
    return [
        kit.header("Learning in the flow of work"),
        kit.section("Help at the moment you need it, practice that fits in two minutes."),
        kit.section(lines or "No commands are available."),
        kit.section(
            "*Challenges*: `/challenge @colleague` proposes a two-week on-the-job challenge (they accept it first); "
            "`/challenge` lists yours and `/challenge help` explains."
        ),
        kit.context("Open the bot's *Home* tab for your profile, practice, challenges and settings."),
    ]


def help_text(commands: Sequence[tuple[str, str]]) -> str:
    return "How to use /learn: " + "; ".join(usage for usage, _ in commands)
