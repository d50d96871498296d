"""Materialising daily practice: each reminder (and, with a person's first of a month, their review) into the outbox.

Each reminder is keyed by (subscription, local date), so however many processes tick, and however often,
a person gets at most one per day. Reminder text is written (model or template) when it is materialised,
a little ahead of its time and outside any transaction, so a slow or absent model never delays it.

Reminders back off when ignored: after ASK_AFTER unanswered days in a row the reminder asks whether a pause
would help; after PAUSE_AFTER the practice pauses itself instead of reminding, with a Resume button. Done,
skip, a reflection or "keep going" start the count again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from time import monotonic

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState, TechniqueView
from bot.db.engine import transaction
from bot.llm.types import Budget, Writer, WriteRequest, Written
from bot.localtime import local_instant, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import PracticeSubscription, SubscriptionStatus
from bot.practice.planning import REMINDER, catch_up, reminder_key, review_key, schedule_next
from bot.practice.review import last_months_review, write_review
from bot.practice.streaks import streak_of
from bot.practice.types import PracticeMessages, PracticePaused, Reminder, Review

LOOKAHEAD = timedelta(hours=2)
BATCH = 500
CATCH_UP_BATCH = 1000
TICK_SECONDS = 40.0  # batches of reminders until none is due in the look-ahead, or this much time has gone
WRITE_DEADLINE = 10.0  # seconds for one text
MODEL_SECONDS = 20.0  # for all the texts of one tick; then the templates (a slow model never delays a tick)
ASK_AFTER = 3  # unanswered reminders in a row before one asks whether a pause would help
PAUSE_AFTER = 5  # ... before the practice pauses itself
PAUSED = "paused"  # the occasion of the message that says so


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
    quiet: int = 0  # reminders unanswered in a row before this one


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
        """Bring every schedule current (days missed while the bot was down, in bulk), then, batch by batch,
        plan (read), write the texts (no transaction open, within the tick's model budget) and commit each
        reminder on its own, until nothing is due in the look-ahead."""
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            self._resume_paused(session, state, now)
        self.catch_up(state, now)
        budget = Budget(MODEL_SECONDS)
        started, made = monotonic(), 0
        while True:
            with self._sessions() as session:
                due = repository.due_subscriptions(session, before=now + LOOKAHEAD, limit=BATCH)
                plans = [self._plan(session, subscription, person, state) for subscription, person in due]
            plans = _one_review_each(plans)
            for planned in plans:
                plan = self._written(planned, budget)
                writes = plan.technique is not None and plan.quiet < PAUSE_AFTER
                reminder_text = self._write_reminder(plan, budget) if writes else None
                with transaction(self._sessions) as session:
                    made += self._commit(session, plan, reminder_text, state, now)
            if len(due) < BATCH or monotonic() - started > TICK_SECONDS:
                return made

    def catch_up(self, state: CatalogueState, now: datetime) -> int:
        """Every subscription whose next send window closed while the bot was down: its missed days recorded
        as missed (never sent), its next reminder the first that can still go out. One tick, any downtime."""
        missed = 0
        while True:
            with transaction(self._sessions) as session:
                overdue = repository.overdue_subscriptions(session, before=now - self._catchup, limit=CATCH_UP_BATCH)
                days = [
                    (subscription.id, day, str(reminder_key(subscription.id, day)))
                    for subscription, person in overdue
                    for day in catch_up(
                        subscription, person, state, now=now, catchup=self._catchup, default_tz=self._default_tz
                    )
                ]
                missed += repository.add_missed_days(session, days)
            if len(overdue) < CATCH_UP_BATCH:
                return missed

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
        quiet = repository.unanswered_in_a_row(
            session, subscription.id, before=day, since=subscription.quiet_from, limit=PAUSE_AFTER
        )
        reminds = technique is not None and quiet < PAUSE_AFTER  # the review comes with a reminder, not a pause
        return _Plan(
            subscription_id=subscription.id,
            person=person,
            day=day,
            due=subscription.next_due_at,
            technique=technique,
            variation=variation,
            role_name=state.role_name(person.role_key, person.title),
            reflections="\n".join(text for _, _, text in repository.recent_reflections(session, person.person_id))
            or "(none yet)",
            streak=streak_of(session, subscription.id, day),
            quiet=quiet,
            review=last_months_review(session, person, state, day) if reminds else None,
        )

    def _written(self, plan: _Plan, budget: Budget) -> _Plan:
        """The plan with its review's text written (model or template), when it has a review."""
        if plan.review is None:
            return plan
        deadline = budget.deadline(WRITE_DEADLINE)
        return replace(plan, review=write_review(self._writer, plan.review, plan.person.workspace_id, deadline))

    def _write_reminder(self, plan: _Plan, budget: Budget) -> Written:
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
                deadline=budget.deadline(WRITE_DEADLINE),
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
        if plan.quiet >= PAUSE_AFTER and technique is not None:
            return self._pause(session, subscription, person, plan, technique.title, now)
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
                ask_pause=plan.quiet == ASK_AFTER,
            )
            items = [self._delivery(key, person, self._messages.practice_reminder(reminder), plan.due)]
            if plan.review is not None:
                monthly = review_key(plan.review.person_id, plan.review.occasion)
                review = self._messages.monthly_review(plan.review)
                items.append(self._delivery(monthly, person, review, plan.due + timedelta(minutes=1)))
            made = outbox.enqueue(session, items, now=now)
            used = [i for i in subscription.used_variations if i < len(technique.variations)]
            subscription.used_variations = [*used, plan.variation] if plan.variation not in used else [plan.variation]
        subscription.next_due_date = plan.day + timedelta(days=1)
        schedule_next(subscription, person, state, after=plan.due, default_tz=self._default_tz)
        if subscription.next_due_at is None and subscription.until is not None:
            subscription.move_to(SubscriptionStatus.STOPPED, now=now, reason="finished")
        subscription.updated_at = now
        return made

    def _pause(
        self,
        session: Session,
        subscription: PracticeSubscription,
        person: PersonRef,
        plan: _Plan,
        title: str,
        now: datetime,
    ) -> int:
        """Unanswered for too long: pause (until they resume) and say so once, at the reminder's time."""
        subscription.move_to(SubscriptionStatus.PAUSED, now=now, reason="unanswered")
        subscription.next_due_at = subscription.next_due_date = None
        paused = PracticePaused(subscription.id, title, plan.quiet)
        key = DeliveryKey(REMINDER, subscription.id, day=plan.day, occasion=PAUSED)
        return outbox.enqueue(
            session, [self._delivery(key, person, self._messages.practice_paused(paused), plan.due)], now=now
        )

    def _delivery(self, key: DeliveryKey, person: PersonRef, payload: Payload, due: datetime) -> NewDelivery:
        return NewDelivery.to_person(person, key=key, payload=payload, due_at=due, expires_at=due + self._catchup)


def _one_review_each(plans: list[_Plan]) -> list[_Plan]:
    """Reminders of one person's practices planned together all find last month unreviewed: the review goes
    with the first due (plans come in due order), its text written once. Across ticks and processes the
    review's key keeps it to one."""
    reviewed: set[int] = set()
    kept = []
    for plan in plans:
        if plan.review is not None and plan.person.person_id in reviewed:
            plan = replace(plan, review=None)
        elif plan.review is not None:
            reviewed.add(plan.person.person_id)
        kept.append(plan)
    return kept
