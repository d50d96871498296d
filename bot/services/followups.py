"""The follow-up question, "did it help?", two days after someone opens a resource.

At most one per resource per person (the open is marked), at most one such DM per person per local day (the
delivery key holds the date), none after opting out, at 10:00 in the person's zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.repositories import deliveries as outbox
from bot.repositories import library as repository
from bot.services.catalogue import Catalogue
from bot.services.localtime import local_date, local_instant, zone
from bot.services.messages import MessageRenderer
from bot.services.people import FOLLOWUP_KIND

KIND = FOLLOWUP_KIND
DELAY = timedelta(days=2)
AT = time(10, 0)
BATCH = 500
WINDOW = timedelta(hours=6)  # a follow-up later than this is not worth sending
LOOKAHEAD_DAYS = 7


class FollowupMaterialiser:
    name = KIND

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        catalogue: Catalogue,
        messages: MessageRenderer,
        default_timezone: str,
    ) -> None:
        self._sessions = sessions
        self._catalogue = catalogue
        self._messages = messages
        self._default_tz = default_timezone

    def materialise(self, now: datetime) -> int:
        """Schedule follow-ups for opens that become due within the next day."""
        with transaction(self._sessions) as session:
            return self._materialise(session, now)

    def _materialise(self, session: Session, now: datetime) -> int:
        candidates = repository.opens_awaiting_followup(
            session, opened_before=now - DELAY + timedelta(days=1), limit=BATCH
        )
        if not candidates:
            return 0
        resources = self._catalogue.current().by_id
        made, marked = 0, []
        taken: dict[int, set[date]] = {}
        for opened, person, item in candidates:
            view = resources.get(item.id)
            if view is None:
                continue
            tz = zone(person.tz, self._default_tz)
            days = taken.setdefault(person.id, self._days_taken(session, person.id))
            day = local_date(opened.opened_at + DELAY, tz)
            while day in days and (day - local_date(opened.opened_at, tz)).days < 2 + LOOKAHEAD_DAYS:
                day += timedelta(days=1)
            if day in days:
                continue  # a week of follow-ups already queued for this person; try again later
            due = local_instant(day, AT, tz)
            made += outbox.add_deliveries(
                session,
                [
                    outbox.NewDelivery.to_person(
                        person,
                        key=f"{KIND}:{person.id}:{day.isoformat()}",
                        kind=KIND,
                        subject_id=opened.id,
                        payload=self._messages.followup(view),
                        due_at=due,
                        expires_at=due + WINDOW,
                    )
                ],
                now=now,
            )
            days.add(day)
            marked.append(opened.id)
        repository.mark_followed_up(session, marked, now=now)
        return made

    def _days_taken(self, session: Session, person_id: int) -> set[date]:
        prefix = f"{KIND}:{person_id}:"
        return {date.fromisoformat(key.removeprefix(prefix)) for key in outbox.keys_with_prefix(session, prefix)}

    def next_due(self, after: datetime) -> datetime | None:
        with self._sessions() as session:
            oldest = repository.oldest_open_awaiting_followup(session)
        if oldest is None:
            return None
        ready = oldest + DELAY - timedelta(days=1)
        return ready if ready > after else None
