"""The Home tab: publishing it, and the profile controls on it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.people import PersonRef
from bot.slack.blocks.home import home_view
from bot.slack.blocks.practice import home_section as practice_section
from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded
from bot.slack.payloads import who


def publish_home(deps: AppDeps, client: WebClient, person: PersonRef) -> None:
    extra = practice_section(deps.practice.overview(person), deps.practice.techniques())
    client.views_publish(user_id=person.slack_user_id, view=home_view(deps.home.model(person), extra))


def register(app: App, deps: AppDeps) -> None:
    @app.event("app_home_opened")
    @guarded
    def home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(deps, client, deps.people.touch(team_id=body["team_id"], user_id=event["user"]))

    @app.action("profile_role")
    @guarded
    def role_chosen(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        choice = (action.get("selected_option") or {}).get("value", "")
        publish_home(deps, client, deps.home.choose_role(who(deps, body), str(choice)))

    @app.action("profile_skills")
    @guarded
    def skills_chosen(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        chosen = [str(option.get("value")) for option in action.get("selected_options") or []]
        publish_home(deps, client, deps.home.choose_skills(who(deps, body), chosen))

    @app.action("followups_toggle")
    @guarded
    def followups_toggled(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        person = deps.home.set_followups(who(deps, body), action.get("value") == "on")
        publish_home(deps, client, person)
