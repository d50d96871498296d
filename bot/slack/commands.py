"""Routing of slash command text to subcommands, and the help that lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    description: str
    handler: Handler
    takes_text: bool = False


class CommandRouter:
    """`/learn practice x` goes to the `practice` handler with "x"; unknown words go to the default."""

    def __init__(self, command: str) -> None:
        self.command = command
        self._subcommands: dict[str, Subcommand] = {}
        self._default: Subcommand | None = None

    def subcommand(
        self, name: str, usage: str, description: str, *, takes_text: bool = False
    ) -> Callable[[Handler], Handler]:
        """A word that selects a handler. Without `takes_text` it only counts on its own, so that
        `/learn help me give feedback` is a search, not a request for help."""

        def register(handler: Handler) -> Handler:
            self._subcommands[name] = Subcommand(name, usage, description, handler, takes_text)
            return handler

        return register

    def default(self, usage: str, description: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._default = Subcommand("", usage, description, handler)
            return handler

        return register

    def route(self, text: str) -> tuple[Subcommand | None, str]:
        words = text.strip().split(maxsplit=1)
        chosen = self._subcommands.get(words[0].lower()) if words else None
        if chosen is not None and (chosen.takes_text or len(words) == 1):
            return chosen, words[1] if len(words) > 1 else ""
        return self._default, text.strip()

    def usages(self) -> list[tuple[str, str]]:
        entries = ([self._default] if self._default else []) + list(self._subcommands.values())
        return [(entry.usage, entry.description) for entry in entries]

    def dispatch(self, text: str, **kwargs: Any) -> None:
        subcommand, rest = self.route(text)
        if subcommand is None:
            raise LookupError(f"no handler for {self.command} {text!r}")
        subcommand.handler(rest, **kwargs)
