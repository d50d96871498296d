"""The Web API methods the emulator answers. Each takes the state (lock held) and the arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sandbox.blockkit import message_problems, view_problems
from bot.sandbox.errors import SlackMethodError
from bot.sandbox.state import Ephemeral, Message, SlackState, View

Method = Callable[[SlackState, dict[str, Any]], dict[str, Any]]
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    def register(function: Method) -> Method:
        METHODS[name] = function
        return function

    return register


def _required(args: dict[str, Any], name: str) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise SlackMethodError(f"missing_argument:{name}" if name != "channel" else "channel_not_found")
    return value


def _resolve_channel(state: SlackState, channel: str) -> str:
    return state.postable(channel)


def check_message(args: dict[str, Any]) -> None:
    """Refuse what Slack refuses in a message: no text at all, too long, or blocks Slack cannot show."""
    text = str(args.get("text") or "")
    blocks = args.get("blocks") or []
    if not text and not blocks:
        raise SlackMethodError("no_text")
    if len(text) > 40_000:
        raise SlackMethodError("msg_too_long")
    if not isinstance(blocks, list):
        raise SlackMethodError("invalid_blocks", messages=["blocks must be a list"])
    found = message_problems(text, blocks)
    if found:
        raise SlackMethodError("invalid_blocks", messages=found)


@method("auth.test")
def auth_test(state: SlackState, _args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": "https://sandbox.slack.com/",
        "team": "Sandbox",
        "user": "learnbot",
        "team_id": state.team_id,
        "user_id": state.bot_user_id,
        "bot_id": "B0LEARNBOT",
    }


@method("chat.postMessage")
def post_message(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    channel = _resolve_channel(state, str(_required(args, "channel")))
    check_message(args)
    thread_ts = args.get("thread_ts") or None
    if thread_ts and not any(m.ts == thread_ts for m in state.messages.get(channel, [])):
        raise SlackMethodError("thread_not_found")
    message = Message(
        channel=channel,
        ts=state.next_ts(),
        user=state.bot_user_id,
        text=str(args.get("text") or ""),
        blocks=list(args.get("blocks") or []),
        thread_ts=thread_ts,
        metadata=args.get("metadata") or None,
    )
    state.messages.setdefault(channel, []).append(message)
    return {"channel": channel, "ts": message.ts, "message": message.as_api(with_metadata=True)}


@method("chat.postEphemeral")
def post_ephemeral(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    user = str(_required(args, "user"))
    if user not in state.users:
        raise SlackMethodError("user_not_in_channel")
    channel = _resolve_channel(state, str(_required(args, "channel")))
    check_message(args)
    item = Ephemeral(
        channel=channel,
        user=user,
        text=str(args.get("text") or ""),
        blocks=list(args.get("blocks") or []),
        id=len(state.ephemerals) + 1,
    )
    state.ephemerals.append(item)
    return {"message_ts": state.next_ts()}


def _find(state: SlackState, channel: str, ts: str) -> Message:
    for message in state.messages.get(channel, []):
        if message.ts == ts:
            return message
    raise SlackMethodError("message_not_found")


@method("chat.update")
def update_message(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    channel = _resolve_channel(state, str(_required(args, "channel")))
    message = _find(state, channel, str(_required(args, "ts")))
    check_message(args)
    message.text = str(args.get("text") or "")
    message.blocks = list(args.get("blocks") or [])
    message.edited = True
    return {"channel": channel, "ts": message.ts}


@method("chat.delete")
def delete_message(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    channel = _resolve_channel(state, str(_required(args, "channel")))
    message = _find(state, channel, str(_required(args, "ts")))
    state.messages[channel].remove(message)
    return {"channel": channel, "ts": message.ts}


@method("chat.getPermalink")
def get_permalink(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    channel = str(_required(args, "channel"))
    ts = str(_required(args, "message_ts"))
    return {
        "channel": channel,
        "permalink": f"https://sandbox.slack.com/archives/{channel}/p{ts.replace('.', '')}",
    }


@method("conversations.open")
def open_conversation(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    users = args.get("users") or []
    if isinstance(users, str):
        users = users.split(",")
    if len(users) != 1:
        raise SlackMethodError("not_supported")
    return {"channel": {"id": state.dm_channel(str(users[0]))}}


def _window(messages: list[Message], args: dict[str, Any]) -> list[Message]:
    oldest = float(args.get("oldest") or 0)
    latest = float(args.get("latest") or "inf")
    return [m for m in messages if oldest <= float(m.ts) <= latest]


def _page(items: list[dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
    limit = int(args.get("limit") or 100)
    start = int(args.get("cursor") or 0)
    page = items[start : start + limit]
    following = start + limit
    cursor = str(following) if following < len(items) else ""
    return {"messages": page, "has_more": bool(cursor), "response_metadata": {"next_cursor": cursor}}


@method("conversations.history")
def history(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    channel = _resolve_channel(state, str(_required(args, "channel")))
    metadata = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
    top = [m for m in _window(state.messages.get(channel, []), args) if not m.thread_ts or m.thread_ts == m.ts]
    return _page([m.as_api(with_metadata=metadata) for m in reversed(top)], args)


@method("conversations.replies")
def replies(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    channel = _resolve_channel(state, str(_required(args, "channel")))
    parent = _find(state, channel, str(_required(args, "ts")))
    metadata = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
    thread = [parent] + [m for m in state.messages.get(channel, []) if m.thread_ts == parent.ts and m is not parent]
    return _page([m.as_api(with_metadata=metadata) for m in _window(thread, args) or [parent]], args)


@method("conversations.members")
def members(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    """A channel's members, a page at a time; a private channel only once the bot is in it (as Slack)."""
    channel = state.channels.get(str(_required(args, "channel")))
    if channel is None or (channel.private and not channel.bot_member):
        raise SlackMethodError("channel_not_found")
    limit = int(args.get("limit") or 100)
    start = int(args.get("cursor") or 0)
    following = start + limit
    cursor = str(following) if following < len(channel.members) else ""
    return {"members": channel.members[start:following], "response_metadata": {"next_cursor": cursor}}


