"""Daily practice: subscriptions to a technique, one row per due local day, and self-ratings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue


class PracticeSubscription(Base):
    __tablename__ = "practice_subscriptions"
    __table_args__ = (Index("ix_practice_subscriptions_next_due", "status", "next_due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    technique_key: Mapped[str] = mapped_column(String(60))
    # suggested (waiting for the person to accept), active, paused (until a date, or after a permanent
    # error), declined, stopped
    status: Mapped[str] = mapped_column(String(12))
    minute_of_day: Mapped[int] = mapped_column(default=9 * 60)  # local wall-clock time, minutes after midnight
    weekdays: Mapped[list[int]] = mapped_column(JSONValue)  # 0 = Monday … 6 = Sunday
    until: Mapped[date | None] = mapped_column(Date)  # last day, when it runs for N weeks
    paused_until: Mapped[date | None] = mapped_column(Date)  # first day back
    pause_reason: Mapped[str | None] = mapped_column(String(60))
    suggested_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    next_due_at: Mapped[datetime | None]  # the next reminder not yet materialised (UTC)
    next_due_date: Mapped[date | None] = mapped_column(Date)  # its local date
    used_variations: Mapped[list[int]] = mapped_column(JSONValue, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PracticeDay(Base):
    """A local day a reminder was due: what the person did with it decides the streak."""

    __tablename__ = "practice_days"
    __table_args__ = (UniqueConstraint("subscription_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("practice_subscriptions.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    variation: Mapped[int]
    # scheduled (no answer yet), done, skipped, snoozed
    status: Mapped[str] = mapped_column(String(12))
    reflection: Mapped[str | None] = mapped_column(Text)
    delivery_key: Mapped[str] = mapped_column(String(200))
    answered_at: Mapped[datetime | None]


class SelfRating(Base):
    """A person's 1-5 rating of their own skill against its rubric (monthly review, challenges)."""

    __tablename__ = "self_ratings"
    __table_args__ = (UniqueConstraint("person_id", "skill_key", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    skill_key: Mapped[str] = mapped_column(String(60))
    rating: Mapped[int]
    occasion: Mapped[str] = mapped_column(String(40))  # e.g. review:2026-12
    created_at: Mapped[datetime]
