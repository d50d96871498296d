"""The end of a challenge: two ratings (now, and "thinking back, where were you before?"), a summary of what
they learned drafted from their own reflections only, theirs to edit and to share with peers or not at all,
the proposer's rating if the person allowed it, and a week later "did it stick?" with something to do next."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.models import Challenge, ChallengeStatus, EntryKind
from bot.challenges.planning import OBSERVE, SHARE, terms_of
from bot.challenges.types import (
    BaselineForm,
    ChallengeMessages,
    FollowOn,
    ObserveAsk,
    Shared,
    Summary,
)
from bot.challenges.views import (
    card_at,
    card_of,
    in_thread,
    in_working_hours,
    owned,
    proposed,
    proposer_of,
    template_of,
)
from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.llm.types import Writer, WriteRequest
from bot.measurement import service as measurement
from bot.measurement.types import Moment, Rater
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Undeliverable
from bot.people import service as people
from bot.people.types import PersonRef

C = ChallengeStatus
SUMMARY_MAX = 2500
SHARE_REACH = timedelta(days=2)
SUMMARY_DEADLINE = 15.0  # seconds, after the window closed: the draft arrives in the thread
PEERS, PROPOSER, COHORT, ELSEWHERE = "peers", "proposer", "cohort", "elsewhere"
STICK_LEVELS = {1: "Not at all", 2: "Once or twice", 3: "Now and then", 4: "Most weeks", 5: "It's a habit"}


def source(challenge_id: int) -> str:
    return f"challenge:{challenge_id}"


def rate(session: Session, challenge: Challenge, *, rater: Rater, moment: Moment, value: int, now: datetime) -> None:
    """A rating of the challenge's person on its skill, belonging to the challenge, in the caller's transaction."""
    measurement.record(
        session,
        workspace_id=challenge.workspace_id,
        person_id=challenge.person_id,
        skill_key=challenge.skill_key,
        rater=rater,
        moment=moment,
        value=value,
        source=source(challenge.id),
        now=now,
    )


class ChallengeEnding:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        catalogue: Catalogue,
        writer: Writer,
        messages: ChallengeMessages,
        default_timezone: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._catalogue = catalogue
        self._writer = writer
        self._messages = messages
        self._default_tz = default_timezone

    def rating_form(self, person: PersonRef, challenge_id: int) -> BaselineForm:
        """The closing window: the same rubric as the baseline."""
        state = self._catalogue.current()
        with self._sessions() as session:
            challenge = _ended(owned(session, person, challenge_id))
            skill = state.skills.get(challenge.skill_key)
            return BaselineForm(
                challenge.id,
                challenge.title,
                state.skill_name(challenge.skill_key),
                dict(skill.rubric) if skill else {},
                None,
            )

    def rate(self, person: PersonRef, challenge_id: int, *, after: int | None, before: int | None) -> None:
        """Both ratings, before the window closes (a missing one is refused under its field). The proposer is
        asked for theirs only if the person allowed them to see ratings."""
        if after is None:
            raise BadInput("Pick the level that describes you now.", field="after")
        if before is None:
            raise BadInput("Pick where you were before the challenge, thinking back.", field="before")
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = _ended(owned(session, person, challenge_id, lock=True))
            for moment, value in ((Moment.AFTER, after), (Moment.RETROSPECTIVE, before)):
                rate(session, challenge, rater=Rater.SELF, moment=moment, value=value, now=now)
            proposer = proposer_of(session, challenge)
            if challenge.share_ratings and proposer is not None and proposer.person_id != person.person_id:
                ratings = measurement.of_source(session, person.person_id, source(challenge.id))
                skill = state.skills.get(challenge.skill_key)
                ask = ObserveAsk(
                    challenge.id,
                    person.slack_user_id,
                    challenge.title,
                    state.skill_name(challenge.skill_key),
                    dict(skill.rubric) if skill else {},
                    ratings.get((Rater.SELF, Moment.BASELINE)),
                    after,
                    before,
                )
                key = DeliveryKey(OBSERVE, challenge.id)
                in_working_hours(
                    session,
                    proposer,
                    key,
                    self._messages.observe(ask),
                    now=now,
                    holidays=state.holidays,
                    default_tz=self._default_tz,
                )

    def draft(self, person: PersonRef, challenge_id: int) -> Summary:
        """The summary to edit: their own words if they edited it, else drafted now from their reflections
        (and nothing else of theirs) by the model, or listed by the template."""
        with self._sessions() as session:
            challenge = _ended(owned(session, person, challenge_id))
            if challenge.summary_edited and challenge.summary:
                return self._summary(session, challenge)
            reflections = repository.entries(session, challenge.id, person.person_id, [EntryKind.REFLECTION.value])
            ratings = measurement.of_source(session, person.person_id, source(challenge.id))
            terms = terms_of(challenge)
        lines = "\n".join(f"- {entry.text}" for entry in reflections if entry.text) or "- (no reflections written)"
        written = self._writer.write(
            WriteRequest(
                prompt="reflection_summary",
                variables={
                    "challenge_title": terms.title,
                    "goal": terms.brief,
                    "reflections": lines,
                    "rating_before": str(ratings.get((Rater.SELF, Moment.RETROSPECTIVE), "?")),
                    "rating_after": str(ratings.get((Rater.SELF, Moment.AFTER), "?")),
                },
                workspace_id=person.workspace_id,
                deadline=SUMMARY_DEADLINE,
            )
        )
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if not challenge.summary_edited:  # an edit made meanwhile wins
                challenge.summary = written.text[:SUMMARY_MAX]
            return self._summary(session, challenge)

    def summary(self, person: PersonRef, challenge_id: int) -> Summary:
        with self._sessions() as session:
            return self._summary(session, _ended(owned(session, person, challenge_id)))

    def edit(self, person: PersonRef, challenge_id: int, text: str) -> Summary:
        text = _checked(text)
        with transaction(self._sessions) as session:
            challenge = _ended(owned(session, person, challenge_id, lock=True))
            challenge.summary, challenge.summary_edited, challenge.updated_at = text, True, self._clock.now()
            return self._summary(session, challenge)

    def share(
        self, person: PersonRef, challenge_id: int, *, text: str, place: str | None, elsewhere: str | None
    ) -> str:
        """Post the (edited) summary under the person's name where they chose; refused under the field when
        the place is not one they were offered."""
        text = _checked(text)
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = _ended(owned(session, person, challenge_id, lock=True))
            places = dict(self._places(session, challenge))
            if place not in places:
                raise BadInput("Pick where to share it.", field="place")
            if place == ELSEWHERE and not elsewhere:
                raise BadInput("Pick the channel or conversation to share it in.", field="elsewhere")
            shared = self._messages.shared(
                Shared(person.slack_user_id, challenge.title, state.skill_name(challenge.skill_key), text)
            )
            if place == PROPOSER:
                proposer = proposer_of(session, challenge)
                assert proposer is not None
                key = DeliveryKey(SHARE, challenge.id, occasion=PROPOSER)
                holidays, tz = state.holidays, self._default_tz
                in_working_hours(session, proposer, key, shared, now=now, holidays=holidays, default_tz=tz)
            elif place == COHORT:
                for other in self._cohort(session, challenge):
                    key = DeliveryKey(SHARE, challenge.id, occasion=f"{COHORT}:{other.person_id}")
                    holidays, tz = state.holidays, self._default_tz
                    in_working_hours(session, other, key, shared, now=now, holidays=holidays, default_tz=tz)
            else:
                channel = str(elsewhere if place == ELSEWHERE else self._peer_channel(session, challenge))
                item = NewDelivery(
                    key=DeliveryKey(SHARE, challenge.id, occasion=channel),
                    workspace_id=person.workspace_id,
                    person_id=person.person_id,
                    subject_id=challenge.id,
                    channel=channel,
                    payload=shared,
                    due_at=now,
                    expires_at=now + SHARE_REACH,
                )
                outbox.enqueue(session, [item], now=now)
            challenge.summary, challenge.summary_edited = text, True
            challenge.shared_to = (elsewhere if place == ELSEWHERE else place) or place
            challenge.shared_at = challenge.updated_at = now
            where = places[place] if place != ELSEWHERE else f"<#{elsewhere}>"
            return f"Shared with {where}, under your name. Thank you for passing it on."

    def observe(self, proposer: PersonRef, challenge_id: int, value: int) -> str:
        """The proposer's rating of what they observed: only theirs to give, and only when they were allowed."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge, _ = proposed(session, proposer, challenge_id)
            if challenge.status != C.FINISHED or not challenge.share_ratings:
                raise BadInput("That rating isn't asked for.")
            rate(session, challenge, rater=Rater.PROPOSER, moment=Moment.AFTER, value=value, now=now)
            return f"Thank you: you rated what you observed at {value} of 5."

    def stuck(self, person: PersonRef, challenge_id: int, value: int) -> FollowOn:
        """A week on, "did it stick?" (1-5); then a next challenge on the same skill they have not done, and a
        technique of the skill to practise daily."""
        if value not in STICK_LEVELS:
            raise BadInput("Pick how often you still do it.")
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = _ended(owned(session, person, challenge_id, lock=True))
            rate(session, challenge, rater=Rater.SELF, moment=Moment.STUCK, value=value, now=now)
            done = {c.title for c in repository.of_person(session, person.person_id, [s.value for s in C])}
        nexts = [t for t in state.challenges.values() if t.skill == challenge.skill_key and t.title not in done]
        technique = next((t for t in state.techniques.values() if t.skill == challenge.skill_key), None)
        return FollowOn(
            challenge.id,
            nexts[0].key if nexts else None,
            nexts[0].title if nexts else "",
            technique.key if technique else None,
            technique.title if technique else "",
        )

    def share_failed(self, session: Session, gone: Undeliverable) -> None:
        """Outbox hook: a shared summary could not be posted (the bot is not in that private channel, or it
        was archived). The person hears it in their thread, with the summary kept to share elsewhere."""
        challenge = repository.get(session, int(gone.subject_id or 0), lock=True)
        person = people.person(session, challenge.person_id) if challenge is not None else None
        thread = card_at(session, challenge.id) if challenge is not None else None
        if challenge is None or person is None or thread is None:
            return
        challenge.shared_at = challenge.shared_to = None
        summary = self._summary(session, challenge)
        payload = self._messages.share_failed(summary, gone.code)
        key = DeliveryKey(SHARE, challenge.id, occasion=f"failed:{gone.at:%Y%m%d%H%M%S}")
        item = in_thread(person, thread, key=key, payload=payload, due_at=gone.at, expires_at=gone.at + SHARE_REACH)
        outbox.enqueue(session, [item], now=gone.at)

    # -- inside ----------------------------------------------------------------------------------------------
    def _summary(self, session: Session, challenge: Challenge) -> Summary:
        person = people.person(session, challenge.person_id)
        now, tz = self._clock.now(), self._default_tz
        card = card_of(session, challenge, person, now=now, default_tz=tz) if person is not None else None
        return Summary(
            challenge.id,
            challenge.title,
            challenge.summary or "",
            self._places(session, challenge),
            challenge.shared_to,
            card_at(session, challenge.id),
            card,
            template.share_prompt if (template := template_of(session, self._catalogue.current(), challenge)) else "",
        )

    def _places(self, session: Session, challenge: Challenge) -> tuple[tuple[str, str], ...]:
        places: list[tuple[str, str]] = []
        channel = self._peer_channel(session, challenge)
        if channel:
            places.append((PEERS, f"<#{channel}>"))
        proposer = proposer_of(session, challenge)
        if proposer is not None and proposer.person_id != challenge.person_id:
            places.append((PROPOSER, f"<@{proposer.slack_user_id}>, who proposed it"))
        if self._cohort(session, challenge):
            places.append((COHORT, "the others in your cohort"))
        places.append((ELSEWHERE, "another channel or conversation"))
        return tuple(places)

    def _peer_channel(self, session: Session, challenge: Challenge) -> str | None:
        found = repository.proposal(session, challenge.proposal_id)
        return found.peer_channel if found is not None else None

    def _cohort(self, session: Session, challenge: Challenge) -> list[PersonRef]:
        """The others who took on the same proposal (who can still be messaged)."""
        return [
            ref
            for other in repository.of_proposal(session, challenge.proposal_id)
            if other.id != challenge.id
            and other.status in (C.ACTIVE, C.PAUSED, C.FINISHED)
            and (ref := people.person(session, other.person_id)) is not None
            and not ref.opted_out
        ]


def _ended(challenge: Challenge) -> Challenge:
    if challenge.status != C.FINISHED:
        raise BadInput("That challenge hasn't ended yet.")
    return challenge


def _checked(text: str) -> str:
    text = text.strip()
    if not text:
        raise BadInput("Write a line or two about what you learned.", field="summary")
    if len(text) > SUMMARY_MAX:
        raise BadInput(f"Keep it under {SUMMARY_MAX} characters.", field="summary")
    return text
