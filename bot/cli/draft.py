"""`content draft --need N`: one of the period's top moments of need, as the report computes them for the whole
workspace, written as a draft resource in `<content>/drafts/` for an admin to review and publish."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.report import _day, period
from bot.config import Settings
from bot.errors import BadInput
from bot.runtime import Runtime


def add_command(actions: Any) -> None:
    draft = actions.add_parser(
        "draft",
        help="draft a resource for one of the period's top moments of need (into drafts/, for review)",
        description=(
            "Writes <content>/drafts/<key>.yaml: a one-page guide for the moment of need ranked N in the report "
            "(whole workspace), in the library's resource format, model-written when a model is configured. "
            "Nothing reaches the library until an admin reviews it and moves it into resources/."
        ),
    )
    draft.add_argument("--need", required=True, metavar="N", help="the moment of need's rank in the report: 1, 2 or 3")
    draft.add_argument("--workspace", metavar="TEAM_ID", help="the Slack team id (needed with several workspaces)")
    draft.add_argument("--since", type=_day, help="first day, YYYY-MM-DD (UTC; default: 30 days before --until)")
    draft.add_argument("--until", type=_day, help="the day after the last, YYYY-MM-DD (UTC; default: now)")
    draft.add_argument("--dir", type=Path, metavar="CONTENT_DIR", help="content directory (default: CONTENT_DIR)")
    draft.set_defaults(handler=cmd_draft)


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.catalogue import Catalogue
    from bot.library.shelf import Shelf
    from bot.llm.client import build_writer
    from bot.reports.build import build_report
    from bot.reports.drafts import Drafts, top_topic
    from bot.reports.needs import TOP
    from bot.reports.values import Scope
    from bot.runtime import open_runtime

    rank = _rank(args.need, TOP)
    content_dir = args.dir or settings.content_dir
    runtime = open_runtime(settings, upgrade=False)
    writer = build_writer(settings, sessions=runtime.sessions, clock=runtime.clock)
    try:
        since, until = period(args.since, args.until, runtime.clock.now())
        workspace_id, team_id = _workspace(runtime, args.workspace)
        shelf = Shelf(sessions=runtime.sessions, catalogue=Catalogue(runtime.sessions))
        report = build_report(
            runtime.sessions,
            Scope(workspace_id, f"workspace {team_id}"),
            since=since,
            until=until,
            shelf=shelf.current(),
            min_group=settings.report_min_group,
            default_tz=settings.default_timezone,
        )
        drafts = Drafts(shelf=shelf, writer=writer, content_dir=content_dir, clock=runtime.clock)
        written = drafts.write(top_topic(report.needs, rank), workspace_id=workspace_id)
    finally:
        writer.close()
        runtime.close()
    source = "written by a model: check every line" if written.ai else "from the template: make it specific"
    print(written.path)
    print(
        f"Draft “{written.title}” (its guide {source}). An admin must review it and move it into "
        f"{content_dir / 'resources'}/ to publish it; until then `content sync` leaves it out of the library."
    )
    return 0


def _rank(text: str, top: int) -> int:
    if not text.strip().isdigit() or int(text) not in range(1, top + 1):
        raise BadInput(f"--need takes the rank of one of the top moments of need: 1 to {top}, not {text!r}")
    return int(text)


def _workspace(runtime: Runtime, wanted: str | None) -> tuple[int, str]:
    """(id, Slack team id) of the workspace named, or of the only one, as `report` chooses it."""
    from bot.people import roster

    with runtime.sessions() as session:
        known = roster.workspaces(session)
    chosen = [(ws, team) for ws, team in known if wanted in (None, team)]
    if len(chosen) != 1:
        names = ", ".join(team for _ws, team in known) or "none yet"
        raise BadInput(f"name one workspace with --workspace (known: {names})")
    return chosen[0]
