"""One `ratings` table for every rating of a skill against its 1-5 rubric."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("person_id", "source", "rater", "moment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)  # whose skill
    skill_key: Mapped[str] = mapped_column(String(60))
    rater: Mapped[str] = mapped_column(String(12))  # a types.Rater
    moment: Mapped[str] = mapped_column(String(16))  # a types.Moment
    value: Mapped[int]
    source: Mapped[str] = mapped_column(String(60))  # what it belongs to, e.g. challenge:12
    created_at: Mapped[datetime]
