"""The `report` command: a workspace's figures for a period, as JSON, CSV or an HTML page (small groups suppressed)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.errors import BadInput

if TYPE_CHECKING:
    from bot.library.shelf import Shelf
    from bot.reports.types import Report
    from bot.runtime import Runtime

DEFAULT_DAYS = 30


def add_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="capability change, adherence, moments of need and the library, for a period (JSON, CSV or an HTML page)",
        description=(
            "Figures for admins and team leads, aggregated in the database; any figure from fewer than "
            "REPORT_MIN_GROUP distinct people reads 'fewer than N'. Covers the whole workspace, or one team of "
            "content/teams.yaml (its members as the bot last read them from Slack)."
        ),
    )
    add_scope_arguments(report)
    report.add_argument("--format", choices=("json", "csv", "html"), default="json")
    report.add_argument("--out", type=Path, metavar="PATH", help="write to a file instead of standard output")
    report.set_defaults(handler=cmd_report)


def add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    """Whose figures, over which days: the report's and `content draft`'s."""
    parser.add_argument("--workspace", metavar="TEAM_ID", help="the Slack team id (needed with several workspaces)")
    parser.add_argument("--team", metavar="KEY", help="a team in content/teams.yaml (default: the whole workspace)")
    parser.add_argument("--since", type=_day, help="first day, YYYY-MM-DD (UTC; default: 30 days before --until)")
    parser.add_argument("--until", type=_day, help="the day after the last, YYYY-MM-DD (UTC; default: now)")


def _day(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def period(since: datetime | None, until: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    end = until or now
    start = since or end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise BadInput("--since must come before --until")
    return start, end


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.catalogue import Catalogue
    from bot.library.shelf import Shelf
    from bot.reports.html import to_html
    from bot.reports.output import to_csv, to_json
    from bot.runtime import open_runtime

    runtime = open_runtime(settings, upgrade=False)
    try:
        shelf = Shelf(sessions=runtime.sessions, catalogue=Catalogue(runtime.sessions))
        report, _workspace = report_for(args, settings, runtime, shelf)
    finally:
        runtime.close()
    if args.format == "html":
        text = to_html(report)
    else:
        text = to_json(report) + "\n" if args.format == "json" else to_csv(report)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def report_for(args: argparse.Namespace, settings: Settings, runtime: Runtime, shelf: Shelf) -> tuple[Report, int]:
    """The report `add_scope_arguments` asked for, and its workspace's id: the one workspace named (or the only
    one), the whole of it or one team (its members as the bot last read them; the command line answers to the
    operator)."""
    from bot.people import roster
    from bot.reports.build import build_report
    from bot.reports.values import Scope
    from bot.teams.service import team_scope

    since, until = period(args.since, args.until, runtime.clock.now())
    with runtime.sessions() as session:
        known = roster.workspaces(session)
    chosen = [(ws, team) for ws, team in known if args.workspace in (None, team)]
    if len(chosen) != 1:
        names = ", ".join(team for _ws, team in known) or "none yet"
        raise BadInput(f"name one workspace with --workspace (known: {names})")
    workspace_id, team_id = chosen[0]
    scope = Scope(workspace_id, f"workspace {team_id}")
    if args.team:
        team = team_scope(runtime.sessions, shelf.catalogue, workspace_id, args.team)
        scope = Scope(workspace_id, f"team {team.name}", team.person_ids)
    report = build_report(
        runtime.sessions,
        scope,
        since=since,
        until=until,
        shelf=shelf.current(),
        min_group=settings.report_min_group,
        default_tz=settings.default_timezone,
    )
    return report, workspace_id
