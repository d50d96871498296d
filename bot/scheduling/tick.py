"""One tick: materialise what is due into the outbox, then dispatch everything due by then."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.outbox.dispatcher import Dispatcher, DispatchReport

log = logging.getLogger(__name__)


class Materialiser(Protocol):
    name: str

    def materialise(self, now: datetime) -> int:
        """Insert-or-ignore the deliveries due around `now` (in transactions of its own); how many were new."""
        ...

    def next_due(self, after: datetime) -> datetime | None:
        """The first instant after `after` at which this materialiser will have something to do."""
        ...


@dataclass
class TickReport:
    at: datetime
    materialised: dict[str, int] = field(default_factory=dict)
    dispatched: DispatchReport = field(default_factory=DispatchReport)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        made = sum(self.materialised.values())
        d = self.dispatched
        text = (
            f"tick {self.at.isoformat()}: {made} materialised, {d.sent} sent, {d.found} found already sent, "
            f"{d.retrying} to retry, {d.failed} failed, {d.expired} expired"
        )
        return text + (f", errors: {'; '.join(self.errors)}" if self.errors else "")


@dataclass
class Tick:
    dispatcher: Dispatcher
    materialisers: Sequence[Materialiser] = ()
    chores: Sequence[Callable[[datetime], object]] = ()  # work outside any transaction (e.g. asking Slack)

    def run(self, now: datetime) -> TickReport:
        """Run one tick as of `now`: what is due already goes first (nothing due waits on planning or on a
        model), then materialising, chores, and what they made due. A failing materialiser is logged and
        does not stop the others."""
        report = TickReport(at=now)
        report.dispatched = self.dispatcher.dispatch_due(now)
        for materialiser in self.materialisers:
            try:
                report.materialised[materialiser.name] = materialiser.materialise(now)
            except Exception as error:
                log.exception("materialiser %s failed", materialiser.name)
                report.errors.append(f"{materialiser.name}: {error.__class__.__name__}")
        for chore in self.chores:
            try:
                chore(now)
            except Exception as error:
                log.exception("chore %s failed", getattr(chore, "__name__", chore))
                report.errors.append(f"{getattr(chore, '__name__', 'chore')}: {error.__class__.__name__}")
        report.dispatched.add(self.dispatcher.dispatch_due(now))
        return report

    def next_due(self, after: datetime) -> datetime | None:
        """The next instant after `after` when a tick would have work: lets the sandbox jump through time."""
        candidates = [m.next_due(after) for m in self.materialisers]
        candidates.append(self.dispatcher.next_due(after))
        found = [instant for instant in candidates if instant is not None and instant > after]
        return min(found) if found else None
