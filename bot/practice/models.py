"""Daily practice: subscriptions to a technique, one row per due local day, and self-ratings."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue


class SubscriptionStatus(enum.StrEnum):
    SUGGESTED = "suggested"  # a colleague suggested it: nothing starts until the person accepts
    ACTIVE = "active"
    PAUSED = "paused"  # until a date, or after a permanent delivery error
    DECLINED = "declined"
    STOPPED = "stopped"  # by the person, or finished after its number of weeks


S = SubscriptionStatus
# Every change of a subscription's status goes through `SubscriptionStatus.moves_to`.
SUBSCRIPTION_MOVES: dict[SubscriptionStatus, frozenset[SubscriptionStatus]] = {
    S.SUGGESTED: frozenset({S.ACTIVE, S.DECLINED}),
    S.ACTIVE: frozenset({S.PAUSED, S.STOPPED}),
    S.PAUSED: frozenset({S.ACTIVE, S.STOPPED}),
    S.DECLINED: frozenset(),
    S.STOPPED: frozenset(),
}
LIVE = (S.ACTIVE.value, S.PAUSED.value, S.SUGGESTED.value)  # what a person has going on


class DayStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # sent or about to be; no answer yet
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"  # asked again in an hour; still open
    MISSED = "missed"  # the bot was down past the day's send window: nothing was sent, nobody's fault

    @property
    def answered(self) -> bool:
        return self in (DayStatus.DONE, DayStatus.SKIPPED)


class PracticeSubscription(Base):
    __tablename__ = "practice_subscriptions"
    __table_args__ = (Index("ix_practice_subscriptions_next_due", "status", "next_due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    technique_key: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12))  # a SubscriptionStatus
    minute_of_day: Mapped[int] = mapped_column(default=9 * 60)  # local wall-clock time, minutes after midnight
    weekdays: Mapped[list[int]] = mapped_column(JSONValue)  # 0 = Monday … 6 = Sunday
    until: Mapped[date | None] = mapped_column(Date)  # last day, when it runs for N weeks
    paused_until: Mapped[date | None] = mapped_column(Date)  # first day back
    pause_reason: Mapped[str | None] = mapped_column(String(60))
    suggested_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    next_due_at: Mapped[datetime | None]  # the next reminder not yet materialised (UTC)
    next_due_date: Mapped[date | None] = mapped_column(Date)  # its local date
    used_variations: Mapped[list[int]] = mapped_column(JSONValue, default=list)
    quiet_from: Mapped[date | None] = mapped_column(Date)  # unanswered reminders count after this day
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def move_to(self, status: SubscriptionStatus, *, now: datetime, reason: str | None = None) -> bool:
        """Change the status if the move is allowed; False (and nothing changed) when it is not."""
        if status not in SUBSCRIPTION_MOVES[SubscriptionStatus(self.status)]:
            return False
        self.status, self.pause_reason, self.updated_at = status.value, reason, now
        if status is not SubscriptionStatus.PAUSED:
            self.paused_until = None
        return True


class PracticeDay(Base):
    """A local day a reminder was due: what the person did with it decides the streak."""

    __tablename__ = "practice_days"
    __table_args__ = (UniqueConstraint("subscription_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("practice_subscriptions.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    variation: Mapped[int]
    status: Mapped[str] = mapped_column(String(12))  # a DayStatus
    reflection: Mapped[str | None] = mapped_column(Text)
    delivery_key: Mapped[str] = mapped_column(String(200))
    answered_at: Mapped[datetime | None]
