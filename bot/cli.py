"""The commands: run, serve, worker, try, db, content, tick. Each builds what it needs, nothing at import."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.clock import ManualClock, parse_instant
from bot.config import Settings, load_settings
from bot.content.loader import ContentErrors
from bot.errors import BotError, ConfigError
from bot.logs import configure_logging

log = logging.getLogger("bot")

Command = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        return int(args.handler(args, settings))
    except ConfigError as error:
        print(f"configuration error: {error.message}", file=sys.stderr)
        return 2
    except ContentErrors as failure:
        for problem in failure.errors:
            print(problem.message, file=sys.stderr)
        print(f"{len(failure.errors)} content error(s): fix them, or check with `content validate`", file=sys.stderr)
        return 1
    except BotError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="learnbot", description="A Slack bot that puts learning into the flow of work."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="run everything in one process (Slack, or the offline sandbox)")
    run.set_defaults(handler=cmd_run)

    serve = commands.add_parser("serve", help="HTTP mode behind gunicorn: POST /slack/events, GET /healthz")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT)")
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default: 2)")
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="the scheduler tick and the delivery dispatcher")
    worker.set_defaults(handler=cmd_worker)

    try_ = commands.add_parser("try", help="the offline sandbox: the real bot against a pretend Slack")
    try_.add_argument("--at", help="start the sandbox clock at this instant (ISO 8601; default: now)")
    try_.add_argument("--keep", action="store_true", help="use DATABASE_URL instead of a throwaway database")
    try_.set_defaults(handler=cmd_try)

    tick = commands.add_parser("tick", help="run one tick as of an instant, then exit")
    tick.add_argument("--at", help="the instant, e.g. 2026-11-24T09:00:00Z (default: now)")
    tick.set_defaults(handler=cmd_tick)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate to a revision (default: head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    downgrade = db_commands.add_parser("downgrade", help="migrate down to a revision (e.g. -1, base)")
    downgrade.add_argument("revision")
    downgrade.set_defaults(handler=cmd_db_downgrade)
    current = db_commands.add_parser("current", help="show the database's revision and the latest one")
    current.set_defaults(handler=cmd_db_current)

    from bot.content.commands import add_content_commands
    from bot.llm.commands import add_llm_commands

    add_content_commands(commands)
    add_llm_commands(commands)

    people = commands.add_parser("people", help="a person's data: export it, or delete it")
    people_actions = people.add_subparsers(title="people commands", metavar="ACTION", required=True)
    for action, handler, text in (
        ("export", cmd_people_export, "print everything stored about a person as JSON"),
        ("forget", cmd_people_forget, "delete everything stored about a person"),
    ):
        command = people_actions.add_parser(action, help=text)
        command.add_argument("user", help="the Slack user id, e.g. U0123ABCD")
        command.add_argument("--team", required=True, help="the Slack team id, e.g. T0123ABCD")
        command.set_defaults(handler=handler)
    return parser


# -- run -----------------------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.has_slack_credentials:
        print("No Slack credentials (SLACK_BOT_TOKEN): starting the offline sandbox.", flush=True)
        return _sandbox(settings, start=datetime.now(UTC), keep=False)
    from bot.composition import build_app, build_tick, build_wsgi, register_workspace
    from bot.content.commands import sync_on_start
    from bot.runtime import open_runtime
    from bot.scheduling.worker import make_scheduler

    runtime = open_runtime(settings)
    sync_on_start(runtime)
    register_workspace(runtime)
    scheduler = make_scheduler(build_tick(runtime), runtime.clock)
    stop = _stop_event()
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        app = build_app(runtime, socket_mode=True, warm=True)
        handler = SocketModeHandler(app, settings.secret("slack_app_token"))
        handler.connect()  # type: ignore[no-untyped-call]
        log.info("connected to Slack in Socket Mode")
        scheduler.start()
        stop.wait()
        handler.close()  # type: ignore[no-untyped-call]
    else:
        from bot.slack.http_server import serve_in_thread

        server = serve_in_thread(build_wsgi(runtime, build_app(runtime, warm=True)), port=settings.port)
        log.info("listening for Slack on port %s (POST /slack/events)", settings.port)
        scheduler.start()
        stop.wait()
        server.shutdown()
    scheduler.shutdown(wait=True)
    runtime.close()
    return 0


def cmd_try(args: argparse.Namespace, settings: Settings) -> int:
    start = parse_instant(args.at) if args.at else datetime.now(UTC)
    return _sandbox(settings, start=start, keep=args.keep)


def _sandbox(settings: Settings, *, start: datetime, keep: bool) -> int:
    import tempfile
    from pathlib import Path

    from bot.content.commands import sync_on_start
    from bot.sandbox.session import open_sandbox
    from bot.sandbox.terminal import run_terminal

    logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="learnbot-sandbox-") as scratch:
        if not keep:
            settings = settings.model_copy(update={"database_url": f"sqlite:///{Path(scratch) / 'sandbox.db'}"})
        with open_sandbox(settings, start=start) as sandbox:
            sync_on_start(sandbox.runtime)
            run_terminal(sandbox, stdin=sys.stdin, out=sys.stdout)
    return 0


# -- serve and worker ------------------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    settings.secret("slack_bot_token")
    settings.secret("slack_signing_secret")
    from bot.runtime import open_runtime
    from bot.slack.http_server import run_gunicorn

    runtime = open_runtime(settings, upgrade=False)
    _require_head(runtime)
    runtime.close()
    run_gunicorn(port=args.port or settings.port, workers=args.workers)
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    settings.secret("slack_bot_token")
    from bot.composition import build_tick, register_workspace
    from bot.runtime import open_runtime
    from bot.scheduling.worker import make_scheduler, run_until_stopped

    runtime = open_runtime(settings, upgrade=False)
    _require_head(runtime)
    register_workspace(runtime)
    log.info("worker started: one tick a minute")
    run_until_stopped(make_scheduler(build_tick(runtime), runtime.clock), _stop_event())
    runtime.close()
    return 0


def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    settings.secret("slack_bot_token")
    from bot.composition import build_tick
    from bot.runtime import open_runtime

    at = parse_instant(args.at) if args.at else datetime.now(UTC)
    runtime = open_runtime(settings, clock=ManualClock(at), upgrade=False)
    _require_head(runtime)
    report = build_tick(runtime).run(at)
    print(report.summary())
    runtime.close()
    return 1 if report.errors else 0


# -- db ------------------------------------------------------------------------------------------------------------
def _engine(settings: Settings) -> Any:
    from bot.runtime import open_runtime

    return open_runtime(settings, upgrade=False).engine


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate

    engine = _engine(settings)
    migrate.upgrade(engine, args.revision)
    print(f"database at revision {migrate.current_revision(engine)}")
    return 0


def cmd_db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate

    engine = _engine(settings)
    migrate.downgrade(engine, args.revision)
    print(f"database at revision {migrate.current_revision(engine) or 'base'}")
    return 0


def cmd_db_current(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate

    engine = _engine(settings)
    current, head = migrate.current_revision(engine), migrate.head_revision(engine)
    print(f"current: {current or 'base (empty)'}; latest: {head}")
    return 0 if current == head else 1


def cmd_people_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import open_runtime
    from bot.services.privacy import PrivacyService, to_json

    runtime = open_runtime(settings, upgrade=False)
    try:
        print(to_json(PrivacyService(sessions=runtime.sessions).export(team_id=args.team, user_id=args.user)))
    finally:
        runtime.close()
    return 0


def cmd_people_forget(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import open_runtime
    from bot.services.privacy import PrivacyService

    runtime = open_runtime(settings, upgrade=False)
    try:
        rows = PrivacyService(sessions=runtime.sessions).forget(team_id=args.team, user_id=args.user)
    finally:
        runtime.close()
    print(f"deleted {rows} rows about {args.user}")
    return 0


def _require_head(runtime: Any) -> None:
    from bot.db import migrate

    current, head = migrate.current_revision(runtime.engine), migrate.head_revision(runtime.engine)
    if current != head:
        raise BotError(f"the database is at {current or 'base'}, not {head}: run `python -m bot db upgrade` first")


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop
