"""How the domain sends messages: a Notifier protocol and the outcomes it reports.

Outcomes are values, not exceptions, so the dispatcher can decide retry, pause or give up in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Target:
    """Where a message goes: a channel (optionally a thread in it), or a person's DM."""

    user_id: str | None = None
    channel: str | None = None
    thread_ts: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    text: str
    blocks: list[dict[str, Any]] | None = None
    delivery_id: int | None = None  # carried as message metadata so a lost response can be checked


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class RateLimited:
    """Slack said 429: nothing was posted; try again after `retry_after` seconds."""

    retry_after: float
    channel: str | None = None


@dataclass(frozen=True)
class Unclear:
    """Timeout, dropped connection or 5xx: the message may or may not have been posted."""

    reason: str
    channel: str | None = None


@dataclass(frozen=True)
class NotPosted:
    """A transient failure that certainly posted nothing (for example, opening the DM failed)."""

    reason: str


@dataclass(frozen=True)
class TargetGone:
    """The person or channel cannot receive messages any more (user_not_found, is_archived…)."""

    code: str


@dataclass(frozen=True)
class WorkspaceBlocked:
    """The token no longer works for the whole workspace (token_revoked, account_inactive…)."""

    code: str


@dataclass(frozen=True)
class Rejected:
    """Slack refused the message itself (invalid_blocks, msg_too_long, missing_scope): a bug."""

    code: str


PostOutcome = Posted | RateLimited | Unclear | NotPosted | TargetGone | WorkspaceBlocked | Rejected


class Notifier(Protocol):
    def post(self, target: Target, message: OutgoingMessage) -> PostOutcome:
        """Post once, without retrying, and say what happened."""
        ...

    def find_posted(self, target: Target, *, delivery_id: int, since: datetime) -> PostOutcome | None:
        """Look in Slack for a message carrying `delivery_id`: Posted if found, None if surely absent,
        another outcome when the lookup itself failed."""
        ...
