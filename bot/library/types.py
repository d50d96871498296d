"""What the library hands to the edge: frozen values, and the layout protocol for its scheduled message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.content.types import ElsewhereView, ResourceView
from bot.library.fit import Fit
from bot.outbox.types import Payload


@dataclass(frozen=True)
class Results:
    query: str
    search_id: int
    resources: list[ResourceView]
    offset: int
    total: int
    fit: Fit  # the resources answer it, are the closest the library has, or there are none
    elsewhere: ElsewhereView | None = None  # with none: the kind of question it is, that belongs elsewhere

    @property
    def good(self) -> bool:
        return self.fit is Fit.GOOD

    @property
    def more(self) -> bool:
        return self.offset + len(self.resources) < self.total


@dataclass(frozen=True)
class Menu:
    role_name: str | None
    skill_names: list[str]
    recommended: list[ResourceView]
    recent: list[ResourceView]


@dataclass(frozen=True)
class Rated:
    resource: ResourceView
    value: str
    first: bool  # the person's first answer about it (a second click changes the answer)


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class ProfileModel:
    """The person's choices as the Home tab shows them."""

    name: str
    title: str
    roles: list[Choice]
    role: str | None
    role_guessed: bool
    skills: list[Choice]
    chosen_skills: list[str]
    followups_enabled: bool


class LibraryMessages(Protocol):
    def followup(self, resource: ResourceView) -> Payload:
        """The "did it help?" question two days after someone opened a resource."""
        ...
