"""Living a challenge: logging progress, writing reflections (buttons, or a reply in the thread), and the
card at the top of the thread that says how it is going. Only the participant can do any of it."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.models import LIVE, Challenge, ChallengeEntry, ChallengeStatus, EntryKind
from bot.challenges.planning import CHECKIN, checkin_day, plan_next
from bot.challenges.types import Card, Logged
from bot.challenges.views import card_at, card_of, owned
from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.localtime import zone
from bot.outbox import service as outbox
from bot.people.types import PersonRef

C = ChallengeStatus
NOTE_MAX = 2000


class ChallengeThread:
    def __init__(
        self, *, sessions: sessionmaker[Session], clock: Clock, catalogue: Catalogue, default_timezone: str
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._catalogue = catalogue
        self._default_tz = default_timezone

    def card(self, person: PersonRef, challenge_id: int) -> Card:
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            return card_of(session, challenge, person, now=self._clock.now(), default_tz=self._default_tz)

    def mine(self, person: PersonRef) -> list[Card]:
        """The person's challenges going on now, newest first."""
        now = self._clock.now()
        with self._sessions() as session:
            return [
                card_of(session, challenge, person, now=now, default_tz=self._default_tz)
                for challenge in repository.of_person(session, person.person_id, LIVE)
            ]

    def log_progress(self, person: PersonRef, challenge_id: int, *, count: int, note: str) -> Logged:
        if not 1 <= count <= 20:
            raise BadInput("Log between 1 and 20 at a time.", field="count")
        return self._write(person, challenge_id, EntryKind.PROGRESS, note, count=count)

    def reflect(self, person: PersonRef, challenge_id: int, text: str) -> Logged:
        if not text.strip():
            raise BadInput("Write a line or two: what did you notice or learn?", field="text")
        return self._write(person, challenge_id, EntryKind.REFLECTION, text)

    def reply_in_thread(self, person: PersonRef, channel: str, thread_ts: str, text: str) -> Logged | None:
        """A reply in a challenge's thread is a private reflection (and answers the last check-in); None when
        the thread is not one of the person's challenges."""
        with self._sessions() as session:
            found = next(
                (
                    challenge
                    for challenge in repository.of_person(session, person.person_id, (*LIVE, C.FINISHED.value))
                    if card_at(session, challenge.id) == (channel, thread_ts)
                ),
                None,
            )
        if found is None or not text.strip():
            return None
        return self._write(person, found.id, EntryKind.REFLECTION, text)

    def resume(self, person: PersonRef, challenge_id: int) -> Card:
        now = self._clock.now()
        state = self._catalogue.current()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.move_to(C.ACTIVE, now=now):
                plan_next(challenge, zone(person.tz, self._default_tz), state.holidays, after=now)
            return card_of(session, challenge, person, now=now, default_tz=self._default_tz)

    # -- inside ----------------------------------------------------------------------------------------------
    def _write(self, person: PersonRef, challenge_id: int, kind: EntryKind, text: str, *, count: int = 0) -> Logged:
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status not in (*LIVE, C.FINISHED.value):
                raise BadInput("That challenge isn't running.")
            repository.add_entry(
                session,
                ChallengeEntry(
                    challenge_id=challenge.id,
                    person_id=person.person_id,
                    kind=kind.value,
                    count=count,
                    text=text.strip()[:NOTE_MAX] or None,
                    checkin_day=_last_checkin(session, challenge),
                    created_at=now,
                ),
            )
            challenge.progress += count
            challenge.unanswered, challenge.updated_at = 0, now
            card = card_of(session, challenge, person, now=now, default_tz=self._default_tz)
            return Logged(card=card, line=_line(kind, card), card_at=card_at(session, challenge.id))


def _last_checkin(session: Session, challenge: Challenge) -> int | None:
    """The day of the last check-in sent, which a reply or a log answers."""
    days = [day for key in outbox.keys_of(session, CHECKIN, challenge.id) if (day := checkin_day(key)) is not None]
    return max(days) if days else None


def _line(kind: EntryKind, card: Card) -> str:
    if kind is EntryKind.PROGRESS:
        progress = card.progress_text
        return f"Logged. {progress.capitalize()}." if progress else "Logged."
    return "Saved as a private reflection: only you can see it."
