"""Workspace events: profile changes, and the message events the challenge threads will use."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.slack.deps import AppDeps
from bot.slack.directory import profile_from_user
from bot.slack.listeners.errors import guarded


def register(app: App, deps: AppDeps) -> None:
    @app.event("user_change")
    @guarded
    def user_changed(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        if user.get("id") and not user.get("is_bot"):
            deps.people.apply_profile(team_id=body["team_id"], user_id=user["id"], profile=profile_from_user(user))

    @app.event("message")
    @guarded
    def message_posted(event: dict[str, Any]) -> None:
        """Acknowledged so Slack does not retry; replies in challenge threads are read here later."""
        return
