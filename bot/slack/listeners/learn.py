"""/learn: find resources, the personal menu, help. Other surfaces add subcommands to `router`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.services.people import PersonRef
from bot.slack.blocks import library as blocks
from bot.slack.blocks.help import help_blocks, help_text
from bot.slack.commands import CommandRouter
from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded
from bot.slack.text import unescape

router = CommandRouter("/learn")


class Answer:
    """Where the answer to a command goes: ephemeral in a channel, a message in the bot's DM."""

    def __init__(self, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        self._channel = str(command.get("channel_id") or "")
        self._respond = respond
        self._client = client

    def __call__(self, *, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        if self._channel.startswith("D"):
            self._client.chat_postMessage(channel=self._channel, text=text, blocks=blocks, unfurl_links=False)
        else:
            self._respond(text=text, blocks=blocks, response_type="ephemeral")


@router.subcommand("help", "/learn help", "show what I can do")
def show_help(_rest: str, *, answer: Answer, **_: Any) -> None:
    answer(text=help_text(router.usages()), blocks=help_blocks(router.usages()))


@router.subcommand("optout", "/learn optout", "no more messages from me (reminders, questions); /learn optin undoes it")
def opt_out(_rest: str, *, answer: Answer, deps: AppDeps, person: PersonRef, **_: Any) -> None:
    deps.people.opt_out(person, out=True)
    answer(text="You won't get messages from me any more. Type `/learn optin` to start them again.")


@router.subcommand("optin", "/learn optin", "start my messages again after /learn optout")
def opt_in(_rest: str, *, answer: Answer, deps: AppDeps, person: PersonRef, **_: Any) -> None:
    deps.people.opt_out(person, out=False)
    answer(text="Welcome back: your reminders and questions start again.")


@router.default("/learn <topic>", "the two or three best short resources for what you need right now")
def find(topic: str, *, answer: Answer, deps: AppDeps, person: PersonRef, **_: Any) -> None:
    if not topic:
        menu = deps.library.menu(person)
        answer(text="Your learning menu", blocks=blocks.menu_blocks(menu))
        return
    results = deps.library.search(person, topic)
    if results.good:
        answer(text=f"Resources for {results.query}", blocks=blocks.results_blocks(results))
        return
    guide = deps.library.quick_guide(person, results.query)
    reply = blocks.no_match_blocks(results.query, results.search_id, guide)
    answer(text=f"Nothing in the library for {results.query} yet", blocks=reply)


def register(app: App, deps: AppDeps) -> None:
    @app.command("/learn")
    @guarded
    def learn(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        person = deps.people.touch(team_id=command["team_id"], user_id=command["user_id"])
        text = unescape(command.get("text") or "")
        router.dispatch(text, answer=Answer(command, respond, client), deps=deps, person=person, command=command)
