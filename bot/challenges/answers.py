"""Answering a proposal: nothing starts without the person's consent (a baseline on the skill's rubric),
a change they ask for goes back to the proposer to agree, and every answer reaches the proposer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.challenges.context import ChallengeContext, ChallengeService
from bot.challenges.ending import rate
from bot.challenges.models import LIVE, Challenge
from bot.challenges.planning import (
    INVITATION,
    WORKING_DAYS_TO_ANSWER,
    answer_due,
    answer_key,
    card_key,
    invitation_key,
    plan_next,
    terms_of,
)
from bot.challenges.proposal_types import (
    Answer,
    Asking,
    BaselineForm,
    ChangeAnswer,
    ChangeDecided,
    ChangeOutcome,
    Outcome,
)
from bot.challenges.proposals import ChallengeProposals
from bot.challenges.types import Card, ChallengeStatus, ChangeAsked
from bot.challenges.views import card_of, in_working_hours, invitation_of, note_author, owned, proposed, proposer_of
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.localtime import local_date, zone
from bot.measurement.types import Moment, Rater
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.types import PersonRef

FOREVER = datetime(9999, 1, 1, tzinfo=UTC)  # the thread's card: never skipped as too late
C = ChallengeStatus


class ChallengeAnswers(ChallengeService):
    def __init__(self, context: ChallengeContext, *, proposals: ChallengeProposals) -> None:
        super().__init__(context)
        self._proposals = proposals

    def take_on(self, person: PersonRef, template_key: str) -> BaselineForm:
        """A challenge the person starts for themselves (a follow-on): the same window as accepting one."""
        return self.baseline_form(person, self._proposals.for_myself(person, template_key))

    def baseline_form(self, person: PersonRef, challenge_id: int) -> BaselineForm:
        state = self._catalogue.current()
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            if challenge.status is not C.PROPOSED:
                raise BadInput(_settled(challenge))
            proposer = proposer_of(session, challenge)
            skill = state.skills.get(challenge.skill_key)
            return BaselineForm(
                challenge.id,
                challenge.title,
                skill.name if skill else challenge.skill_key,
                dict(skill.rubric) if skill else {},
                proposer.slack_user_id if proposer and proposer.person_id != person.person_id else None,
            )

    def accept(self, person: PersonRef, challenge_id: int, *, baseline: int | None, share: bool) -> Card:
        """Consent: the challenge starts (day 1 is its start date, or today if that has passed), the thread's
        card is queued, the proposer is told. Pressing again changes nothing."""
        state = self._catalogue.current()
        now = self._clock.now()
        tz = zone(person.tz, self._default_tz)
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status in LIVE or challenge.status is C.FINISHED:
                return card_of(session, challenge, person, now=now, default_tz=self._default_tz)
            if baseline is None:
                raise BadInput("Pick the level that describes you today.", field="baseline")
            if not challenge.move_to(C.ACTIVE, now=now):
                raise BadInput(_settled(challenge))
            challenge.start_date = max(challenge.start_date, local_date(now, tz))
            challenge.accepted_at, challenge.share_ratings, challenge.answer_due_at = now, share, None
            rate(session, challenge, rater=Rater.SELF, moment=Moment.BASELINE, value=baseline, now=now)
            plan_next(challenge, tz, state.holidays, after=now)
            outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="answered")
            card = card_of(session, challenge, person, now=now, default_tz=self._default_tz)
            # The thread's anchor: sent now, and never skipped as too late (everything else hangs off it).
            item = NewDelivery.to_person(
                person, key=card_key(challenge.id), payload=self._messages.card(card), due_at=now, expires_at=FOREVER
            )
            outbox.enqueue(session, [item], now=now)
            self._tell_proposer(session, challenge, person, Outcome.ACCEPTED, now)
            return card

    def decline(self, person: PersonRef, challenge_id: int) -> str:
        """No, thank you: the proposer hears it. Returns the challenge's title."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status is not C.PROPOSED or not challenge.move_to(C.DECLINED, now=now):
                raise BadInput(_settled(challenge))
            outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="answered")
            self._tell_proposer(session, challenge, person, Outcome.DECLINED, now)
            return challenge.title

    def ask_change(self, person: PersonRef, challenge_id: int, change: ChangeAsked) -> Answer:
        """Other terms (length, target, start), sent to the proposer to agree or keep as proposed."""
        now = self._clock.now()
        asked = change.checked(local_date(now, zone(person.tz, self._default_tz)))
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status is not C.PROPOSED:
                raise BadInput(_settled(challenge))
            if not asked:
                raise BadInput("Change at least one of length, target or start.", field="days")
            challenge.move_to(C.CHANGE_ASKED, now=now)
            challenge.asked_change = asked
            proposer = proposer_of(session, challenge)
            if proposer is not None:  # now the answer waits on them: their own working days, and a reminder
                holidays = self._catalogue.current().holidays
                tz = zone(proposer.tz, self._default_tz)
                challenge.answer_due_at = answer_due(now, tz, holidays, working_days=WORKING_DAYS_TO_ANSWER)
                challenge.reminded = False
            outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="answered")
            return self._tell_proposer(session, challenge, person, Outcome.CHANGE, now)

    def answer_change(self, proposer: PersonRef, challenge_id: int, *, agree: bool) -> ChangeDecided:
        """The proposer agrees to the change (the new terms are proposed) or keeps the original."""
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge, _ = proposed(session, proposer, challenge_id)
            person = people.person(session, challenge.person_id)
            if person is None:
                raise BadInput("That colleague is no longer here.")
            if challenge.status is not C.CHANGE_ASKED:
                return ChangeDecided(person.slack_user_id, None)
            if agree:
                _apply(challenge, challenge.asked_change or ChangeAsked())
            challenge.move_to(C.PROPOSED, now=now)
            challenge.asked_change, challenge.reminded = None, False
            challenge.answer_due_at = answer_due(
                now, zone(person.tz, self._default_tz), state.holidays, working_days=WORKING_DAYS_TO_ANSWER
            )
            outcome = ChangeOutcome.AGREED if agree else ChangeOutcome.KEPT
            answer = ChangeAnswer(challenge.id, proposer.slack_user_id, challenge.title, outcome)
            asking = Asking.CHANGED if agree else Asking.KEPT
            invitation = invitation_of(session, state, challenge, asking)
            occasion = f"terms:{now:%Y%m%d%H%M%S}"
            self._dm(session, person, invitation_key(challenge.id, occasion), self._messages.change_answer(answer), now)
            key = invitation_key(challenge.id, f"{occasion}:{asking}")
            author = note_author(session, challenge)
            self._dm(session, person, key, self._messages.invitation(invitation), now, author_id=author)
            return ChangeDecided(person.slack_user_id, outcome)

    # -- inside ----------------------------------------------------------------------------------------------
    def _tell_proposer(
        self, session: Session, challenge: Challenge, person: PersonRef, outcome: Outcome, now: datetime
    ) -> Answer:
        """The proposer hears what the person answered (in their working hours); returns what they hear."""
        answer = Answer(challenge.id, person.slack_user_id, terms_of(challenge), outcome, challenge.asked_change)
        answer = replace(answer, start=challenge.start_date)
        proposer = proposer_of(session, challenge)
        if proposer is not None and proposer.person_id != person.person_id:
            key = answer_key(challenge.id, f"{outcome}:{now:%Y%m%d%H%M%S}")
            self._dm(session, proposer, key, self._messages.answer(answer), now)
        return answer

    def _dm(
        self,
        session: Session,
        person: PersonRef,
        key: DeliveryKey,
        payload: Payload,
        now: datetime,
        *,
        author_id: int | None = None,
    ) -> None:
        holidays, tz = self._catalogue.current().holidays, self._default_tz
        in_working_hours(session, person, key, payload, now=now, holidays=holidays, default_tz=tz, author_id=author_id)


def _apply(challenge: Challenge, change: ChangeAsked) -> None:
    if change.days is not None:
        challenge.days = change.days
    if change.target is not None:
        challenge.target_count = change.target
    if change.start is not None:
        challenge.start_date = change.start


def _settled(challenge: Challenge) -> str:
    return {
        C.DECLINED: "You declined that challenge.",
        C.EXPIRED: "That proposal expired. Ask them to propose it again if you'd like to do it.",
        C.CANCELLED: "That proposal was cancelled.",
        C.CHANGE_ASKED: "You've asked for a change; I'll tell you what they say.",
        C.WITHDRAWN: "You stopped that challenge.",
        C.FINISHED: "That challenge has finished.",
    }.get(challenge.status, "That challenge has already started.")
