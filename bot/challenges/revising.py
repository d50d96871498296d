"""What the proposer may still do with a proposal: nudge a colleague who has not answered (once, politely,
instead of the reminder), and edit it while nobody has answered (the invitations then show the new
version); cancelling is `course`'s. Each is refused to anyone but the proposer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeContext, ChallengeService
from bot.challenges.models import Challenge
from bot.challenges.planning import INVITATION, invitation_key
from bot.challenges.proposal_types import Asking
from bot.challenges.terms import checkins_for
from bot.challenges.types import ChallengeStatus, ChangeAsked
from bot.challenges.views import proposed, template_of
from bot.challenges.waiting import ProposalsWaiting, asking_of
from bot.db.engine import transaction
from bot.errors import BadInput, NotAllowed, NotFound
from bot.localtime import local_date, zone
from bot.outbox import service as outbox
from bot.people import service as people
from bot.people.types import PersonRef

C = ChallengeStatus
ANSWERED = "Someone has answered it already, so it can't change now. You can cancel it and propose another."


@dataclass(frozen=True)
class Editing:
    """A proposal as its edit window opens."""

    proposal_id: int
    title: str
    note: str


class ProposalRevisions(ChallengeService):
    def __init__(self, context: ChallengeContext) -> None:
        super().__init__(context)
        self._waiting = ProposalsWaiting(messages=context.messages, default_timezone=context.default_timezone)

    def nudge(self, proposer: PersonRef, challenge_id: int) -> str | None:
        """Ask a colleague who has not answered once more, now (in their working hours); it takes the place of
        the reminder. Returns their Slack id, or None when they were reminded or nudged already."""
        state, now = self._catalogue.current(), self._clock.now()
        with transaction(self._sessions) as session:
            challenge, _ = proposed(session, proposer, challenge_id)
            person = people.person(session, challenge.person_id)
            if challenge.status is not C.PROPOSED or challenge.reminded or person is None:
                return None
            if outbox.posted(session, invitation_key(challenge.id)) is None:
                raise BadInput("Your invitation hasn't reached them yet: it arrives in their working hours.")
            self._waiting.remind(session, state, challenge, person, proposer, person, now=now, asking=Asking.NUDGE)
            return person.slack_user_id

    def editing(self, proposer: PersonRef, proposal_id: int) -> Editing:
        with self._sessions() as session:
            challenges = self._unanswered(session, proposer, proposal_id)
            found = repository.proposal(session, proposal_id)
            return Editing(proposal_id, challenges[0].title, (found.note or "") if found else "")

    def edit(
        self,
        proposer: PersonRef,
        proposal_id: int,
        change: ChangeAsked,
        *,
        note: str,
    ) -> int:
        """New terms or a new note for everyone asked; their invitations show the new version. Returns how many
        colleagues were asked."""
        state, now = self._catalogue.current(), self._clock.now()
        asked = change.checked(local_date(now, zone(proposer.tz, self._default_tz)))
        with transaction(self._sessions) as session:
            challenges = self._unanswered(session, proposer, proposal_id, lock=True)
            found = repository.proposal(session, proposal_id)
            assert found is not None
            found.note = note or None
            for challenge in challenges:
                if asked.days is not None:
                    challenge.days = asked.days
                    challenge.checkins = checkins_for(template_of(session, state, challenge), challenge.days)
                if asked.target is not None:
                    challenge.target_count = asked.target
                if asked.start is not None:
                    challenge.start_date = asked.start
                challenge.updated_at = now
                self._waiting.refresh(session, state, challenge, now=now)
            return len(challenges)

    def forgetting(self, session: Session, person_id: int) -> None:
        """Privacy hook, before a proposer is forgotten: their note and link leave their proposals, and every
        invitation that carried them, queued or sent, is rewritten without them (sent ones edited in Slack)."""
        state, now = self._catalogue.current(), self._clock.now()
        for proposal in repository.proposals_of(session, person_id):
            if not (proposal.note or proposal.anchor_link):
                continue
            proposal.note = proposal.anchor_link = None
            for challenge in repository.of_proposal(session, proposal.id):
                if challenge.person_id != person_id:
                    self._waiting.refresh(session, state, challenge, now=now)

    def _unanswered(
        self, session: Session, proposer: PersonRef, proposal_id: int, *, lock: bool = False
    ) -> list[Challenge]:
        """The proposal's challenges, while none of its colleagues has answered in any way."""
        found = repository.proposal(session, proposal_id)
        if found is None:
            raise NotFound("That proposal no longer exists.")
        if found.proposer_id != proposer.person_id:
            raise NotAllowed("Only the person who proposed it can change it.")
        challenges = [
            c for c in repository.of_proposal(session, proposal_id, lock=lock) if c.person_id != proposer.person_id
        ]
        if not challenges or any(not _unanswered(session, c) for c in challenges):
            raise BadInput(ANSWERED)
        return challenges


def _unanswered(session: Session, challenge: Challenge) -> bool:
    """Still waiting for its first answer: proposed, and never sent back with a change asked."""
    if challenge.status is not C.PROPOSED:
        return False
    kinds = {asking_of(key.occasion) for key in outbox.keys_of(session, INVITATION, challenge.id)}
    return not kinds & {Asking.CHANGED, Asking.KEPT}
