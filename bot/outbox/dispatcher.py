"""Send due deliveries: claim under a lease, check before re-sending, record the outcome.

A 429 sets `not_before` (no thread sleeps); an unclear outcome is retried with backoff after checking
Slack for the delivery's metadata; permanent errors stop the target or pause the workspace.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from time import monotonic

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.outbox import repository as outbox
from bot.outbox.lateness import WorkingHours, waiting
from bot.outbox.models import Delivery
from bot.outbox.types import (
    DeliveryStatus,
    Notifier,
    NotPosted,
    OutgoingMessage,
    Posted,
    PostOutcome,
    RateLimited,
    Rejected,
    Target,
    TargetGone,
    Unclear,
    Undeliverable,
    WorkspaceBlocked,
)
from bot.people import service as people

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

# Called in the same transaction when a kind's target is gone, e.g. to pause a subscription.
TargetGoneHook = Callable[[Session, Undeliverable], None]


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min, 2 min … capped at 15 minutes."""
    return timedelta(seconds=min(15 * 2 ** max(attempts - 1, 0), 900))


@dataclass
class DispatchReport:
    sent: int = 0
    found: int = 0  # an earlier attempt had posted it: recorded, not re-sent
    retrying: int = 0
    failed: int = 0
    expired: int = 0
    paused_workspaces: set[int] = field(default_factory=set)  # paused during this run
    held_channels: dict[str, datetime] = field(default_factory=dict)  # rate-limited during this run, until

    def add(self, other: DispatchReport) -> None:
        """Fold a later run of the same tick into this report."""
        self.sent += other.sent
        self.found += other.found
        self.retrying += other.retrying
        self.failed += other.failed
        self.expired += other.expired
        self.paused_workspaces |= other.paused_workspaces
        self.held_channels.update(other.held_channels)


@dataclass(frozen=True)
class _Attempt:
    delivery: Delivery
    outcome: PostOutcome
    found: bool = False  # an earlier attempt had posted it
    doubt: bool = False  # the check against Slack failed: it stays in doubt


@dataclass
class Dispatcher:
    sessions: sessionmaker[Session]
    notifier: Notifier
    lease: timedelta = timedelta(seconds=60)
    batch: int = 100  # rows claimed at once: per-batch SQL and commits are amortised over them
    concurrency: int = 4  # requests in flight at once (never two for the same channel)
    on_target_gone: Mapping[str, TargetGoneHook] = field(default_factory=dict)
    hours: WorkingHours = field(default_factory=WorkingHours)  # where a late message waits for the morning
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")

    def dispatch_due(self, now: datetime, *, budget: float | None = None) -> DispatchReport:
        """Send everything due at `now`; returns when nothing claimable is left (or, with `budget`, once that
        many seconds have gone: the batch under way is finished, the rest is left to the next call).

        Each claimed batch is sent with a few requests in flight (one at a time per channel, so a channel's
        pace is kept) and its outcomes are recorded in one transaction. A worker that dies between sending
        and recording leaves rows in doubt; the check against Slack before any re-send covers them.
        """
        report = DispatchReport()
        started = monotonic()
        with transaction(self.sessions) as session:
            report.expired = outbox.expire_overdue(session, now=now)
        while budget is None or monotonic() - started < budget:
            with transaction(self.sessions) as session:
                claimed = outbox.claim(session, owner=self.owner, now=now, lease=self.lease, limit=self.batch)
                claimed = self._not_at_night(session, claimed, now)
            if not claimed:
                return report
            groups: dict[str, list[Delivery]] = {}
            for delivery in claimed:
                groups.setdefault(delivery.channel or f"user:{delivery.user_id}", []).append(delivery)
            sent = [
                attempt
                for group in self._pool.map(lambda g: self._send_group(g, now, report), groups.values())
                for attempt in group
            ]
            with transaction(self.sessions) as session:
                self._record_posted(session, [a for a in sent if isinstance(a.outcome, Posted)], now, report)
                for attempt in sent:
                    if not isinstance(attempt.outcome, Posted):
                        self._record(session, attempt, now, report)
        return report

    def _not_at_night(self, session: Session, claimed: list[Delivery], now: datetime) -> list[Delivery]:
        """Late messages that would reach their person outside working hours go back, due then instead."""
        later = waiting(session, claimed, now, self.hours)
        for delivery in claimed:
            if delivery.id in later:
                outbox.release(
                    session,
                    delivery.id,
                    owner=self.owner,
                    not_before=later[delivery.id],
                    in_doubt=delivery.in_doubt,
                    error="late: waits for the person's working hours",
                )
        return [delivery for delivery in claimed if delivery.id not in later]

    @cached_property
    def _pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="dispatch")

    def next_due(self, after: datetime) -> datetime | None:
        """When the next pending row becomes claimable after `after`."""
        with self.sessions() as session:
            return outbox.next_pending_after(session, after)

    def close(self) -> None:
        """Wait for posts in flight (each bounded by the client's timeout), then stop the pool."""
        if "_pool" in self.__dict__:
            self._pool.shutdown(wait=True)

    def _send_group(self, group: list[Delivery], now: datetime, report: DispatchReport) -> list[_Attempt]:
        """One channel's rows, in order; after a 429 or a revoked token the rest are handed back untried."""
        attempts: list[_Attempt] = []
        stop: PostOutcome | None = None
        for delivery in group:
            if stop is None and delivery.workspace_id in report.paused_workspaces:
                stop = NotPosted("workspace paused")
            if stop is None and delivery.channel in report.held_channels:
                wait = (report.held_channels[delivery.channel] - now).total_seconds()
                stop = RateLimited(retry_after=wait, channel=delivery.channel)
            if stop is not None:
                attempts.append(_Attempt(delivery, stop))
                continue
            attempt = self._attempt(delivery)
            attempts.append(attempt)
            if isinstance(attempt.outcome, RateLimited):
                stop = attempt.outcome
            elif isinstance(attempt.outcome, WorkspaceBlocked):
                stop = NotPosted("workspace paused")
        return attempts

    def _attempt(self, delivery: Delivery) -> _Attempt:
        target = Target(
            user_id=delivery.user_id, channel=delivery.channel, thread_ts=delivery.thread_ts, edit_ts=delivery.edit_ts
        )
        if delivery.in_doubt and not delivery.edit_ts:
            earlier = self.notifier.find_posted(target, delivery_id=delivery.id, since=delivery.created_at)
            if isinstance(earlier, Posted):
                return _Attempt(delivery, earlier, found=True)
            if earlier is not None:  # the lookup failed: still in doubt
                return _Attempt(delivery, earlier, doubt=True)
        message = OutgoingMessage(
            text=str(delivery.payload.get("text", "")),
            blocks=delivery.payload.get("blocks"),
            delivery_id=delivery.id,
        )
        return _Attempt(delivery, self.notifier.post(target, message))

    def _record_posted(self, session: Session, attempts: list[_Attempt], now: datetime, report: DispatchReport) -> None:
        """Everything that reached Slack, recorded with its ts in two statements for the whole batch."""
        posted = [(a, a.outcome) for a in attempts if isinstance(a.outcome, Posted)]
        recorded = outbox.mark_sent_many(
            session, [(a.delivery.id, p.channel, p.ts) for a, p in posted], owner=self.owner, now=now
        )
        people.remember_dm_channels(
            session,
            [
                (a.delivery.person_id, p.channel)
                for a, p in posted
                if a.delivery.person_id is not None and a.delivery.channel is None and p.channel.startswith("D")
            ],
        )
        for attempt, outcome in posted:
            if attempt.delivery.id not in recorded:
                log.warning("delivery %s: lease lost before recording ts %s", attempt.delivery.id, outcome.ts)
            elif attempt.found:
                report.found += 1
            else:
                report.sent += 1

    def _record(self, session: Session, attempt: _Attempt, now: datetime, report: DispatchReport) -> None:
        """Store what happened. `doubt` keeps the row in doubt whatever the outcome says."""
        delivery, doubt = attempt.delivery, attempt.doubt
        match attempt.outcome:
            case Posted():
                self._record_posted(session, [attempt], now, report)
            case RateLimited(retry_after=seconds, channel=channel):
                until = now + timedelta(seconds=seconds)
                self._retry(session, delivery, until, doubt, "rate_limited", channel)
                if channel:
                    outbox.defer_channel(session, channel, until)
                    report.held_channels[channel] = until
                report.retrying += 1
            case NotPosted(reason=reason):
                self._retry(session, delivery, now + backoff(delivery.attempts), doubt, reason, None)
                report.retrying += 1
            case Unclear(reason=reason, channel=channel):
                self._retry(session, delivery, now + backoff(delivery.attempts), True, reason, channel)
                report.retrying += 1
            case TargetGone(code=code, person=person_gone):
                self._target_gone(session, delivery, code, person_gone, now)
                report.failed += 1
            case WorkspaceBlocked(code=code):
                if delivery.workspace_id not in report.paused_workspaces:
                    log.error("workspace %s paused: Slack said %s", delivery.workspace_id, code)
                people.pause_workspace(session, delivery.workspace_id, reason=code, now=now)
                report.paused_workspaces.add(delivery.workspace_id)
                outbox.release(
                    session, delivery.id, owner=self.owner, not_before=now, in_doubt=delivery.in_doubt, error=code
                )
                report.retrying += 1
            case Rejected(code=code):
                log.error("delivery %s (%s) rejected by Slack: %s", delivery.id, delivery.kind, code)
                outbox.finish(session, delivery.id, owner=self.owner, status=DeliveryStatus.FAILED, error=code)
                report.failed += 1

    def _retry(
        self,
        session: Session,
        delivery: Delivery,
        not_before: datetime,
        in_doubt: bool,
        reason: str,
        channel: str | None,
    ) -> None:
        if delivery.attempts >= MAX_ATTEMPTS:
            log.error("delivery %s gave up after %s attempts: %s", delivery.id, delivery.attempts, reason)
            outbox.finish(session, delivery.id, owner=self.owner, status=DeliveryStatus.FAILED, error=reason)
            return
        log.info("delivery %s will be retried after %s: %s", delivery.id, not_before.isoformat(), reason)
        outbox.release(
            session,
            delivery.id,
            owner=self.owner,
            not_before=not_before,
            in_doubt=in_doubt,
            error=reason,
            channel=channel,
        )

    def _target_gone(self, session: Session, delivery: Delivery, code: str, person_gone: bool, now: datetime) -> None:
        log.warning("delivery %s (%s): target gone (%s)", delivery.id, delivery.kind, code)
        outbox.finish(session, delivery.id, owner=self.owner, status=DeliveryStatus.FAILED, error=code)
        if person_gone and delivery.person_id is not None:
            people.mark_unreachable(session, delivery.person_id, now=now)
            outbox.cancel_pending(session, person_id=delivery.person_id, reason=code)
        hook = self.on_target_gone.get(delivery.kind)
        if hook is not None:
            hook(session, Undeliverable(delivery.kind, delivery.subject_id, delivery.person_id, code, now))
