"""Migrations upgrade, downgrade and upgrade again, and match the models (no drift)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from bot.db import migrate
from bot.db.engine import make_engine
from bot.schema import metadata
from tests.harness import fresh_database_url


def test_upgrade_downgrade_upgrade_and_no_drift(tmp_path: Path) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "migrations"))
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        assert set(metadata().tables) <= set(inspect(engine).get_table_names())
        migrate.check_drift(engine)  # raises when models and migrations disagree
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        migrate.check_drift(engine)
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'bot.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
