"""Reading a challenge as its participant or its proposer may see it, and the card at the top of its thread."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.models import Challenge, ChallengeProposal
from bot.challenges.planning import card_key, last_day, terms_of
from bot.challenges.types import Card
from bot.errors import NotAllowed, NotFound
from bot.localtime import local_date, moment_text, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.types import PersonRef

REACH = timedelta(days=7)  # a DM that could not leave in this long is not sent


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
    return Card(
        challenge_id=challenge.id,
        status=challenge.status,
        terms=terms_of(challenge),
        progress=challenge.progress,
        start=challenge.start_date,
        last_day=end,
        days_left=max(0, (end - local_date(now, tz)).days),
        next_checkin=moment_text(challenge.next_checkin_at, tz) if challenge.next_checkin_at else "",
        proposer_user_id=proposer.slack_user_id if proposer else None,
    )


def card_at(session: Session, challenge_id: int) -> tuple[str, str] | None:
    posted = outbox.posted(session, card_key(challenge_id))
    return (posted.channel, posted.ts) if posted is not None else None


def in_working_hours(
    session: Session,
    person: PersonRef,
    key: DeliveryKey,
    payload: Payload,
    *,
    now: datetime,
    holidays: frozenset[date],
    default_tz: str,
) -> int:
    """Queue a DM for `person` at the first working hour where they are (a colleague's message never
    arrives at 03:00); nothing for someone who opted out or left."""
    if person.opted_out or person.unreachable:
        return 0
    tz = zone(person.tz, default_tz)
    item = NewDelivery.in_working_hours(
        person, key=key, payload=payload, now=now, tz=tz, holidays=holidays, reach=REACH
    )
    return outbox.enqueue(session, [item], now=now)
