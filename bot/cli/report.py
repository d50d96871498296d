"""The `report` command: a workspace's figures for a period, as JSON or CSV (small groups suppressed)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import BadInput

DEFAULT_DAYS = 30


def add_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="capability change, adherence, moments of need and the library, for a period (JSON or CSV)",
        description=(
            "Figures for admins and team leads, aggregated in the database; any figure from fewer than "
            "REPORT_MIN_GROUP distinct people reads 'fewer than N'. Covers the whole workspace: teams (--team) "
            "are not available yet. HTML comes later."
        ),
    )
    report.add_argument("--workspace", metavar="TEAM_ID", help="the Slack team id (needed with several workspaces)")
    report.add_argument("--team", metavar="KEY", help="a team's key: not available yet (whole workspace only)")
    report.add_argument("--since", type=_day, help="first day, YYYY-MM-DD (UTC; default: 30 days before --until)")
    report.add_argument("--until", type=_day, help="the day after the last, YYYY-MM-DD (UTC; default: now)")
    report.add_argument("--format", choices=("json", "csv", "html"), default="json")
    report.add_argument("--out", type=Path, metavar="PATH", help="write to a file instead of standard output")
    report.set_defaults(handler=cmd_report)


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
    from bot.people import roster
    from bot.reports.build import build_report
    from bot.reports.html import to_html
    from bot.reports.output import to_csv, to_json
    from bot.reports.values import Scope
    from bot.runtime import open_runtime

    if args.team:
        raise BadInput("teams are not available yet: leave out --team for the whole workspace")
    runtime = open_runtime(settings, upgrade=False)
    try:
        since, until = period(args.since, args.until, runtime.clock.now())
        with runtime.sessions() as session:
            known = roster.workspaces(session)
        chosen = [(ws, team) for ws, team in known if args.workspace in (None, team)]
        if len(chosen) != 1:
            names = ", ".join(team for _ws, team in known) or "none yet"
            raise BadInput(f"name one workspace with --workspace (known: {names})")
        workspace_id, team_id = chosen[0]
        shelf = Shelf(sessions=runtime.sessions, catalogue=Catalogue(runtime.sessions)).current()
        report = build_report(
            runtime.sessions,
            Scope(workspace_id, f"workspace {team_id}"),
            since=since,
            until=until,
            shelf=shelf,
            min_group=settings.report_min_group,
            default_tz=settings.default_timezone,
        )
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
