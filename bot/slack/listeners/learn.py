"""/learn: find resources, the personal menu, help, and opting out of (or back into) the bot's messages."""

from __future__ import annotations

from bot.library.small_talk import small_talk
from bot.slack.blocks import library as blocks
from bot.slack.blocks.help import help_blocks, help_text
from bot.slack.commands import Subcommand
from bot.slack.deps import Services
from bot.slack.replies import Reply
from bot.slack.requests import Ask
from bot.slack.routes import Surface

OPTED_OUT = "You won't get messages from me any more. Type `/learn optin` to start them again."
OPTED_IN = "Welcome back: your reminders and questions start again."
ALREADY_OUT = "You had already asked for no messages from me. Type `/learn optin` to start them again."
ALREADY_IN = "You are getting my messages already: there was nothing to start again."
YOU_ARE_WELCOME = "You're welcome. Ask me about anything you are working on, whenever it comes up."


def find(services: Services, ask: Ask) -> Reply:
    """A topic: the best resources for it; nothing: the personal menu."""
    if not ask.text:
        return Reply(text="Your learning menu", blocks=blocks.menu_blocks(services.library.menu(ask.person)))
    kind = small_talk(ask.text)
    if kind == "greeting":
        return show_help(services, ask)
    if kind == "thanks":
        return Reply(text=YOU_ARE_WELCOME)
    results = services.library.search(ask.person, ask.plain)
    if results.resources:  # a good match, or the closest the library has
        return Reply(text=blocks.results_text(results), blocks=blocks.results_blocks(results))
    if results.elsewhere is not None:  # IT, HR policy, the office...: where to ask, not a guide
        reply = blocks.elsewhere_blocks(results.query, results.search_id, results.elsewhere)
        return Reply(text=blocks.no_match_text(results.query), blocks=reply)
    guide = services.library.quick_guide(ask.person, results.query)
    reply = blocks.no_match_blocks(results.query, results.search_id, guide)
    return Reply(text=blocks.no_match_text(results.query), blocks=reply)


def show_help(services: Services, ask: Ask) -> Reply:
    return Reply(text=help_text(ask.commands), blocks=help_blocks(ask.commands))


def opt_out(services: Services, ask: Ask) -> Reply:
    if ask.person.opted_out:
        return Reply(text=ALREADY_OUT)
    services.people.opt_out(ask.person, out=True)
    return Reply(text=OPTED_OUT)


def opt_in(services: Services, ask: Ask) -> Reply:
    if not ask.person.opted_out:
        return Reply(text=ALREADY_IN)
    services.people.opt_out(ask.person, out=False)
    return Reply(text=OPTED_IN)


SURFACE = Surface(
    subcommands=(
        Subcommand("", "/learn <topic>", "the two or three best short resources for what you need right now", find),
        Subcommand("help", "/learn help", "show what I can do", show_help),
        Subcommand(
            "optout",
            "/learn optout",
            "no more messages from me (reminders, questions); /learn optin undoes it",
            opt_out,
        ),
        Subcommand("optin", "/learn optin", "start my messages again after /learn optout", opt_in),
    )
)
