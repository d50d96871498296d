"""What the Home tab shows of challenges: the person's own (going on, waiting for an answer, finished with
their summaries), and the ones they proposed (status and progress; ratings only where the person allowed)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.ending import source
from bot.challenges.models import LIVE, WAITING, Challenge, ChallengeProposal, ChallengeStatus
from bot.challenges.planning import terms_of
from bot.challenges.types import Member, Overview, ProposalView, Waiting
from bot.challenges.views import card_of, proposer_of
from bot.clock import Clock
from bot.measurement import service as measurement
from bot.measurement.types import Moment, Rater
from bot.people import service as people
from bot.people.types import PersonRef

SHOWN = 5  # of each list: the Home tab holds 100 blocks in all
C = ChallengeStatus


class ChallengeHome:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock, default_timezone: str) -> None:
        self._sessions = sessions
        self._clock = clock
        self._default_tz = default_timezone

    def overview(self, person: PersonRef) -> Overview:
        now, tz = self._clock.now(), self._default_tz
        with self._sessions() as session:
            mine = repository.of_person(session, person.person_id, LIVE)[:SHOWN]
            waiting = repository.of_person(session, person.person_id, WAITING)[:SHOWN]
            finished = repository.of_person(session, person.person_id, [C.FINISHED.value])[:SHOWN]
            return Overview(
                mine=tuple(card_of(session, c, person, now=now, default_tz=tz) for c in mine),
                waiting=tuple(self._waiting(session, c) for c in waiting if c.status == C.PROPOSED),
                proposed=tuple(
                    self._proposal(session, found, person)
                    for found in repository.proposals_by(session, person.person_id, limit=SHOWN)
                ),
                history=tuple(card_of(session, c, person, now=now, default_tz=tz) for c in finished),
            )

    def _waiting(self, session: Session, challenge: Challenge) -> Waiting:
        proposer = proposer_of(session, challenge)
        return Waiting(
            challenge.id, challenge.title, proposer.slack_user_id if proposer else None, challenge.start_date
        )

    def _proposal(self, session: Session, proposal: ChallengeProposal, proposer: PersonRef) -> ProposalView:
        challenges = [c for c in repository.of_proposal(session, proposal.id) if c.person_id != proposer.person_id]
        members = []
        for challenge in challenges:
            ref = people.person(session, challenge.person_id)
            if ref is None:
                continue
            members.append(
                Member(
                    ref.slack_user_id,
                    challenge.status,
                    terms_of(challenge).target_text(challenge.progress),
                    _ratings(session, challenge) if challenge.share_ratings else "",
                )
            )
        title = challenges[0].title if challenges else ""
        return ProposalView(proposal.id, title, tuple(members), sum(c.status in WAITING for c in challenges))


def _ratings(session: Session, challenge: Challenge) -> str:
    ratings = measurement.of_source(session, challenge.person_id, source(challenge.id))
    baseline, after = ratings.get((Rater.SELF, Moment.BASELINE)), ratings.get((Rater.SELF, Moment.AFTER))
    if baseline is None:
        return ""
    return f"{baseline} → {after}" if after is not None else f"started at {baseline}"
