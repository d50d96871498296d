"""What Slack sent: Events API ids already handled, and requests acknowledged whose work is not done yet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue


class ProcessedEvent(Base):
    """Events API ids already handled, so a retried event is processed once."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class AcceptedRequest(Base):
    """A command or button press acknowledged at the HTTP edge, kept until its work is done.

    Recorded before the 200 goes back to Slack, so a web worker killed after acking loses nothing: once
    the lease runs out, another process replays it. Deleted when done (it holds what the person typed).
    """

    __tablename__ = "accepted_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSONValue)
    received_at: Mapped[datetime]
    lease_owner: Mapped[str] = mapped_column(String(80))
    lease_until: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=1)
