"""What the people domain hands to the rest of the bot: frozen values and the Directory it reads from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Profile:
    """What the directory (Slack users.info) says about someone."""

    name: str
    title: str
    tz: str | None
    deleted: bool = False
    exists: bool = True  # False: the directory knows nobody of that id
    admin: bool = False  # a workspace admin or owner


class Directory(Protocol):
    def profile(self, user_id: str) -> Profile | None:
        """The person's profile, or None when the directory cannot say right now."""
        ...


@dataclass(frozen=True)
class PersonRef:
    """A person as the rest of the bot knows them: resolved once per request, read by every domain."""

    workspace_id: int
    person_id: int
    slack_user_id: str
    display_name: str = ""
    title: str = ""
    tz: str | None = None
    is_new: bool = False
    role_key: str | None = None
    skills: tuple[str, ...] = ()
    followups_enabled: bool = True
    team_id: str = ""
    dm_channel_id: str | None = None  # known once a DM has been sent
    opted_out: bool = False  # asked for no messages from the bot
    unreachable: bool = False  # gone from Slack (deactivated, deleted)

    @classmethod
    def from_row(cls, row: Any, *, person_id: int, team_id: str, is_new: bool = False) -> PersonRef:
        """From a `people` row (the model, or a row of `audience.recipients()`), which carries the rest."""
        return cls(
            workspace_id=row.workspace_id,
            person_id=person_id,
            slack_user_id=row.slack_user_id,
            display_name=row.display_name,
            title=row.title,
            tz=row.tz,
            is_new=is_new,
            role_key=row.role_key,
            skills=tuple(row.skills or ()),
            followups_enabled=row.followups_enabled,
            team_id=team_id,
            dm_channel_id=row.dm_channel_id,
            opted_out=getattr(row, "opted_out_at", None) is not None,
            unreachable=getattr(row, "unreachable_at", None) is not None,
        )


@dataclass(frozen=True)
class TeamMember:
    """Who a request came from before the bot knows them: a Slack team and user id."""

    team_id: str
    user_id: str
