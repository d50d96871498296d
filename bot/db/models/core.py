"""Workspaces, people, processed Slack events and the delivery outbox."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    paused_at: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class Person(Base):
    """Someone in a workspace who has used the bot. Identified by their Slack user id."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    tz_checked_at: Mapped[datetime | None]
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    role_key: Mapped[str | None] = mapped_column(String(60))  # chosen in the Home tab, or guessed from the title
    skills: Mapped[list[str]] = mapped_column(JSONValue, default=list)  # skills the person wants to grow
    followups_enabled: Mapped[bool] = mapped_column(default=True)
    tz_notice_sent: Mapped[bool] = mapped_column(default=False)  # told once that the default zone is used
    unreachable_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ProcessedEvent(Base):
    """Events API ids already handled, so a retried event is processed once."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting, or claimed under a lease
    SENT = "sent"
    FAILED = "failed"  # a permanent error: not retried
    EXPIRED = "expired"  # later than its catch-up window: skipped, not sent at night
    CANCELLED = "cancelled"  # its reason went away (stopped, opted out) before it was sent


class Delivery(Base):
    """One message the bot owes someone: materialised once (unique `key`), sent at most once."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None]  # the row of `kind` that caused it (a subscription, a challenge)
    user_id: Mapped[str | None] = mapped_column(String(32))  # DM target when `channel` is unknown
    channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    not_before: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None]
    in_doubt: Mapped[bool] = mapped_column(default=False)  # an earlier attempt may have posted
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
