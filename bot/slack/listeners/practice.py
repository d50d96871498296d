"""Daily practice in Slack: /learn practice, the reminder's buttons, the review, settings, suggestions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.errors import BadInput
from bot.services.localtime import local_date, zone
from bot.services.people import PersonRef
from bot.slack.blocks import kit
from bot.slack.blocks import practice as blocks
from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded
from bot.slack.listeners.home import publish_home
from bot.slack.listeners.learn import Answer, router
from bot.slack.payloads import button_data, number, view_data, who
from bot.slack.text import escape

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@router.subcommand(
    "practice",
    "/learn practice <technique> [@colleague]",
    "practise a technique for two minutes a day, or suggest it to a colleague",
    takes_text=True,
)
def practice(text: str, *, answer: Answer, deps: AppDeps, person: PersonRef, **_: Any) -> None:
    mentioned = _MENTION.findall(text)
    name = _MENTION.sub(" ", text).strip()
    if not name:
        listing = "\n".join(f"• `{key}`: {escape(title)}" for key, title in deps.practice.techniques())
        answer(
            text="Techniques to practise",
            blocks=[kit.section(f"*Pick a technique*, e.g. `/learn practice active-listening`:\n{listing}")],
        )
        return
    key = deps.practice.technique_key(name)
    if mentioned:
        for colleague in mentioned:
            view = deps.practice.suggest(person, colleague, key)
            answer(
                text="Suggested",
                blocks=[
                    kit.section(
                        f"I've suggested *{escape(view.technique_title)}* to <@{colleague}>. "
                        "They can accept or decline."
                    )
                ],
            )
        return
    started = deps.practice.start(person, key)
    answer(
        text=f"Practising {started.view.technique_title}",
        blocks=blocks.started_blocks(started.view, already=started.already, notice=started.zone_notice),
    )


def _replace(respond: Respond, body: dict[str, Any], content: list[kit.Block], text: str) -> None:
    """Update the message the button was on; from the Home tab there is no message to update."""
    if body.get("response_url"):
        respond(text=text, blocks=content, replace_original=True)


def register(app: App, deps: AppDeps) -> None:
    service = deps.practice

    def refresh_home(body: dict[str, Any], client: WebClient, person: PersonRef) -> None:
        if (body.get("container") or {}).get("type") == "view" and (body.get("view") or {}).get("type") == "home":
            publish_home(deps, client, person)

    answers = {"practice_done": service.done, "practice_skip": service.skip, "practice_snooze": service.snooze}

    @app.action("practice_done")
    @app.action("practice_skip")
    @app.action("practice_snooze")
    @guarded
    def answered(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        """Done, Skip today or Snooze on a reminder: the reminder becomes the answer."""
        ack()
        answer = answers[action["action_id"]](who(deps, body), number(button_data(body), "d"))
        _replace(respond, body, blocks.answered_blocks(answer), f"{answer.technique_title}: {answer.status}")

    @app.action("practice_reflect")
    @guarded
    def reflect(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=blocks.reflection_modal(number(button_data(body), "d")))

    @app.view("practice_reflection")
    @guarded
    def reflected(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = str(view["state"]["values"]["reflection"]["text"].get("value") or "")
        if not text.strip():
            ack(response_action="errors", errors={"reflection": "Write a line, or close the window to skip it."})
            return
        ack()
        service.reflect(who(deps, body), number(view_data(view), "d"), text)

    @app.action("practice_pause")
    @guarded
    def pause(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        person = who(deps, body)
        today = local_date(deps.clock.now(), zone(person.tz, deps.settings.default_timezone))
        client.views_open(trigger_id=body["trigger_id"], view=blocks.pause_modal(number(button_data(body), "s"), today))

    @app.view("practice_pause")
    @guarded
    def paused(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        raw = view["state"]["values"]["until"]["date"].get("selected_date")
        try:
            until = date.fromisoformat(str(raw))
        except ValueError:
            ack(response_action="errors", errors={"until": "Choose a date."})
            return
        person = who(deps, body)
        try:
            service.pause(person, number(view_data(view), "s"), until)
        except BadInput as error:
            ack(response_action="errors", errors={"until": error.message})
            return
        ack()
        publish_home(deps, client, person)

    @app.action("practice_resume")
    @guarded
    def resume(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        person = who(deps, body)
        service.resume(person, number(button_data(body), "s"))
        publish_home(deps, client, person)

    @app.action("practice_stop")
    @guarded
    def stop(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        person = who(deps, body)
        title = service.stop(person, number(button_data(body), "s"))
        text = f"Stopped *{escape(title)}*. Start again any time with `/learn practice`."
        _replace(respond, body, [kit.section(text)], "Stopped")
        refresh_home(body, client, person)

    @app.action("practice_accept")
    @guarded
    def accept(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        started = service.accept(who(deps, body), number(button_data(body), "s"))
        _replace(
            respond,
            body,
            blocks.started_blocks(started.view, already=started.already, notice=started.zone_notice),
            "Accepted",
        )

    @app.action("practice_decline")
    @guarded
    def decline(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        title = service.decline(who(deps, body), number(button_data(body), "s"))
        _replace(respond, body, [kit.section(f"No problem: you won't practise *{escape(title)}*.")], "Declined")

    @app.action("practice_rate")
    @guarded
    def rate(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        data = button_data(body)
        skill = service.rate(who(deps, body), number(data, "s"), str(data.get("o")), number(data, "r"))
        respond(
            text="Rated",
            response_type="ephemeral",
            replace_original=False,
            blocks=[kit.section(f"Noted: you rate your {escape(skill)} at *{number(data, 'r')}* of 5 this month.")],
        )

    @app.action("practice_keep")
    @guarded
    def keep(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Keeping your focus", response_type="ephemeral", replace_original=False)

    @app.action("practice_change_focus")
    @guarded
    def change_focus(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        listing = ", ".join(f"`{key}`" for key, _ in service.techniques())
        respond(
            text="Change focus",
            response_type="ephemeral",
            replace_original=False,
            blocks=[
                kit.section(
                    "Stop this one with its *Stop* button, then start another with "
                    f"`/learn practice <technique>`: {listing}."
                )
            ],
        )

    @app.action("practice_settings")
    @guarded
    def settings(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        person = who(deps, body)
        wanted = number(button_data(body), "s")
        view = next((v for v in service.overview(person) if v.subscription_id == wanted), None)
        if view is None:
            raise BadInput("That practice no longer exists.")
        client.views_open(trigger_id=body["trigger_id"], view=blocks.settings_modal(view))

    @app.view("practice_settings")
    @guarded
    def settings_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values = view["state"]["values"]
        days = tuple(int(o["value"]) for o in values["days"]["value"].get("selected_options") or [])
        if not days:
            ack(response_action="errors", errors={"days": "Choose at least one day."})
            return
        minute = int(values["time"]["value"]["selected_option"]["value"])
        weeks_raw = values["weeks"]["value"]["selected_option"]["value"]
        ack()
        person = who(deps, body)
        service.change(
            person,
            number(view_data(view), "s"),
            minute_of_day=minute,
            weekdays=days,
            weeks=None if weeks_raw == "until" else int(weeks_raw),
        )
        publish_home(deps, client, person)

    @app.action("practice_start")
    @guarded
    def start_from_home(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        person = who(deps, body)
        service.start(person, str((action.get("selected_option") or {}).get("value", "")))
        publish_home(deps, client, person)
