"""One rule for everything person-facing that is late, whatever its kind: a message to a person that missed
its time (the bot was down, a tick was missed) goes out now only if it is still near its time or the person
is in their working hours; otherwise it waits for their next working hour. Never a message at night or on
their weekend because the bot came back then."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.localtime import working_time, zone
from bot.outbox.models import Delivery
from bot.people import service as people

GRACE = timedelta(minutes=30)  # this late, a message is still on time enough to go whatever the hour


@dataclass(frozen=True)
class WorkingHours:
    """Where a person's working hours come from: their zone (else the workspace's default), the holidays."""

    default_timezone: str = "UTC"
    holidays: Callable[[], frozenset[date]] = field(default=frozenset)


def goes_at(due: datetime, now: datetime, tz: ZoneInfo, holidays: frozenset[date]) -> datetime:
    """When a message to a person, due at `due`, goes out if it has not gone by `now`: now while it is near its
    time or they are working, else at their next working hour."""
    if now - due <= GRACE:
        return max(due, now)
    return working_time(now, tz, holidays)


def person_facing(delivery: Delivery) -> bool:
    """A new message to someone (a DM or a reply in their DM thread), not an edit and not a channel post."""
    return delivery.user_id is not None and delivery.edit_ts is None


def waiting(session: Session, claimed: Sequence[Delivery], now: datetime, hours: WorkingHours) -> dict[int, datetime]:
    """Of the claimed rows, those that are late and would reach their person outside working hours, with the
    time each should go instead (their next working hour)."""
    late = [d for d in claimed if person_facing(d) and now - d.due_at > GRACE and d.person_id is not None]
    if not late:
        return {}
    zones = people.zones(session, [d.person_id for d in late if d.person_id is not None])
    holidays = hours.holidays()
    found = {}
    for delivery in late:
        tz = zone(zones.get(delivery.person_id or 0), hours.default_timezone)
        when = goes_at(delivery.due_at, now, tz, holidays)
        if when > now:
            found[delivery.id] = when
    return found
