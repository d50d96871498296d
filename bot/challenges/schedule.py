"""Materialising challenges: check-ins as replies in each challenge's thread (the card refreshed with each),
the last day's close, "did it stick?" a week later, and unanswered proposals reminded once and then expired.

Each message is keyed by (challenge, what), so however many processes tick, and however often, it is sent
at most once. A check-in's question is written (model or template) a little ahead of time, outside any
transaction. Unanswered check-ins back off: after ASK_AFTER in a row the next one offers to pause; after
PAUSE_AFTER the challenge pauses itself instead, with a Resume button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.course import pause
from bot.challenges.models import Challenge, ChallengeStatus
from bot.challenges.planning import (
    ANSWER,
    ASK_AFTER,
    CHECKIN,
    CLOSE,
    INVITATION,
    PAUSE_AFTER,
    STICK,
    checkin_key,
    invitation_key,
    is_close,
    plan_next,
    question_for,
    stick_instant,
    terms_of,
)
from bot.challenges.types import Answer, ChallengeMessages, CheckIn, Closing, Invitation, Paused, StickQuestion
from bot.challenges.views import REACH, card_at, card_edit, card_of, in_thread, in_working_hours, proposer_of
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
    what: str  # CHECKIN, CLOSE, STICK, or PAUSE (unanswered check-ins: pause instead)
    day: int | None
    due: datetime
    thread: tuple[str, str] | None
    variables: dict[str, str] | None = None  # a check-in's question, for the model


PAUSE = "pause"


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
                text, ai = "", False
                if plan.variables is not None:
                    written = self._writer.write(
                        WriteRequest(
                            prompt="challenge_checkin",
                            variables=plan.variables,
                            workspace_id=plan.person.workspace_id,
                            deadline=budget.deadline(WRITE_DEADLINE),
                        )
                    )
                    text, ai = written.text, written.ai
                with transaction(self._sessions) as session:
                    made += self._commit(session, plan, text, ai, state, now)
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
        """What is next: a check-in (those whose time passed while the bot was down are skipped, never sent
        late), the close (never skipped), or "did it stick?". None while the thread's card is not posted."""
        tz = zone(person.tz, self._default_tz)
        if challenge.status == C.FINISHED:
            due = challenge.next_checkin_at or now
            return _Plan(challenge.id, person, STICK, None, due, None)
        while (
            challenge.next_checkin_at is not None
            and challenge.next_checkin_at < now - self._catchup
            and not is_close(challenge)
        ):
            plan_next(
                challenge, tz, state.holidays, after=now - self._catchup, from_day=(challenge.next_checkin_day or 0) + 1
            )
        thread = card_at(session, challenge.id)
        if challenge.next_checkin_at is None or challenge.next_checkin_day is None or thread is None:
            return None
        day, due = challenge.next_checkin_day, challenge.next_checkin_at
        if is_close(challenge):
            return _Plan(challenge.id, person, CLOSE, day, due, thread)
        if challenge.unanswered >= PAUSE_AFTER:
            return _Plan(challenge.id, person, PAUSE, day, due, thread)
        terms = terms_of(challenge)
        reflections = repository.entries(session, challenge.id, person.person_id, ["reflection"])
        return _Plan(
            challenge_id=challenge.id,
            person=person,
            what=CHECKIN,
            day=day,
            due=due,
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
        expected = C.FINISHED if plan.what == STICK else C.ACTIVE
        if challenge is None or challenge.status != expected or challenge.next_checkin_at != plan.due:
            return 0  # another process got there first, or it was paused or stopped meanwhile
        person, tz = plan.person, zone(plan.person.tz, self._default_tz)
        challenge.updated_at = now
        if plan.what == STICK:
            challenge.next_checkin_at = None
            skill = state.skills.get(challenge.skill_key)
            question = StickQuestion(challenge.id, challenge.title, skill.name if skill else challenge.skill_key)
            item = NewDelivery.to_person(
                person,
                key=DeliveryKey(STICK, challenge.id),
                payload=self._messages.stick(question),
                due_at=plan.due,
                expires_at=plan.due + timedelta(days=3),
            )
            return outbox.enqueue(session, [item], now=now)
        assert plan.thread is not None and plan.day is not None
        progress = terms_of(challenge).target_text(challenge.progress)
        if plan.what == CLOSE:
            key, payload = (
                DeliveryKey(CLOSE, challenge.id),
                self._messages.closing(Closing(challenge.id, challenge.title, progress)),
            )
            challenge.move_to(C.FINISHED, now=now)
            challenge.next_checkin_day, challenge.next_checkin_at = None, stick_instant(challenge, tz, state.holidays)
        elif plan.what == PAUSE:
            key = DeliveryKey(CHECKIN, challenge.id, occasion=f"{PAUSE}:{plan.day}")
            payload = self._messages.paused(Paused(challenge.id, challenge.title, challenge.unanswered))
            pause(challenge, person, now=now, default_tz=self._default_tz)
        else:
            ask = challenge.unanswered == ASK_AFTER
            key = checkin_key(challenge.id, plan.day)
            payload = self._messages.checkin(CheckIn(challenge.id, plan.day, text, progress, ai, ask_pause=ask))
            plan_next(challenge, tz, state.holidays, after=plan.due, from_day=plan.day + 1)
        # the close is late rather than lost: it waits as long as the card does
        expires = plan.due + (REACH if plan.what == CLOSE else self._catchup)
        made = outbox.enqueue(
            session,
            [in_thread(person, plan.thread, key=key, payload=payload, due_at=plan.due, expires_at=expires)],
            now=now,
        )
        if plan.what == CHECKIN:
            challenge.unanswered += made
        card = card_of(session, challenge, person, now=plan.due, default_tz=self._default_tz)
        edit = self._messages.card(card)
        card_edit(session, challenge, person, edit, occasion=f"{plan.what}:{plan.day}", due=plan.due, now=now)
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
