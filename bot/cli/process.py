"""The commands that run the bot: run, serve, worker, try, tick."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clock import ManualClock, parse_instant
from bot.config import Settings
from bot.errors import BotError
from bot.runtime import Runtime, open_runtime

log = logging.getLogger("bot")


def add_commands(commands: Any) -> None:
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


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.has_slack_credentials:
        print("No Slack credentials (SLACK_BOT_TOKEN): starting the offline sandbox.", flush=True)
        return _sandbox(settings, start=datetime.now(UTC), keep=False)
    run_until(settings, stop_event())
    return 0


def run_until(settings: Settings, stop: threading.Event) -> None:
    """Everything in one process: Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP) and the tick,
    until `stop` is set; then every pool is drained and closed."""
    from bot.cli.content import sync_on_start
    from bot.composition import World
    from bot.scheduling.worker import make_scheduler

    runtime = open_runtime(settings)
    sync_on_start(runtime)
    world = World(runtime, socket_mode=settings.slack_app_token is not None)
    try:
        world.register_workspace()
        world.warm()
        scheduler = make_scheduler(world.tick, runtime.clock)
        if settings.slack_app_token is not None:
            from bot.slack.socket_mode import SocketConnection

            connection = SocketConnection(world.app, settings.secret("slack_app_token"))
            connection.connect()
            log.info("connected to Slack in Socket Mode")
            scheduler.start()
            stop.wait()
            connection.close()
        else:
            from bot.slack.http_server import serve_in_thread

            server = serve_in_thread(world.wsgi, port=settings.port)
            log.info("listening for Slack on port %s (POST /slack/events)", settings.port)
            scheduler.start()
            stop.wait()
            server.shutdown()
        scheduler.shutdown(wait=True)
    finally:
        world.close()


def cmd_try(args: argparse.Namespace, settings: Settings) -> int:
    start = parse_instant(args.at) if args.at else datetime.now(UTC)
    return _sandbox(settings, start=start, keep=args.keep)


def _sandbox(settings: Settings, *, start: datetime, keep: bool) -> int:
    from bot.cli.content import sync_on_start
    from bot.sandbox.session import open_sandbox, sandbox_content
    from bot.sandbox.terminal import run_terminal

    logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="learnbot-sandbox-") as scratch:
        if not keep:
            settings = settings.model_copy(update={"database_url": f"sqlite:///{Path(scratch) / 'sandbox.db'}"})
        settings = sandbox_content(settings, Path(scratch))
        with open_sandbox(settings, start=start) as sandbox:
            sync_on_start(sandbox.runtime)
            sandbox.run_tick()  # the teams' members read, as a deployed bot's first tick reads them
            run_terminal(sandbox, stdin=sys.stdin, out=sys.stdout)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    settings.secret("slack_bot_token")
    settings.secret("slack_signing_secret")
    from bot.composition import World
    from bot.slack.http_server import run_gunicorn

    world = World(open_runtime(settings, upgrade=False))
    try:
        require_head(world.runtime)
        world.warm()  # each web worker warms its own; this says once, before they start, if content is missing
    finally:
        world.close()
    run_gunicorn(port=args.port or settings.port, workers=args.workers)
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    settings.secret("slack_bot_token")
    from bot.composition import World
    from bot.scheduling.worker import make_scheduler, run_until_stopped

    runtime = open_runtime(settings, upgrade=False)
    world = World(runtime)
    try:
        require_head(runtime)
        world.register_workspace()
        world.warm()
        log.info("worker started: one tick a minute")
        run_until_stopped(make_scheduler(world.tick, runtime.clock), stop_event())
    finally:
        world.close()
    return 0


def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    settings.secret("slack_bot_token")
    from bot.composition import World

    at = parse_instant(args.at) if args.at else datetime.now(UTC)
    runtime = open_runtime(settings, clock=ManualClock(at), upgrade=False)
    world = World(runtime)
    try:
        require_head(runtime)
        report = world.tick.run(at)
    finally:
        world.close()
    print(report.summary())
    return 1 if report.errors else 0


def require_head(runtime: Runtime) -> None:
    from bot.db import migrate

    current, head = migrate.current_revision(runtime.engine), migrate.head_revision(runtime.engine)
    if current != head:
        raise BotError(f"the database is at {current or 'base'}, not {head}: run `python -m bot db upgrade` first")


def stop_event() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop
