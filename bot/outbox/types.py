"""The outbox's values: a delivery to materialise, the Notifier protocol and the outcomes it reports.

Outcomes are values, not exceptions, so the dispatcher can decide retry, pause or give up in one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.localtime import working_time
from bot.outbox.keys import DeliveryKey
from bot.people.types import PersonRef

Payload = dict[str, Any]  # {"text": fallback text, "blocks": [...]}, exactly what is sent


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting, or claimed under a lease
    SENT = "sent"
    FAILED = "failed"  # a permanent error: not retried
    EXPIRED = "expired"  # later than its catch-up window: skipped, not sent at night
    CANCELLED = "cancelled"  # its reason went away (stopped, opted out) before it was sent


# Only a pending delivery changes state; every other state is final. The repository's updates all say
# `WHERE status = 'pending'`, so a row is never moved twice, whichever process gets there first.
TRANSITIONS: dict[DeliveryStatus, frozenset[DeliveryStatus]] = {
    DeliveryStatus.PENDING: frozenset(
        {DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.EXPIRED, DeliveryStatus.CANCELLED}
    ),
}
NOT_DELIVERED = frozenset({DeliveryStatus.FAILED, DeliveryStatus.EXPIRED, DeliveryStatus.CANCELLED})


@dataclass(frozen=True)
class NewDelivery:
    """A piece of due work. `key` is unique: materialising the same key again does nothing."""

    key: DeliveryKey
    workspace_id: int
    payload: Payload
    due_at: datetime
    expires_at: datetime
    person_id: int | None = None
    subject_id: int | None = None
    user_id: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    edit_ts: str | None = None  # replace this message in `channel` (chat.update) instead of posting
    author_id: int | None = None  # whose own words it carries, when not the recipient's

    @property
    def kind(self) -> str:
        return self.key.kind

    @classmethod
    def to_person(
        cls,
        person: PersonRef,
        *,
        key: DeliveryKey,
        payload: Payload,
        due_at: datetime,
        expires_at: datetime,
        subject_id: int | None = None,
    ) -> NewDelivery:
        """A DM to `person` (through their known DM channel, else opened when sent); it is about `subject_id`,
        by default the key's subject."""
        return cls(
            key=key,
            workspace_id=person.workspace_id,
            person_id=person.person_id,
            subject_id=key.subject if subject_id is None else subject_id,
            user_id=person.slack_user_id,
            channel=person.dm_channel_id,
            payload=payload,
            due_at=due_at,
            expires_at=expires_at,
        )

    @classmethod
    def in_working_hours(
        cls,
        person: PersonRef,
        *,
        key: DeliveryKey,
        payload: Payload,
        now: datetime,
        tz: ZoneInfo,
        holidays: frozenset[date],
        reach: timedelta,
    ) -> NewDelivery:
        """A DM from a colleague's doing (a suggestion, a proposal, an answer): due at the first working hour
        where the person is, never at 03:00, and not sent once `reach` has passed."""
        due = working_time(now, tz, holidays)
        return cls.to_person(person, key=key, payload=payload, due_at=due, expires_at=due + reach)


@dataclass(frozen=True)
class Pending:
    """A delivery not sent yet and not being sent right now."""

    id: int
    key: DeliveryKey
    due_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Undeliverable:
    """A delivery that can never reach its target, told to the domain that made it."""

    kind: str
    subject_id: int | None
    person_id: int | None
    code: str
    at: datetime


@dataclass(frozen=True)
class Target:
    """Where a message goes: a channel (optionally a thread in it), or a person's DM."""

    user_id: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    edit_ts: str | None = None  # an edit of this message in `channel`: idempotent, so never looked up


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
    """The person or channel cannot receive messages any more (user_not_found, is_archived…).

    `person` is True when the person themselves is gone (deactivated, deleted), not just a channel."""

    code: str
    person: bool = False


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
