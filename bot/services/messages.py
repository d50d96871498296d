"""How the domain asks for a message to be laid out: a small protocol the Slack layer implements.

Scheduled messages are rendered when they are materialised, so the outbox holds exactly what is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.services.catalogue import ResourceView

Payload = dict[str, Any]  # {"text": fallback text, "blocks": [...]}


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


@dataclass(frozen=True)
class Review:
    """The monthly focus review."""

    subscription_id: int
    occasion: str  # review:YYYY-MM, the month the review is for
    month: str  # "November 2026"
    technique_title: str
    skill_key: str
    skill_name: str
    rubric: dict[int, str]
    practice_days: int
    streak: int
    text: str
    ai: bool


@dataclass(frozen=True)
class Suggestion:
    """A colleague suggests a technique to practise."""

    subscription_id: int
    from_user_id: str
    technique_title: str
    why: str


class MessageRenderer(Protocol):
    def followup(self, resource: ResourceView) -> Payload:
        """The "did it help?" question two days after someone opened a resource."""
        ...

    def practice_reminder(self, reminder: Reminder) -> Payload:
        """The daily practice DM with Done, Snooze, Skip, Pause and Stop."""
        ...

    def monthly_review(self, review: Review) -> Payload:
        """Last month's practice, a 1-5 self-rating against the rubric, keep or change the focus."""
        ...

    def practice_suggestion(self, suggestion: Suggestion) -> Payload:
        """A colleague's suggestion, to accept or decline."""
        ...
