"""Workspaces and the people in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
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
