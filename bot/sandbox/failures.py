"""Failures the emulator can be told to inject, for the tests and benchmarks of the bot's recovery."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Failure:
    """A rule for the next matching calls.

    `mode`: status (HTTP `status`, or 429 with `retry_after`), error (ok=false with `error`), drop (close the
    connection before doing anything), drop_after (do the work, then close without answering), slow (wait
    `delay` seconds first), hold (wait until `gate` is set, then answer normally), hold_after (do the work, then
    wait until `gate` is set before answering).
    """

    method: str
    mode: str
    times: int = 1
    status: int = 500
    error: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    gate: threading.Event | None = None
    channel: str | None = None  # only calls for this channel
    reached: threading.Event = field(default_factory=threading.Event)  # set when a request meets this rule
    finished: threading.Event = field(default_factory=threading.Event)  # set when that request was answered
