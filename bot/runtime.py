"""What every command shares: settings, the database and the clock. Built once, by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import migrate
from bot.db.engine import database_answers, make_engine, make_session_factory
from bot.errors import Unavailable

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)

    def close(self) -> None:
        self.engine.dispose()


def open_runtime(settings: Settings, *, clock: Clock | None = None, upgrade: bool = True) -> Runtime:
    """Connect to the database (migrating it to head unless told not to)."""
    engine = make_engine(settings.database_url)
    if not database_answers(engine):
        engine.dispose()
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        raise Unavailable(f"the database at {where} does not answer (DATABASE_URL)")
    if upgrade:
        migrate.upgrade(engine)
    return Runtime(
        settings=settings, engine=engine, sessions=make_session_factory(engine), clock=clock or SystemClock()
    )
