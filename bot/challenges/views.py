"""Reading a challenge as its participant or its proposer may see it, and the card at the top of its thread."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.models import Challenge, ChallengeProposal
from bot.challenges.planning import CARD, card_key, last_day, terms_of
from bot.challenges.proposal_types import Asking, Invitation
from bot.challenges.types import Card, ChallengeStatus, Cohort, Done, Logged, NextStep, SharePlace
from bot.content.types import CatalogueState, ChallengeView
from bot.errors import NotAllowed, NotFound
from bot.localtime import local_date, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.types import PersonRef

REACH = timedelta(days=7)  # a DM that could not leave in this long is not sent
PACE_SLACK_DAYS = 4  # how far behind an even pace still counts as on track
VISIBLE_TO_COHORT = (SharePlace.COHORT, SharePlace.PEERS)  # shares the others in a cohort can see


def owned(session: Session, person: PersonRef, challenge_id: int, *, lock: bool = False) -> Challenge:
    """The person's own challenge; another person's id is refused, whatever the payload said."""
    challenge = repository.get(session, challenge_id, lock=lock)
    if challenge is None:
        raise NotFound("That challenge no longer exists.")
    if challenge.person_id != person.person_id:
        raise NotAllowed("That challenge belongs to someone else.")
    return challenge


def proposed(session: Session, person: PersonRef, challenge_id: int) -> tuple[Challenge, ChallengeProposal]:
    """A challenge `person` proposed; only its proposer may answer for it or cancel it."""
    challenge = repository.get(session, challenge_id, lock=True)
    found = repository.proposal(session, challenge.proposal_id) if challenge is not None else None
    if challenge is None or found is None:
        raise NotFound("That challenge no longer exists.")
    if found.proposer_id != person.person_id:
        raise NotAllowed("Only the person who proposed that challenge can do this.")
    return challenge, found


def proposer_of(session: Session, challenge: Challenge) -> PersonRef | None:
    found = repository.proposal(session, challenge.proposal_id)
    return people.person(session, found.proposer_id) if found is not None and found.proposer_id else None


def card_of(session: Session, challenge: Challenge, person: PersonRef, *, now: datetime, default_tz: str) -> Card:
    tz = zone(person.tz, default_tz)
    end = last_day(challenge)
    proposer = proposer_of(session, challenge)
    running = challenge.status is ChallengeStatus.ACTIVE and challenge.next_step is not NextStep.STICK
    return Card(
        challenge_id=challenge.id,
        status=challenge.status,
        terms=terms_of(challenge),
        progress=challenge.progress,
        start=challenge.start_date,
        last_day=end,
        days_left=max(0, (end - local_date(now, tz)).days),
        next_step=challenge.next_step if running else None,
        next_at=challenge.next_at.astimezone(tz) if running and challenge.next_at else None,
        proposer_user_id=proposer.slack_user_id if proposer and proposer.person_id != person.person_id else None,
        cohort=cohort_of(session, challenge, now=now),
        summary=(challenge.summary or "") if challenge.status == ChallengeStatus.FINISHED else "",
    )


def cohort_of(session: Session, challenge: Challenge, *, now: datetime) -> Cohort | None:
    """How the people who took the same proposal are doing: on track when, answering their check-ins, their
    progress keeps pace with the days gone (counts only; names only of those who shared with the cohort or
    its peer channel: a share with the proposer alone is not the others' to know)."""
    members = [c for c in repository.of_proposal(session, challenge.proposal_id) if c.accepted_at is not None]
    if len(members) < 2:
        return None
    on_track = sum(1 for member in members if _on_track(member, now))
    shared = tuple(
        ref.slack_user_id
        for member in members
        if member.shared_at is not None
        and member.shared_to in VISIBLE_TO_COHORT
        and (ref := people.person(session, member.person_id)) is not None
    )
    return Cohort(len(members), on_track, shared)


def _on_track(challenge: Challenge, now: datetime) -> bool:
    """Answering check-ins, and (with a target) no more than a few days behind an even pace."""
    if challenge.status not in (ChallengeStatus.ACTIVE, ChallengeStatus.FINISHED) or challenge.unanswered > 1:
        return False
    if challenge.target_count is None:
        return True
    gone = min(challenge.days, max(0, (now.date() - challenge.start_date).days + 1))
    return challenge.progress * challenge.days >= challenge.target_count * (gone - PACE_SLACK_DAYS)


def current(
    session: Session, challenge: Challenge, person: PersonRef, done: Done, *, now: datetime, default_tz: str
) -> Logged:
    """What a person's change did, with the card as it is now (the edge puts it in place at once)."""
    thread = card_at(session, challenge.id)
    if thread is not None:
        outbox.cancel_subject(session, kind=CARD, subject=challenge.id, reason="superseded")
    return Logged(card=card_of(session, challenge, person, now=now, default_tz=default_tz), done=done, card_at=thread)


def invitation_of(
    session: Session, state: CatalogueState, challenge: Challenge, asking: Asking = Asking.FIRST
) -> Invitation:
    """The invitation as the colleague reads it, whichever time they are asked: the terms as they stand, the
    template's steps, the proposer's note and the message it started from."""
    proposal = repository.proposal(session, challenge.proposal_id)
    proposer = proposer_of(session, challenge)
    template = template_of(session, state, challenge)
    return Invitation(
        challenge.id,
        proposer.slack_user_id if proposer else None,
        terms_of(challenge),
        challenge.start_date,
        template.steps if template is not None else (),
        (proposal.note or "") if proposal else "",
        proposal.anchor_link if proposal else None,
        asking,
    )


def template_of(session: Session, state: CatalogueState, challenge: Challenge) -> ChallengeView | None:
    """The template a challenge came from, if it still exists (its terms were copied when proposed)."""
    found = repository.proposal(session, challenge.proposal_id)
    return state.challenges.get(found.template_key) if found is not None and found.template_key else None


def card_at(session: Session, challenge_id: int) -> tuple[str, str] | None:
    posted = outbox.posted(session, card_key(challenge_id))
    return (posted.channel, posted.ts) if posted is not None else None


def in_thread(
    person: PersonRef,
    thread: tuple[str, str],
    *,
    key: DeliveryKey,
    payload: Payload,
    due_at: datetime,
    expires_at: datetime,
) -> NewDelivery:
    """A reply in the challenge's thread (`thread`: the card's channel and ts)."""
    dm = NewDelivery.to_person(person, key=key, payload=payload, due_at=due_at, expires_at=expires_at)
    return replace(dm, channel=thread[0], thread_ts=thread[1])


def card_edit(
    session: Session,
    challenge: Challenge,
    person: PersonRef,
    payload: Payload,
    *,
    occasion: str,
    due: datetime,
    now: datetime,
) -> int:
    """Queue an edit of the challenge's card, due with the message it goes with (so scheduled work keeps it
    current too); nothing before the card is posted. Each occasion edits once, however many processes get
    there. A person's own change (`current`) supersedes edits still queued, so an older picture never lands
    on top of a newer one."""
    posted = outbox.posted(session, card_key(challenge.id))
    if posted is None:
        return 0
    key = card_key(challenge.id, occasion)
    expires = max(due, now) + REACH  # made late (the bot was down), it still has as long to land
    dm = NewDelivery.to_person(person, key=key, payload=payload, due_at=due, expires_at=expires)
    return outbox.enqueue(session, [replace(dm, channel=posted.channel, edit_ts=posted.ts)], now=now)


def in_working_hours(
    session: Session,
    person: PersonRef,
    key: DeliveryKey,
    payload: Payload,
    *,
    now: datetime,
    holidays: frozenset[date],
    default_tz: str,
    author_id: int | None = None,
) -> int:
    """Queue a DM for `person` at the first working hour where they are (a colleague's message never
    arrives at 03:00); nothing for someone who opted out or left. `author_id`: whose words it carries."""
    if person.opted_out or person.unreachable:
        return 0
    tz = zone(person.tz, default_tz)
    item = NewDelivery.in_working_hours(
        person, key=key, payload=payload, now=now, tz=tz, holidays=holidays, reach=REACH
    )
    return outbox.enqueue(session, [replace(item, author_id=author_id)], now=now)


def note_author(session: Session, challenge: Challenge) -> int | None:
    """Whose words an invitation carries besides the terms: the proposer's, when they wrote a note or a link."""
    proposal = repository.proposal(session, challenge.proposal_id)
    return proposal.proposer_id if proposal is not None and (proposal.note or proposal.anchor_link) else None
