"""Changing a challenge's course: pause and resume (the end moves by the days paused), extend by a week,
withdraw; and the proposer taking back a proposal nobody has answered. Each is refused to anyone else."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeService
from bot.challenges.models import Challenge
from bot.challenges.planning import (
    CHECKIN,
    CLOSE,
    INVITATION,
    answer_key,
    checkin_day,
    checkin_instant,
    close_instant,
    plan_next,
    stick_instant,
    terms_of,
)
from bot.challenges.proposal_types import Answer, Outcome
from bot.challenges.types import ChallengeStatus, Done, Logged, NextStep
from bot.challenges.views import current, in_working_hours, owned, proposer_of
from bot.content.challenge_limits import EXTENSION, MAX_DAYS
from bot.db.engine import transaction
from bot.errors import BadInput, NotAllowed, NotFound
from bot.localtime import local_date, zone
from bot.outbox import service as outbox
from bot.people import service as people
from bot.people.types import PersonRef

C = ChallengeStatus


class ChallengeCourse(ChallengeService):
    def pause(self, person: PersonRef, challenge_id: int) -> Logged:
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status is C.PAUSED:
                return self._logged(session, challenge, person, Done.ALREADY_PAUSED)
            if not pause(challenge, person, now=now, default_tz=self._default_tz):
                raise BadInput("That challenge isn't running.")
            return self._logged(session, challenge, person, Done.PAUSED)

    def resume(self, person: PersonRef, challenge_id: int) -> Logged:
        now = self._clock.now()
        state = self._catalogue.current()
        tz = zone(person.tz, self._default_tz)
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status is C.ACTIVE:
                return self._logged(session, challenge, person, Done.ALREADY_RUNNING)
            if not challenge.move_to(C.ACTIVE, now=now):
                raise BadInput("That challenge has ended.")
            paused_days = (local_date(now, tz) - (challenge.paused_on or local_date(now, tz))).days
            challenge.days = min(MAX_DAYS, challenge.days + max(0, paused_days))
            challenge.paused_on = None
            challenge.answered(now)
            plan_next(challenge, tz, state.holidays, after=now)
            return self._logged(session, challenge, person, Done.RESUMED)

    def extend(self, person: PersonRef, challenge_id: int) -> Logged:
        """A week more: the close moves, check-ins still to come stay where they were."""
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status not in (C.ACTIVE, C.PAUSED):
                raise BadInput("That challenge has ended.")
            if challenge.days + EXTENSION > MAX_DAYS:
                raise BadInput(f"A challenge can run for {MAX_DAYS} days at most.")
            challenge.days += EXTENSION
            challenge.updated_at = now
            if challenge.status is C.ACTIVE:
                tz = zone(person.tz, self._default_tz)
                plan_next(challenge, tz, state.holidays, after=now, from_day=challenge.next_day or 1)
            return self._logged(session, challenge, person, Done.EXTENDED)

    def withdraw(self, person: PersonRef, challenge_id: int) -> Logged:
        """Stop it: nothing more is sent; the proposer hears it stopped (not why); entries stay theirs."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if not challenge.move_to(C.WITHDRAWN, now=now):
                raise BadInput("That challenge isn't running.")
            for kind in (CHECKIN, CLOSE):
                outbox.cancel_subject(session, kind=kind, subject=challenge.id, reason="withdrawn")
            proposer = proposer_of(session, challenge)
            if proposer is not None and proposer.person_id != person.person_id:
                answer = Answer(challenge.id, person.slack_user_id, terms_of(challenge), Outcome.WITHDRAWN)
                key = answer_key(challenge.id, Outcome.WITHDRAWN.value)
                holidays = self._catalogue.current().holidays
                payload = self._messages.answer(answer)
                in_working_hours(
                    session, proposer, key, payload, now=now, holidays=holidays, default_tz=self._default_tz
                )
            return self._logged(session, challenge, person, Done.WITHDRAWN)

    def cancel(self, proposer: PersonRef, proposal_id: int) -> int:
        """The proposer takes back a proposal: every colleague who has not answered yet is no longer asked.
        Returns how many that was (0: everyone had answered)."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            found = repository.proposal(session, proposal_id)
            if found is None:
                raise NotFound("That proposal no longer exists.")
            if found.proposer_id != proposer.person_id:
                raise NotAllowed("Only the person who proposed it can cancel it.")
            cancelled = 0
            for challenge in repository.of_proposal(session, proposal_id, lock=True):
                if challenge.move_to(C.CANCELLED, now=now):
                    outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="cancelled")
                    cancelled += 1
            return cancelled

    def opted_out(self, session: Session, person_id: int) -> None:
        """People hook, in the opt-out's transaction (the outbox's hook cancels what is queued): challenges
        going on stop, proposals waiting for them count as declined, nothing more is planned for them."""
        now = self._clock.now()
        for challenge in repository.of_person(session, person_id, list(C)):
            if not challenge.move_to(C.WITHDRAWN, now=now):
                challenge.move_to(C.DECLINED, now=now)
            challenge.plan(None)
            challenge.answer_due_at = None

    def replan_person(self, person_id: int) -> None:
        """People hook: the person's zone changed. What comes next in each of their challenges moves to the same
        local day and hour in the new zone, and so does what is already queued for it (a check-in, the close)."""
        state, now = self._catalogue.current(), self._clock.now()
        with transaction(self._sessions) as session:
            person = people.person(session, person_id)
            if person is None:
                return
            tz = zone(person.tz, self._default_tz)
            for challenge in repository.of_person(session, person_id, [C.ACTIVE, C.FINISHED]):
                replan(session, challenge, tz, state.holidays, now=now)

    def _logged(self, session: Session, challenge: Challenge, person: PersonRef, done: Done) -> Logged:
        return current(session, challenge, person, done, now=self._clock.now(), default_tz=self._default_tz)


def pause(challenge: Challenge, person: PersonRef, *, now: datetime, default_tz: str) -> bool:
    """Pause in the caller's transaction (a button, or unanswered check-ins): no check-ins until resumed.
    False when it is not running."""
    if not challenge.move_to(C.PAUSED, now=now):
        return False
    challenge.paused_on = local_date(now, zone(person.tz, default_tz))
    challenge.plan(None)
    return True


def replan(session: Session, challenge: Challenge, tz: ZoneInfo, holidays: frozenset[date], *, now: datetime) -> None:
    """Put the challenge's next step, and its check-ins and close already queued, at their local time in `tz`."""
    if challenge.next_step is NextStep.STICK:
        challenge.plan(NextStep.STICK, stick_instant(challenge, tz, holidays))
    elif challenge.next_step is NextStep.CHECKIN and challenge.next_day is not None:
        day = challenge.next_day
        challenge.plan(NextStep.CHECKIN, checkin_instant(challenge, day, tz, holidays) or challenge.next_at, day=day)
    elif challenge.next_step is NextStep.CLOSE:
        challenge.plan(NextStep.CLOSE, max(close_instant(challenge, tz, holidays), now))
    for queued in outbox.pending(session, kind=CHECKIN, subject=challenge.id, now=now):
        if queued.key.is_snooze:
            continue  # asked again the next working day: that day stays
        queued_day = checkin_day(queued.key)
        due = checkin_instant(challenge, queued_day, tz, holidays) if queued_day is not None else None
        if due is not None:
            outbox.move(session, queued, due_at=due)
    for queued in outbox.pending(session, kind=CLOSE, subject=challenge.id, now=now):
        outbox.move(session, queued, due_at=max(close_instant(challenge, tz, holidays), now))
