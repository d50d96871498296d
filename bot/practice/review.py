"""The monthly review: on the first reminder of a month, last month's practice and a 1-5 self-rating."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.content.types import CatalogueState, TechniqueView
from bot.llm.types import Writer, WriteRequest
from bot.localtime import zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import DayStatus, PracticeSubscription
from bot.practice.planning import REVIEW
from bot.practice.streaks import streak
from bot.practice.types import Review


def last_months_review(
    session: Session,
    subscription: PracticeSubscription,
    person: PersonRef,
    technique: TechniqueView,
    state: CatalogueState,
    day: date,
    *,
    default_tz: str,
) -> Review | None:
    """On the first reminder of a month, the review of the month before (if they practised then)."""
    month_start = day.replace(day=1)
    tz = zone(person.tz, default_tz)
    if subscription.created_at.astimezone(tz).date() >= month_start:
        return None
    previous = (month_start - timedelta(days=1)).replace(day=1)
    occasion = f"review:{previous:%Y-%m}"
    if outbox.exists(session, DeliveryKey(REVIEW, subscription.id, occasion=occasion)):
        return None
    rows = repository.days_with_delivery(session, subscription.id)
    practised = sum(1 for d, _ in rows if d.status == DayStatus.DONE and previous <= d.local_date < month_start)
    current = streak([(d.local_date, d.status, s) for d, s in rows], day)
    skill = state.skills.get(technique.skill)
    return Review(
        subscription_id=subscription.id,
        occasion=occasion,
        month=f"{previous:%B %Y}",
        technique_title=technique.title,
        skill_key=technique.skill,
        skill_name=state.skill_name(technique.skill),
        rubric=skill.rubric if skill else {},
        practice_days=practised,
        streak=current,
        text="",
        ai=False,
    )


def write_review(writer: Writer, review: Review, workspace_id: int, deadline: float) -> Review:
    written = writer.write(
        WriteRequest(
            prompt="monthly_review",
            variables={
                "technique_title": review.technique_title,
                "skill_name": review.skill_name,
                "practice_days": str(review.practice_days),
                "streak": str(review.streak),
                "month": review.month,
            },
            workspace_id=workspace_id,
            deadline=deadline,
        )
    )
    return replace(review, text=written.text, ai=written.ai)
