"""The monthly review: the person's, with their first reminder of a month (of any practice, in their own time).
It covers every practice that was due last month (its practice days and streak) and asks one 1-5 self-rating
per skill those practices build, so two practices of one skill ask it once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.content.types import CatalogueState
from bot.llm.types import Writer, WriteRequest
from bot.outbox import service as outbox
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import PracticeSubscription, SubscriptionStatus
from bot.practice.planning import review_key, review_occasion, subscription_review_key
from bot.practice.streaks import streak_of
from bot.practice.types import Review, ReviewedPractice, SkillToRate

_LIVE = (SubscriptionStatus.ACTIVE.value, SubscriptionStatus.PAUSED.value)
_EVER = tuple(status.value for status in SubscriptionStatus)


def last_months_review(session: Session, person: PersonRef, state: CatalogueState, day: date) -> Review | None:
    """On a reminder of `day` (a local date), the review of the month before, unless that month was reviewed
    already or none of the person's practices (still in the catalogue) was due in it."""
    month_start = day.replace(day=1)
    previous = (month_start - timedelta(days=1)).replace(day=1)
    occasion = review_occasion(previous)
    if outbox.exists(session, review_key(person.person_id, occasion)):
        return None
    due = [
        (subscription, done)
        for subscription, done in repository.due_between(session, person.person_id, start=previous, end=month_start)
        if subscription.technique_key in state.techniques
    ]
    if not due or _reviewed_one_by_one(session, person, occasion):
        return None
    return Review(
        person_id=person.person_id,
        occasion=occasion,
        month=f"{previous:%B %Y}",
        practices=tuple(_practice(session, subscription, done, state, day) for subscription, done in due),
        skills=_skills([subscription for subscription, _ in due], state),
        text="",
        ai=False,
    )


def write_review(writer: Writer, review: Review, workspace_id: int, deadline: float) -> Review:
    written = writer.write(
        WriteRequest(
            prompt="monthly_review",
            variables={
                "month": review.month,
                "practices": "\n".join(_practice_line(practice) for practice in review.practices),
                "skills": ", ".join(skill.skill_name for skill in review.skills),
            },
            workspace_id=workspace_id,
            deadline=deadline,
        )
    )
    return replace(review, text=written.text, ai=written.ai)


def _reviewed_one_by_one(session: Session, person: PersonRef, occasion: str) -> bool:
    """Whether the month was reviewed before reviews were the person's (queued one per subscription)."""
    subscriptions = repository.subscriptions_of(session, person.person_id, _EVER)
    return outbox.any_exists(session, [subscription_review_key(s.id, occasion) for s in subscriptions])


def _practice(
    session: Session, subscription: PracticeSubscription, done: int, state: CatalogueState, day: date
) -> ReviewedPractice:
    technique = state.techniques[subscription.technique_key]
    return ReviewedPractice(
        subscription_id=subscription.id,
        technique_title=technique.title,
        skill_name=state.skill_name(technique.skill),
        practice_days=done,
        streak=streak_of(session, subscription.id, day),
        live=subscription.status in _LIVE,
    )


def _skills(subscriptions: list[PracticeSubscription], state: CatalogueState) -> tuple[SkillToRate, ...]:
    """Each skill once, named by the first of the person's practices that builds it."""
    first: dict[str, int] = {}
    for subscription in subscriptions:
        first.setdefault(state.techniques[subscription.technique_key].skill, subscription.id)
    return tuple(
        SkillToRate(subscription_id=subscription_id, skill_name=state.skill_name(key), rubric=_rubric(state, key))
        for key, subscription_id in first.items()
    )


def _rubric(state: CatalogueState, skill_key: str) -> dict[int, str]:
    skill = state.skills.get(skill_key)
    return dict(skill.rubric) if skill else {}


def _practice_line(practice: ReviewedPractice) -> str:
    """One practice for the model, in plain words and the numbers it must use."""
    return (
        f"- {practice.technique_title} (skill: {practice.skill_name}): {practice.practice_days} practice day(s) "
        f"last month; current streak: {practice.streak}"
    )
