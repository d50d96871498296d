"""The shapes of what Slack sends, checked at the edge before anything else reads a request.

Only the fields the bot or Bolt route on are checked, and extra fields are allowed (Slack adds new ones).
A request of the wrong shape is refused with a 400 and one WARNING line, before it is acknowledged or
recorded; so listeners can trust every field they read.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

SHAPE_CHECKED = "shape_checked"  # set in a request's context by the edge that checked it

SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,32}$")]  # U0ALEX, T0SANDBOX, D0ALEX, C0TEAM
Short = Annotated[str, StringConstraints(max_length=255)]
Value = Annotated[str, StringConstraints(max_length=2000)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Id(_Shape):
    id: SlackId


class _User(_Shape):
    id: SlackId
    team_id: SlackId | None = None


class _Option(_Shape):
    value: Value


class _Action(_Shape):
    action_id: Short
    type: Short = "button"
    value: Value | None = None
    selected_option: _Option | None = None
    selected_options: list[_Option] | None = None


class _ViewState(_Shape):
    values: dict[Short, dict[Short, dict[str, Any]]] = Field(default_factory=dict)


class _View(_Shape):
    type: Short | None = None
    callback_id: Short = ""
    private_metadata: Annotated[str, StringConstraints(max_length=3000)] = ""
    state: _ViewState = Field(default_factory=_ViewState)


class _Container(_Shape):
    type: Short | None = None


class BlockActions(_Shape):
    type: Literal["block_actions"]
    user: _User
    team: _Id | None = None
    actions: Annotated[list[_Action], Field(min_length=1, max_length=1)]
    container: _Container | None = None
    view: _View | None = None
    channel: _Id | None = None
    trigger_id: Short | None = None
    response_url: Short | None = None


class ViewSubmission(_Shape):
    type: Literal["view_submission"]
    user: _User
    team: _Id | None = None
    view: _View


class Shortcut(_Shape):
    type: Literal["message_action", "shortcut"]
    user: _User
    team: _Id | None = None
    callback_id: Short
    channel: _Id | None = None
    trigger_id: Short | None = None


class Command(_Shape):
    command: Annotated[str, StringConstraints(pattern=r"^/[a-z0-9_-]{1,31}$")]
    team_id: SlackId
    user_id: SlackId
    text: str = ""
    channel_id: SlackId
    response_url: Annotated[str, StringConstraints(pattern=r"^https?://", max_length=1000)]  # Slack always sends one
    trigger_id: Short


class _Event(_Shape):
    type: Short
    user: SlackId | dict[str, Any] | None = None  # a user id, or the user object of user_change


class EventCallback(_Shape):
    type: Literal["event_callback"]
    team_id: SlackId
    event_id: Short
    event: _Event


class UrlVerification(_Shape):
    type: Literal["url_verification"]
    challenge: Short


Interaction = Annotated[BlockActions | ViewSubmission | Shortcut, Field(discriminator="type")]
_INTERACTION: TypeAdapter[Any] = TypeAdapter(Interaction)
_ENVELOPE: TypeAdapter[Any] = TypeAdapter(Annotated[EventCallback | UrlVerification, Field(discriminator="type")])


def problem_with(body: dict[str, Any]) -> str | None:
    """None when `body` (as Bolt parsed it) has a shape Slack sends; else what is wrong, in a few words."""
    try:
        if "command" in body:
            Command.model_validate(body)
        elif body.get("type") in ("event_callback", "url_verification"):
            _ENVELOPE.validate_python(body)
        elif body.get("type") in ("block_actions", "view_submission", "message_action", "shortcut"):
            _INTERACTION.validate_python(body)
        else:
            return f"a request of type {str(body.get('type'))[:40]!r}"
    except ValidationError as error:
        first = error.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc']) or 'body'}: {first['msg']}"
    return None
