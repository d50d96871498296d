"""The shapes of what Slack sends, checked at the edge before anything else reads a request.

Only the fields the bot or Bolt read are checked, and extra fields are allowed (Slack adds new ones).
Bolt reads who and where a request comes from (`_Located`) on every request before any listener of ours
runs, and the reply path posts to `response_url`: those are checked on every kind of request. A request
of the wrong shape is refused with a 400 and one WARNING line, before it is acknowledged or recorded; so
Bolt and the listeners can trust every field they read.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
)

SHAPE_CHECKED = "shape_checked"  # set in a request's context by the edge that checked it

SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,32}$")]  # U0ALEX, T0SANDBOX, D0ALEX, C0TEAM
Short = Annotated[str, StringConstraints(max_length=255)]
Value = Annotated[str, StringConstraints(max_length=2000)]


def _web_address(value: str) -> str:
    """An http(s) URL with a host, as Slack sends a response_url (https://hooks.slack.com/...; the sandbox's
    emulator: http://127.0.0.1:PORT/...). Anything else would fail in the reply path, after the ack."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port out of range raises here, not later in urllib)
    except ValueError:
        raise ValueError("not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL with a host")
    if not value.isascii() or not value.isprintable() or " " in value:  # urlsplit drops tabs and newlines
        raise ValueError("not a URL")
    return value


WebAddress = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_web_address)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Ref(_Shape):
    """A team, enterprise, user or channel given as an object; Bolt reads its `id`."""

    id: Short | None = None


class _Id(_Ref):
    id: SlackId


class _User(_Ref):
    id: SlackId
    team_id: SlackId | None = None


class _Located(_Shape):
    """Where a request comes from, as Bolt reads it into its context before any listener runs: at the top,
    in `authorizations[0]`, in `event`, and in an event's message, item or assistant thread. Of another
    type (a list for `enterprise`, text for `authorizations` or `event`), Bolt fails on it: a stack and
    a 500, or a request acknowledged and never done."""

    enterprise: Short | _Ref | None = None
    team: Short | _Ref | None = None
    user: Short | _Ref | None = None
    channel: Short | _Ref | None = None
    authorizations: list[_Located] | None = None
    message: _Located | None = None
    previous_message: _Located | None = None
    item: _Located | None = None
    assistant_thread: _Located | None = None


class _ResponseUrl(_Shape):
    response_url: WebAddress


class _Request(_Located):
    """Every kind of request: `event` is an object when present (Bolt's own middleware reads it on every
    request), and a reply goes to `response_url`."""

    event: _Located = Field(default_factory=_Located)  # absent is fine; null is not
    response_url: WebAddress | None = None
    response_urls: list[_ResponseUrl] = Field(default_factory=list)  # a window's; null is not a list


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


class _SubmittedView(_View):
    type: Short  # Bolt reads it on every submission (is it a workflow step?)
    callback_id: Short  # Bolt routes a submission on it


class _Container(_Shape):
    type: Short | None = None


class BlockActions(_Request):
    type: Literal["block_actions"]
    user: _User
    team: _Id | None = None
    actions: Annotated[list[_Action], Field(min_length=1, max_length=1)]
    container: _Container | None = None
    view: _View | None = None
    channel: _Id | None = None
    trigger_id: Short  # Slack always sends one; a window opens with it


class ViewSubmission(_Request):
    type: Literal["view_submission"]
    user: _User
    team: _Id | None = None
    view: _SubmittedView


class _Message(_Located):
    ts: Short
    text: str = ""


class MessageShortcut(_Request):
    type: Literal["message_action"]
    user: _User
    team: _Id | None = None
    callback_id: Short
    channel: _Id
    message: _Message  # the message it was used on
    trigger_id: Short


class GlobalShortcut(_Request):
    type: Literal["shortcut"]
    user: _User
    team: _Id | None = None
    callback_id: Short
    trigger_id: Short


class Command(_Request):
    command: Annotated[str, StringConstraints(pattern=r"^/[a-z0-9_-]{1,31}$")]
    team_id: SlackId
    user_id: SlackId
    text: str = ""
    channel_id: SlackId
    response_url: WebAddress  # Slack always sends one
    trigger_id: Short


class _Event(_Located):
    type: Short
    user: SlackId | _Ref | None = None  # a user id, or the user object of user_change


class _MessageEvent(_Event):
    type: Literal["message"]
    channel: SlackId  # a message is always in a conversation: a DM to the bot is answered there


def _event_kind(event: Any) -> str:
    kind = event.get("type") if isinstance(event, dict) else getattr(event, "type", None)
    return "message" if kind == "message" else "other"


AnyEvent = Annotated[
    Annotated[_MessageEvent, Tag("message")] | Annotated[_Event, Tag("other")], Discriminator(_event_kind)
]


class EventCallback(_Request):
    type: Literal["event_callback"]
    team_id: SlackId
    event_id: Short
    event: AnyEvent


class UrlVerification(_Request):
    type: Literal["url_verification"]
    challenge: Short


_BY_TYPE: dict[str, type[_Request]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "message_action": MessageShortcut,
    "shortcut": GlobalShortcut,
    "event_callback": EventCallback,
    "url_verification": UrlVerification,
}


def problem_with(body: dict[str, Any]) -> str | None:
    """None when `body` (as Bolt parsed it) has a shape Slack sends; else what is wrong, in a few words."""
    kind = body.get("type")
    if "command" in body:
        model: type[_Request] | None = Command
        kind = "command"
    else:
        model = _BY_TYPE.get(kind) if isinstance(kind, str) else None
    if model is None:
        return f"a request of type {str(kind)[:40]!r}"
    try:
        model.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc']) or 'body'} ({kind}): {first['msg']}"
    return None
