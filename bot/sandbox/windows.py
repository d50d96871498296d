"""Windows (modals) in the sandbox as a person fills them in: choosing an option, typing into a field, picking
people or a channel by name, asking the app to redraw the window when a field says so (dispatch_action, as
Slack does), and submitting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.sandbox.forms import FormError, Forms
from bot.sandbox.render import Clickable
from bot.sandbox.session import CAST, CHANNELS, Sandbox
from bot.sandbox.state import View


class SandboxInputError(ValueError):
    """A sandbox command that cannot be understood; the message is shown as is."""


@dataclass
class Windows:
    sandbox: Sandbox
    forms: Forms

    def open_window(self, user: str) -> View:
        views = self.sandbox.emulator.open_views(user)
        if not views:
            raise SandboxInputError("There is no open window.")
        return views[-1]

    def choose(self, user: str, clickable: Clickable) -> str:
        """Fill a field of the window the choice was shown in; a window that has closed or changed since
        takes nothing (its numbers are out of date). Returns what is chosen now."""
        shown_in = (clickable.container.get("view") or {}).get("id")
        window = next((v for v in self.sandbox.emulator.open_views(user) if v.id == shown_in), None)
        if window is None or clickable.container.get("version") != window.version:
            raise SandboxInputError("That window has closed or changed; use the numbers shown for it now.")
        assert clickable.choice is not None
        return self.forms.choose(window.id, clickable.block_id, clickable.element, clickable.choice)

    def type(self, user: str, block_id: str, text: str) -> None:
        window = self.open_window(user)
        kind = next(
            (b["element"].get("type") for b in window.view.get("blocks", []) if b.get("block_id") == block_id), None
        )
        try:
            if kind == "multi_users_select":
                users = [self.person(name) for name in re.split(r"[,\s]+", text) if name]
                self.forms.pick(window.id, window.view, block_id, {"selected_users": users})
            elif kind in ("conversations_select", "channels_select"):
                key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
                self.forms.pick(window.id, window.view, block_id, {key: self.channel(text)})
            else:
                self.forms.type(window.id, window.view, block_id, text)
        except FormError as error:
            raise SandboxInputError(str(error)) from None

    def dispatch(self, user: str, block_id: str) -> int | None:
        """When the field asks for it (`dispatch_action`), tell the app what it holds now, as Slack does; the
        HTTP status of that request, or None when the field does not ask."""
        views = self.sandbox.emulator.open_views(user)
        window = views[-1] if views else None
        block = next(
            (b for b in (window.view if window else {}).get("blocks", []) if b.get("block_id") == block_id), None
        )
        if window is None or block is None or not block.get("dispatch_action"):
            return None
        values = self.forms.values(window.id, window.view)
        element: dict[str, Any] = {**block["element"], **values[block_id][block["element"].get("action_id", "value")]}
        view = {**window.view, "id": window.id, "state": {"values": values}}
        return self.sandbox.driver.click(
            user, element, block_id=block_id, container={"type": "view", "view": view}
        ).status

    def submit(self, user: str) -> tuple[int | None, dict[str, str]]:
        """Submit the open window: the HTTP status, or the refusals under their fields (the window stays)."""
        window = self.open_window(user)
        values = self.forms.values(window.id, window.view)
        reply = self.sandbox.driver.submit_view(user, {**window.view, "id": window.id}, values)
        answer = reply.json() if reply.body else None
        if isinstance(answer, dict) and answer.get("response_action") == "errors":
            return None, dict(answer.get("errors", {}))
        self.sandbox.emulator.after_submission(window.id, answer)
        return reply.status, {}

    @staticmethod
    def person(name: str) -> str:
        wanted = name.lstrip("@").lower()
        for user_id, full, _title, _tz in CAST:
            if wanted in (user_id.lower(), full.lower(), full.split()[0].lower()):
                return user_id
        raise SandboxInputError(f"No one called {name!r} here.")

    @staticmethod
    def channel(name: str) -> str:
        wanted = name.lstrip("#").lower()
        for channel_id, channel, _private, _members in CHANNELS:
            if wanted in (channel_id.lower(), channel):
                return channel_id
        known = ", ".join(f"#{channel}" for _, channel, _, _ in CHANNELS)
        raise SandboxInputError(f"No channel {name!r} here. Try one of: {known}.")
