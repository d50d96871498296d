"""What both practice services share: the ownership check every action makes, and a subscription as the
person sees it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.types import CatalogueState
from bot.errors import NotAllowed, NotFound
from bot.localtime import is_valid_zone, local_date, moment_text, zone
from bot.people import service as people
from bot.people.types import PersonRef
from bot.practice import repository
from bot.practice.models import PracticeDay, PracticeSubscription
from bot.practice.planning import rhythm_of
from bot.practice.streaks import streak_of
from bot.practice.types import PracticeView


def owned(session: Session, person: PersonRef, subscription_id: int) -> PracticeSubscription:
    """The person's own subscription; another person's id is refused, whatever the payload said."""
    subscription = repository.get_subscription(session, subscription_id)
    if subscription is None:
        raise NotFound("That practice no longer exists.")
    if subscription.person_id != person.person_id:
        raise NotAllowed("That practice belongs to someone else.")
    return subscription


def owned_day(session: Session, person: PersonRef, day_id: int) -> tuple[PracticeDay, PracticeSubscription]:
    day = repository.get_day(session, day_id)
    if day is None:
        raise NotFound("I can't find that practice day any more.")
    return day, owned(session, person, day.subscription_id)


def title_of(state: CatalogueState, technique_key: str) -> str:
    technique = state.techniques.get(technique_key)
    return technique.title if technique else technique_key


def view_of(
    session: Session,
    subscription: PracticeSubscription,
    person: PersonRef,
    state: CatalogueState,
    *,
    now: datetime,
    default_tz: str,
) -> PracticeView:
    tz = zone(person.tz, default_tz)
    technique = state.techniques.get(subscription.technique_key)
    next_local = moment_text(subscription.next_due_at, tz) if subscription.next_due_at else None
    return PracticeView(
        subscription_id=subscription.id,
        technique_key=subscription.technique_key,
        technique_title=title_of(state, subscription.technique_key),
        why=technique.why if technique else "",
        status=subscription.status,
        rhythm=rhythm_of(subscription, state).describe(),
        zone=str(tz.key),
        next_local=next_local,
        streak=streak_of(session, subscription.id, local_date(now, tz)),
        paused_until=subscription.paused_until,
        until=subscription.until,
        minute_of_day=subscription.minute_of_day,
        weekdays=tuple(subscription.weekdays),
    )


def zone_notice(session: Session, person: PersonRef, default_tz: str) -> str | None:
    """Said once: reminders use the workspace's zone because the person's Slack profile has none we can use."""
    if is_valid_zone(person.tz) or not people.claim_zone_notice(session, person.person_id):
        return None
    return (
        f"Your Slack profile has no time zone I can use, so I'm using {default_tz}. "
        "Set your time zone in Slack and I'll follow it."
    )
