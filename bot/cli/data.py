"""The commands about stored data: db (migrations) and people (a person's data: export, forget)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.people.privacy import PrivacyService, to_json
from bot.people.types import TeamMember
from bot.runtime import open_runtime
from bot.schema import tables


def add_db_commands(commands: Any) -> None:
    db = commands.add_parser("db", help="database migrations")
    actions = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="migrate to a revision (default: head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    downgrade = actions.add_parser("downgrade", help="migrate down to a revision (e.g. -1, base)")
    downgrade.add_argument("revision")
    downgrade.set_defaults(handler=cmd_db_downgrade)
    current = actions.add_parser("current", help="show the database's revision and the latest one")
    current.set_defaults(handler=cmd_db_current)


def add_people_commands(commands: Any) -> None:
    people = commands.add_parser("people", help="a person's data: export it, or delete it")
    actions = people.add_subparsers(title="people commands", metavar="ACTION", required=True)
    for action, handler, text in (
        ("export", cmd_people_export, "print everything stored about a person as JSON"),
        ("forget", cmd_people_forget, "delete everything stored about a person"),
    ):
        command = actions.add_parser(action, help=text)
        command.add_argument("user", help="the Slack user id, e.g. U0123ABCD")
        command.add_argument("--team", required=True, help="the Slack team id, e.g. T0123ABCD")
        command.set_defaults(handler=handler)


@contextmanager
def _engine(settings: Settings) -> Iterator[Engine]:
    runtime = open_runtime(settings, upgrade=False)
    try:
        yield runtime.engine
    finally:
        runtime.close()


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate

    with _engine(settings) as engine:
        migrate.upgrade(engine, args.revision)
        print(f"database at revision {migrate.current_revision(engine)}")
    return 0


def cmd_db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate

    with _engine(settings) as engine:
        migrate.downgrade(engine, args.revision)
        print(f"database at revision {migrate.current_revision(engine) or 'base'}")
    return 0


def cmd_db_current(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate

    with _engine(settings) as engine:
        current, head = migrate.current_revision(engine), migrate.head_revision(engine)
    print(f"current: {current or 'base (empty)'}; latest: {head}")
    return 0 if current == head else 1


@contextmanager
def _privacy(settings: Settings) -> Iterator[PrivacyService]:
    """Only the database is needed (no Slack token): an operator runs these for a person who asked."""
    runtime = open_runtime(settings, upgrade=False)
    try:
        yield PrivacyService(sessions=runtime.sessions, tables=tables())
    finally:
        runtime.close()


def cmd_people_export(args: argparse.Namespace, settings: Settings) -> int:
    with _privacy(settings) as privacy:
        print(to_json(privacy.export(TeamMember(args.team, args.user))))
    return 0


def cmd_people_forget(args: argparse.Namespace, settings: Settings) -> int:
    with _privacy(settings) as privacy:
        rows = privacy.forget(TeamMember(args.team, args.user))
    print(f"deleted {rows} rows about {args.user}")
    return 0
