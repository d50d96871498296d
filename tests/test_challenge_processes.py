"""Challenges across worker processes: real `tick --at` subprocesses on SQLite or PostgreSQL send each
check-in exactly once in its thread, and a worker killed in the middle of posting loses and doubles nothing."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.challenges.models import Challenge
from bot.challenges.proposal_types import NewProposal
from bot.clock import ManualClock
from bot.composition import World
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.outbox.models import Delivery
from bot.people.types import TeamMember
from bot.runtime import open_runtime
from bot.sandbox.emulator import SlackEmulator
from tests.harness import FIXTURE, ROOT, bot_env, resolve, rows, wait_for

pytestmark = pytest.mark.slow
MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ZONES = ["Europe/London", "Asia/Kolkata", "America/New_York", "Australia/Sydney"]


def accepted_challenges(settings: Settings, emulator: SlackEmulator, count: int) -> None:
    """`count` people, each with the fixture's challenge accepted and its card posted in their DM."""
    lead_may = {"slack_api_url": emulator.api_url, "challenge_invitations_per_day": count}  # one lead asks them all
    runtime = open_runtime(settings.model_copy(update=lead_may), clock=ManualClock(MONDAY))
    world = World(runtime)
    try:
        sync_content(runtime.sessions, load_content(FIXTURE), now=MONDAY)
        emulator.add_user("U0LEAD", "Lead", tz="Europe/London")
        lead = resolve(world.services.people, TeamMember(emulator.state.team_id, "U0LEAD"))
        users = [f"U{index:04d}" for index in range(count)]
        for index, user_id in enumerate(users):
            emulator.add_user(user_id, user_id, tz=ZONES[index % len(ZONES)])
        for start in range(0, count, 10):  # ten colleagues at most per proposal
            cohort = tuple(users[start : start + 10])
            new = NewProposal(cohort, "three-summaries", "", "", "", None, "", None, None, "", None)
            world.services.challenges.send(lead, world.services.challenges.prepare(lead, new))
        people = [resolve(world.services.people, TeamMember(emulator.state.team_id, user_id)) for user_id in users]
        by_id = {person.person_id: person for person in people}
        for challenge in rows(runtime.sessions, Challenge):
            world.services.challenge_answers.accept(by_id[challenge.person_id], challenge.id, baseline=3, share=False)
        world.tick.run(MONDAY)  # the cards
    finally:
        world.close()


def tick_at(settings: Settings, emulator: SlackEmulator, at: datetime, processes: int) -> list[subprocess.Popen[str]]:
    env = bot_env(settings, emulator, CONTENT_DIR=str(FIXTURE), LOG_LEVEL="WARNING")
    return [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "tick", "--at", at.isoformat()],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]


def finish(running: list[subprocess.Popen[str]]) -> None:
    for process in running:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err


def checkin_posts(emulator: SlackEmulator) -> Counter[tuple[str, str]]:
    """(channel, thread) of every check-in posted, counted."""
    return Counter(
        (str(call.args["channel"]), str(call.args.get("thread_ts")))
        for call in emulator.calls_to("chat.postMessage")
        if call.args.get("thread_ts") and str(call.args.get("text", "")).startswith("Check-in")
    )


def test_several_workers_ticking_the_same_minutes_send_each_checkin_once_in_its_thread(
    settings: Settings, sessions: sessionmaker[Session], emulator: SlackEmulator
) -> None:
    accepted_challenges(settings, emulator, 24)
    instants = sorted({c.next_at for c in rows(sessions, Challenge) if c.next_at is not None})
    assert len(instants) == len(ZONES), "day 3 at 10:00 in each zone"
    for at in instants:
        finish(tick_at(settings, emulator, at, processes=3))
        finish(tick_at(settings, emulator, at, processes=2))  # and the same minute again
    posts = checkin_posts(emulator)
    assert len(posts) == 24 and set(posts.values()) == {1}, "one check-in per challenge, none twice"
    cards = {(d.channel, d.sent_ts) for d in rows(sessions, Delivery, kind="challenge_card") if d.edit_ts is None}
    assert set(posts) == cards, "each in its own challenge's thread"
    sent = [d for d in rows(sessions, Delivery, kind="challenge_checkin")]
    assert len(sent) == 24 and {d.status for d in sent} == {"sent"}


def test_a_worker_killed_while_posting_a_checkin_loses_and_doubles_nothing(
    settings: Settings, sessions: sessionmaker[Session], emulator: SlackEmulator
) -> None:
    accepted_challenges(settings, emulator, 4)
    first = min(c.next_at for c in rows(sessions, Challenge) if c.next_at is not None)
    gate = threading.Event()
    held = emulator.fail("chat.postMessage", "hold_after", gate=gate)  # posted, but the answer never comes
    [worker] = tick_at(settings, emulator, first, processes=1)
    assert held.reached.wait(timeout=60), "the worker claimed the check-in and posted it"
    worker.kill()
    worker.wait(timeout=30)
    gate.set()
    assert len(checkin_posts(emulator)) == 1
    [claimed] = [d for d in rows(sessions, Delivery, kind="challenge_checkin") if d.lease_owner]
    assert claimed.status == "pending", "the dead worker never recorded it"
    later = claimed.lease_until.replace(tzinfo=UTC) if claimed.lease_until else first
    finish(tick_at(settings, emulator, later, processes=2))  # the lease ran out: two workers pick it up
    posts = checkin_posts(emulator)
    assert set(posts.values()) == {1}, "found in the thread by its metadata, not posted again"
    wait_for(lambda: rows(sessions, Delivery, id=claimed.id)[0].status == "sent", timeout=10)
