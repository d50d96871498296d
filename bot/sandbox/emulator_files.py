"""The emulator's file upload methods (files_upload_v2's first and last steps; the bytes go to the upload URL,
which `SlackEmulator.handle_upload` answers). Registered in METHODS when this module is imported."""

from __future__ import annotations

from typing import Any

from bot.sandbox.emulator_methods import _required, _resolve_channel, method
from bot.sandbox.errors import SlackMethodError
from bot.sandbox.state import File, Message, SlackState


@method("files.getUploadURLExternal")
def upload_url(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    """Step one of an upload: a file id and the URL its bytes go to (scope files:write)."""
    name = str(_required(args, "filename"))
    try:
        length = int(_required(args, "length"))
    except ValueError:
        raise SlackMethodError("invalid_arguments", messages=["length must be an integer"]) from None
    if length <= 0:
        raise SlackMethodError("invalid_arguments", messages=["length must be positive"])
    file = File(id=state.next_id("F"), name=name, length=length)
    state.files[file.id] = file
    return {"upload_url": f"{state.base_url}/upload/{file.id}", "file_id": file.id}


@method("files.completeUploadExternal")
def complete_upload(state: SlackState, args: dict[str, Any]) -> dict[str, Any]:
    """Step three: the uploaded files are shared in `channel_id` (a channel or DM id, not a user id) with
    `initial_comment` as the message's text; without a channel they stay private to the uploader."""
    listed = args.get("files")
    if not isinstance(listed, list) or not listed or not all(isinstance(f, dict) and f.get("id") for f in listed):
        raise SlackMethodError("invalid_arguments", messages=["files must be a JSON array of {id, title}"])
    files = []
    for entry in listed:
        file = state.files.get(str(entry["id"]))
        if file is None or file.shared or file.content is None:
            raise SlackMethodError("file_not_found")  # never announced, already shared, or its bytes never came
        if len(file.content) != file.length:
            raise SlackMethodError("file_upload_size_mismatch")
        files.append((file, str(entry.get("title") or file.name)))
    comment = str(args.get("initial_comment") or "")
    if len(comment) > 40_000:
        raise SlackMethodError("msg_too_long")
    channel = args.get("channel_id") or None
    if channel is not None:
        if str(channel).startswith(("U", "W")):
            raise SlackMethodError("channel_not_found")  # channel_id takes a conversation's id
        channel = _resolve_channel(state, str(channel))
    thread_ts = args.get("thread_ts") or None
    if thread_ts and (channel is None or not any(m.ts == thread_ts for m in state.messages.get(channel, []))):
        raise SlackMethodError("thread_not_found")
    for file, title in files:
        file.title, file.shared = title, True
    shared = [file.as_api() for file, _title in files]
    if channel is not None:
        message = Message(channel, state.next_ts(), state.bot_user_id, comment, thread_ts=thread_ts, files=shared)
        state.messages.setdefault(channel, []).append(message)
    return {"files": shared}
