"""The commands: run, serve, worker, try, tick, db, content, llm, people, report. Each parses its arguments and
builds its process through the composition root; nothing happens at import."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import content, data, llm, process, report
from bot.config import load_settings
from bot.content.loader import ContentErrors
from bot.errors import BotError, ConfigError
from bot.logs import configure_logging

log = logging.getLogger("bot")


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
    process.add_commands(commands)
    data.add_db_commands(commands)
    content.add_commands(commands)
    llm.add_commands(commands)
    data.add_people_commands(commands)
    report.add_commands(commands)
    return parser
