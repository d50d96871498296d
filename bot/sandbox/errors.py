"""The emulator's Web API errors: what Slack answers as `{"ok": false, "error": code}`."""

from __future__ import annotations


class SlackMethodError(Exception):
    def __init__(self, code: str, *, messages: list[str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages or []  # response_metadata.messages, e.g. which block is invalid
