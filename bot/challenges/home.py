"""What the Home tab and `/challenge` show of challenges: the person's own (going on, waiting for an answer,
finished with their summaries), and, page by page, every one they proposed (who, what, since when, how it
stands; ratings and summaries only where the person allowed)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeService
from bot.challenges.ending import source
from bot.challenges.models import LIVE, WAITING, Challenge, ChallengeProposal
from bot.challenges.planning import invitation_key, terms_of
from bot.challenges.types import (
    ChallengeStatus,
    Member,
    Overview,
    ProposalPage,
    ProposalView,
    SharePlace,
    Waiting,
)
from bot.challenges.views import card_of, proposer_of
from bot.measurement import service as measurement
from bot.measurement.types import Moment, Rater
from bot.outbox import service as outbox
from bot.people import service as people
from bot.people.types import PersonRef

SHOWN = 5  # of each of the person's own lists: the Home tab holds 100 blocks in all
PAGE = 5  # proposals a page
C = ChallengeStatus
SEEN_BY_PROPOSER = (SharePlace.PROPOSER, SharePlace.PEERS)  # the peer channel is the one the proposer chose


class ChallengeHome(ChallengeService):
    def overview(self, person: PersonRef) -> Overview:
        now, tz = self._clock.now(), self._default_tz
        with self._sessions() as session:
            mine = repository.of_person(session, person.person_id, LIVE)[:SHOWN]
            waiting = repository.of_person(session, person.person_id, WAITING)[:SHOWN]
            finished = repository.of_person(session, person.person_id, [C.FINISHED])[:SHOWN]
            return Overview(
                mine=tuple(card_of(session, c, person, now=now, default_tz=tz) for c in mine),
                waiting=tuple(self._waiting(session, c) for c in waiting if c.status is C.PROPOSED),
                proposed=self._page(session, person, 0),
                history=tuple(card_of(session, c, person, now=now, default_tz=tz) for c in finished),
            )

    def proposed(self, person: PersonRef, page: int = 0) -> ProposalPage:
        """One page of every challenge the person proposed to others, newest first."""
        with self._sessions() as session:
            return self._page(session, person, page)

    # -- inside ----------------------------------------------------------------------------------------------
    def _page(self, session: Session, person: PersonRef, page: int) -> ProposalPage:
        total = repository.count_proposals_by(session, person.person_id)
        pages = max(1, -(-total // PAGE))
        page = min(max(page, 0), pages - 1)
        found = repository.proposals_by(session, person.person_id, limit=PAGE, offset=page * PAGE)
        return ProposalPage(tuple(self._proposal(session, p, person) for p in found), page, pages, total)

    def _waiting(self, session: Session, challenge: Challenge) -> Waiting:
        proposer = proposer_of(session, challenge)
        return Waiting(
            challenge.id, challenge.title, proposer.slack_user_id if proposer else None, challenge.start_date
        )

    def _proposal(self, session: Session, proposal: ChallengeProposal, proposer: PersonRef) -> ProposalView:
        challenges = [c for c in repository.of_proposal(session, proposal.id) if c.person_id != proposer.person_id]
        members = [
            _member(session, challenge, ref)
            for challenge in challenges
            if (ref := people.person(session, challenge.person_id)) is not None
        ]
        return ProposalView(
            proposal.id,
            challenges[0].title if challenges else "",
            proposal.created_at,
            tuple(members),
            waiting=sum(c.status in WAITING for c in challenges),
            editable=bool(challenges) and all(c.status is C.PROPOSED for c in challenges),
        )


def _member(session: Session, challenge: Challenge, person: PersonRef) -> Member:
    shared = challenge.shared_to in SEEN_BY_PROPOSER and challenge.shared_at is not None
    silent = challenge.status is C.CHANGE_ASKED or (
        challenge.status is C.EXPIRED and challenge.asked_change is not None
    )
    return Member(
        challenge.id,
        person.slack_user_id,
        challenge.status,
        terms_of(challenge).target_text(challenge.progress),
        challenge.updated_at,
        ratings=_ratings(session, challenge) if challenge.share_ratings else None,
        proposer_silent=silent,
        can_nudge=challenge.status is C.PROPOSED and not challenge.reminded and _seen(session, challenge),
        summary=(challenge.summary or "") if shared else "",
    )


def _ratings(session: Session, challenge: Challenge) -> tuple[int | None, int | None] | None:
    ratings = measurement.of_source(session, challenge.person_id, source(challenge.id))
    baseline, after = ratings.get((Rater.SELF, Moment.BASELINE)), ratings.get((Rater.SELF, Moment.AFTER))
    return (baseline, after) if baseline is not None else None


def _seen(session: Session, challenge: Challenge) -> bool:
    """The invitation has reached them (a nudge before that would come with it)."""
    return outbox.posted(session, invitation_key(challenge.id)) is not None
