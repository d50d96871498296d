"""Living a challenge: logging progress, writing reflections (buttons, or a reply in the thread), being
stuck, snoozing a check-in, and the card at the top of the thread that says how it is going. Only the
participant can do any of it; each of these answers the last check-in (the unanswered count starts again)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeContext, ChallengeService
from bot.challenges.models import LIVE, STARTED, Challenge, ChallengeEntry
from bot.challenges.planning import CHECKIN, checkin_day, question_for, snooze_key, terms_of
from bot.challenges.types import Card, ChallengeStatus, CheckIn, Done, Entry, EntryKind, Logged, Reflections, Stuck
from bot.challenges.views import card_at, card_of, current, in_thread, owned, template_of
from bot.content.challenge_limits import check_count
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.library.service import LibraryService
from bot.llm.types import Writer, WriteRequest, Written
from bot.localtime import local_date, working_time, zone
from bot.outbox import service as outbox
from bot.people.types import PersonRef

C = ChallengeStatus
NOTE_MAX = 2000
DONE = {EntryKind.PROGRESS: Done.LOGGED, EntryKind.REFLECTION: Done.REFLECTED, EntryKind.STUCK: Done.STUCK}
TIP_DEADLINE = 8.0  # seconds: they are waiting for it in Slack
SAME_PRESS = timedelta(minutes=5)  # the same words filed again this soon are a second press of the same answer


class ChallengeThread(ChallengeService):
    def __init__(self, context: ChallengeContext, *, library: LibraryService, writer: Writer) -> None:
        super().__init__(context)
        self._library = library
        self._writer = writer

    def card(self, person: PersonRef, challenge_id: int) -> Card:
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            return card_of(session, challenge, person, now=self._clock.now(), default_tz=self._default_tz)

    def reflection_question(self, person: PersonRef, challenge_id: int) -> tuple[Card, str]:
        """The card, and what to ask in the reflection window: the template's questions in turn, one for each
        reflection written so far (a general question when the template has none)."""
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            card = card_of(session, challenge, person, now=self._clock.now(), default_tz=self._default_tz)
            template = template_of(session, self._catalogue.current(), challenge)
            written = len(repository.entries(session, challenge.id, person.person_id, [EntryKind.REFLECTION]))
        questions = template.reflection if template is not None else ()
        return card, questions[written % len(questions)] if questions else "What did you notice or learn?"

    def reflections(self, person: PersonRef, challenge_id: int) -> Reflections:
        """What the person has written in their challenge so far (at any time, not only at its end)."""
        tz = zone(person.tz, self._default_tz)
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            found = repository.entries(session, challenge.id, person.person_id, [EntryKind.REFLECTION])
            entries = tuple(Entry(local_date(e.created_at, tz), e.text) for e in found if e.text)
            return Reflections(challenge.id, challenge.title, entries)

    def mine(self, person: PersonRef) -> list[Card]:
        """The person's challenges going on now, newest first."""
        now = self._clock.now()
        with self._sessions() as session:
            return [
                card_of(session, challenge, person, now=now, default_tz=self._default_tz)
                for challenge in repository.of_person(session, person.person_id, LIVE)
            ]

    def log_progress(self, person: PersonRef, challenge_id: int, *, count: int, note: str) -> Logged:
        return self._write(person, challenge_id, EntryKind.PROGRESS, note, count=check_count(count))

    def reflect(self, person: PersonRef, challenge_id: int, text: str) -> Logged:
        if not text.strip():
            raise BadInput("Write a line or two: what did you notice or learn?", field="text")
        return self._write(person, challenge_id, EntryKind.REFLECTION, text)

    def from_dm(self, person: PersonRef, challenge_id: int, text: str, *, progress: bool) -> Logged:
        """A message written in the DM, filed where the person said (a reflection, or one more step logged with
        it as the note): once, however often its answer is pressed."""
        if not text.strip():
            raise BadInput("There was nothing written to save.")
        kind = EntryKind.PROGRESS if progress else EntryKind.REFLECTION
        return self._write(person, challenge_id, kind, text, count=1 if progress else 0, once=True)

    def reply_in_thread(self, person: PersonRef, channel: str, thread_ts: str, text: str) -> Logged | None:
        """A reply in a challenge's thread is a private reflection (and answers the last check-in); None when
        the thread is not one of the person's challenges."""
        with self._sessions() as session:
            found = next(
                (
                    challenge
                    for challenge in repository.of_person(session, person.person_id, STARTED)
                    if card_at(session, challenge.id) == (channel, thread_ts)
                ),
                None,
            )
        if found is None or not text.strip():
            return None
        return self._write(person, found.id, EntryKind.REFLECTION, text)

    def stuck(self, person: PersonRef, challenge_id: int) -> Stuck:
        """Not yet, or stuck: noted (it answers the check-in), with the skill's best resources from the library
        (searched as a moment of need, so reports see where people get stuck)."""
        logged = self._write(person, challenge_id, EntryKind.STUCK, "")
        skill = self._catalogue.current().skills.get(logged.card.terms.skill_key)
        topic = f"{skill.name if skill else ''} {logged.card.terms.title}"
        results = self._library.search(person, topic)
        return Stuck(logged.card, tuple(results.resources))

    def tip(self, person: PersonRef, challenge_id: int) -> Written:
        """A short, concrete next step from the model, from the challenge and the person's progress only."""
        state = self._catalogue.current()
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            terms = terms_of(challenge)
            progress = terms.target_text(challenge.progress) or "not counted"
        return self._writer.write(
            WriteRequest(
                prompt="challenge_tip",
                variables={
                    "challenge_title": terms.title,
                    "goal": terms.brief,
                    "progress": progress,
                    "role": state.role_name(person.role_key, person.title),
                },
                workspace_id=person.workspace_id,
                deadline=TIP_DEADLINE,
            )
        )

    def snooze(self, person: PersonRef, challenge_id: int, day: int) -> bool:
        """Ask this check-in again on the next working day at the same time (once per check-in): False when it
        was snoozed already."""
        now = self._clock.now()
        state = self._catalogue.current()
        tz = zone(person.tz, self._default_tz)
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            thread = card_at(session, challenge.id)
            if challenge.status is not C.ACTIVE or thread is None or not question_for(challenge, day):
                raise BadInput("That challenge isn't running.")
            challenge.answered(now)
            progress = terms_of(challenge).target_text(challenge.progress)
            again = CheckIn(challenge.id, day, question_for(challenge, day), progress)
            due = working_time(now + timedelta(days=1), tz, state.holidays)
            item = in_thread(
                person,
                thread,
                key=snooze_key(challenge.id, day),
                payload=self._messages.checkin(again),
                due_at=due,
                expires_at=due + timedelta(hours=8),
            )
            return outbox.enqueue(session, [item], now=now) > 0

    def keep_going(self, person: PersonRef, challenge_id: int) -> None:
        """Asked whether a pause would help: no, keep the check-ins coming (the count starts again)."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            owned(session, person, challenge_id, lock=True).answered(now)

    # -- inside ----------------------------------------------------------------------------------------------
    def _write(
        self, person: PersonRef, challenge_id: int, kind: EntryKind, text: str, *, count: int = 0, once: bool = False
    ) -> Logged:
        """Add an entry (`once`: unless the same words were just filed the same way, by the same press)."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status not in STARTED:
                raise BadInput("That challenge isn't running.")
            text = text.strip()[:NOTE_MAX]
            since = now - SAME_PRESS
            if once and repository.entry_since(session, challenge.id, person.person_id, kind, text, since=since):
                return current(session, challenge, person, DONE[kind], now=now, default_tz=self._default_tz)
            repository.add_entry(
                session,
                ChallengeEntry(
                    challenge_id=challenge.id,
                    person_id=person.person_id,
                    kind=kind,
                    count=count,
                    text=text or None,
                    checkin_day=_last_checkin(session, challenge),
                    created_at=now,
                ),
            )
            challenge.progress += count
            challenge.answered(now)
            return current(session, challenge, person, DONE[kind], now=now, default_tz=self._default_tz)


def _last_checkin(session: Session, challenge: Challenge) -> int | None:
    """The day of the last check-in sent, which a reply or a log answers."""
    days = [day for key in outbox.keys_of(session, CHECKIN, challenge.id) if (day := checkin_day(key)) is not None]
    return max(days) if days else None
