"""Sending soon what a person's action queued for now (a challenge's card once accepted, a shared summary),
instead of at the next tick: the dispatcher runs once more in the background, on a thread of its own and for
a few seconds at most (at 09:00, with thousands of reminders due, the tick's workers do the bulk). Leases
make it safe beside the tick and other processes; requests that come while one is waiting share it."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor

from bot.clock import Clock
from bot.outbox.dispatcher import Dispatcher

log = logging.getLogger(__name__)
BUDGET = 5.0  # seconds of sending per request for it


class SendSoon:
    def __init__(self, *, dispatcher: Dispatcher, clock: Clock, executor: Executor) -> None:
        self._dispatcher = dispatcher
        self._clock = clock
        self._executor = executor
        self._lock = threading.Lock()
        self._waiting = False

    def __call__(self) -> None:
        with self._lock:
            if self._waiting:
                return
            self._waiting = True
        try:
            self._executor.submit(self._run)
        except RuntimeError:  # shutting down: the next tick sends it
            with self._lock:
                self._waiting = False

    def _run(self) -> None:
        with self._lock:
            self._waiting = False
        try:
            self._dispatcher.dispatch_due(self._clock.now(), budget=BUDGET)
        except Exception:
            log.warning("sending at once failed; the next tick sends it", exc_info=False)
