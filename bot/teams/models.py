"""The last members read from Slack for each team in the content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue


class TeamRoster(Base):
    """A team's members as Slack said when last asked (a channel's or a user group's), by Slack user id."""

    __tablename__ = "team_rosters"

    team_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    source: Mapped[str] = mapped_column(String(40))  # channel:C… or usergroup:S…: a changed source is read again
    members: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    refreshed_at: Mapped[datetime]
