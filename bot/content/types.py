"""The synced content as frozen values: what every domain reads, never the rows themselves."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

SOMEONE_AT_WORK = "someone at work"  # how a person is described to the model when no role fits


@dataclass(frozen=True)
class ResourceView:
    id: int
    key: str
    title: str
    kind: str
    minutes: int
    summary: str
    url: str | None
    body: str | None
    prompt: str | None
    skills: tuple[str, ...]
    roles: tuple[str, ...]
    moments: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SkillView:
    key: str
    name: str
    description: str
    rubric: dict[int, str]


@dataclass(frozen=True)
class RoleView:
    key: str
    name: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class TeamView:
    """A team for reports: its members are a channel's or a user group's (resolved by the teams domain)."""

    key: str
    name: str
    channel: str | None
    usergroup: str | None
    leads: tuple[str, ...]  # Slack user ids


@dataclass(frozen=True)
class TechniqueView:
    id: int
    key: str
    skill: str
    title: str
    why: str
    variations: tuple[str, ...]
    reflection: str

    def variation(self, index: int) -> str:
        return self.variations[index % len(self.variations)]


@dataclass(frozen=True)
class CheckInView:
    day: int  # day 1 is the start date
    question: str


@dataclass(frozen=True)
class ChallengeView:
    """A challenge template: what a colleague proposes, unless they write a challenge of their own."""

    key: str
    title: str
    skill: str
    days: int
    brief: str
    target_count: int | None
    target_unit: str  # singular ("conversation"); "" without a target
    target_units: str  # plural
    steps: tuple[str, ...]
    checkins: tuple[CheckInView, ...]
    reflection: tuple[str, ...]
    share_prompt: str
    fits_roles: tuple[str, ...] = ()  # the roles it is written for; () for anyone
    fits_because: str = ""  # why: "it asks for conversations with your direct reports"


@dataclass(frozen=True)
class Classifier:
    """One of search.yaml's logistic models: yes when its probability reaches the threshold."""

    weights: tuple[tuple[str, float], ...]
    bias: float
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(weight * features.get(name, 0.0) for name, weight in self.weights)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def says_yes(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold


@dataclass(frozen=True)
class ElsewhereView:
    """A kind of question the library does not answer, the words that say it, and where to ask it."""

    key: str
    name: str
    where: str | None
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SearchTuning:
    good: Classifier  # a resource answers the query
    related: Classifier  # the library has something related to it


@dataclass(frozen=True)
class CatalogueState:
    """One consistent snapshot of the content: rebuilt as a whole when the content changes."""

    version: object
    resources: dict[str, ResourceView]
    by_id: dict[int, ResourceView]
    skills: dict[str, SkillView]
    roles: dict[str, RoleView]
    techniques: dict[str, TechniqueView]
    holidays: frozenset[date]
    synonyms: tuple[tuple[str, ...], ...]
    challenges: dict[str, ChallengeView] = field(default_factory=dict)
    teams: dict[str, TeamView] = field(default_factory=dict)
    search: SearchTuning | None = None  # search.yaml; None: the rule of thumb decides
    elsewhere: tuple[ElsewhereView, ...] = ()  # elsewhere.yaml: the questions the library leaves to others

    def role_for_title(self, title: str) -> str | None:
        """The role whose title words appear in a Slack profile title (the longest phrase wins)."""
        words = " " + " ".join(re.findall(r"[a-z0-9&]+", title.lower())) + " "
        best: tuple[int, str] | None = None
        for role in self.roles.values():
            for phrase in role.titles:
                wanted = " " + " ".join(re.findall(r"[a-z0-9&]+", phrase.lower())) + " "
                if wanted.strip() and wanted in words:
                    candidate = (len(wanted), role.key)
                    best = max(best, candidate) if best else candidate
        return best[1] if best else None

    def role_of(self, role_key: str | None, title: str) -> str | None:
        """The person's chosen role, else the one their Slack title suggests."""
        return role_key or self.role_for_title(title)

    def role_name(self, role_key: str | None, title: str) -> str:
        """How to describe the person's role in a prompt: the role's name, their title, or a neutral phrase."""
        role = self.role_of(role_key, title)
        return self.roles[role].name if role in self.roles else (title or SOMEONE_AT_WORK)

    def skill_name(self, key: str) -> str:
        return self.skills[key].name if key in self.skills else key

    def skill_names(self, keys: tuple[str, ...] | list[str]) -> list[str]:
        return [self.skills[key].name for key in keys if key in self.skills]
