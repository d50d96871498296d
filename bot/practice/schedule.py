"""Materialising daily practice: each reminder (and, on the first of a month, the review) into the outbox.

Each reminder is keyed by (subscription, local date), so however many processes tick, and however often,
a person gets at most one per day. Reminder text is written (model or template) when it is materialised,
a little ahead of its time and outside any transaction, so a slow or absent model never delays it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState, TechniqueView
from bot.db.engine import transaction
from bot.llm.types import Writer, WriteRequest, Written
from bot.localtime import local_instant, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload, Undeliverable
from bot.people import service as people
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import DayStatus, PracticeSubscription, SubscriptionStatus
from bot.practice.planning import REMINDER, REVIEW, reminder_key, schedule_next
from bot.practice.streaks import streak, streak_of
from bot.practice.types import PracticeMessages, Reminder, Review

LOOKAHEAD = timedelta(hours=2)
BATCH = 500
WRITE_DEADLINE = 20.0  # seconds; nobody is waiting, but a tick should not hang on a model


@dataclass(frozen=True)
class _Plan:
    """One reminder to materialise, read in a short snapshot so the text can be written outside any
    transaction (a model call must never hold the database's write lock)."""

    subscription_id: int
    person: PersonRef
    day: date
    due: datetime
    technique: TechniqueView | None
    variation: int
    role_name: str
    reflections: str
    streak: int
    review: Review | None


class PracticeMaterialiser:
    name = REMINDER

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        catalogue: Catalogue,
        writer: Writer,
        messages: PracticeMessages,
        default_timezone: str,
        catchup: timedelta,
    ) -> None:
        self._sessions = sessions
        self._catalogue = catalogue
        self._writer = writer
        self._messages = messages
        self._default_tz = default_timezone
        self._catchup = catchup

    def materialise(self, now: datetime) -> int:
        """Plan (read), write the texts (no transaction open), then commit each reminder on its own."""
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            self._resume_paused(session, state, now)
        with self._sessions() as session:
            due = repository.due_subscriptions(session, before=now + LOOKAHEAD, limit=BATCH)
            plans = [self._plan(session, subscription, person, state) for subscription, person in due]
        made = 0
        for planned in plans:
            review = self._write_review(planned.review, planned.person.workspace_id) if planned.review else None
            plan = replace(planned, review=review)
            reminder_text = self._write_reminder(plan) if plan.technique is not None else None
            with transaction(self._sessions) as session:
                made += self._commit(session, plan, reminder_text, state, now)
        return made

    def next_due(self, after: datetime) -> datetime | None:
        """When the next tick has work: a reminder coming into the look-ahead, or a pause ending somewhere."""
        with self._sessions() as session:
            earliest = repository.earliest_due(session)
            pauses = repository.pauses_ending(session)
        candidates = []
        if earliest is not None:  # already inside the look-ahead: the next tick materialises it
            candidates.append(max(earliest - LOOKAHEAD, after + timedelta(minutes=1)))
        for first_day_back, tz_name in pauses:
            candidates.append(local_instant(first_day_back, time(0), zone(tz_name, self._default_tz)))
        future = [instant for instant in candidates if instant > after]
        return min(future) if future else None

    def people_with_stale_zone(self, checked_before: datetime, limit: int) -> list[tuple[str, str]]:
        """A zone watcher for the people domain: who practises and has not had their zone read lately."""
        with self._sessions() as session:
            return repository.people_with_stale_zone(session, checked_before=checked_before, limit=limit)

    def _resume_paused(self, session: Session, state: CatalogueState, now: datetime) -> None:
        for subscription, person in repository.paused_until_passed(
            session, today_at_latest=(now + timedelta(days=1)).date()
        ):
            tz = zone(person.tz, self._default_tz)
            if subscription.paused_until is not None and subscription.paused_until <= now.astimezone(tz).date():
                subscription.move_to(SubscriptionStatus.ACTIVE, now=now)
                schedule_next(subscription, person, state, after=now, default_tz=self._default_tz)

    def _plan(
        self, session: Session, subscription: PracticeSubscription, person: PersonRef, state: CatalogueState
    ) -> _Plan:
        assert subscription.next_due_date is not None and subscription.next_due_at is not None
        technique = state.techniques.get(subscription.technique_key)
        variation = 0
        if technique is not None:
            count = len(technique.variations)
            used = [index for index in subscription.used_variations if index < count]
            variation = next(index for index in range(count) if index not in used) if len(used) < count else 0
        day = subscription.next_due_date
        return _Plan(
            subscription_id=subscription.id,
            person=person,
            day=day,
            due=subscription.next_due_at,
            technique=technique,
            variation=variation,
            role_name=state.role_name(person.role_key, person.title),
            reflections="\n".join(repository.recent_reflections(session, person.person_id)) or "(none yet)",
            streak=streak_of(session, subscription.id, day),
            review=self._review(session, subscription, person, technique, state, day) if technique else None,
        )

    def _write_reminder(self, plan: _Plan) -> Written:
        assert plan.technique is not None
        return self._writer.write(
            WriteRequest(
                prompt="practice_reminder",
                variables={
                    "technique_title": plan.technique.title,
                    "technique_why": plan.technique.why,
                    "variation": plan.technique.variation(plan.variation),
                    "role": plan.role_name,
                    "recent_reflections": plan.reflections,
                },
                workspace_id=plan.person.workspace_id,
                deadline=WRITE_DEADLINE,
            )
        )

    def _commit(
        self, session: Session, plan: _Plan, written: Written | None, state: CatalogueState, now: datetime
    ) -> int:
        """Store the reminder and move the subscription on, unless another process got there first."""
        subscription = repository.get_subscription(session, plan.subscription_id, lock=True)
        person = people.person(session, plan.person.person_id)
        if subscription is None or person is None or subscription.status != SubscriptionStatus.ACTIVE:
            return 0
        if subscription.next_due_date != plan.day:
            return 0  # another process materialised it, or the schedule changed meanwhile
        made = 0
        key = reminder_key(subscription.id, plan.day)
        technique = plan.technique
        if (
            technique is not None
            and written is not None
            and repository.add_day(
                session,
                subscription_id=subscription.id,
                local_date=plan.day,
                variation=plan.variation,
                delivery_key=str(key),
            )
        ):
            practice_day = repository.find_day(session, subscription_id=subscription.id, local_date=plan.day)
            assert practice_day is not None
            reminder = Reminder(
                subscription_id=subscription.id,
                day_id=practice_day.id,
                local_date=plan.day,
                technique_title=technique.title,
                why=technique.why,
                text=written.text,
                ai=written.ai,
                streak=plan.streak,
            )
            items = [self._delivery(key, person, self._messages.practice_reminder(reminder), plan.due)]
            if plan.review is not None:
                review_key = DeliveryKey(REVIEW, subscription.id, occasion=plan.review.occasion)
                review = self._messages.monthly_review(plan.review)
                items.append(self._delivery(review_key, person, review, plan.due + timedelta(minutes=1)))
            made = outbox.enqueue(session, items, now=now)
            used = [i for i in subscription.used_variations if i < len(technique.variations)]
            subscription.used_variations = [*used, plan.variation] if plan.variation not in used else [plan.variation]
        subscription.next_due_date = plan.day + timedelta(days=1)
        schedule_next(subscription, person, state, after=plan.due, default_tz=self._default_tz)
        if subscription.next_due_at is None and subscription.until is not None:
            subscription.move_to(SubscriptionStatus.STOPPED, now=now, reason="finished")
        subscription.updated_at = now
        return made

    def _delivery(self, key: DeliveryKey, person: PersonRef, payload: Payload, due: datetime) -> NewDelivery:
        return NewDelivery.to_person(person, key=key, payload=payload, due_at=due, expires_at=due + self._catchup)

    def _review(
        self,
        session: Session,
        subscription: PracticeSubscription,
        person: PersonRef,
        technique: TechniqueView,
        state: CatalogueState,
        day: date,
    ) -> Review | None:
        """On the first reminder of a month, the review of the month before (if they practised then)."""
        month_start = day.replace(day=1)
        tz = zone(person.tz, self._default_tz)
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

    def _write_review(self, review: Review, workspace_id: int) -> Review:
        written = self._writer.write(
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
                deadline=WRITE_DEADLINE,
            )
        )
        return replace(review, text=written.text, ai=written.ai)


def pause_undeliverable(session: Session, gone: Undeliverable) -> None:
    """A practice DM could not be delivered for good (the person left): pause that practice, keep its history."""
    subscription = repository.get_subscription(session, int(gone.subject_id or 0))
    if subscription is not None and subscription.move_to(SubscriptionStatus.PAUSED, now=gone.at, reason=gone.code[:60]):
        subscription.next_due_at = None
