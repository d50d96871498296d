"""Materialising challenges: check-ins as replies in each challenge's thread, and unanswered proposals
reminded once and then expired.

Each check-in is keyed by (challenge, day), so however many processes tick, and however often, it is sent
at most once. Its question is written (model or template) a little ahead of time, outside any transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.models import Challenge, ChallengeStatus
from bot.challenges.planning import (
    ANSWER,
    CHECKIN,
    INVITATION,
    checkin_key,
    invitation_key,
    plan_next,
    question_for,
    terms_of,
)
from bot.challenges.types import Answer, ChallengeMessages, CheckIn, Invitation
from bot.challenges.views import card_at, in_working_hours, proposer_of
from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState
from bot.db.engine import transaction
from bot.llm.types import Budget, Writer, WriteRequest
from bot.localtime import working_time, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery
from bot.people.types import PersonRef

LOOKAHEAD = timedelta(hours=2)
BATCH = 500
TICK_SECONDS = 40.0
WRITE_DEADLINE = 10.0
MODEL_SECONDS = 20.0
C = ChallengeStatus


@dataclass(frozen=True)
class _Plan:
    challenge_id: int
    person: PersonRef
    day: int
    due: datetime
    thread: tuple[str, str]
    variables: dict[str, str]


class ChallengeMaterialiser:
    name = CHECKIN

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        catalogue: Catalogue,
        writer: Writer,
        messages: ChallengeMessages,
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
        state = self._catalogue.current()
        made = self._proposals(state, now)
        budget = Budget(MODEL_SECONDS)
        started = monotonic()
        while True:
            with transaction(self._sessions) as session:
                due = repository.checkins_due(session, before=now + LOOKAHEAD, limit=BATCH)
                plans = [plan for c, p in due if (plan := self._plan(session, c, p, state, now)) is not None]
            for plan in plans:
                written = self._writer.write(
                    WriteRequest(
                        prompt="challenge_checkin",
                        variables=plan.variables,
                        workspace_id=plan.person.workspace_id,
                        deadline=budget.deadline(WRITE_DEADLINE),
                    )
                )
                with transaction(self._sessions) as session:
                    made += self._commit(session, plan, written.text, written.ai, state, now)
            if len(due) < BATCH or not plans or monotonic() - started > TICK_SECONDS:
                return made

    def next_due(self, after: datetime) -> datetime | None:
        with self._sessions() as session:
            earliest = repository.earliest(session)
        if earliest is None:
            return None
        return max(earliest - LOOKAHEAD, after + timedelta(minutes=1))

    # -- check-ins -------------------------------------------------------------------------------------------
    def _plan(
        self, session: Session, challenge: Challenge, person: PersonRef, state: CatalogueState, now: datetime
    ) -> _Plan | None:
        """The next check-in to write, with check-ins whose time passed while the bot was down skipped
        (recorded by moving on, never sent late). None while the thread's card has not been posted."""
        tz = zone(person.tz, self._default_tz)
        while challenge.next_checkin_at is not None and challenge.next_checkin_at < now - self._catchup:
            plan_next(
                challenge, tz, state.holidays, after=now - self._catchup, from_day=(challenge.next_checkin_day or 0) + 1
            )
        thread = card_at(session, challenge.id)
        if challenge.next_checkin_at is None or challenge.next_checkin_day is None or thread is None:
            return None
        terms = terms_of(challenge)
        day = challenge.next_checkin_day
        reflections = repository.entries(session, challenge.id, person.person_id, ["reflection"])
        return _Plan(
            challenge_id=challenge.id,
            person=person,
            day=day,
            due=challenge.next_checkin_at,
            thread=thread,
            variables={
                "challenge_title": terms.title,
                "goal": terms.brief,
                "question": question_for(challenge, day),
                "day": str(day),
                "days": str(terms.days),
                "progress": terms.target_text(challenge.progress) or "not counted",
                "role": state.role_name(person.role_key, person.title),
                "last_reflection": (reflections[-1].text or "") if reflections else "",
            },
        )

    def _commit(self, session: Session, plan: _Plan, text: str, ai: bool, state: CatalogueState, now: datetime) -> int:
        challenge = repository.get(session, plan.challenge_id, lock=True)
        if challenge is None or challenge.status != C.ACTIVE or challenge.next_checkin_day != plan.day:
            return 0  # another process got there first, or it was paused or stopped meanwhile
        checkin = CheckIn(challenge.id, plan.day, text, terms_of(challenge).target_text(challenge.progress), ai)
        channel, ts = plan.thread
        item = NewDelivery(
            key=checkin_key(challenge.id, plan.day),
            workspace_id=plan.person.workspace_id,
            person_id=plan.person.person_id,
            subject_id=challenge.id,
            user_id=plan.person.slack_user_id,
            channel=channel,
            thread_ts=ts,
            payload=self._messages.checkin(checkin),
            due_at=plan.due,
            expires_at=plan.due + self._catchup,
        )
        made = outbox.enqueue(session, [item], now=now)
        challenge.unanswered += made
        plan_next(
            challenge, zone(plan.person.tz, self._default_tz), state.holidays, after=plan.due, from_day=plan.day + 1
        )
        challenge.updated_at = now
        return made

    # -- proposals -------------------------------------------------------------------------------------------
    def _proposals(self, state: CatalogueState, now: datetime) -> int:
        """Two working days without an answer: one reminder; a working day after it: expired, proposer told."""
        made = 0
        with transaction(self._sessions) as session:
            for challenge, person in repository.waiting_past(session, before=now, limit=BATCH):
                proposer = proposer_of(session, challenge)
                waiting_on = person if challenge.status == C.PROPOSED else proposer
                if not challenge.reminded and waiting_on is not None:
                    challenge.reminded = True
                    challenge.answer_due_at = working_time(
                        now + timedelta(days=1), zone(waiting_on.tz, self._default_tz), state.holidays
                    )
                    made += self._remind(session, challenge, person, proposer, waiting_on, state, now)
                    continue
                challenge.move_to(C.EXPIRED, now=now)
                outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="expired")
                if proposer is not None:
                    answer = Answer(challenge.id, person.slack_user_id, challenge.title, "expired")
                    key = DeliveryKey(ANSWER, challenge.id, occasion="expired")
                    made += in_working_hours(
                        session,
                        proposer,
                        key,
                        self._messages.answer(answer),
                        now=now,
                        holidays=state.holidays,
                        default_tz=self._default_tz,
                    )
        return made

    def _remind(
        self,
        session: Session,
        challenge: Challenge,
        person: PersonRef,
        proposer: PersonRef | None,
        waiting_on: PersonRef,
        state: CatalogueState,
        now: datetime,
    ) -> int:
        if waiting_on is person:
            invitation = Invitation(
                challenge.id,
                proposer.slack_user_id if proposer else None,
                terms_of(challenge),
                challenge.start_date,
                (),
                "",
                None,
                reminder=True,
            )
            payload = self._messages.invitation(invitation)
            key = invitation_key(challenge.id, "reminder")
        else:
            answer = Answer(challenge.id, person.slack_user_id, challenge.title, "change", "a change (reminder)")
            payload = self._messages.answer(answer)
            key = DeliveryKey(ANSWER, challenge.id, occasion="change:reminder")
        return in_working_hours(
            session, waiting_on, key, payload, now=now, holidays=state.holidays, default_tz=self._default_tz
        )
