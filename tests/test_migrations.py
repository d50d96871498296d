"""Migrations upgrade, downgrade and upgrade again, and match the models (no drift)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

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


def test_the_monthly_self_ratings_move_into_ratings_and_back_row_for_row(tmp_path: Path) -> None:
    """0013 keeps every rating: the practice's monthly self-ratings become `ratings` rows (self, monthly) and
    the week-later answer is renamed did_it_stick; downgrading gives back the same rows."""
    engine = make_engine(fresh_database_url(tmp_path, "ratings"))
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    monthly = [
        ("listening", 3, "review:2026-10"),
        ("listening", 4, "review:2026-11"),
        ("giving-feedback", 2, "review:2026-11"),
    ]
    try:
        migrate.upgrade(engine, "0012")
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO workspaces (id, team_id, name, created_at) VALUES (1, 'T1', 'Acme', :at)"), {"at": at}
            )
            connection.execute(
                text(
                    "INSERT INTO people (id, workspace_id, slack_user_id, display_name, title, skills, followups_enabled,"
                    " tz_notice_sent, created_at) VALUES (7, 1, 'U7', 'Sam', 'Engineer', '[]', true, false, :at)"
                ),
                {"at": at},
            )
            for skill, value, occasion in monthly:
                connection.execute(
                    text(
                        "INSERT INTO self_ratings (workspace_id, person_id, skill_key, rating, occasion, created_at)"
                        " VALUES (1, 7, :skill, :value, :occasion, :at)"
                    ),
                    {"skill": skill, "value": value, "occasion": occasion, "at": at},
                )
            for moment, value in (("baseline", 2), ("after", 4), ("stuck", 5)):
                connection.execute(
                    text(
                        "INSERT INTO ratings (workspace_id, person_id, skill_key, rater, moment, value, source, created_at)"
                        " VALUES (1, 7, 'remote-collaboration', 'self', :moment, :value, 'challenge:1', :at)"
                    ),
                    {"moment": moment, "value": value, "at": at},
                )

        migrate.upgrade(engine)
        with engine.connect() as connection:
            ratings = connection.execute(
                text("SELECT skill_key, rater, moment, value, source FROM ratings ORDER BY source, skill_key, moment")
            ).all()
        assert sorted(tuple(r) for r in ratings) == sorted(
            [
                ("remote-collaboration", "self", m, v, "challenge:1")
                for m, v in (("baseline", 2), ("after", 4), ("did_it_stick", 5))
            ]
            + [(skill, "self", "monthly", value, occasion) for skill, value, occasion in monthly]
        )
        assert "self_ratings" not in inspect(engine).get_table_names()

        migrate.downgrade(engine, "0012")
        with engine.connect() as connection:
            back = connection.execute(text("SELECT skill_key, rating, occasion FROM self_ratings")).all()
            left = connection.execute(text("SELECT moment, value FROM ratings")).all()
        assert sorted(tuple(r) for r in back) == sorted(monthly)
        assert sorted(tuple(r) for r in left) == [("after", 4), ("baseline", 2), ("stuck", 5)]
    finally:
        engine.dispose()
