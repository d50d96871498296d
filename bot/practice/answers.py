"""Answering a day's reminder: done, skip, snooze, a reflection; and the monthly self-rating."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.db.engine import transaction
from bot.errors import BadInput, NotFound
from bot.localtime import zone
from bot.measurement import service as measurement
from bot.measurement.types import Moment, Rater
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import DayStatus, PracticeDay, PracticeSubscription
from bot.practice.planning import REMINDER
from bot.practice.streaks import streak_of
from bot.practice.types import DayAnswer, PracticeMessages, Rating, Reflection, ReflectionPrompt, Reminder
from bot.practice.views import owned, owned_day, title_of

SNOOZE = timedelta(hours=1)
REFLECTION_MAX = 300
_OCCASION = re.compile(r"review:\d{4}-\d{2}")


class PracticeDays:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        catalogue: Catalogue,
        messages: PracticeMessages,
        catchup: timedelta,
        default_timezone: str,
    ) -> None:
        self._sessions = sessions
        self._default_tz = default_timezone
        self._clock = clock
        self._catalogue = catalogue
        self._messages = messages
        self._catchup = catchup

    def done(self, person: PersonRef, day_id: int) -> DayAnswer:
        return self._answer(person, day_id, DayStatus.DONE)

    def skip(self, person: PersonRef, day_id: int) -> DayAnswer:
        return self._answer(person, day_id, DayStatus.SKIPPED)

    def keep_going(self, person: PersonRef, subscription_id: int) -> str:
        """The answer to "would a pause help?": no. Unanswered days count again from today."""
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            subscription.quiet_from = self._clock.now().astimezone(zone(person.tz, self._default_tz)).date()
            subscription.updated_at = self._clock.now()
            return "Good: the reminders keep coming."

    def reflection_prompt(self, person: PersonRef, day_id: int) -> ReflectionPrompt:
        """What the reflection window asks: the technique's own question, for the person's own day."""
        with self._sessions() as session:
            _day, subscription = owned_day(session, person, day_id)
        technique = self._catalogue.current().techniques.get(subscription.technique_key)
        question = technique.reflection if technique else "What did you notice?"
        return ReflectionPrompt(day_id, title_of(self._catalogue.current(), subscription.technique_key), question)

    def reflect(self, person: PersonRef, day_id: int, text: str) -> DayAnswer:
        """Save a one-line reflection (private to the person) and count the day as done."""
        text = " ".join(text.split())[:REFLECTION_MAX]
        if not text:
            raise BadInput("Write a line, or close the window to skip the reflection.", field="reflection")
        with transaction(self._sessions) as session:
            day, subscription = owned_day(session, person, day_id)
            self._mark(session, day, DayStatus.DONE)
            day.reflection = text
            return self._day_answer(session, day, subscription)

    def snooze(self, person: PersonRef, day_id: int) -> DayAnswer:
        """Send today's reminder again in an hour (once per snooze; the day stays open)."""
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            day, subscription = owned_day(session, person, day_id)
            if DayStatus(day.status).answered:
                return self._day_answer(session, day, subscription)
            technique = state.techniques.get(subscription.technique_key)
            if technique is None:
                raise NotFound("That technique is no longer offered.")
            day.status = DayStatus.SNOOZED
            key = DeliveryKey.parse(day.delivery_key)
            keys = outbox.keys_of(session, REMINDER, subscription.id)
            snoozes = sum(1 for found in keys if found.day == key.day and found.is_snooze)
            reminder = Reminder(
                subscription_id=subscription.id,
                day_id=day.id,
                local_date=day.local_date,
                technique_title=technique.title,
                why=technique.why,
                text=technique.variation(day.variation),
                ai=False,
                streak=streak_of(session, subscription.id, day.local_date),
                snoozed=True,
            )
            until = now + SNOOZE
            delivery = NewDelivery.to_person(
                person,
                key=key.snoozed(snoozes + 1),
                payload=self._messages.practice_reminder(reminder),
                due_at=until,
                expires_at=until + self._catchup,
            )
            outbox.enqueue(session, [delivery], now=now)
            local = until.astimezone(zone(person.tz, self._default_tz))
            return replace(self._day_answer(session, day, subscription), until=local)

    def rate(self, person: PersonRef, subscription_id: int, occasion: str, rating: int) -> Rating:
        """A 1-5 self-rating in the monthly review, on the skill of the practice the button names (one of the
        person's own: the review names one per skill). Pressed again, the month's rating is replaced, not added."""
        if not 1 <= rating <= 5 or not _OCCASION.fullmatch(occasion):
            raise BadInput("I could not read that rating.")
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            technique = state.techniques.get(subscription.technique_key)
            skill = technique.skill if technique else ""
            measurement.record(
                session,
                workspace_id=person.workspace_id,
                person_id=person.person_id,
                skill_key=skill,
                rater=Rater.SELF,
                moment=Moment.MONTHLY,
                value=rating,
                source=occasion,
                now=self._clock.now(),
            )
        return Rating(state.skill_name(skill), rating)

    def recent_reflections(self, person: PersonRef, limit: int = 3) -> list[Reflection]:
        """The person's own latest reflections, for their Home tab."""
        state = self._catalogue.current()
        with self._sessions() as session:
            found = repository.recent_reflections(session, person.person_id, limit=limit)
        return [Reflection(day, title_of(state, key), text) for day, key, text in found]

    # -- inside ----------------------------------------------------------------------------------------------
    def _answer(self, person: PersonRef, day_id: int, status: DayStatus) -> DayAnswer:
        with transaction(self._sessions) as session:
            day, subscription = owned_day(session, person, day_id)
            self._mark(session, day, status)
            return self._day_answer(session, day, subscription)

    def _mark(self, session: Session, day: PracticeDay, status: DayStatus) -> None:
        """Record the answer (done always wins; a skip does not undo a done) and cancel the day's snoozes."""
        if not DayStatus(day.status).answered or status is DayStatus.DONE:
            day.status, day.answered_at = status.value, self._clock.now()
        today = DeliveryKey.parse(day.delivery_key).day
        waiting = outbox.pending(session, kind=REMINDER, subject=day.subscription_id, now=self._clock.now())
        outbox.cancel(session, [d for d in waiting if d.key.is_snooze and d.key.day == today], reason="answered")

    def _day_answer(self, session: Session, day: PracticeDay, subscription: PracticeSubscription) -> DayAnswer:
        session.flush()
        return DayAnswer(
            subscription_id=subscription.id,
            day_id=day.id,
            technique_title=title_of(self._catalogue.current(), subscription.technique_key),
            status=day.status,
            streak=streak_of(session, subscription.id, day.local_date + timedelta(days=1)),
        )
