"""Alembic environment: the URL comes from the bot's settings or from the caller's connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.db.engine import make_engine
from bot.schema import metadata

target_metadata = metadata()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.attributes.get("url")
    if url is None:
        from bot.config import load_settings

        url = load_settings().database_url
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: run `python -m bot db upgrade`")
run_migrations_online()
