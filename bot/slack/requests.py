"""What Slack sends, read into plain values before any service is called: who, what they pressed, what
they typed in a window. A tampered or malformed value is refused with one friendly line."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.errors import BadInput
from bot.people.types import PersonRef, TeamMember

UNREADABLE = "I could not read that button. Try `/learn` again."
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")  # as Slack escapes a typed @name
MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>")  # mentions, channels, @here and the like, links


def member_of(body: Mapping[str, Any]) -> TeamMember | None:
    """The Slack team and user a request came from, whatever its kind; None when it has no person."""
    user = body.get("user")
    if isinstance(user, dict):  # interactions: block_actions, view_submission, shortcuts
        team = (body.get("team") or {}).get("id") or user.get("team_id")
        user_id = user.get("id")
    elif body.get("type") == "event_callback":  # events name the user in the event
        event = body.get("event") or {}
        team, user_id = body.get("team_id"), event.get("user")
    else:  # slash commands
        team, user_id = body.get("team_id"), body.get("user_id")
    if isinstance(team, str) and team and isinstance(user_id, str) and user_id:
        return TeamMember(team, user_id)
    return None


def described(body: Mapping[str, Any]) -> str:
    """A request in a few words for the log: "/learn for U0ALEX", "the shortcut start_challenge for U0ALEX"."""
    kind, member = body.get("type"), member_of(body)
    if "command" in body:
        what = str(body["command"])
    elif kind == "block_actions":
        actions = body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
        what = f"the action {action.get('action_id')}"
    elif kind == "view_submission":
        what = f"the window {(body.get('view') or {}).get('callback_id')}"
    elif kind in ("message_action", "shortcut"):
        what = f"the shortcut {body.get('callback_id')}"
    elif kind == "event_callback":
        what = f"the {(body.get('event') or {}).get('type')} event"
    else:
        what = "a request"
    return f"{_printable(what)} for {member.user_id if member else 'someone'}"


def _printable(text: str) -> str:
    """Ids from a request, safe for one log line: printable characters only, and not too many."""
    return "".join(c for c in text if c.isprintable())[:80]


@dataclass(frozen=True)
class Click:
    """A button pressed or an option chosen, by `person`."""

    person: PersonRef
    action_id: str
    data: Mapping[str, Any]  # the JSON our buttons carry in `value`
    chosen: tuple[str, ...] = ()  # the values of the options chosen (selects, checkboxes)
    on_home: bool = False  # pressed in the Home tab
    window: str | None = None  # the id of the window (modal) it was pressed in
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # that window's fields, as filled in
    metadata: str = ""  # that window's private_metadata

    def number(self, name: str) -> int:
        return _number(self.data, name, UNREADABLE)

    def optional_number(self, name: str) -> int | None:
        return self.number(name) if self.data.get(name) is not None else None

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str):
            raise BadInput(UNREADABLE)
        return value


def read_click(body: Mapping[str, Any], person: PersonRef) -> Click:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise BadInput(UNREADABLE)
    action = actions[0]
    chosen: list[str] = []
    if isinstance(action.get("selected_option"), dict):
        chosen.append(str(action["selected_option"].get("value", "")))
    for option in action.get("selected_options") or []:
        if isinstance(option, dict):
            chosen.append(str(option.get("value", "")))
    raw = action.get("value")
    if raw is None and len(chosen) == 1 and chosen[0].startswith("{"):
        raw = chosen[0]  # an option of ours that carries data, as a button's value does
    data = _object(raw, UNREADABLE) if action.get("type", "button") == "button" or raw is not None else {}
    view = body.get("view") if (body.get("container") or {}).get("type") == "view" else None
    kind, view_id = (view.get("type"), view.get("id")) if isinstance(view, dict) else (None, None)
    window = view_id if kind == "modal" and isinstance(view_id, str) else None
    values = ((view or {}).get("state") or {}).get("values") if window else None
    metadata = (view or {}).get("private_metadata") if window else None
    return Click(
        person,
        str(action.get("action_id", "")),
        data,
        tuple(chosen),
        kind == "home",
        window,
        values if isinstance(values, dict) else {},
        metadata if isinstance(metadata, str) else "",
    )


@dataclass(frozen=True)
class Submission:
    """A window submitted by `person`: the JSON the window carries, and what was typed or chosen."""

    person: PersonRef
    callback_id: str
    data: Mapping[str, Any]
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def number(self, name: str) -> int:
        return _number(self.data, name, "That window is out of date. Please open it again.")

    def text(self, block: str, action: str = "value") -> str:
        return str(self._element(block, action).get("value") or "")

    def selected(self, block: str, action: str = "value") -> str | None:
        option = self._element(block, action).get("selected_option")
        return str(option.get("value")) if isinstance(option, dict) else None

    def chosen(self, block: str, action: str = "value") -> list[str]:
        options = self._element(block, action).get("selected_options") or []
        return [str(option.get("value")) for option in options if isinstance(option, dict)]

    def users(self, block: str, action: str = "value") -> list[str]:
        chosen = self._element(block, action).get("selected_users") or []
        return [str(user) for user in chosen if isinstance(user, str)]

    def conversation(self, block: str, action: str = "value") -> str | None:
        chosen = self._element(block, action).get("selected_conversation")
        return chosen if isinstance(chosen, str) and chosen else None

    def whole(self, block: str, action: str = "value") -> int | None:
        """A number_input's whole number; None when empty, BadInput under the field when not a number."""
        raw = self.text(block, action).strip()
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 6:
            raise BadInput("Type a whole number.", field=block)
        return int(raw)

    def date(self, block: str, action: str = "value") -> date | None:
        raw = self._element(block, action).get("selected_date")
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            return None

    def _element(self, block: str, action: str) -> Mapping[str, Any]:
        element = (self.values.get(block) or {}).get(action)
        return element if isinstance(element, dict) else {}


def read_submission(view: Mapping[str, Any], person: PersonRef) -> Submission:
    data = _object(view.get("private_metadata") or "{}", "That window is out of date. Please open it again.")
    values = (view.get("state") or {}).get("values") or {}
    return Submission(person, str(view.get("callback_id", "")), data, values if isinstance(values, dict) else {})


@dataclass(frozen=True)
class Ask:
    """A command (or a DM to the bot) from `person`: the words after the command."""

    person: PersonRef
    text: str
    channel: str
    commands: tuple[tuple[str, str], ...] = ()  # (usage, what it does), for help
    link: str = ""  # a message shortcut: the link to the message it was used on

    @property
    def mentions(self) -> tuple[str, ...]:
        """The people named with @ (Slack sends them as `<@U…|name>`), each once, in order."""
        return tuple(dict.fromkeys(MENTION.findall(self.text)))

    @property
    def words(self) -> list[str]:
        """The words typed, without the people named."""
        return MENTION.sub(" ", self.text).split()

    @property
    def plain(self) -> str:
        """What was asked in words: without the people, channels and links Slack marks up."""
        return " ".join(MARKUP.sub(" ", self.text).split())


def _number(data: Mapping[str, Any], name: str, problem: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadInput(problem)
    try:
        number = int(value)
    except ValueError:
        raise BadInput(problem) from None
    if not -(2**62) < number < 2**62:  # beyond any id the database holds
        raise BadInput(problem)
    return number


def _object(text: Any, problem: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise BadInput(problem)
    return value
