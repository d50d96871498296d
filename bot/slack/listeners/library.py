"""Buttons on library messages: open, show, rate, tailor, more results, request, and the follow-up question."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.errors import BadInput
from bot.slack.blocks import kit
from bot.slack.blocks import library as blocks
from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded
from bot.slack.payloads import button_data, number, optional_number, who
from bot.slack.text import safe

ANSWERS = {"yes": "Yes", "not_yet": "Not yet", "no": "No"}


def register(app: App, deps: AppDeps) -> None:
    library = deps.library

    @app.action("resource_open")
    @guarded
    def opened(ack: Ack, body: dict[str, Any]) -> None:
        ack()  # Slack opens the link itself; the bot records that it was opened
        data = button_data(body)
        library.opened(who(deps, body), str(data.get("k")), optional_number(data, "s"))

    @app.action("resource_show")
    @guarded
    def show(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        data = button_data(body)
        view = library.resource(str(data.get("k")))
        client.views_open(trigger_id=body["trigger_id"], view=blocks.resource_modal(view))  # trigger expires in 3 s
        library.opened(who(deps, body), view.key, optional_number(data, "s"))

    @app.action("resource_helpful")
    @app.action("resource_not_helpful")
    @guarded
    def rate(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        data = button_data(body)
        helpful = body["actions"][0]["action_id"] == "resource_helpful"
        first = library.rate(who(deps, body), str(data.get("k")), "helpful" if helpful else "not_helpful")
        view = library.resource(str(data.get("k")))
        verdict = "helpful" if helpful else "not helpful"
        text = f"Thanks: *{safe(view.title, 150)}* noted as {verdict}." if first else f"Updated: {verdict}."
        _tell(respond, body, text)

    @app.action("resource_tailor")
    @guarded
    def tailor(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        data = button_data(body)
        view, written = library.tailor(who(deps, body), str(data.get("k")))
        respond(
            text=view.title,
            blocks=blocks.tailored_blocks(view, written),
            response_type="ephemeral",
            replace_original=False,
        )

    @app.action("results_more")
    @guarded
    def more(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        data = button_data(body)
        results = library.more(who(deps, body), number(data, "s"), number(data, "o"))
        respond(text=f"More for {results.query}", blocks=blocks.results_blocks(results), replace_original=True)

    @app.action("resource_request")
    @guarded
    def request(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        query = library.request_resource(who(deps, body), number(button_data(body), "s"))
        _tell(respond, body, f"Thanks. I've asked the learning team for a resource on *{safe(query, 200)}*.")

    @app.action("followup_answer")
    @guarded
    def followup(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        data = button_data(body)
        answer = str(data.get("a"))
        if answer not in ANSWERS:
            raise BadInput("I could not read that answer.")
        view = library.resource(str(data.get("k")))
        library.rate(who(deps, body), view.key, answer, source="followup")
        text = f"Did *{safe(view.title, 150)}* help? You said *{ANSWERS[answer]}*. Thank you."
        respond(text=text, blocks=[kit.section(text)], replace_original=True)

    @app.action("followups_stop")
    @guarded
    def stop(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        deps.home.set_followups(who(deps, body), False)
        text = "OK, I won't ask whether resources helped any more. You can turn this back on in my Home tab."
        respond(text=text, blocks=[kit.section(text)], replace_original=True)

    @app.view("resource_view")
    @guarded
    def closed(ack: Ack) -> None:
        ack()


def _tell(respond: Respond, body: dict[str, Any], text: str) -> None:
    """A short private reply next to the message the button was on (modals have no response_url)."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
