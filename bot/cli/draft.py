"""`content draft --need N`: one of the period's top moments of need, as the report computes them for the
workspace or a team, written as a draft resource in `<content>/drafts/` for an admin to review and publish."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.report import add_scope_arguments, report_for
from bot.config import Settings
from bot.errors import BadInput


def add_command(actions: Any) -> None:
    draft = actions.add_parser(
        "draft",
        help="draft a resource for one of the period's top moments of need (into drafts/, for review)",
        description=(
            "Writes <content>/drafts/<key>.yaml: a one-page guide for the moment of need ranked N in the report "
            "(the workspace's, or --team's), as a library resource, model-written when a model is configured. "
            "Nothing reaches the library until an admin reviews it and moves it into resources/."
        ),
    )
    draft.add_argument("--need", required=True, metavar="N", help="the moment of need's rank in the report: 1, 2 or 3")
    add_scope_arguments(draft)
    draft.add_argument("--dir", type=Path, metavar="CONTENT_DIR", help="content directory (default: CONTENT_DIR)")
    draft.set_defaults(handler=cmd_draft)


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.catalogue import Catalogue
    from bot.library.shelf import Shelf
    from bot.llm.client import build_writer
    from bot.reports.drafts import Drafts, top_topic
    from bot.reports.needs import TOP
    from bot.runtime import open_runtime

    rank = _rank(args.need, TOP)
    content_dir = args.dir or settings.content_dir
    runtime = open_runtime(settings, upgrade=False)
    writer = build_writer(settings, sessions=runtime.sessions, clock=runtime.clock)
    try:
        shelf = Shelf(sessions=runtime.sessions, catalogue=Catalogue(runtime.sessions))
        report, workspace_id = report_for(args, settings, runtime, shelf)
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
