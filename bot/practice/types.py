"""What daily practice hands to the edge: frozen values, and the layout protocol for its scheduled messages.

Scheduled messages are rendered when they are materialised, so the outbox holds exactly what is sent.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.outbox.types import Payload

STREAK_RULE = "Skipped or paused days don't break a streak; a day with no answer does."


@dataclass(frozen=True)
class PracticeView:
    subscription_id: int
    technique_key: str
    technique_title: str
    why: str
    status: str
    rhythm: str
    zone: str
    next_local: str | None
    streak: int
    paused_until: date | None
    until: date | None
    minute_of_day: int
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class Started:
    view: PracticeView
    already: bool
    zone_notice: str | None


class Refusal(enum.StrEnum):
    """Why a technique cannot be suggested to a colleague now."""

    SELF = "self"
    UNKNOWN = "unknown"  # nobody of that id in the workspace
    UNREACHABLE = "unreachable"  # opted out, or gone
    ALREADY = "already"  # practises it, or has it suggested already
    DECLINED = "declined"  # said no lately: `again` says when it may be suggested again


@dataclass(frozen=True)
class Suggested:
    """What became of a suggestion to one colleague: sent, or why not."""

    colleague_user_id: str
    technique_title: str
    problem: Refusal | None = None
    again: date | None = None


@dataclass(frozen=True)
class SuggestionAnswer:
    """The suggester hears what the colleague said."""

    subscription_id: int
    colleague_user_id: str
    technique_title: str
    accepted: bool


@dataclass(frozen=True)
class Technique:
    key: str
    title: str


@dataclass(frozen=True)
class DayAnswer:
    subscription_id: int
    day_id: int
    technique_title: str
    status: str
    streak: int
    until: datetime | None = None  # when a snoozed reminder comes back, in the person's zone


@dataclass(frozen=True)
class ReflectionPrompt:
    """What the reflection window asks: the technique's own question."""

    day_id: int
    technique_title: str
    question: str


@dataclass(frozen=True)
class Reflection:
    """One of the person's own reflections, for them alone."""

    day: date
    technique_title: str
    text: str


@dataclass(frozen=True)
class PauseForm:
    subscription_id: int
    today: date  # in the person's zone


@dataclass(frozen=True)
class Rating:
    skill_name: str
    rating: int


@dataclass(frozen=True)
class Reminder:
    """Today's practice reminder."""

    subscription_id: int
    day_id: int
    local_date: date
    technique_title: str
    why: str
    text: str
    ai: bool
    streak: int
    snoozed: bool = False
    ask_pause: bool = False  # the last reminders went unanswered: would a pause help?


@dataclass(frozen=True)
class PracticePaused:
    """Said once when unanswered reminders paused a practice."""

    subscription_id: int
    technique_title: str
    unanswered: int


@dataclass(frozen=True)
class ReviewedPractice:
    """One practice in the month's review."""

    subscription_id: int
    technique_title: str
    skill_name: str
    practice_days: int  # done last month
    streak: int
    live: bool  # active or paused: its focus can still be changed


@dataclass(frozen=True)
class SkillToRate:
    """A skill the month's practice builds, rated once however many of the practices build it."""

    subscription_id: int  # the person's first practice of the skill: the rating buttons name it
    skill_name: str
    rubric: dict[int, str]


@dataclass(frozen=True)
class Review:
    """The monthly focus review: the person's, covering every practice that was due last month."""

    person_id: int
    occasion: str  # review:YYYY-MM, the month the review is for
    month: str  # "November 2026"
    practices: tuple[ReviewedPractice, ...]
    skills: tuple[SkillToRate, ...]
    text: str
    ai: bool


@dataclass(frozen=True)
class Suggestion:
    """A colleague suggests a technique to practise."""

    subscription_id: int
    from_user_id: str
    technique_title: str
    why: str


class PracticeMessages(Protocol):
    def practice_reminder(self, reminder: Reminder) -> Payload:
        """The daily practice DM with Done, Snooze, Skip, Pause and Stop."""
        ...

    def practice_paused(self, paused: PracticePaused) -> Payload:
        """Unanswered reminders paused the practice: Resume."""
        ...

    def monthly_review(self, review: Review) -> Payload:
        """Last month's practice, a 1-5 self-rating per skill against its rubric, keep or change the focus."""
        ...

    def practice_suggestion(self, suggestion: Suggestion) -> Payload:
        """A colleague's suggestion, to accept or decline."""
        ...

    def suggestion_answered(self, answer: SuggestionAnswer) -> Payload:
        """What the colleague said to a suggestion, for the person who made it."""
        ...
