"""Reading what Slack sends with a click or a submitted window: who, and the JSON our buttons carry."""

from __future__ import annotations

import json
from typing import Any

from bot.errors import BadInput
from bot.services.people import PersonRef
from bot.slack.deps import AppDeps


def who(deps: AppDeps, body: dict[str, Any]) -> PersonRef:
    """The person behind an interaction."""
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    return deps.people.touch(team_id=str(team), user_id=str(body["user"]["id"]))


def button_data(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON a button carries; a tampered or foreign value is refused politely."""
    try:
        return _object(body["actions"][0].get("value") or "{}")
    except (KeyError, IndexError):
        raise BadInput("I could not read that button. Try `/learn` again.") from None


def view_data(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON a window carries in private_metadata."""
    try:
        return _object(view.get("private_metadata") or "{}")
    except BadInput:
        raise BadInput("That window is out of date. Please open it again.") from None


def number(data: dict[str, Any], name: str) -> int:
    """A whole number from button or window data."""
    try:
        return int(data[name])
    except (KeyError, TypeError, ValueError):
        raise BadInput("I could not read that button.") from None


def optional_number(data: dict[str, Any], name: str) -> int | None:
    return number(data, name) if data.get(name) is not None else None


def _object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise BadInput("I could not read that button. Try `/learn` again.")
    return value
