"""The end of a challenge: two ratings (now, and "thinking back, where were you before?"), a summary of what
they learned drafted from their own reflections only (theirs to edit; `sharing` shares it, or nothing is),
the proposer's rating if the person allowed it, and a week later "did it stick?" with something to do next.

The draft is owed from the moment the ratings are recorded (`summary_due_at`, before the window closes):
drafted at once after it, or by the tick if the process that took the ratings died first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeContext, ChallengeService
from bot.challenges.end_types import FollowOn, ObserveAsk, Summary
from bot.challenges.models import Challenge
from bot.challenges.planning import observe_key, summary_key, terms_of
from bot.challenges.proposal_types import BaselineForm
from bot.challenges.sharing import BLANK, SUMMARY_MAX, ChallengeSharing, checked, ended
from bot.challenges.types import ChallengeStatus, EntryKind
from bot.challenges.views import REACH, card_at, in_thread, in_working_hours, owned, proposed, proposer_of
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.llm.types import Writer, WriteRequest
from bot.measurement import service as measurement
from bot.measurement.types import Moment, Rater
from bot.outbox import service as outbox
from bot.people import service as people
from bot.people.types import PersonRef

C = ChallengeStatus
SUMMARY_DEADLINE = 15.0  # seconds, after the window closed: the draft arrives in the thread
UNFINISHED = timedelta(minutes=1)  # a draft still owed after this long was left by a process that died
STICK_LEVELS = (1, 2, 3, 4, 5)  # "did it stick?": not at all … it's a habit


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


class ChallengeEnding(ChallengeService):
    def __init__(self, context: ChallengeContext, *, writer: Writer, sharing: ChallengeSharing) -> None:
        super().__init__(context)
        self._writer = writer
        self._sharing = sharing

    def rating_form(self, person: PersonRef, challenge_id: int) -> BaselineForm:
        """The closing window: the same rubric as the baseline."""
        state = self._catalogue.current()
        with self._sessions() as session:
            challenge = ended(owned(session, person, challenge_id))
            skill = state.skills.get(challenge.skill_key)
            return BaselineForm(
                challenge.id,
                challenge.title,
                state.skill_name(challenge.skill_key),
                dict(skill.rubric) if skill else {},
                None,
            )

    def rate(self, person: PersonRef, challenge_id: int, *, after: int | None, before: int | None) -> None:
        """Both ratings, before the window closes (a missing one is refused under its field), and the draft
        owed. The proposer is asked for theirs only if the person allowed them to see ratings."""
        if after is None:
            raise BadInput("Pick the level that describes you now.", field="after")
        if before is None:
            raise BadInput("Pick where you were before the challenge, thinking back.", field="before")
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = ended(owned(session, person, challenge_id, lock=True))
            for moment, value in ((Moment.AFTER, after), (Moment.RETROSPECTIVE, before)):
                rate(session, challenge, rater=Rater.SELF, moment=moment, value=value, now=now)
            if not challenge.summary_edited:
                challenge.summary_due_at = now
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
                payload = self._messages.observe(ask)
                holidays, tz = state.holidays, self._default_tz
                in_working_hours(
                    session, proposer, observe_key(challenge.id), payload, now=now, holidays=holidays, default_tz=tz
                )

    def draft(self, person: PersonRef, challenge_id: int) -> Summary:
        """The draft owed after the ratings, written now from their reflections (and nothing else of theirs)
        by the model, or laid out by the template for them to fill in, and shown in their thread."""
        with self._sessions() as session:
            challenge = ended(owned(session, person, challenge_id))
            due = challenge.summary_due_at is not None
            reflections = repository.entries(session, challenge.id, person.person_id, [EntryKind.REFLECTION])
            terms = terms_of(challenge)
        written = None
        if due:
            lines = "\n".join(f"- {entry.text}" for entry in reflections if entry.text) or "- (none written)"
            variables = {"challenge_title": terms.title, "goal": terms.brief, "reflections": lines, "blank": BLANK}
            request = WriteRequest(
                prompt="reflection_summary",
                variables=variables,
                workspace_id=person.workspace_id,
                deadline=SUMMARY_DEADLINE,
                author_id=person.person_id,
            )
            written = self._writer.write(request)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.summary_due_at is None:  # drafted meanwhile, or edited: their words win
                return self._sharing.summary_of(session, challenge)
            if written is not None and not challenge.summary_edited:
                challenge.summary, challenge.summary_ai = written.text[:SUMMARY_MAX], written.ai
            challenge.summary_due_at = None
            summary = self._sharing.summary_of(session, challenge)
            thread = card_at(session, challenge.id)
            if thread is not None:
                payload = self._messages.summary(summary)
                key = summary_key(challenge.id)
                item = in_thread(person, thread, key=key, payload=payload, due_at=now, expires_at=now + REACH)
                outbox.enqueue(session, [item], now=now)
            return summary

    def unfinished(self, now: datetime) -> int:
        """The tick's chore: drafts owed for a while (the process that took the ratings died) are made now."""
        with self._sessions() as session:
            owed = [
                (challenge.id, ref)
                for challenge in repository.summaries_due(session, before=now - UNFINISHED)
                if (ref := people.person(session, challenge.person_id)) is not None
            ]
        for challenge_id, person in owed:
            self.draft(person, challenge_id)
        return len(owed)

    def edit(self, person: PersonRef, challenge_id: int, text: str) -> Summary:
        text = checked(text)
        with transaction(self._sessions) as session:
            challenge = ended(owned(session, person, challenge_id, lock=True))
            challenge.summary, challenge.summary_edited, challenge.updated_at = text, True, self._clock.now()
            challenge.summary_ai = False
            challenge.summary_due_at = None
            return self._sharing.summary_of(session, challenge)

    def observe(self, proposer: PersonRef, challenge_id: int, value: int) -> int:
        """The proposer's rating of what they observed: only theirs to give, and only when they were allowed."""
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge, _ = proposed(session, proposer, challenge_id)
            if challenge.status is not C.FINISHED or not challenge.share_ratings:
                raise BadInput("That rating isn't asked for.")
            rate(session, challenge, rater=Rater.PROPOSER, moment=Moment.AFTER, value=value, now=now)
            return value

    def did_it_stick(self, person: PersonRef, challenge_id: int, value: int) -> FollowOn:
        """A week on, "did it stick?" (1-5); then a next challenge on the same skill they have not done, and a
        technique of the skill to practise daily."""
        if value not in STICK_LEVELS:
            raise BadInput("Pick how often you still do it.")
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = ended(owned(session, person, challenge_id, lock=True))
            rate(session, challenge, rater=Rater.SELF, moment=Moment.DID_IT_STICK, value=value, now=now)
            done = {c.title for c in repository.of_person(session, person.person_id, list(C))}
        nexts = [t for t in state.challenges.values() if t.skill == challenge.skill_key and t.title not in done]
        technique = next((t for t in state.techniques.values() if t.skill == challenge.skill_key), None)
        return FollowOn(
            challenge.id,
            nexts[0].key if nexts else None,
            nexts[0].title if nexts else "",
            technique.key if technique else None,
            technique.title if technique else "",
        )
