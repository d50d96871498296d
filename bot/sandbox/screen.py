"""What the sandbox prints: everything new for the person since last time, with each button numbered."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import Clickable, render_blocks


@dataclass
class Screen:
    emulator: SlackEmulator
    out: TextIO = sys.stdout
    clickables: list[Clickable] = field(default_factory=list)
    _seen_messages: dict[tuple[str, str], str] = field(default_factory=dict)
    _seen_ephemerals: set[int] = field(default_factory=set)
    _seen_views: dict[str, int] = field(default_factory=dict)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show_new(self, user: str, channel: str, zone: ZoneInfo) -> None:
        """Private messages, messages (DM and the channel), and windows that are new or changed for `user`."""
        for item in self.emulator.ephemerals_for(user):
            if item.id not in self._seen_ephemerals:
                self._seen_ephemerals.add(item.id)
                container = {"channel": item.channel, "ephemeral": True}
                self.blocks("only visible to you", item.blocks, container, fallback=item.text)
        for message in self.emulator.dm_messages(user) + self.emulator.messages_in(channel):
            version = message.text + repr(message.blocks)
            key = (message.channel, message.ts)
            if self._seen_messages.get(key) == version:
                continue
            edited = key in self._seen_messages
            self._seen_messages[key] = version
            where = "DM from learnbot" if message.channel.startswith("D") else f"#{message.channel}"
            if message.thread_ts and message.thread_ts != message.ts:
                where += " (in thread)"
            label = f"{where}, {local_ts(message.ts, zone)}" + (" (updated)" if edited else "")
            container = {"channel": message.channel, "message": message.as_api(with_metadata=False)}
            self.blocks(label, message.blocks, container, fallback=message.text)
        for view in self.emulator.open_views(user):
            if self._seen_views.get(view.id) != view.version:
                self._seen_views[view.id] = view.version
                title = (view.view.get("title") or {}).get("text", "")
                container = {"type": "view", "view": {**view.view, "id": view.id}}
                self.blocks(f"window: {title}", view.view.get("blocks", []), container)

    def blocks(
        self, label: str, blocks: list[dict[str, Any]], container: dict[str, Any], *, fallback: str = ""
    ) -> None:
        rendering = render_blocks(blocks, container=container, fallback=fallback, first_number=len(self.clickables) + 1)
        self.clickables.extend(rendering.clickables)
        self.say(f"--- {label} ---")
        self.say(rendering.text)


def local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


def local_ts(ts: str, zone: ZoneInfo) -> str:
    return local(datetime.fromtimestamp(float(ts.split(".")[0]), UTC), zone)
