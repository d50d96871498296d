"""Materialising challenges: check-ins as replies in each challenge's thread (the card refreshed with each),
the last day's close and "did it stick?" a week later; proposals waiting for an answer are `waiting`'s.

Each message is keyed by (challenge, what), so however many processes tick, and however often, it is sent
at most once. A check-in's question is written (model or template) a little ahead of time, outside any
transaction. Unanswered check-ins back off: after ASK_AFTER in a row the next one offers to pause; after
PAUSE_AFTER the challenge pauses itself instead, with a Resume button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeContext, ChallengeService
from bot.challenges.course import pause
from bot.challenges.end_types import Closing, StickQuestion
from bot.challenges.models import Challenge
from bot.challenges.planning import (
    ASK_AFTER,
    CHECKIN,
    PAUSE_AFTER,
    checkin_key,
    close_key,
    last_day,
    pause_key,
    plan_next,
    question_for,
    stick_instant,
    stick_key,
    terms_of,
)
from bot.challenges.types import ChallengeStatus, CheckIn, EntryKind, NextStep, Paused
from bot.challenges.views import REACH, card_at, card_edit, card_of, in_thread
from bot.challenges.waiting import ProposalsWaiting
from bot.content.types import CatalogueState
from bot.db.engine import transaction
from bot.llm.types import Budget, Writer, WriteRequest
from bot.localtime import local_date, zone
from bot.outbox import service as outbox
from bot.outbox.lateness import goes_at
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
    step: NextStep
    pause: bool  # a check-in's turn, when unanswered check-ins pause the challenge instead
    day: int | None
    due: datetime
    thread: tuple[str, str] | None
    variables: dict[str, str] | None = None  # a check-in's question, for the model


class ChallengeMaterialiser(ChallengeService):
    name = CHECKIN

    def __init__(self, context: ChallengeContext, *, writer: Writer, catchup: timedelta) -> None:
        super().__init__(context)
        self._writer = writer
        self._catchup = catchup
        self._waiting = ProposalsWaiting(messages=context.messages, default_timezone=context.default_timezone)

    def materialise(self, now: datetime) -> int:
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            made = self._waiting.remind_or_expire(session, state, now=now, limit=BATCH)
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
                            author_id=plan.person.person_id,  # it quotes their last reflection
                        )
                    )
                    text, ai = written.text, written.ai
                with transaction(self._sessions) as session:
                    made += self._commit(session, plan, text, ai, state, now)
            if len(due) < BATCH or not plans or monotonic() - started > TICK_SECONDS:
                return made

    def next_due(self, after: datetime) -> datetime | None:
        with self._sessions() as session:
            checkin, other = repository.earliest(session)
        found = [at for at in (checkin - LOOKAHEAD if checkin else None, other) if at is not None]
        return max(min(found), after + timedelta(minutes=1)) if found else None

    # -- check-ins -------------------------------------------------------------------------------------------
    def _plan(
        self, session: Session, challenge: Challenge, person: PersonRef, state: CatalogueState, now: datetime
    ) -> _Plan | None:
        """What is next: a check-in (those whose time passed while the bot was down are skipped, never sent
        late), the close (never skipped), or "did it stick?". None while the thread's card is not posted."""
        tz = zone(person.tz, self._default_tz)
        while (
            challenge.next_step is NextStep.CHECKIN
            and challenge.next_at is not None
            and challenge.next_at < now - self._catchup
        ):
            plan_next(challenge, tz, state.holidays, after=now - self._catchup, from_day=(challenge.next_day or 0) + 1)
        step, due = challenge.next_step, challenge.next_at
        if step is None or due is None or (step is not NextStep.CHECKIN and due > now):
            return None  # only a check-in is made ahead (its question is written first); the close ends it when due
        if step is NextStep.STICK:
            return _Plan(challenge.id, person, step, False, None, due, None)
        thread = card_at(session, challenge.id)
        if thread is None:
            return None
        if step is NextStep.CLOSE:
            return _Plan(challenge.id, person, step, False, None, due, thread)
        day = challenge.next_day or 0
        if challenge.unanswered >= PAUSE_AFTER:
            return _Plan(challenge.id, person, step, True, day, due, thread)
        terms = terms_of(challenge)
        reflections = repository.entries(session, challenge.id, person.person_id, [EntryKind.REFLECTION])
        return _Plan(
            challenge_id=challenge.id,
            person=person,
            step=step,
            pause=False,
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
        expected = ChallengeStatus.FINISHED if plan.step is NextStep.STICK else ChallengeStatus.ACTIVE
        if challenge is None or challenge.status != expected or challenge.next_at != plan.due:
            return 0  # another process got there first, or it was paused or stopped meanwhile
        challenge.updated_at = now
        if plan.step is NextStep.STICK:
            return self._stick(session, challenge, plan, state, now)
        person, tz = plan.person, zone(plan.person.tz, self._default_tz)
        assert plan.thread is not None
        progress = terms_of(challenge).target_text(challenge.progress)
        if plan.step is NextStep.CLOSE:
            key = close_key(challenge.id)
            arrives = local_date(goes_at(plan.due, now, tz, state.holidays), tz)  # what "today" is when it lands
            payload = self._messages.closing(
                Closing(challenge.id, challenge.title, progress, last_day(challenge), arrives)
            )
            challenge.move_to(ChallengeStatus.FINISHED, now=now)
            challenge.plan(NextStep.STICK, stick_instant(challenge, tz, state.holidays))
        elif plan.pause:
            assert plan.day is not None
            key = pause_key(challenge.id, plan.day)
            payload = self._messages.paused(Paused(challenge.id, challenge.title, challenge.unanswered))
            pause(challenge, person, now=now, default_tz=self._default_tz)
        else:
            assert plan.day is not None
            ask = challenge.unanswered == ASK_AFTER
            key = checkin_key(challenge.id, plan.day)
            checkin = CheckIn(
                challenge.id, plan.day, text, progress, ai, ask_pause=ask, unanswered=challenge.unanswered
            )
            payload = self._messages.checkin(checkin)
            plan_next(challenge, tz, state.holidays, after=plan.due, from_day=plan.day + 1)
        # the close is late rather than lost: however late, it has as long as the card from when it can go
        goes = goes_at(plan.due, now, tz, state.holidays)
        expires = goes + REACH if plan.step is NextStep.CLOSE else plan.due + self._catchup
        made = outbox.enqueue(
            session,
            [in_thread(person, plan.thread, key=key, payload=payload, due_at=plan.due, expires_at=expires)],
            now=now,
        )
        if made and plan.step is NextStep.CHECKIN and not plan.pause:
            challenge.asked()
        card = card_of(session, challenge, person, now=plan.due, default_tz=self._default_tz)
        occasion = f"{plan.step}:{plan.day}" if plan.day is not None else plan.step.value
        card_edit(session, challenge, person, self._messages.card(card), occasion=occasion, due=plan.due, now=now)
        return made

    def _stick(self, session: Session, challenge: Challenge, plan: _Plan, state: CatalogueState, now: datetime) -> int:
        """A week after the end: "did it stick?", once."""
        challenge.plan(None)
        question = StickQuestion(challenge.id, challenge.title, state.skill_name(challenge.skill_key))
        item = NewDelivery.to_person(
            plan.person,
            key=stick_key(challenge.id),
            payload=self._messages.stick(question),
            due_at=plan.due,
            expires_at=plan.due + timedelta(days=3),
        )
        return outbox.enqueue(session, [item], now=now)
