"""The follow-up question, "did it help?", two days after someone opens a resource.

At most one per resource per person (the open is marked), at most one such DM per person per local day (the
delivery key holds the date), none after opting out, at 10:00 in the person's zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.db.engine import transaction
from bot.library import repository
from bot.library.types import LibraryMessages
from bot.localtime import local_date, local_instant, zone
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery

FOLLOWUP = "followup"  # the delivery kind; its subject is the person
DELAY = timedelta(days=2)
AT = time(10, 0)
BATCH = 500
WINDOW = timedelta(hours=6)  # a follow-up later than this is not worth sending
LOOKAHEAD_DAYS = 7


class FollowupMaterialiser:
    name = FOLLOWUP

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        catalogue: Catalogue,
        messages: LibraryMessages,
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
        # after downtime: opens whose question's day (two days on, any zone) and window have passed are
        # not asked late, all at once (and never one batch per tick)
        repository.skip_missed_followups(session, opened_before=now - DELAY - timedelta(days=1) - WINDOW, now=now)
        candidates = repository.opens_awaiting_followup(
            session, opened_before=now - DELAY + timedelta(days=1), limit=BATCH
        )
        if not candidates:
            return 0
        resources = self._catalogue.current().by_id
        made, marked = 0, []
        taken: dict[int, set[date]] = {}
        for open_id, item_id, opened_at, person in candidates:
            view = resources.get(item_id)
            if view is None:
                marked.append(open_id)  # retired since: nothing to ask about
                continue
            tz = zone(person.tz, self._default_tz)
            days = taken.setdefault(person.person_id, outbox.days_taken(session, FOLLOWUP, person.person_id))
            day = local_date(opened_at + DELAY, tz)
            while day in days and (day - local_date(opened_at, tz)).days < 2 + LOOKAHEAD_DAYS:
                day += timedelta(days=1)
            if day in days:
                continue  # a week of follow-ups already queued for this person; try again later
            due = local_instant(day, AT, tz)
            made += outbox.enqueue(
                session,
                [
                    NewDelivery.to_person(
                        person,
                        key=DeliveryKey(FOLLOWUP, person.person_id, day),
                        payload=self._messages.followup(view),
                        due_at=due,
                        expires_at=due + WINDOW,
                        subject_id=open_id,
                    )
                ],
                now=now,
            )
            days.add(day)
            marked.append(open_id)
        repository.mark_followed_up(session, marked, now=now)
        return made

    def next_due(self, after: datetime) -> datetime | None:
        with self._sessions() as session:
            oldest = repository.oldest_open_awaiting_followup(session)
        if oldest is None:
            return None
        ready = oldest + DELAY - timedelta(days=1)
        return ready if ready > after else None
