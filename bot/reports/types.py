"""The report: one typed value, every figure already suppressed where its group is small. Nothing in it names
a person or quotes what anyone wrote; phrasings are what at least the minimum group typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.reports.values import Value

CHANGES = range(-4, 5)  # a change between two 1-5 ratings
ANSWERS = range(1, 6)  # a did-it-stick answer
ALL_SKILLS = "all skills"


@dataclass(frozen=True)
class Change:
    """Paired changes of one skill, one per person (their latest pair in the period)."""

    people: Value
    mean: Value
    low: Value  # the 95% confidence interval of the mean change
    high: Value
    improved_share: Value  # of the people, the share whose rating went up
    distribution: dict[int, Value]  # change (-4..+4) -> people


@dataclass(frozen=True)
class Trend:
    month: str  # YYYY-MM
    mean: Value
    people: Value


@dataclass(frozen=True)
class SkillCapability:
    skill: str
    name: str
    before_after: Change  # self baseline -> self after
    retrospective_after: Change  # "thinking back" -> self after
    proposer_observed: Change  # the person's baseline -> the proposer's after (rated only where allowed)
    monthly: tuple[Trend, ...]  # practitioners' monthly self-rating
    stuck_people: Value  # how many answered "did it stick?"
    stuck: dict[int, Value]  # answer (1-5) -> people


@dataclass(frozen=True)
class SkillAdherence:
    skill: str  # "" for all skills
    name: str
    measures: dict[str, Value]  # proposed, accepted, declined, finished, withdrawn, checkins_sent, checkins_answered


@dataclass(frozen=True)
class TechniquePractice:
    technique: str
    name: str
    practitioners: Value
    days_due: Value
    days_done: Value
    done_per_practitioner: Value


@dataclass(frozen=True)
class Topic:
    """One of the top moments of need."""

    rank: int
    label: Value  # the topic's words (suppressed with a small group)
    people: Value
    moments: Value
    kinds: dict[str, Value]  # searched (nothing), closest, requested, not_helpful, stuck -> people
    phrasings: tuple[str, ...]  # what at least the minimum group of people typed
    offered: tuple[str, ...]  # titles the library's search finds for the topic today (good matches only)


@dataclass(frozen=True)
class Needs:
    people: Value  # distinct people with a moment of need
    moments: Value
    topics: tuple[Topic, ...]
    heatmap: tuple[tuple[Value, ...], ...]  # [weekday Monday = 0][local hour] -> people


@dataclass(frozen=True)
class ResourceUse:
    key: str
    title: str
    measures: dict[str, Value]  # helpful, not_helpful, yes, not_yet, no, opened


@dataclass(frozen=True)
class LibraryUse:
    resources: tuple[ResourceUse, ...]  # resources with any answer or open in the period
    never_opened: tuple[str, ...]  # keys of current resources nobody in scope opened in the period


@dataclass(frozen=True)
class Report:
    scope: str
    since: datetime
    until: datetime
    min_group: int
    capability: tuple[SkillCapability, ...]
    adherence: tuple[SkillAdherence, ...]  # all skills first
    practice: tuple[TechniquePractice, ...]
    needs: Needs
    library: LibraryUse
