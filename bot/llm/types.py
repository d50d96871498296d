"""How the domains get text written: a Writer protocol, implemented by the model writer and the templates."""

from __future__ import annotations

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
