"""Proposals waiting for an answer: two working days without one, one reminder (or the proposer's own nudge
instead); a working day after it, the proposal expires. Whoever was silent is named: the colleague who did
not answer the proposal, or the proposer who did not answer the change the colleague asked for, and both
hear it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.messages import ChallengeMessages
from bot.challenges.models import Challenge
from bot.challenges.planning import (
    INVITATION,
    WORKING_DAYS_TO_ANSWER,
    answer_due,
    answer_key,
    invitation_key,
    terms_of,
)
from bot.challenges.proposal_types import Answer, Asking, ChangeAnswer, ChangeOutcome, Outcome
from bot.challenges.types import ChallengeStatus
from bot.challenges.views import REACH, in_working_hours, invitation_of, note_author, proposer_of
from bot.content.types import CatalogueState
from bot.localtime import working_time, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.types import PersonRef

C = ChallengeStatus


class ProposalsWaiting:
    def __init__(self, *, messages: ChallengeMessages, default_timezone: str) -> None:
        self._messages = messages
        self._default_tz = default_timezone

    def remind_or_expire(self, session: Session, state: CatalogueState, *, now: datetime, limit: int) -> int:
        """Each proposal whose answer is due: reminded once, or, reminded already, expired."""
        made = 0
        for challenge, person in repository.waiting_past(session, before=now, limit=limit):
            if self._on_its_way(session, state, challenge, person, now=now):
                continue
            proposer = proposer_of(session, challenge)
            waiting_on = person if challenge.status is C.PROPOSED else proposer
            if not challenge.reminded and waiting_on is not None:
                made += self.remind(session, state, challenge, person, proposer, waiting_on, now=now)
            else:
                made += self._expire(session, state, challenge, person, proposer, now=now)
        return made

    def _on_its_way(
        self, session: Session, state: CatalogueState, challenge: Challenge, person: PersonRef, *, now: datetime
    ) -> bool:
        """Their working days to answer count from when the invitation reached them: one still queued, or one
        that went late (the bot was down, Slack held it back), moves the answer's time on instead of being
        reminded or expired with it."""
        first = invitation_key(challenge.id)
        if challenge.status is not C.PROPOSED or challenge.reminded:
            return False
        reached = outbox.reached(session, first)
        if reached is None:
            queued = outbox.pending(session, kind=INVITATION, subject=challenge.id, now=now)
            if not any(item.key == first for item in queued):
                return False  # it will not arrive (expired, or it could not be sent): the proposal runs its course
        tz = zone(person.tz, self._default_tz)
        due = answer_due(reached or now, tz, state.holidays, working_days=WORKING_DAYS_TO_ANSWER)
        if challenge.answer_due_at is not None and due <= challenge.answer_due_at:
            return False
        challenge.answer_due_at = due
        return True

    def remind(
        self,
        session: Session,
        state: CatalogueState,
        challenge: Challenge,
        person: PersonRef,
        proposer: PersonRef | None,
        waiting_on: PersonRef,
        *,
        now: datetime,
        asking: Asking = Asking.REMINDER,
    ) -> int:
        """The one reminder of whoever the answer waits on; it expires a working day after it arrives."""
        challenge.reminded = True
        tz = zone(waiting_on.tz, self._default_tz)
        arrives = working_time(now, tz, state.holidays)
        due = working_time(arrives + timedelta(days=1), tz, state.holidays)
        challenge.answer_due_at = max(due, challenge.answer_due_at or due)  # a nudge never shortens their time
        if waiting_on is person:
            payload = self._messages.invitation(invitation_of(session, state, challenge, asking))
            key, author = invitation_key(challenge.id, asking.value), note_author(session, challenge)
        else:
            answer = Answer(challenge.id, person.slack_user_id, terms_of(challenge), Outcome.CHANGE_REMINDER)
            payload, key = self._messages.answer(answer), answer_key(challenge.id, Outcome.CHANGE_REMINDER.value)
            author = None
        return in_working_hours(
            session,
            waiting_on,
            key,
            payload,
            now=now,
            holidays=state.holidays,
            default_tz=self._default_tz,
            author_id=author,
        )

    def refresh(self, session: Session, state: CatalogueState, challenge: Challenge, *, now: datetime) -> int:
        """Every invitation the colleague was sent, or will be, shows the challenge as it is now (its terms, the
        proposer's note as it stands): queued ones are rewritten, sent ones edited in Slack. Returns how many."""
        author = note_author(session, challenge)
        person = people.person(session, challenge.person_id)
        changed = 0
        for key in outbox.keys_of(session, INVITATION, challenge.id):
            asking = asking_of(key.occasion)
            if asking is None:
                continue
            payload = self._messages.invitation(invitation_of(session, state, challenge, asking))
            posted = outbox.rewrite(session, key, payload, author_id=author)
            changed += 1
            if posted is not None and person is not None:
                edit = invitation_key(challenge.id, f"{Asking.EDITED}:{asking}:{now:%Y%m%d%H%M%S}")
                item = NewDelivery.to_person(person, key=edit, payload=payload, due_at=now, expires_at=now + REACH)
                item = replace(item, channel=posted.channel, edit_ts=posted.ts, author_id=author)
                outbox.enqueue(session, [item], now=now)
        return changed

    def _expire(
        self,
        session: Session,
        state: CatalogueState,
        challenge: Challenge,
        person: PersonRef,
        proposer: PersonRef | None,
        *,
        now: datetime,
    ) -> int:
        change_unanswered = challenge.status is C.CHANGE_ASKED  # the proposer was the one who did not answer
        challenge.move_to(C.EXPIRED, now=now)
        outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="expired")
        made = 0
        outcome = Outcome.CHANGE_EXPIRED if change_unanswered else Outcome.EXPIRED
        if proposer is not None:
            answer = Answer(challenge.id, person.slack_user_id, terms_of(challenge), outcome, challenge.asked_change)
            key = answer_key(challenge.id, outcome.value)
            made += self._dm(session, state, proposer, key, self._messages.answer(answer), now)
        if change_unanswered:  # told "I'll tell you what they say": they hear it, and that it is not on them
            said = ChangeAnswer(
                challenge.id, proposer.slack_user_id if proposer else None, challenge.title, ChangeOutcome.EXPIRED
            )
            key = answer_key(challenge.id, f"{outcome}:person")
            made += self._dm(session, state, person, key, self._messages.change_answer(said), now)
        return made

    def _dm(
        self,
        session: Session,
        state: CatalogueState,
        person: PersonRef,
        key: DeliveryKey,
        payload: Payload,
        now: datetime,
    ) -> int:
        return in_working_hours(
            session, person, key, payload, now=now, holidays=state.holidays, default_tz=self._default_tz
        )


def asking_of(occasion: str | None) -> Asking | None:
    """Which asking an invitation delivery is, from its key's occasion; None for the other messages kept under
    the invitation's kind (the proposer's answer to a change, edits of a sent invitation)."""
    if occasion is None:
        return Asking.FIRST
    last = occasion.rsplit(":", 1)[-1]
    if last == "card":  # keys written before the asking was named in them: an agreed change
        return Asking.CHANGED
    try:
        asking = Asking(last)
    except ValueError:
        return None
    return None if asking is Asking.EDITED else asking
