"""The only SQL for the challenge tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.challenges.models import WAITING, Challenge, ChallengeEntry, ChallengeProposal
from bot.challenges.types import ChallengeStatus, EntryKind, NextStep
from bot.people import audience
from bot.people import service as people
from bot.people.types import PersonRef

SCHEDULED = (ChallengeStatus.ACTIVE, ChallengeStatus.FINISHED)  # what may have something due


def add_proposal(session: Session, proposal: ChallengeProposal) -> ChallengeProposal:
    session.add(proposal)
    session.flush()
    return proposal


def add_challenge(session: Session, challenge: Challenge) -> Challenge:
    session.add(challenge)
    session.flush()
    return challenge


def get(session: Session, challenge_id: int, *, lock: bool = False) -> Challenge | None:
    statement = select(Challenge).where(Challenge.id == challenge_id)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement).first()


def proposal(session: Session, proposal_id: int) -> ChallengeProposal | None:
    return session.get(ChallengeProposal, proposal_id)


def of_proposal_for(session: Session, proposal_id: int, person_id: int) -> Challenge | None:
    """The challenge a proposal made to one person, if it was made."""
    return session.scalars(
        select(Challenge).where(Challenge.proposal_id == proposal_id, Challenge.person_id == person_id)
    ).first()


def invitations_since(session: Session, proposer_id: int, *, since: datetime) -> int:
    """How many colleagues a person has asked to take a challenge on since `since` (themselves not counted)."""
    return int(
        session.scalar(
            select(func.count(Challenge.id))
            .join(ChallengeProposal, ChallengeProposal.id == Challenge.proposal_id)
            .where(
                ChallengeProposal.proposer_id == proposer_id,
                Challenge.person_id != proposer_id,
                Challenge.created_at >= since,
            )
        )
        or 0
    )


def sending_before(session: Session, before: datetime) -> list[tuple[ChallengeProposal, PersonRef | None]]:
    """Proposals recorded before `before` with colleagues still to ask, and who proposed them."""
    found = session.scalars(
        select(ChallengeProposal)
        .where(ChallengeProposal.sending.is_not(None), ChallengeProposal.created_at < before)
        .order_by(ChallengeProposal.id)
        .limit(100)
    ).all()
    return [
        (proposal, people.person(session, proposal.proposer_id) if proposal.proposer_id else None) for proposal in found
    ]


def of_proposal(session: Session, proposal_id: int, *, lock: bool = False) -> Sequence[Challenge]:
    """Everyone a proposal was made to (its cohort), in the order they were asked."""
    statement = select(Challenge).where(Challenge.proposal_id == proposal_id).order_by(Challenge.id)
    return session.scalars(statement.with_for_update() if lock else statement).all()


def _to_others(person_id: int) -> Any:
    """Proposals a person made to someone else (not the ones they took on themselves)."""
    return (
        select(ChallengeProposal)
        .where(ChallengeProposal.proposer_id == person_id)
        .where(
            select(Challenge.id)
            .where(Challenge.proposal_id == ChallengeProposal.id, Challenge.person_id != person_id)
            .exists()
        )
    )


def proposals_of(session: Session, person_id: int) -> Sequence[ChallengeProposal]:
    """Every proposal a person made (to others or to themselves)."""
    return session.scalars(select(ChallengeProposal).where(ChallengeProposal.proposer_id == person_id)).all()


def proposals_by(session: Session, person_id: int, *, limit: int, offset: int = 0) -> Sequence[ChallengeProposal]:
    """The proposals a person made to others, newest first."""
    statement = _to_others(person_id).order_by(ChallengeProposal.created_at.desc(), ChallengeProposal.id.desc())
    return session.scalars(statement.limit(limit).offset(offset)).all()


def count_proposals_by(session: Session, person_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(_to_others(person_id).subquery())) or 0)


def same_challenges(session: Session, person_id: int, *, template_key: str | None, title: str) -> Sequence[Challenge]:
    """The person's challenges with this template (or, for one written by hand, this title), newest first."""
    statement = select(Challenge).where(Challenge.person_id == person_id)
    if template_key is not None:
        statement = statement.join(ChallengeProposal, ChallengeProposal.id == Challenge.proposal_id).where(
            ChallengeProposal.template_key == template_key
        )
    else:
        statement = statement.where(func.lower(Challenge.title) == title.lower())
    return session.scalars(statement.order_by(Challenge.updated_at.desc())).all()


