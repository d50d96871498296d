"""/learn mydata and /learn forgetme: what the bot stores about you, and deleting it."""

from __future__ import annotations

from bot.people.types import TeamMember
from bot.slack.blocks import privacy as blocks
from bot.slack.commands import Subcommand
from bot.slack.deps import Services
from bot.slack.replies import Reply
from bot.slack.requests import Ask, Click
from bot.slack.routes import Surface


def my_data(services: Services, ask: Ask) -> Reply:
    counts = services.privacy.summary(TeamMember(ask.person.team_id, ask.person.slack_user_id))
    return Reply(text="Your data", blocks=blocks.summary_blocks(counts))


def forget_me(services: Services, ask: Ask) -> Reply:
    return Reply(text="Delete your data?", blocks=blocks.confirm_forget_blocks())


def forget(services: Services, click: Click) -> Reply:
    items = services.privacy.forget(TeamMember(click.person.team_id, click.person.slack_user_id))
    return Reply(text=blocks.forgotten_text(items), replace=True)


SURFACE = Surface(
    subcommands=(
        Subcommand("mydata", "/learn mydata", "what I store about you", my_data),
        Subcommand("forgetme", "/learn forgetme", "delete everything I store about you", forget_me),
    ),
    actions={"privacy_forget": forget},
)
