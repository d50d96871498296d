"""One `ratings` table for every rating of a skill against its 1-5 rubric: challenges' (baseline, after,
thinking back, the proposer's, did it stick) and the practice's monthly review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, EnumText
from bot.measurement.types import Moment, Rater


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("person_id", "skill_key", "source", "rater", "moment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)  # whose skill
    skill_key: Mapped[str] = mapped_column(String(60))
    rater: Mapped[Rater] = mapped_column(EnumText(Rater, 12))
    moment: Mapped[Moment] = mapped_column(EnumText(Moment, 16))
    value: Mapped[int]
    source: Mapped[str] = mapped_column(String(60))  # what it belongs to: challenge:12, review:2026-12
    created_at: Mapped[datetime]
