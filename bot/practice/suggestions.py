"""Suggesting a technique to colleagues, and their answer: nothing starts without their consent, nobody who
opted out or left hears anything, a "no" is not asked again at once, and it all arrives in working hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState, TechniqueView
from bot.db.engine import transaction
from bot.errors import BadInput, NotFound
from bot.localtime import zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.service import PeopleService
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import PracticeSubscription, SubscriptionStatus
from bot.practice.planning import SUGGESTION, new_subscription, schedule_next
from bot.practice.types import PracticeMessages, Refusal, Started, Suggested, Suggestion, SuggestionAnswer
from bot.practice.views import owned, title_of, view_of, zone_notice

ANSWER = "practice_suggestion_answer"  # the delivery telling the suggester; its subject is the subscription
MAX_COLLEAGUES = 5  # one command cannot message a whole channel
COOL_DOWN = timedelta(days=30)  # after a "no", the same technique is not suggested again to them before
WINDOW = timedelta(days=7)
WORKDAYS = (0, 1, 2, 3, 4)
NINE = 9 * 60
S = SubscriptionStatus


class PracticeSuggestions:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        catalogue: Catalogue,
        messages: PracticeMessages,
        people: PeopleService,
        default_timezone: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._catalogue = catalogue
        self._messages = messages
        self._people = people
        self._default_tz = default_timezone

    def suggest(self, person: PersonRef, colleague_ids: list[str], technique_key: str) -> list[Suggested]:
        """Suggest a technique to colleagues: each gets a DM (in their working hours) to accept or decline."""
        named = list(dict.fromkeys(colleague_ids))
        if len(named) > MAX_COLLEAGUES:
            raise BadInput(f"You can suggest a technique to at most {MAX_COLLEAGUES} colleagues at once.")
        state = self._catalogue.current()
        technique = state.techniques.get(technique_key)
        if technique is None:
            raise BadInput("I don't know that technique.")
        return [self._suggest(person, user_id, technique, state) for user_id in named]

    def accept(self, person: PersonRef, subscription_id: int) -> Started:
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            if subscription.status != S.SUGGESTED or not subscription.move_to(S.ACTIVE, now=now):
                return Started(
                    view_of(session, subscription, person, state, now=now, default_tz=self._default_tz), True, None
                )
            schedule_next(subscription, person, state, after=now, default_tz=self._default_tz)
            self._tell_suggester(session, subscription, person, state, accepted=True, now=now)
            view = view_of(session, subscription, person, state, now=now, default_tz=self._default_tz)
            return Started(view, False, zone_notice(session, person, self._default_tz))

    def decline(self, person: PersonRef, subscription_id: int) -> str:
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            subscription = owned(session, person, subscription_id)
            if subscription.status == S.SUGGESTED and subscription.move_to(S.DECLINED, now=now):
                self._tell_suggester(session, subscription, person, state, accepted=False, now=now)
            return title_of(state, subscription.technique_key)

    # -- inside ----------------------------------------------------------------------------------------------
    def _suggest(self, person: PersonRef, user_id: str, technique: TechniqueView, state: CatalogueState) -> Suggested:
        if user_id == person.slack_user_id:
            return Suggested(user_id, technique.title, Refusal.SELF)
        try:
            colleague = self._people.colleague(person, user_id)
        except NotFound:
            return Suggested(user_id, technique.title, Refusal.UNKNOWN)
        if colleague.opted_out or colleague.unreachable:
            return Suggested(user_id, technique.title, Refusal.UNREACHABLE)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            problem, again = self._problem(session, colleague, technique, now)
            if problem is not None:
                return Suggested(user_id, technique.title, problem, again)
            subscription = new_subscription(colleague, technique.key, S.SUGGESTED, now, NINE, WORKDAYS)
            subscription.suggested_by = person.person_id
            repository.add_subscription(session, subscription)
            suggestion = Suggestion(subscription.id, person.slack_user_id, technique.title, technique.why)
            payload = self._messages.practice_suggestion(suggestion)
            key = DeliveryKey(SUGGESTION, subscription.id)
            outbox.enqueue(session, [self._in_working_hours(colleague, key, payload, state, now)], now=now)
        return Suggested(user_id, technique.title)

    def _problem(
        self, session: Session, colleague: PersonRef, technique: TechniqueView, now: datetime
    ) -> tuple[Refusal | None, date | None]:
        """Why this suggestion cannot go to this colleague now (and, after a no, from when it may), or None."""
        everything = repository.subscriptions_of(session, colleague.person_id, [s.value for s in S])
        for existing in everything:
            if existing.technique_key != technique.key:
                continue
            if existing.status in (S.ACTIVE, S.PAUSED, S.SUGGESTED):
                return Refusal.ALREADY, None
            if existing.status == S.DECLINED and existing.updated_at > now - COOL_DOWN:
                return Refusal.DECLINED, (existing.updated_at + COOL_DOWN).date()
        return None, None

    def _tell_suggester(
        self,
        session: Session,
        subscription: PracticeSubscription,
        person: PersonRef,
        state: CatalogueState,
        *,
        accepted: bool,
        now: datetime,
    ) -> None:
        suggester = people.person(session, subscription.suggested_by) if subscription.suggested_by else None
        if suggester is None or suggester.opted_out or suggester.unreachable:
            return
        title = title_of(state, subscription.technique_key)
        answer = SuggestionAnswer(subscription.id, person.slack_user_id, title, accepted)
        key = DeliveryKey(ANSWER, subscription.id)
        payload = self._messages.suggestion_answered(answer)
        outbox.enqueue(session, [self._in_working_hours(suggester, key, payload, state, now)], now=now)

    def _in_working_hours(
        self, person: PersonRef, key: DeliveryKey, payload: Payload, state: CatalogueState, now: datetime
    ) -> NewDelivery:
        tz = zone(person.tz, self._default_tz)
        return NewDelivery.in_working_hours(
            person, key=key, payload=payload, now=now, tz=tz, holidays=state.holidays, reach=WINDOW
        )
