"""Daily practice, as a person runs it: start, suggest to a colleague, accept or decline, pause, resume,
change the time or days, stop; and re-planning when their zone changes."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState
from bot.db.engine import transaction
from bot.errors import BadInput, quote
from bot.localtime import local_date, zone
from bot.outbox import service as outbox
from bot.outbox.types import Undeliverable
from bot.people import service as people
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import PracticeSubscription, SubscriptionStatus
from bot.practice.planning import REMINDER, new_subscription, replan, schedule_next
from bot.practice.types import PauseForm, PracticeMessages, PracticeView, Started, Technique
from bot.practice.views import owned, title_of, view_of, zone_notice

WORKDAYS = (0, 1, 2, 3, 4)
NINE = 9 * 60
MAX_WEEKS = 52
SUGGESTION_WINDOW = timedelta(days=7)
S = SubscriptionStatus


class PracticeService:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        catalogue: Catalogue,
        messages: PracticeMessages,
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
    def techniques(self) -> list[Technique]:
        found = [Technique(key, t.title) for key, t in self._catalogue.current().techniques.items()]
        return sorted(found, key=lambda technique: technique.title)

    def technique_key(self, text: str) -> str:
        """The technique someone typed: its key or its title, in any case, with spaces or hyphens."""
        wanted = _slug(text)
        for technique in self.techniques():
            if wanted in (technique.key, _slug(technique.title)):
                return technique.key
        names = ", ".join(f"`{technique.key}`" for technique in self.techniques())
        raise BadInput(f"I don't know a technique called {quote(text)}. Try one of: {names}.", field="technique")

    # -- starting --------------------------------------------------------------------------------------------
    def start(
        self,
        person: PersonRef,
        technique_key: str,
        *,
        minute_of_day: int = NINE,
        weekdays: tuple[int, ...] = WORKDAYS,
        weeks: int | None = None,
    ) -> Started:
        """Start (or return the running) practice of a technique; the reminder comes at the next due time."""
        state = self._catalogue.current()
        _check_choice(state, technique_key, minute_of_day, weekdays, weeks)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            return self._begin(session, person, state, technique_key, minute_of_day, weekdays, weeks, now)

    def switch(self, person: PersonRef, subscription_id: int, technique_key: str) -> Started:
        """Change focus: this practice stops and the chosen one starts at the same time and days, at once."""
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            current = owned(session, person, subscription_id)
            if current.technique_key == technique_key:
                return Started(self._view(session, current, person, state), True, None)
            minute_of_day, weekdays = current.minute_of_day, tuple(current.weekdays)
            _check_choice(state, technique_key, minute_of_day, weekdays, None)
            self._stop(session, current, now)
            return self._begin(session, person, state, technique_key, minute_of_day, weekdays, None, now)

    def _begin(
        self,
        session: Session,
        person: PersonRef,
        state: CatalogueState,
        technique_key: str,
        minute_of_day: int,
        weekdays: tuple[int, ...],
        weeks: int | None,
        now: datetime,
    ) -> Started:
        for existing in repository.subscriptions_of(session, person.person_id, (S.ACTIVE, S.PAUSED)):
            if existing.technique_key == technique_key:
                return Started(self._view(session, existing, person, state), True, None)
        subscription = new_subscription(person, technique_key, S.ACTIVE, now, minute_of_day, weekdays)
        subscription.until = self._until(person, weeks, now)
        repository.add_subscription(session, subscription)
        schedule_next(subscription, person, state, after=now, default_tz=self._default_tz)
        notice = zone_notice(session, person, self._default_tz)
        return Started(self._view(session, subscription, person, state), False, notice)

    # -- the subscription ------------------------------------------------------------------------------------
    def pause_form(self, person: PersonRef, subscription_id: int) -> PauseForm:
        """What the pause window needs: the subscription (the person's own) and today in their zone."""
        with self._sessions() as session:
            owned(session, person, subscription_id)
        return PauseForm(subscription_id, local_date(self._clock.now(), zone(person.tz, self._default_tz)))

    def pause(self, person: PersonRef, subscription_id: int, until: date) -> PracticeView:
        """No reminders before `until` (holidays, leave); practice resumes by itself on that day."""
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            today = local_date(now, zone(person.tz, self._default_tz))
            if until <= today:
                raise BadInput("Choose a date after today to pause until.", field="until")
            if until > today + timedelta(days=366):
                raise BadInput("You can pause for up to a year.", field="until")
            if subscription.status == S.PAUSED:
                subscription.paused_until = until
            elif not subscription.move_to(S.PAUSED, now=now, reason="paused by you"):
                raise BadInput("Only a running practice can be paused.", field="until")
            subscription.paused_until = until
            self._replan(session, subscription, person, state, now)
            return self._view(session, subscription, person, state)

    def resume(self, person: PersonRef, subscription_id: int) -> PracticeView:
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            if subscription.status == S.PAUSED and subscription.move_to(S.ACTIVE, now=now):
                subscription.quiet_from = now.astimezone(zone(person.tz, self._default_tz)).date()  # count anew
                self._replan(session, subscription, person, state, now)
            return self._view(session, subscription, person, state)

    def stop(self, person: PersonRef, subscription_id: int) -> str:
        now = self._clock.now()
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            self._stop(session, subscription, now)
            return title_of(self._catalogue.current(), subscription.technique_key)

    def _stop(self, session: Session, subscription: PracticeSubscription, now: datetime) -> None:
        if subscription.move_to(S.STOPPED, now=now):
            subscription.next_due_at = None
            outbox.cancel_subject(session, kind=REMINDER, subject=subscription.id, reason="stopped")

    def settings(self, person: PersonRef, subscription_id: int) -> PracticeView:
        """The person's own subscription, for the settings window."""
        state = self._catalogue.current()
        with self._sessions() as session:
            return self._view(session, owned(session, person, subscription_id), person, state)

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
            subscription = owned(session, person, subscription_id)
            _check_choice(state, subscription.technique_key, minute_of_day, weekdays, weeks)
            subscription.minute_of_day, subscription.weekdays = minute_of_day, sorted(set(weekdays))
            subscription.until = self._until(person, weeks, now)
            self._replan(session, subscription, person, state, now)
            return self._view(session, subscription, person, state)

    def overview(self, person: PersonRef) -> list[PracticeView]:
        state = self._catalogue.current()
        with self._sessions() as session:
            return [
                self._view(session, s, person, state) for s in repository.subscriptions_of(session, person.person_id)
            ]

    def replan_person(self, person_id: int) -> None:
        """Re-plan a person's reminders (their zone changed, or they opted in again): same local dates."""
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            person = people.person(session, person_id)
            if person is None:
                return
            for subscription in repository.subscriptions_of(session, person_id, (S.ACTIVE,)):
                self._replan(session, subscription, person, state, now)

    # -- inside ----------------------------------------------------------------------------------------------
    def _replan(
        self,
        session: Session,
        subscription: PracticeSubscription,
        person: PersonRef,
        state: CatalogueState,
        now: datetime,
    ) -> None:
        replan(session, subscription, person, state, now=now, default_tz=self._default_tz, catchup=self._catchup)

    def _view(
        self, session: Session, subscription: PracticeSubscription, person: PersonRef, state: CatalogueState
    ) -> PracticeView:
        return view_of(session, subscription, person, state, now=self._clock.now(), default_tz=self._default_tz)

    def _until(self, person: PersonRef, weeks: int | None, now: datetime) -> date | None:
        if weeks is None:
            return None
        return local_date(now, zone(person.tz, self._default_tz)) + timedelta(weeks=weeks) - timedelta(days=1)


def pause_undeliverable(session: Session, gone: Undeliverable) -> None:
    """A practice DM (a reminder, or a review queued for one practice) could not be delivered for good (the
    person left): pause that practice, keep its history."""
    _pause_for_good(repository.get_subscription(session, int(gone.subject_id or 0)), gone)


def pause_all_undeliverable(session: Session, gone: Undeliverable) -> None:
    """The person's monthly review could not be delivered for good: pause each of their running practices."""
    for subscription in repository.subscriptions_of(session, int(gone.person_id or 0), (S.ACTIVE,)):
        _pause_for_good(subscription, gone)


def _pause_for_good(subscription: PracticeSubscription | None, gone: Undeliverable) -> None:
    if subscription is not None and subscription.move_to(S.PAUSED, now=gone.at, reason=gone.code[:60]):
        subscription.next_due_at = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _check_choice(
    state: CatalogueState, technique_key: str, minute_of_day: int, weekdays: tuple[int, ...], weeks: int | None
) -> None:
    if technique_key not in state.techniques:
        raise BadInput("That technique is no longer offered. Type `/learn practice` to see the list.")
    if not 0 <= minute_of_day < 24 * 60:
        raise BadInput("Choose a time between 00:00 and 23:59.", field="minute_of_day")
    if not weekdays or any(not 0 <= day <= 6 for day in weekdays):
        raise BadInput("Choose at least one day of the week.", field="weekdays")
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise BadInput(f"Choose between 1 and {MAX_WEEKS} weeks, or until you stop.", field="weeks")
