"""What the sandbox prints: everything new for the person since last time, with each button numbered."""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import Clickable, render_blocks

_USER = re.compile(r"<?@([UW][A-Z0-9]+)(?:\|[^>]*)?>?")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass
class Screen:
    emulator: SlackEmulator
    out: TextIO = sys.stdout
    clickables: list[Clickable] = field(default_factory=list)
    _seen_messages: dict[tuple[str, str], str] = field(default_factory=dict)
    _seen_ephemerals: set[int] = field(default_factory=set)
    _seen_views: dict[str, int] = field(default_factory=dict)
    files_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "learnbot-sandbox-files")
    last_thread: tuple[str, str] | None = None  # (channel, thread ts) of the last thread reply shown

    def say(self, text: str) -> None:
        print(self._named(text), file=self.out, flush=True)

    def show_new(self, user: str, channel: str, zone: ZoneInfo) -> None:
        """Private messages, messages (the DM, the channel and the public channels), and windows that are new or
        changed for `user`."""
        for item in self.emulator.ephemerals_for(user):
            if item.id not in self._seen_ephemerals:
                self._seen_ephemerals.add(item.id)
                container = {"channel": item.channel, "ephemeral": True}
                self.blocks("only visible to you", item.blocks, container, fallback=item.text)
        with self.emulator.state.lock:
            names = {c.id: c.name for c in self.emulator.state.channels.values() if not c.private}
        channels = [channel, *sorted(set(names) - {channel})]  # the person is in every public channel here
        for message in self.emulator.dm_messages(user) + [m for c in channels for m in self.emulator.messages_in(c)]:
            version = message.text + repr(message.blocks)
            key = (message.channel, message.ts)
            if self._seen_messages.get(key) == version:
                continue
            edited = key in self._seen_messages
            self._seen_messages[key] = version
            where = (
                "DM from learnbot"
                if message.channel.startswith("D")
                else f"#{names.get(message.channel, message.channel)}"
            )
            if message.thread_ts and message.thread_ts != message.ts:
                where += f" (in the thread of {self._parent(message.channel, message.thread_ts)!r}; :reply to answer)"
                self.last_thread = (message.channel, message.thread_ts)
            label = f"{where}, {local_ts(message.ts, zone)}" + (" (updated)" if edited else "")
            container = {"channel": message.channel, "message": message.as_api(with_metadata=False)}
            self.blocks(label, message.blocks, container, fallback=message.text or "(a file)")
            for shared in message.files:
                self._file(shared)
        for view in self.emulator.open_views(user):
            if self._seen_views.get(view.id) != view.version:
                self._seen_views[view.id] = view.version
                title = (view.view.get("title") or {}).get("text", "")
                container = {"type": "view", "view": {**view.view, "id": view.id}, "version": view.version}
                self.blocks(f"window: {title}", view.view.get("blocks", []), container)

    def _file(self, shared: dict[str, Any]) -> None:
        """A file that arrived: saved where the person can open it (an HTML report opens in a browser)."""
        with self.emulator.state.lock:
            content = self.emulator.state.files[shared["id"]].content or b""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / f"{shared['id']}-{Path(shared['name']).name}"
        path.write_bytes(content)
        self.say(f"  [file] {shared['title']} ({shared['name']}, {max(1, len(content) // 1024)} KB), saved as {path}")

    def _parent(self, channel: str, thread_ts: str) -> str:
        parent = next((m for m in self.emulator.messages_in(channel) if m.ts == thread_ts), None)
        text = parent.first_text if parent is not None else ""
        return text if len(text) <= 50 else text[:49] + "…"

    def blocks(
        self, label: str, blocks: list[dict[str, Any]], container: dict[str, Any], *, fallback: str = ""
    ) -> None:
        rendering = render_blocks(blocks, container=container, fallback=fallback, first_number=len(self.clickables) + 1)
        self.clickables.extend(rendering.clickables)
        self.say(f"--- {label} ---")
        self.say(rendering.text)

    def _named(self, text: str) -> str:
        """People and channels by name, as Slack shows them (<@U0SAM> and @U0SAM read @Sam Chen)."""
        with self.emulator.state.lock:
            people = {u.id: u.name for u in self.emulator.state.users.values()}
            channels = {c.id: c.name for c in self.emulator.state.channels.values()}
        text = _USER.sub(lambda m: f"@{people.get(m.group(1), m.group(1))}", text)
        return _CHANNEL.sub(lambda m: f"#{channels.get(m.group(1), m.group(1))}", text)


def local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


def local_ts(ts: str, zone: ZoneInfo) -> str:
    return local(datetime.fromtimestamp(float(ts.split(".")[0]), UTC), zone)
