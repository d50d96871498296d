"""The Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.blocks.home import HomeModel, home_view
from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded


def register(app: App, deps: AppDeps) -> None:
    @app.event("app_home_opened")
    @guarded
    def home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        person = deps.people.touch(team_id=body["team_id"], user_id=event["user"])
        model = HomeModel(name=person.display_name, title=person.title, first_visit=person.is_new)
        client.views_publish(user_id=event["user"], view=home_view(model))
