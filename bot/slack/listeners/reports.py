"""/learn report [TEAM]: the headline figures in the DM and the full report as an HTML file beside them, for
admins (the workspace, or any team) and a team's leads (their team); anyone else gets one polite line."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot.errors import BadInput
from bot.reports.html import to_html
from bot.slack.blocks import reports as blocks
from bot.slack.commands import Subcommand
from bot.slack.deps import Services
from bot.slack.listeners import learn
from bot.slack.replies import Reply
from bot.slack.requests import UNREADABLE, Ask, Click
from bot.slack.routes import Surface
from bot.slack.uploads import Upload

FILE_COMMENT = "The full report, with charts: download it and open it in a browser (it needs no connection)."


def report(services: Services, ask: Ask) -> Reply:
    """`/learn report`, `/learn report TEAM`; more words, or a word from someone who reads no report, are a
    search ("report writing"), not a request for one."""
    words = ask.plain.split()
    if len(words) > 1 or (words and not services.teams.reads_reports(ask.person)):
        return learn.find(services, replace(ask, text=f"report {ask.text}"))
    asked = services.reports.for_person(ask.person, words[0].lower() if words else None)
    report = asked.report
    slug = re.sub(r"[^a-z0-9]+", "-", report.scope.lower()).strip("-") or "report"
    upload = Upload(
        filename=f"learning-report-{slug}-{report.until:%Y-%m-%d}.html",
        title=blocks.report_text(report),
        content=to_html(report).encode(),
        comment=FILE_COMMENT,
    )
    return Reply(
        text=blocks.report_text(report),
        blocks=blocks.report_blocks(report, team=asked.team, admin=asked.admin),
        upload=upload,
    )


def draft(services: Services, click: Click) -> Reply:
    """An admin's *Draft a resource* on a moment of need: the report's topic worked out again, written into
    content/drafts/ and sent to the DM as the file to review."""
    since, until = _instant(click.text("since")), _instant(click.text("until"))
    team = click.data.get("team")
    topic = services.reports.topic(
        click.person, team if isinstance(team, str) else None, since, until, click.number("rank")
    )
    written = services.drafts.write(topic, workspace_id=click.person.workspace_id)
    upload = Upload(
        filename=written.path.name,
        title=f"Draft: {written.title}",
        content=written.path.read_bytes(),
        comment=blocks.draft_comment(written.ai),
    )
    return Reply(text=blocks.drafted_text(written.title, str(written.path)), upload=upload)


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(UNREADABLE) from None


SURFACE = Surface(
    subcommands=(
        Subcommand(
            "report",
            "/learn report [team]",
            "for admins and team leads: capability change, the team's moments of need, the library (a file too)",
            report,
            takes_text=True,
        ),
    ),
    actions={blocks.DRAFT: draft},
)
