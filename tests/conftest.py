"""Fixtures: a real database (SQLite, or PostgreSQL from TEST_DATABASE_URL), the Slack emulator, a sandbox."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db import migrate
from bot.db.base import Base
from bot.db.engine import make_engine, make_session_factory
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.session import Sandbox, open_sandbox

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a Tuesday


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def fresh_database_url(tmp_dir: Path, name: str) -> str:
    """A new, empty database: a SQLite file, or a PostgreSQL database created on TEST_DATABASE_URL's server."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_dir / (name + '.db')}"
    url = make_url(Settings(database_url=server, _env_file=None).database_url)
    database = f"learnbot_{name}_{_worker()}".lower()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


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
        for table in reversed(Base.metadata.sorted_tables):
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
def sandbox(settings: Settings) -> Iterator[Sandbox]:
    with open_sandbox(settings, start=START) as sandbox:
        yield sandbox
