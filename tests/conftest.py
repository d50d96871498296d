"""Fixtures: a real database (SQLite, or PostgreSQL from TEST_DATABASE_URL), the Slack emulator, sandboxes
with content, people in them, and processes started by a test. The helpers are in `tests/harness.py`."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.composition import World
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.db import migrate
from bot.db.engine import make_engine, make_session_factory
from bot.runtime import open_runtime
from bot.sandbox.driver import SlackDriver, http_transport
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.session import Sandbox, open_sandbox
from bot.schema import tables
from bot.slack.executor import TrackingExecutor
from bot.slack.http_server import serve_in_thread
from tests.harness import FIXTURE, ROOT, START, Person, Server, free_port, fresh_database_url, synced_sandbox


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = fresh_database_url(tmp_path_factory.mktemp("db"), "test")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on the migrated test database; every table is emptied after the test."""
    yield make_session_factory(engine)
    with engine.begin() as connection:
        for table in reversed(tables()):
            connection.execute(table.delete())


@pytest.fixture
def settings(database_url: str, sessions: sessionmaker[Session]) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr("test-signing-secret"),
        content_dir=ROOT / "content",
        default_timezone="Europe/London",
    )


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator(token="xoxb-test") as emulator:
        yield emulator


@pytest.fixture
def server(settings: Settings, emulator: SlackEmulator) -> Iterator[Server]:
    """The bot in HTTP mode on a loopback port, Alex known to the emulator, requests signed by the driver."""
    emulator.add_user("U0ALEX", "Alex Rivera", title="Engineering Manager")
    settings = settings.model_copy(update={"slack_api_url": emulator.api_url})
    executor = TrackingExecutor()
    world = World(open_runtime(settings), executor=executor)
    httpd = serve_in_thread(world.wsgi, port=0, host="127.0.0.1")
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    secret = settings.secret("slack_signing_secret")
    driver = SlackDriver(emulator=emulator, signing_secret=secret, transport=http_transport(url + "/slack/events"))
    yield Server(url=url, driver=driver, world=world, executor=executor)
    httpd.shutdown()
    executor.shutdown()
    world.close()


@pytest.fixture
def sandbox(settings: Settings) -> Iterator[Sandbox]:
    """A bot on the emulator with no content synced."""
    with open_sandbox(settings, start=START) as sandbox:
        yield sandbox


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of the small test content, with a workspace holiday, that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    (target / "calendar.yaml").write_text("holidays:\n  - date: 2026-12-25\n    name: Christmas Day\n")
    return target


@pytest.fixture
def bot(settings: Settings, content_dir: Path) -> Iterator[Sandbox]:
    """A bot on the emulator with the test content synced, its clock on Tuesday 24 November 08:00 UTC."""
    with synced_sandbox(settings, content_dir) as sandbox:
        yield sandbox


@pytest.fixture
def shipped(settings: Settings) -> Iterator[Sandbox]:
    """A bot with the content this repository ships."""
    with open_sandbox(settings, start=START) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(ROOT / "content"), now=START)
        yield sandbox


@pytest.fixture
def alex(bot: Sandbox) -> Person:
    """Alex Rivera, Engineering Manager, in London."""
    return Person(bot, "U0ALEX")


@pytest.fixture
def sam(bot: Sandbox) -> Person:
    """Sam Chen, Software Engineer, in New York."""
    return Person(bot, "U0SAM")


@pytest.fixture(name="free_port")
def free_port_fixture() -> int:
    return free_port()


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; whatever is still running at the end is killed."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


# challenges are proposed and lived by people with the shipped content
@pytest.fixture
def manager(shipped: Sandbox) -> Person:
    return Person(shipped, "U0ALEX")  # London, Engineering Manager


@pytest.fixture
def report(shipped: Sandbox) -> Person:
    return Person(shipped, "U0SAM")  # New York, Software Engineer


@pytest.fixture
def other(shipped: Sandbox) -> Person:
    return Person(shipped, "U0PRIYA")  # Kolkata, Account Executive
