"""Socket Mode: the bot dials out to Slack, for one process behind a firewall (no public URL)."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


class SocketConnection:
    def __init__(self, app: App, app_token: str) -> None:
        self._handler = SocketModeHandler(app, app_token)

    def connect(self) -> None:
        self._handler.connect()  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self._handler.close()  # type: ignore[no-untyped-call]
