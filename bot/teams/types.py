"""What the teams domain reads from Slack, and what it hands out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Rosters(Protocol):
    """Members as Slack lists them; None when Slack cannot say right now (the last roster is kept)."""

    def channel_members(self, channel: str) -> frozenset[str] | None: ...

    def usergroup_members(self, usergroup: str) -> frozenset[str] | None: ...


@dataclass(frozen=True)
class TeamScope:
    """Whose figures a report may show: a team's people (as the bot knows them), or the whole workspace."""

    key: str | None  # None: the whole workspace
    name: str
    person_ids: frozenset[int] | None  # None: everyone in the workspace
