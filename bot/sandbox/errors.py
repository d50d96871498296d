"""The emulator's Web API errors: what Slack answers as `{"ok": false, "error": code}`."""

from __future__ import annotations

from typing import Any


class SlackMethodError(Exception):
    def __init__(self, code: str, *, messages: list[str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages or []  # response_metadata.messages, e.g. which block is invalid


def refusal(error: SlackMethodError) -> dict[str, Any]:
    """Slack's answer to a refused call; `response_metadata.messages` says what was wrong, as Slack does."""
    body: dict[str, Any] = {"ok": False, "error": error.code}
    if error.messages:
        body["response_metadata"] = {"messages": error.messages}
    return body
