"""Daily practice, as a person uses it: start, suggest, answer a reminder, pause, stop, review."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import transaction
from bot.db.models import Person, PracticeDay, PracticeSubscription
from bot.errors import BadInput, NotAllowed, NotFound
from bot.repositories import deliveries as outbox
from bot.repositories import practice as repository
from bot.repositories import workspaces
from bot.services.catalogue import Catalogue, CatalogueState
from bot.services.localtime import is_valid_zone, local_date, local_instant, zone
from bot.services.messages import MessageRenderer, Reminder, Suggestion
from bot.services.people import PersonRef
from bot.services.practice_schedule import (
    REMINDER,
    SUGGESTION,
    reminder_key,
    rhythm_of,
    schedule_next,
    streak_of,
)

WORKDAYS = (0, 1, 2, 3, 4)
SNOOZE = timedelta(hours=1)
MAX_WEEKS = 52
REFLECTION_MAX = 300
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


@dataclass(frozen=True)
class DayAnswer:
    subscription_id: int
    day_id: int
    technique_title: str
    status: str
    streak: int
    until: datetime | None = None


class PracticeService:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        catalogue: Catalogue,
        messages: MessageRenderer,
        default_timezone: str,
        catchup: timedelta,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._catalogue = catalogue
        self._messages = messages
        self._default_tz = default_timezone
        self._catchup = catchup

    # -- finding techniques -----------------------------------------------------------------------------------
    def techniques(self) -> list[tuple[str, str]]:
        return sorted(((k, t["title"]) for k, t in self._catalogue.current().techniques.items()), key=lambda p: p[1])

    def technique_key(self, text: str) -> str:
        """The technique someone typed: its key or its title, in any case, with spaces or hyphens."""
        wanted = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        for key, title in self.techniques():
            if wanted in (key, re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")):
                return key
        names = ", ".join(f"`{key}`" for key, _ in self.techniques())
        raise BadInput(f"I don't know a technique called {text!r}. Try one of: {names}.")

    # -- starting --------------------------------------------------------------------------------------------
    def start(
        self,
        person: PersonRef,
        technique_key: str,
        *,
        minute_of_day: int = 9 * 60,
        weekdays: tuple[int, ...] = WORKDAYS,
        weeks: int | None = None,
    ) -> Started:
        """Start (or return the running) practice of a technique; the reminder comes at the next due time."""
        state = self._catalogue.current()
        self._check_choice(state, technique_key, minute_of_day, weekdays, weeks)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            row = self._person_row(session, person)
            for existing in repository.subscriptions_of(session, row.id, ("active", "paused")):
                if existing.technique_key == technique_key:
                    return Started(self._view(session, existing, row, state), True, None)
            subscription = repository.add_subscription(
                session,
                PracticeSubscription(
                    workspace_id=row.workspace_id,
                    person_id=row.id,
                    technique_key=technique_key,
                    status="active",
                    minute_of_day=minute_of_day,
                    weekdays=sorted(set(weekdays)),
                    until=self._until(row, weeks, now),
                    used_variations=[],
                    created_at=now,
                    updated_at=now,
                ),
            )
            schedule_next(subscription, row, state, after=now, default_tz=self._default_tz)
            notice = self._zone_notice(row)
            return Started(self._view(session, subscription, row, state), False, notice)

    def suggest(self, person: PersonRef, colleague_user_id: str, technique_key: str) -> PracticeView:
        """Suggest a technique to a colleague: they get a DM to accept or decline; nothing starts without them."""
        if colleague_user_id == person.slack_user_id:
            raise BadInput("To practise yourself, use `/learn practice <technique>` without a name.")
        state = self._catalogue.current()
        technique = state.techniques.get(technique_key)
        if technique is None:
            raise BadInput("I don't know that technique.")
        now = self._clock.now()
        with transaction(self._sessions) as session:
            colleague = workspaces.ensure_person(
                session, workspace_id=person.workspace_id, slack_user_id=colleague_user_id, now=now
            )
            for existing in repository.subscriptions_of(session, colleague.id):
                if existing.technique_key == technique_key:
                    raise BadInput("They already practise that technique, or have a suggestion for it waiting.")
            subscription = repository.add_subscription(
                session,
                PracticeSubscription(
                    workspace_id=person.workspace_id,
                    person_id=colleague.id,
                    technique_key=technique_key,
                    status="suggested",
                    minute_of_day=9 * 60,
                    weekdays=list(WORKDAYS),
                    suggested_by=person.person_id,
                    used_variations=[],
                    created_at=now,
                    updated_at=now,
                ),
            )
            payload = self._messages.practice_suggestion(
                Suggestion(subscription.id, person.slack_user_id, technique["title"], technique["why"])
            )
            outbox.add_deliveries(
                session,
                [
                    outbox.NewDelivery.to_person(
                        colleague,
                        key=f"{SUGGESTION}:{subscription.id}",
                        kind=SUGGESTION,
                        subject_id=subscription.id,
                        payload=payload,
                        due_at=now,
                        expires_at=now + timedelta(days=7),
                    )
                ],
                now=now,
            )
            return self._view(session, subscription, colleague, state)

    def accept(self, person: PersonRef, subscription_id: int) -> Started:
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            subscription, row = self._owned(session, person, subscription_id)
            if subscription.status != "suggested":
                return Started(self._view(session, subscription, row, state), True, None)
            subscription.status = "active"
            subscription.updated_at = now
            schedule_next(subscription, row, state, after=now, default_tz=self._default_tz)
            return Started(self._view(session, subscription, row, state), False, self._zone_notice(row))

    def decline(self, person: PersonRef, subscription_id: int) -> str:
        with transaction(self._sessions) as session:
            subscription, _ = self._owned(session, person, subscription_id)
            if subscription.status == "suggested":
                subscription.status = "declined"
                subscription.updated_at = self._clock.now()
            return self._title(subscription.technique_key)

    # -- answering a reminder --------------------------------------------------------------------------------
    def done(self, person: PersonRef, day_id: int) -> DayAnswer:
        return self._answer(person, day_id, "done")

    def skip(self, person: PersonRef, day_id: int) -> DayAnswer:
        return self._answer(person, day_id, "skipped")

    def reflect(self, person: PersonRef, day_id: int, text: str) -> DayAnswer:
        text = " ".join(text.split())[:REFLECTION_MAX]
        if not text:
            raise BadInput("Write a line, or close the window to skip the reflection.")
        answer = self._answer(person, day_id, "done")
        with transaction(self._sessions) as session:
            day = repository.get_day(session, day_id)
            assert day is not None
            day.reflection = text
        return answer

    def snooze(self, person: PersonRef, day_id: int) -> DayAnswer:
        """Send today's reminder again in an hour (once per snooze; the day stays open)."""
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            day, subscription, row = self._day(session, person, day_id)
            if day.status in ("done", "skipped"):
                return self._day_answer(session, day, subscription, row)
            day.status = "snoozed"
            count = len(outbox.keys_with_prefix(session, f"{day.delivery_key}:snooze:"))
            technique = state.techniques.get(subscription.technique_key)
            if technique is None:
                raise NotFound("That technique is no longer offered.")
            reminder = Reminder(
                subscription_id=subscription.id,
                day_id=day.id,
                local_date=day.local_date,
                technique_title=technique["title"],
                why=technique["why"],
                text=technique["variations"][day.variation % len(technique["variations"])],
                ai=False,
                streak=streak_of(session, subscription.id, day.local_date),
                snoozed=True,
            )
            until = now + SNOOZE
            outbox.add_deliveries(
                session,
                [
                    outbox.NewDelivery.to_person(
                        row,
                        key=f"{day.delivery_key}:snooze:{count + 1}",
                        kind=REMINDER,
                        subject_id=subscription.id,
                        payload=self._messages.practice_reminder(reminder),
                        due_at=until,
                        expires_at=until + self._catchup,
                    )
                ],
                now=now,
            )
            answer = self._day_answer(session, day, subscription, row)
            return DayAnswer(**{**answer.__dict__, "until": until})

    # -- the subscription ------------------------------------------------------------------------------------
    def pause(self, person: PersonRef, subscription_id: int, until: date) -> PracticeView:
        """No reminders before `until` (holidays, leave); practice resumes by itself on that day."""
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            subscription, row = self._owned(session, person, subscription_id)
            today = local_date(now, zone(row.tz, self._default_tz))
            if until <= today:
                raise BadInput("Choose a date after today to pause until.")
            if until > today + timedelta(days=366):
                raise BadInput("You can pause for up to a year.")
            subscription.status, subscription.paused_until, subscription.pause_reason = "paused", until, "paused by you"
            self._reschedule(session, subscription, row, state, now)
            return self._view(session, subscription, row, state)

    def resume(self, person: PersonRef, subscription_id: int) -> PracticeView:
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            subscription, row = self._owned(session, person, subscription_id)
            if subscription.status == "paused":
                subscription.status, subscription.paused_until, subscription.pause_reason = "active", None, None
                self._reschedule(session, subscription, row, state, now)
            return self._view(session, subscription, row, state)

    def stop(self, person: PersonRef, subscription_id: int) -> str:
        now = self._clock.now()
        with transaction(self._sessions) as session:
            subscription, _ = self._owned(session, person, subscription_id)
            subscription.status, subscription.next_due_at, subscription.updated_at = "stopped", None, now
            outbox.cancel_pending(session, kind=REMINDER, subject_id=subscription.id, reason="stopped")
            return self._title(subscription.technique_key)

    def change(
        self,
        person: PersonRef,
        subscription_id: int,
        *,
        minute_of_day: int,
        weekdays: tuple[int, ...],
        weeks: int | None,
    ) -> PracticeView:
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            subscription, row = self._owned(session, person, subscription_id)
            self._check_choice(state, subscription.technique_key, minute_of_day, weekdays, weeks)
            subscription.minute_of_day, subscription.weekdays = minute_of_day, sorted(set(weekdays))
            subscription.until = self._until(row, weeks, now)
            self._reschedule(session, subscription, row, state, now)
            return self._view(session, subscription, row, state)

    def rate(self, person: PersonRef, subscription_id: int, occasion: str, rating: int) -> str:
        """A 1-5 self-rating on the technique's skill (the monthly review). Returns the skill's name."""
        if not 1 <= rating <= 5 or not re.fullmatch(r"review:\d{4}-\d{2}", occasion):
            raise BadInput("I could not read that rating.")
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            subscription, row = self._owned(session, person, subscription_id)
            skill = str(state.techniques.get(subscription.technique_key, {}).get("skill", ""))
            repository.set_rating(
                session,
                workspace_id=row.workspace_id,
                person_id=row.id,
                skill_key=skill,
                rating=rating,
                occasion=occasion,
                now=self._clock.now(),
            )
        return state.skills[skill].name if skill in state.skills else skill

    def overview(self, person: PersonRef) -> list[PracticeView]:
        state = self._catalogue.current()
        with self._sessions() as session:
            row = workspaces.find_person(session, workspace_id=person.workspace_id, slack_user_id=person.slack_user_id)
            if row is None:
                return []
            return [self._view(session, s, row, state) for s in repository.subscriptions_of(session, row.id)]

    def zone_changed(self, person_id: int) -> None:
        """Re-plan a person's reminders after their time zone changed: same local dates, new instants."""
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            row = session.get(Person, person_id)
            if row is None:
                return
            for subscription in repository.subscriptions_of(session, row.id, ("active",)):
                self._reschedule(session, subscription, row, state, now)

    # -- inside ----------------------------------------------------------------------------------------------
    def _reschedule(
        self, session: Session, subscription: PracticeSubscription, row: Person, state: CatalogueState, now: datetime
    ) -> None:
        """Move or cancel reminders not yet sent, and plan the next one, after a change of time, days or zone.

        A reminder keeps its local date (so no day is sent twice); if its new time has already passed, it is
        sent now rather than missed.
        """
        tz = zone(row.tz, self._default_tz)
        rhythm = rhythm_of(subscription, state)
        for delivery in repository.pending_deliveries(session, kind=REMINDER, subject_id=subscription.id, now=now):
            day = date.fromisoformat(delivery.key.split(":")[2])
            if subscription.status != "active" or not rhythm.is_due_on(day):
                delivery.status, delivery.last_error = "cancelled", "rescheduled"
            elif ":snooze:" not in delivery.key:
                delivery.due_at = max(local_instant(day, rhythm.at, tz), now)
                delivery.expires_at = delivery.due_at + self._catchup
        latest = repository.latest_delivery_key(session, prefix=f"{REMINDER}:{subscription.id}:")
        subscription.next_due_date = date.fromisoformat(latest.split(":")[2]) + timedelta(days=1) if latest else None
        if subscription.status == "active":
            schedule_next(subscription, row, state, after=now, default_tz=self._default_tz)
        else:
            subscription.next_due_at = None
        subscription.updated_at = now

    def _answer(self, person: PersonRef, day_id: int, status: str) -> DayAnswer:
        with transaction(self._sessions) as session:
            day, subscription, row = self._day(session, person, day_id)
            if day.status not in ("done", "skipped") or status == "done":
                day.status, day.answered_at = status, self._clock.now()
            self._cancel_snoozes(session, day)
            return self._day_answer(session, day, subscription, row)

    def _cancel_snoozes(self, session: Session, day: PracticeDay) -> None:
        for delivery in repository.pending_deliveries(
            session, kind=REMINDER, subject_id=day.subscription_id, now=self._clock.now()
        ):
            if delivery.key.startswith(f"{day.delivery_key}:snooze:"):
                delivery.status, delivery.last_error = "cancelled", "answered"

    def _day_answer(
        self, session: Session, day: PracticeDay, subscription: PracticeSubscription, row: Person
    ) -> DayAnswer:
        session.flush()
        return DayAnswer(
            subscription_id=subscription.id,
            day_id=day.id,
            technique_title=self._title(subscription.technique_key),
            status=day.status,
            streak=streak_of(session, subscription.id, day.local_date + timedelta(days=1)),
        )

    def _day(
        self, session: Session, person: PersonRef, day_id: int
    ) -> tuple[PracticeDay, PracticeSubscription, Person]:
        day = repository.get_day(session, day_id)
        if day is None:
            raise NotFound("I can't find that practice day any more.")
        subscription, row = self._owned(session, person, day.subscription_id)
        return day, subscription, row

    def _owned(self, session: Session, person: PersonRef, subscription_id: int) -> tuple[PracticeSubscription, Person]:
        subscription = repository.get_subscription(session, subscription_id)
        if subscription is None:
            raise NotFound("That practice no longer exists.")
        row = self._person_row(session, person)
        if subscription.person_id != row.id:
            raise NotAllowed("That practice belongs to someone else.")
        return subscription, row

    def _person_row(self, session: Session, person: PersonRef) -> Person:
        row = workspaces.find_person(session, workspace_id=person.workspace_id, slack_user_id=person.slack_user_id)
        if row is None:
            raise NotFound("I don't know you yet. Type `/learn help` first.")
        return row

    def _check_choice(
        self,
        state: CatalogueState,
        technique_key: str,
        minute_of_day: int,
        weekdays: tuple[int, ...],
        weeks: int | None,
    ) -> None:
        if technique_key not in state.techniques:
            raise BadInput("That technique is no longer offered. Type `/learn practice` to see the list.")
        if not 0 <= minute_of_day < 24 * 60:
            raise BadInput("Choose a time between 00:00 and 23:59.")
        if not weekdays or any(not 0 <= day <= 6 for day in weekdays):
            raise BadInput("Choose at least one day of the week.")
        if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
            raise BadInput(f"Choose between 1 and {MAX_WEEKS} weeks, or until you stop.")

    def _until(self, row: Person, weeks: int | None, now: datetime) -> date | None:
        if weeks is None:
            return None
        return local_date(now, zone(row.tz, self._default_tz)) + timedelta(weeks=weeks) - timedelta(days=1)

    def _zone_notice(self, row: Person) -> str | None:
        """Said once: reminders use the workspace's zone because the person's Slack profile has none we can use."""
        if is_valid_zone(row.tz) or row.tz_notice_sent:
            return None
        row.tz_notice_sent = True
        return (
            f"Your Slack profile has no time zone I can use, so I'm using {self._default_tz}. "
            "Set your time zone in Slack and I'll follow it."
        )

    def _title(self, technique_key: str) -> str:
        technique = self._catalogue.current().techniques.get(technique_key)
        return str(technique["title"]) if technique else technique_key

    def _view(
        self, session: Session, subscription: PracticeSubscription, row: Person, state: CatalogueState
    ) -> PracticeView:
        tz = zone(row.tz, self._default_tz)
        technique = state.techniques.get(subscription.technique_key, {})
        next_local = (
            subscription.next_due_at.astimezone(tz).strftime("%a %d %b %H:%M") if subscription.next_due_at else None
        )
        today = local_date(self._clock.now(), tz)
        return PracticeView(
            subscription_id=subscription.id,
            technique_key=subscription.technique_key,
            technique_title=str(technique.get("title", subscription.technique_key)),
            why=str(technique.get("why", "")),
            status=subscription.status,
            rhythm=rhythm_of(subscription, state).describe(),
            zone=str(tz.key),
            next_local=next_local,
            streak=streak_of(session, subscription.id, today),
            paused_until=subscription.paused_until,
            until=subscription.until,
            minute_of_day=subscription.minute_of_day,
            weekdays=tuple(subscription.weekdays),
        )


__all__ = ["STREAK_RULE", "DayAnswer", "PracticeService", "PracticeView", "Started", "reminder_key"]
