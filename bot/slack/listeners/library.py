"""Buttons on library messages: open, show, rate, tailor, more results, request, and the follow-up question."""

from __future__ import annotations

from bot.slack.blocks import library as blocks
from bot.slack.deps import Services
from bot.slack.replies import NOTHING, Reply
from bot.slack.requests import Click
from bot.slack.routes import Surface
from bot.slack.text import safe


def opened(services: Services, click: Click) -> Reply:
    """Slack opens the link itself; the bot records that it was opened."""
    services.library.opened(click.person, click.text("k"), click.optional_number("s"))
    return NOTHING


def show(services: Services, click: Click) -> Reply:
    view = services.library.opened(click.person, click.text("k"), click.optional_number("s"))
    return Reply(modal=blocks.resource_modal(view))


def helpful(services: Services, click: Click) -> Reply:
    return Reply(text=blocks.rated_text(services.library.rate(click.person, click.text("k"), "helpful")))


def not_helpful(services: Services, click: Click) -> Reply:
    return Reply(text=blocks.rated_text(services.library.rate(click.person, click.text("k"), "not_helpful")))


def tailor(services: Services, click: Click) -> Reply:
    view, written = services.library.tailor(click.person, click.text("k"))
    return Reply(text=safe(view.title, 150), blocks=blocks.tailored_blocks(view, written))


def more(services: Services, click: Click) -> Reply:
    results = services.library.more(click.person, click.number("s"), click.number("o"))
    return Reply(text=blocks.results_text(results), blocks=blocks.results_blocks(results), replace=True)


def request(services: Services, click: Click) -> Reply:
    return Reply(text=blocks.requested_text(services.library.request_resource(click.person, click.number("s"))))


def followup(services: Services, click: Click) -> Reply:
    rated = services.library.rate(click.person, click.text("k"), click.text("a"), source="followup")
    return Reply(text=blocks.followup_answered_text(rated), blocks=blocks.followup_answered_blocks(rated), replace=True)


def stop_followups(services: Services, click: Click) -> Reply:
    services.profile.set_followups(click.person, False)
    return Reply(text=blocks.FOLLOWUPS_STOPPED, blocks=blocks.followups_stopped_blocks(), replace=True)


SURFACE = Surface(
    actions={
        "resource_open": opened,
        "resource_show": show,
        "resource_helpful": helpful,
        "resource_not_helpful": not_helpful,
        "resource_tailor": tailor,
        "results_more": more,
        "resource_request": request,
        "followup_answer": followup,
        "followups_stop": stop_followups,
    }
)
