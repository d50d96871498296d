"""What the Slack emulator holds: users, messages and threads, ephemeral messages, views."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.sandbox.errors import SlackMethodError


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    edited: bool = False
    first_text: str = ""  # the text it was posted with, before any update
    files: list[dict[str, Any]] = field(default_factory=list)  # shared with it (files.completeUploadExternal)

    def __post_init__(self) -> None:
        self.first_text = self.first_text or self.text

    def as_api(self, *, with_metadata: bool) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "message", "user": self.user, "text": self.text, "ts": self.ts}
        if self.blocks:
            data["blocks"] = self.blocks
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        if self.files:
            data["files"], data["subtype"] = self.files, "file_share"
        if with_metadata and self.metadata:
            data["metadata"] = self.metadata
        return data


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    id: int = 0
    deleted: bool = False


@dataclass
class View:
    id: str
    user: str
    view: dict[str, Any]
    kind: str  # modal or home
    version: int = 1
    closed: bool = False


@dataclass
class File:
    """An upload: announced (files.getUploadURLExternal), its bytes sent to the upload URL, then shared."""

    id: str
    name: str
    length: int  # the size announced
    content: bytes | None = None  # what reached the upload URL
    title: str = ""
    shared: bool = False

    def as_api(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "title": self.title or self.name, "size": self.length}


@dataclass
class Channel:
    """A channel or private channel (not a DM). The bot posts in a public one with chat:write.public; in a
    private one only once it was invited (`bot_member`)."""

    id: str
    name: str
    private: bool = False
    bot_member: bool = False
    archived: bool = False
    members: list[str] = field(default_factory=list)


@dataclass
class User:
    id: str
    name: str
    tz: str | None = "Europe/London"
    title: str = ""
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False

    def as_api(self, team_id: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": team_id,
            "name": self.name.lower().replace(" ", "."),
            "real_name": self.name,
            "deleted": self.deleted,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "profile": {"title": self.title, "real_name": self.name, "display_name": self.name},
        }
        if self.tz is not None:
            data["tz"] = self.tz
        return data


class SlackState:
    """Everything the emulator holds. Guarded by one lock; read through the accessors."""

    def __init__(self, *, team_id: str, bot_user_id: str, clock: Callable[[], datetime]) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.clock = clock
        self.lock = threading.RLock()
        self.calls: list[Call] = []
        self.users: dict[str, User] = {}
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        self.home: dict[str, str] = {}
        self.dm_channels: dict[str, str] = {}
        self.channels: dict[str, Channel] = {}
        self.usergroups: dict[str, list[str]] = {}  # a user group's id: its members
        self.files: dict[str, File] = {}
        self.base_url = ""  # where the emulator answers (upload URLs point there)
        self._dm_set: set[str] = set()
        self.response_urls: dict[str, tuple[str, str, str | None]] = {}  # channel, user, message ts
        self._seq = itertools.count(1)

    def next_ts(self) -> str:
        return f"{int(self.clock().timestamp())}.{next(self._seq):06d}"

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._seq):08d}"

    def dm_channel(self, user_id: str) -> str:
        if user_id not in self.users:
            raise SlackMethodError("user_not_found")
        if self.users[user_id].deleted:
            raise SlackMethodError("user_disabled")
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = "D" + user_id.removeprefix("U").removeprefix("W")
            self._dm_set.add(self.dm_channels[user_id])
        return self.dm_channels[user_id]

    def is_dm(self, channel: str) -> bool:
        return channel in self._dm_set

    def postable(self, channel: str) -> str:
        """The channel the bot may post in, or the error Slack gives."""
        if channel.startswith(("U", "W")):
            return self.dm_channel(channel)
        if channel.startswith("D"):
            if not self.is_dm(channel):
                raise SlackMethodError("channel_not_found")
            return channel
        found = self.channels.get(channel)
        if found is None:
            raise SlackMethodError("channel_not_found")
        if found.archived:
            raise SlackMethodError("is_archived")
        if found.private and not found.bot_member:
            raise SlackMethodError("not_in_channel")
        return channel


_MENTION = re.compile(r"(?<!\S)@([A-Za-z0-9][\w.\-]*)")  # an @ that starts a word


def escaped_command_text(state: SlackState, text: str) -> str:
    """What Slack sends for a command with `should_escape: true`: `&`, `<`, `>` escaped, and `@name` for a
    person of the workspace (their user id, name or first name, any case) as `<@U…|name>`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def mention(match: re.Match[str]) -> str:
        wanted = match.group(1).lower()
        for user in state.users.values():
            names = {
                user.id.lower(),
                user.name.lower(),
                user.name.split()[0].lower(),
                user.name.lower().replace(" ", "."),
            }
            if wanted in names:
                return f"<@{user.id}|{user.name.lower().replace(' ', '.')}>"
        return match.group(0)  # nobody of that name: Slack leaves the text as typed

    return _MENTION.sub(mention, text)
