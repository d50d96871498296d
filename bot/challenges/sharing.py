"""Sharing what one learned, never by surprise: the person picks the place, sees exactly what will be posted
and where (a preview), and only then is it posted under their name: to the peer channel, another channel,
the others of their cohort, or the proposer. A summary the bot could not post comes back to their thread."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeService
from bot.challenges.end_types import Place, Preview, Shared, SharedTo, Summary
from bot.challenges.models import STARTED, Challenge
from bot.challenges.planning import share_key
from bot.challenges.types import ChallengeStatus, SharePlace
from bot.challenges.views import card_at, card_of, in_thread, in_working_hours, owned, proposer_of, template_of
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.outbox import service as outbox
from bot.outbox.types import NewDelivery, Undeliverable
from bot.people import service as people
from bot.people.types import PersonRef

C = ChallengeStatus
P = SharePlace
SUMMARY_MAX = 2500
BLANK = "(in your own words)"  # what the template leaves for the person to fill in
SHARE_REACH = timedelta(days=2)


class ChallengeSharing(ChallengeService):
    def summary(self, person: PersonRef, challenge_id: int) -> Summary:
        with self._sessions() as session:
            return self.summary_of(session, ended(owned(session, person, challenge_id)))

    def preview(
        self, person: PersonRef, challenge_id: int, *, text: str, place: str | None, elsewhere: str | None
    ) -> Preview:
        """Keep the text as edited, and show exactly what sharing it there would post (nothing is posted yet);
        a place they were not offered is refused under its field."""
        text = checked(text)
        with transaction(self._sessions) as session:
            challenge = ended(owned(session, person, challenge_id, lock=True))
            chosen = self._place(session, challenge, place, elsewhere)
            challenge.summary, challenge.summary_edited = text, True
            challenge.summary_due_at, challenge.updated_at = None, self._clock.now()
            summary = self.summary_of(session, challenge)
            return Preview(summary, chosen, self._shared(challenge, person, text), digest(text))

    def share(
        self, person: PersonRef, challenge_id: int, *, place: str | None, channel: str | None, seen: str
    ) -> SharedTo:
        """Post the summary they saw in the preview (`seen`: its digest) where they chose, under their name."""
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = ended(owned(session, person, challenge_id, lock=True))
            chosen = self._place(session, challenge, place, channel)
            text = challenge.summary or ""
            if digest(text) != seen:
                raise BadInput("Your summary changed after this preview. Press Share again to see it as it is now.")
            payload = self._messages.shared(self._shared(challenge, person, text))
            occasion = f"{chosen.place}:{now:%Y%m%d%H%M%S}"  # each share is its own post; a double click is not
            holidays, tz = state.holidays, self._default_tz
            if chosen.place is P.PROPOSER or chosen.place is P.COHORT:
                queued = 0
                for other in self._recipients(session, challenge, chosen):
                    key = share_key(challenge.id, f"{occasion}:{other.person_id}")
                    queued += in_working_hours(
                        session,
                        other,
                        key,
                        payload,
                        now=now,
                        holidays=holidays,
                        default_tz=tz,
                        author_id=person.person_id,  # their words, in someone else's DM
                    )
            else:
                item = NewDelivery(
                    key=share_key(challenge.id, f"{occasion}:{chosen.channel}"),
                    workspace_id=person.workspace_id,
                    person_id=person.person_id,
                    subject_id=challenge.id,
                    channel=chosen.channel,
                    payload=payload,
                    due_at=now,
                    expires_at=now + SHARE_REACH,
                )
                queued = outbox.enqueue(session, [item], now=now)
            if queued:
                challenge.shared_to, challenge.shared_channel = chosen.place, chosen.channel
                challenge.shared_at = challenge.updated_at = now
            return SharedTo(chosen, queued > 0)

    def share_failed(self, session: Session, gone: Undeliverable) -> None:
        """Outbox hook: a shared summary could not be posted (the bot is not in that private channel, or it
        was archived). The person hears it in their thread, with the summary kept to share elsewhere."""
        challenge = repository.get(session, int(gone.subject_id or 0), lock=True)
        person = people.person(session, challenge.person_id) if challenge is not None else None
        thread = card_at(session, challenge.id) if challenge is not None else None
        if challenge is None or person is None or thread is None:
            return
        challenge.shared_at = challenge.shared_to = challenge.shared_channel = None
        summary = self.summary_of(session, challenge)
        payload = self._messages.share_failed(summary, gone.code)
        key = share_key(challenge.id, f"failed:{gone.at:%Y%m%d%H%M%S}")
        item = in_thread(person, thread, key=key, payload=payload, due_at=gone.at, expires_at=gone.at + SHARE_REACH)
        outbox.enqueue(session, [item], now=gone.at)

    def summary_of(self, session: Session, challenge: Challenge) -> Summary:
        person = people.person(session, challenge.person_id)
        now, tz = self._clock.now(), self._default_tz
        card = card_of(session, challenge, person, now=now, default_tz=tz) if person is not None else None
        template = template_of(session, self._catalogue.current(), challenge)
        shared = (
            Place(challenge.shared_to, challenge.shared_channel, self._proposer_id(session, challenge))
            if challenge.shared_to is not None
            else None
        )
        return Summary(
            challenge.id,
            challenge.title,
            challenge.summary or "",
            self._places(session, challenge),
            shared,
            card_at(session, challenge.id),
            card,
            template.share_prompt if template is not None else "",
            BLANK,
            challenge.summary_ai,
        )

    # -- inside ----------------------------------------------------------------------------------------------
    def _shared(self, challenge: Challenge, person: PersonRef, text: str) -> Shared:
        state = self._catalogue.current()
        return Shared(person.slack_user_id, challenge.title, state.skill_name(challenge.skill_key), text)

    def _place(self, session: Session, challenge: Challenge, place: str | None, elsewhere: str | None) -> Place:
        offered = {option.place.value: option for option in self._places(session, challenge)}
        if place not in offered:
            raise BadInput("Pick where to share it.", field="place")
        chosen = offered[place]
        if chosen.place is P.ELSEWHERE:
            if not elsewhere:
                raise BadInput("Pick the channel or conversation to share it in.", field="elsewhere")
            return Place(P.ELSEWHERE, channel=elsewhere)
        return chosen

    def _places(self, session: Session, challenge: Challenge) -> tuple[Place, ...]:
        places: list[Place] = []
        found = repository.proposal(session, challenge.proposal_id)
        if found is not None and found.peer_channel:
            places.append(Place(P.PEERS, channel=found.peer_channel))
        proposer_id = self._proposer_id(session, challenge)
        if proposer_id is not None:
            places.append(Place(P.PROPOSER, user_id=proposer_id))
        cohort = self._cohort(session, challenge)
        if cohort:
            places.append(Place(P.COHORT, others=len(cohort)))
        places.append(Place(P.ELSEWHERE))
        return tuple(places)

    def _proposer_id(self, session: Session, challenge: Challenge) -> str | None:
        proposer = proposer_of(session, challenge)
        return proposer.slack_user_id if proposer is not None and proposer.person_id != challenge.person_id else None

    def _recipients(self, session: Session, challenge: Challenge, place: Place) -> list[PersonRef]:
        if place.place is P.COHORT:
            return self._cohort(session, challenge)
        proposer = proposer_of(session, challenge)
        return [proposer] if proposer is not None else []

    def _cohort(self, session: Session, challenge: Challenge) -> list[PersonRef]:
        """The others who took on the same proposal (who can still be messaged)."""
        return [
            ref
            for other in repository.of_proposal(session, challenge.proposal_id)
            if other.id != challenge.id
            and other.status in STARTED
            and (ref := people.person(session, other.person_id)) is not None
            and not ref.opted_out
        ]


def ended(challenge: Challenge) -> Challenge:
    if challenge.status is not C.FINISHED:
        raise BadInput("That challenge hasn't ended yet.")
    return challenge


def checked(text: str) -> str:
    """A summary as the person wrote it: not empty, not too long, and no blank of the template left."""
    text = text.strip()
    if not text:
        raise BadInput("Write a line or two about what you learned.", field="summary")
    if len(text) > SUMMARY_MAX:
        raise BadInput(f"Keep it under {SUMMARY_MAX} characters.", field="summary")
    if BLANK in text:
        raise BadInput(f"Replace each {BLANK} with what you would say, or delete that line.", field="summary")
    return text


def digest(text: str) -> str:
    """A short fingerprint of a summary's text, carried by its preview."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]
