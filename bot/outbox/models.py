"""The delivery outbox table (its states are `DeliveryStatus`, in types)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue
from bot.outbox.types import DeliveryStatus


class Delivery(Base):
    """One message the bot owes someone: materialised once (unique `key`), sent at most once."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "due_at", "id"),)  # the order `claim` takes rows

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None]  # the row of `kind` that caused it (a subscription, a challenge)
    user_id: Mapped[str | None] = mapped_column(String(32))  # DM target when `channel` is unknown
    channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    edit_ts: Mapped[str | None] = mapped_column(String(32))  # a message of the bot's in `channel` to replace
    payload: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    # whose own words the payload carries, when not the recipient's (a proposer's note, a shared summary):
    # forgetting them rewrites or blanks it
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
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
