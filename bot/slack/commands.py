"""Routing a slash command's text to its subcommand, and the usages that help lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.slack.deps import Services
    from bot.slack.replies import Reply
    from bot.slack.requests import Ask

Handler = Callable[["Services", "Ask"], "Reply"]


@dataclass(frozen=True)
class Subcommand:
    """A word that selects a handler (`name`; "" for the default). Without `takes_text` it only counts on
    its own, so that `/learn help me give feedback` is a search, not a request for help."""

    name: str
    usage: str
    description: str
    handler: Handler
    takes_text: bool = False


class CommandRouter:
    """`/learn practice x` goes to the `practice` handler with "x"; other words go to the default."""

    def __init__(self, command: str, subcommands: Sequence[Subcommand]) -> None:
        self.command = command
        self._default = next((s for s in subcommands if not s.name), None)
        self._subcommands = {s.name: s for s in subcommands if s.name}

    def route(self, text: str) -> tuple[Subcommand | None, str]:
        words = text.strip().split(maxsplit=1)
        chosen = self._subcommands.get(words[0].lower()) if words else None
        if chosen is not None and (chosen.takes_text or len(words) == 1):
            return chosen, words[1] if len(words) > 1 else ""
        return self._default, text.strip()

    def is_default(self, text: str) -> bool:
        """True when `text` goes to the default handler (a topic), not a subcommand."""
        return self.route(text)[0] is self._default

    def usages(self) -> list[tuple[str, str]]:
        entries = ([self._default] if self._default else []) + list(self._subcommands.values())
        return [(entry.usage, entry.description) for entry in entries]

    def dispatch(self, services: Services, ask: Ask) -> Reply:
        subcommand, rest = self.route(ask.text)
        if subcommand is None:
            raise LookupError(f"no handler for {self.command} {ask.text!r}")
        return subcommand.handler(services, replace(ask, text=rest))
