"""How the domains get text written: a Writer protocol, implemented by the model writer and the templates."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class WriteRequest:
    prompt: str
    variables: Mapping[str, str]
    user_text: str | None = None  # the person's own words: sent as data in a message of its own
    workspace_id: int | None = None  # whose daily token budget pays for it
    deadline: float | None = None  # seconds; past it the template answer is returned
    allowed_links: frozenset[str] = field(default_factory=frozenset)  # links from content that may appear
    author_id: int | None = None  # the person whose own words are in it: their answers go when they are forgotten


@dataclass(frozen=True)
class Written:
    text: str  # plain text; Slack builders escape it
    ai: bool  # True when a model wrote it: show it labelled as AI-written
    note: str = ""  # why the template was used, for logs


class Writer(Protocol):
    def write(self, request: WriteRequest) -> Written:
        """Always returns text: the model's when it answers well and in time, the template's otherwise."""
        ...

    def close(self) -> None:
        """Stop any work in flight (the composition root calls it once, at shutdown)."""
        ...


class Budget:
    """Seconds of model time shared by many writes (a tick's texts): each write gets what is left."""

    def __init__(self, seconds: float) -> None:
        self._until = time.monotonic() + seconds

    def deadline(self, most: float) -> float:
        """The deadline for the next write: at most `most`, never more than the budget has left (0: spent)."""
        return max(0.0, min(most, self._until - time.monotonic()))
