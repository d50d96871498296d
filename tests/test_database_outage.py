"""The database goes away mid-tick: the tick fails cleanly, the process stays up, and it catches up."""

from __future__ import annotations

import logging
import socket
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.db import migrate
from bot.db.engine import make_engine, make_session_factory
from bot.outbox.dispatcher import Dispatcher
from bot.sandbox.emulator import SlackEmulator
from bot.scheduling.tick import Tick
from bot.scheduling.worker import run_tick_safely
from bot.slack.notifier import SlackNotifier
from tests.harness import START, add_due_message


def make_tick(sessions: object, emulator: SlackEmulator) -> Tick:
    client = WebClient(token="xoxb-test", base_url=emulator.api_url, retry_handlers=[])
    return Tick(dispatcher=Dispatcher(sessions=sessions, notifier=SlackNotifier(client)))  # type: ignore[arg-type]


def test_a_locked_sqlite_database_fails_the_tick_cleanly_and_the_next_one_catches_up(
    tmp_path: Path, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.add_user("U0ALEX", "Alex")
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}", connect_args={"timeout": 0.2})
    migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    add_due_message(sessions, key=1, due_at=START)
    tick = make_tick(sessions, emulator)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    with caplog.at_level(logging.ERROR):
        run_tick_safely(tick, ManualClock(START + timedelta(minutes=1)))
    assert "tick failed, will catch up next minute: OperationalError" in caplog.text
    assert emulator.dm_messages("U0ALEX") == []
    holder.rollback()
    holder.close()
    run_tick_safely(tick, ManualClock(START + timedelta(minutes=2)))
    assert len(emulator.dm_messages("U0ALEX")) == 1
    engine.dispose()


def test_an_unreachable_database_server_fails_the_tick_cleanly(
    emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{port}/gone", connect_args={"connect_timeout": 1})
    with caplog.at_level(logging.ERROR):
        run_tick_safely(make_tick(make_session_factory(engine), emulator), ManualClock(START))
    assert "tick failed, will catch up next minute: OperationalError" in caplog.text
    engine.dispose()
