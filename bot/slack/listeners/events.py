"""Workspace events: profile changes, and messages in the bot's DM, which are requests like `/learn`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient

from bot.library.small_talk import small_talk
from bot.people.types import TeamMember
from bot.slack.commands import CommandRouter
from bot.slack.deps import Services
from bot.slack.directory import profile_from_user
from bot.slack.listeners.challenge_thread import about_a_challenge
from bot.slack.replies import answer_in_dm
from bot.slack.requests import Ask
from bot.slack.routes import Event, Surface


def user_changed(services: Services, event: Event, client: WebClient) -> None:
    user = event.data.get("user")
    if isinstance(user, dict) and user.get("id") and event.team_id and not user.get("is_bot"):
        services.people.apply_profile(TeamMember(event.team_id, str(user["id"])), profile_from_user(user))


def surface(learn: CommandRouter) -> Surface:
    """The DM handler answers with the same router as `/learn` (a question is a search, "help" the help);
    someone with a challenge going on is first asked whether a message is about it."""

    def direct_message(services: Services, event: Event, client: WebClient) -> None:
        person = event.person
        if person is None or not _a_persons_dm(event.data):
            return
        if person.is_new:
            person = services.people.complete(person)
        channel = str(event.data["channel"])
        text = str(event.data["text"]).strip()
        ask = Ask(person, text, channel, tuple(learn.usages()))
        triage = about_a_challenge(services, ask) if learn.is_default(text) and not small_talk(text) else None
        reply = triage or learn.dispatch(services, ask)
        if reply.says_something:
            answer_in_dm(reply, asked=f"a DM from {person.slack_user_id}", channel=channel, client=client)

    return Surface(events={"user_change": user_changed, "message": direct_message})


def _a_persons_dm(event: Mapping[str, Any]) -> bool:
    """Something a person wrote in the bot's DM: not the bot's own messages, not edits or deletions, not
    a reply in a thread."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and not event.get("thread_ts")
        and isinstance(event.get("text"), str)
        and bool(event["text"].strip())
    )