@method("usergroups.users.list")
def usergroup_users(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    usergroup = str(_required(args, "usergroup"))
    if usergroup not in state.usergroups:
        raise SlackMethodError("no_such_subteam")
    return {"users": list(state.usergroups[usergroup])}


@method("users.info")
def users_info(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    user = state.users.get(str(_required(args, "user")))
    if user is None:
        raise SlackMethodError("user_not_found")
    return {"user": user.as_api(state.team_id)}


def _store_view(state: SlackState, user: str, view: Any, kind: str, view_id: str | None = None) -> dict[str, Any]:
    if not isinstance(view, dict) or view.get("type") not in {"modal", "home"}:
        raise SlackMethodError("invalid_arguments")
    found = view_problems(view)
    if found:
        raise SlackMethodError("invalid_blocks", messages=found)
    if view_id is None:
        view_id = state.next_id("V")
        state.views[view_id] = View(id=view_id, user=user, view=view, kind=kind)
    else:
        stored = state.views[view_id]
        stored.view = view
        stored.version += 1
    stored_view = state.views[view_id]
    return {"view": {**view, "id": view_id, "hash": f"h{stored_view.version}", "team_id": state.team_id}}


@method("views.open")
def open_view(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    trigger = str(_required(args, "trigger_id"))
    user = trigger.split(":", 1)[0] if ":" in trigger else ""
    return _store_view(state, user, args.get("view"), "modal")


@method("views.push")
def push_view(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    return open_view(state, args)


@method("views.update")
def update_view(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    view_id = str(args.get("view_id") or "")
    if view_id not in state.views:
        raise SlackMethodError("not_found")
    stored = state.views[view_id]
    if args.get("hash") and args["hash"] != f"h{stored.version}":
        raise SlackMethodError("hash_conflict")
    return _store_view(state, stored.user, args.get("view"), stored.kind, view_id)


@method("views.publish")
def publish_view(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    user = str(_required(args, "user_id"))
    if user not in state.users:
        raise SlackMethodError("user_not_found")
    result = _store_view(state, user, args.get("view"), "home", state.home.get(user))
    state.home[user] = result["view"]["id"]
    return result
