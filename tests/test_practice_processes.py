"""Several worker processes, one reminder: real `tick --at` subprocesses on SQLite or PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import ManualClock
from bot.composition import World
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.outbox.models import Delivery
from bot.people.types import TeamMember
from bot.runtime import open_runtime
from bot.sandbox.emulator import SlackEmulator
from tests.harness import FIXTURE, ROOT, bot_env, resolve

pytestmark = pytest.mark.slow
MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def subscribe(settings: Settings, emulator: SlackEmulator, people: list[tuple[str, str]]) -> None:
    runtime = open_runtime(settings.model_copy(update={"slack_api_url": emulator.api_url}), clock=ManualClock(MONDAY))
    world = World(runtime)
    try:
        sync_content(runtime.sessions, load_content(FIXTURE), now=MONDAY)
        for user_id, zone in people:
            emulator.add_user(user_id, user_id, tz=zone)
            person = resolve(world.services.people, TeamMember(emulator.state.team_id, user_id))
            world.services.practice.start(person, "active-listening")
    finally:
        world.close()


def ticks_at_once(settings: Settings, emulator: SlackEmulator, at: str, processes: int) -> list[str]:
    env = bot_env(settings, emulator, CONTENT_DIR=str(FIXTURE), LOG_LEVEL="WARNING")
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "tick", "--at", at],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = []
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def test_three_workers_ticking_the_same_minutes_send_exactly_one_reminder_each(
    settings: Settings, sessions: sessionmaker[Session], emulator: SlackEmulator
) -> None:
    people = [
        (f"U{index:04d}", zone)
        for index, zone in enumerate(["Europe/London", "Asia/Kolkata", "America/New_York", "Pacific/Kiritimati"] * 10)
    ]
    subscribe(settings, emulator, people)
    # Tuesday 09:00 is Mon 19:00Z in Kiritimati, 03:30Z in Kolkata, 09:00Z in London, 14:00Z in New York
    for at in (
        "2026-11-23T18:30:00Z",
        "2026-11-23T19:00:00Z",
        "2026-11-24T03:30:00Z",
        "2026-11-24T09:00:00Z",
        "2026-11-24T14:00:00Z",
    ):
        ticks_at_once(settings, emulator, at, processes=3)
        ticks_at_once(settings, emulator, at, processes=2)  # and the same minute again
    posts = Counter(call.args["channel"] for call in emulator.calls_to("chat.postMessage"))
    assert len(posts) == len(people), "everyone got their Tuesday reminder"
    assert set(posts.values()) == {1}, "nobody got two"
    with sessions() as session:
        assert session.query(Delivery).filter_by(kind="practice", status="sent").count() == len(people)


def test_tick_at_walks_across_the_spring_forward_gap(
    settings: Settings, sessions: sessionmaker[Session], emulator: SlackEmulator
) -> None:
    runtime = open_runtime(
        settings.model_copy(update={"slack_api_url": emulator.api_url}),
        clock=ManualClock(datetime(2026, 3, 7, 5, tzinfo=UTC)),
    )
    world = World(runtime)
    try:
        sync_content(runtime.sessions, load_content(FIXTURE), now=runtime.clock.now())
        emulator.add_user("U0NY", "Nia", tz="America/New_York")
        person = resolve(world.services.people, TeamMember(emulator.state.team_id, "U0NY"))
        world.services.practice.start(person, "active-listening", minute_of_day=150, weekdays=tuple(range(7)))
    finally:
        world.close()
    env = bot_env(settings, emulator, CONTENT_DIR=str(FIXTURE))
    # Sat 02:30 EST; Sun 02:30 EDT would be 06:30Z but does not exist; Sun 03:30 EDT; Sun again; Mon 02:30 EDT
    for at in (
        "2026-03-07T07:30:00Z",
        "2026-03-08T06:30:00Z",
        "2026-03-08T07:30:00Z",
        "2026-03-08T08:30:00Z",
        "2026-03-09T06:30:00Z",
    ):
        subprocess.run(
            [sys.executable, "-m", "bot", "tick", "--at", at], env=env, cwd=ROOT, check=True, capture_output=True
        )
    with sessions() as session:
        sent = [
            (d.key.rsplit(":", 1)[1], f"{d.sent_at:%d %H:%M}")
            for d in session.query(Delivery).order_by(Delivery.due_at)
        ]
    assert sent == [("2026-03-07", "07 07:30"), ("2026-03-08", "08 07:30"), ("2026-03-09", "09 06:30")], (
        "02:30 EST, then 03:30 EDT (02:30 does not exist that day), then 02:30 EDT"
    )
    assert len(emulator.dm_messages("U0NY")) == 3
