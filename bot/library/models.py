"""The library's history: searches, what people opened, and what they said about it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, EnumText, JSONValue
from bot.library.fit import Fit


class Search(Base):
    """Every /learn query with what it found and the kind of answer it got; the ones without a good match are
    unmet needs (the closest only, partly)."""

    __tablename__ = "searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    query: Mapped[str] = mapped_column(String(500))
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue)
    fit: Mapped[Fit] = mapped_column(EnumText(Fit, 10))
    created_at: Mapped[datetime] = mapped_column(index=True)


class ResourceEvent(Base):
    """Something a person did with a resource: shown, opened, tailored, requested (a resource that is missing)."""

    __tablename__ = "resource_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    content_item_id: Mapped[int | None] = mapped_column(ForeignKey("content_items.id"), index=True)
    search_id: Mapped[int | None] = mapped_column(ForeignKey("searches.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class ResourceFeedback(Base):
    """What a person said about a resource, once per source (a second click changes the answer)."""

    __tablename__ = "resource_feedback"
    __table_args__ = (UniqueConstraint("person_id", "content_item_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    content_item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id"), index=True)
    source: Mapped[str] = mapped_column(String(12))  # button, followup
    value: Mapped[str] = mapped_column(String(12))  # helpful, not_helpful, yes, not_yet, no
    updated_at: Mapped[datetime]


class ResourceOpen(Base):
    """The first time a person opened a resource; the two-day follow-up question hangs off it."""

    __tablename__ = "resource_opens"
    __table_args__ = (UniqueConstraint("person_id", "content_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    content_item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id"))
    opened_at: Mapped[datetime] = mapped_column(index=True)
    followup_at: Mapped[datetime | None]  # when the follow-up was scheduled, if it was
