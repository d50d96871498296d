"""The worker loop: APScheduler runs the tick every minute in this process."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.scheduling.tick import Tick

log = logging.getLogger(__name__)

TICK_JOB_ID = "tick"


def make_scheduler(tick: Tick, clock: Clock) -> BackgroundScheduler:
    """One interval job in a memory job store: each process ticks on its own, the database keeps it exact."""
    scheduler = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 45},
    )
    scheduler.add_job(
        run_tick_safely,
        "interval",
        minutes=1,
        args=[tick, clock],
        id=TICK_JOB_ID,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def run_tick_safely(tick: Tick, clock: Clock) -> None:
    """A tick that fails (the database went away) is logged in one line; the next one catches up."""
    try:
        report = tick.run(clock.now())
    except SQLAlchemyError as error:
        log.error("tick failed, will catch up next minute: %s", error.__class__.__name__)
        return
    except Exception:
        log.exception("tick failed, will catch up next minute")
        return
    if (report.materialised and any(report.materialised.values())) or report.dispatched.sent or report.errors:
        log.info(report.summary())


def run_until_stopped(scheduler: BackgroundScheduler, stop: threading.Event) -> None:
    scheduler.start()
    try:
        stop.wait()
    finally:
        scheduler.shutdown(wait=True)