def of_person(session: Session, person_id: int, statuses: Sequence[ChallengeStatus]) -> Sequence[Challenge]:
    return session.scalars(
        select(Challenge)
        .where(Challenge.person_id == person_id, Challenge.status.in_(statuses))
        .order_by(Challenge.created_at.desc())
    ).all()


def waiting_past(session: Session, *, before: datetime, limit: int) -> Sequence[tuple[Challenge, PersonRef]]:
    """Proposals whose answer is due: to remind once, then to expire. Locked, so workers split them."""
    return _with_person(
        session,
        select(Challenge)
        .where(Challenge.status.in_(WAITING), Challenge.answer_due_at <= before)
        .order_by(Challenge.answer_due_at),
        limit,
    )


def checkins_due(session: Session, *, before: datetime, limit: int) -> Sequence[tuple[Challenge, PersonRef]]:
    """Challenges with a check-in, their close or "did it stick?" due before `before`, to people the bot may
    message."""
    return _with_person(
        session,
        select(Challenge)
        .where(Challenge.status.in_(SCHEDULED), Challenge.next_at <= before)
        .order_by(Challenge.next_at),
        limit,
    )


def earliest(session: Session) -> tuple[datetime | None, datetime | None]:
    """The first check-in due, and the first of anything else due (a close, "did it stick?", a proposal's
    answer): check-ins are made a little ahead, the rest when due."""
    scheduled = Challenge.status.in_(SCHEDULED)
    checkin = session.scalar(
        select(func.min(Challenge.next_at)).where(scheduled, Challenge.next_step == NextStep.CHECKIN)
    )
    step = session.scalar(select(func.min(Challenge.next_at)).where(scheduled, Challenge.next_step != NextStep.CHECKIN))
    answer = session.scalar(select(func.min(Challenge.answer_due_at)).where(Challenge.status.in_(WAITING)))
    other = [instant for instant in (step, answer) if instant is not None]
    return checkin, min(other) if other else None


def _with_person(session: Session, statement: Any, limit: int) -> list[tuple[Challenge, PersonRef]]:
    recipients = audience.recipients()
    rows = session.execute(
        statement.add_columns(recipients)
        .join(recipients, recipients.c.person_id == Challenge.person_id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Challenge)
    ).all()
    return [(row[0], audience.person_ref(row)) for row in rows]


def add_entry(session: Session, entry: ChallengeEntry) -> None:
    session.add(entry)
    session.flush()


def entries(
    session: Session, challenge_id: int, person_id: int, kinds: Sequence[EntryKind]
) -> Sequence[ChallengeEntry]:
    """The author's own entries in their challenge, oldest first. `person_id` is always the reader."""
    return session.scalars(
        select(ChallengeEntry)
        .where(
            ChallengeEntry.challenge_id == challenge_id,
            ChallengeEntry.person_id == person_id,
            ChallengeEntry.kind.in_(kinds),
        )
        .order_by(ChallengeEntry.created_at, ChallengeEntry.id)
    ).all()


def entry_since(
    session: Session, challenge_id: int, person_id: int, kind: EntryKind, text: str, *, since: datetime
) -> bool:
    """Whether the author filed these very words this way in their challenge since `since`."""
    found = session.scalars(
        select(ChallengeEntry.id).where(
            ChallengeEntry.challenge_id == challenge_id,
            ChallengeEntry.person_id == person_id,
            ChallengeEntry.kind == kind,
            ChallengeEntry.text == text,
            ChallengeEntry.created_at >= since,
        )
    ).first()
    return found is not None


def summaries_due(session: Session, *, before: datetime) -> Sequence[Challenge]:
    """Finished challenges whose summary has been owed since before `before`."""
    return session.scalars(
        select(Challenge).where(Challenge.summary_due_at < before).order_by(Challenge.summary_due_at).limit(100)
    ).all()
