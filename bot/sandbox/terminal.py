"""`python -m bot try`: the bot in a terminal, against the Slack emulator.

Type slash commands as in Slack; `:click N` presses button N; `:as NAME` switches person; `:clock +1d` moves
time (reminders arrive as they fall due); `:home` opens the Home tab; `:help`; `:quit`. Reads standard
input when it is not a terminal, so a script can drive it.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.clock import parse_instant
from bot.sandbox.render import Clickable, render_blocks
from bot.sandbox.session import CAST, Sandbox

SLASH_COMMANDS = ("/learn", "/challenge")
HELP = """Sandbox commands:
  /learn ...           a slash command, as typed in Slack (also /challenge)
  any other text       a direct message to the bot
  :click N             press button N
  :as NAME             act as someone else ({people})
  :type FIELD TEXT     fill a field in the open window; :submit sends the window
  :clock +1d           move time forward (+30m, +2h, +3d), or to an instant: :clock 2026-11-24T09:00
  :tick                run one scheduler tick now
  :home                open the bot's Home tab
  :who                 who you are, and the time where you are
  :help                this help
  :quit                leave"""
_DELTA = re.compile(r"^\+(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class SandboxInputError(ValueError):
    """A sandbox command that cannot be understood; the message is shown as is."""


@dataclass
class Terminal:
    sandbox: Sandbox
    out: TextIO = sys.stdout
    user: str = CAST[0][0]
    clickables: list[Clickable] = field(default_factory=list)
    _seen_messages: dict[tuple[str, str], str] = field(default_factory=dict)
    _seen_ephemerals: set[int] = field(default_factory=set)
    _seen_views: dict[str, int] = field(default_factory=dict)
    _form: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    # -- input ------------------------------------------------------------------------------------------------
    def handle(self, line: str) -> bool:
        """Handle one line; False when the session should end."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        try:
            if line.startswith(":"):
                return self._sandbox_command(line)
            if line.startswith("/"):
                self._slash(line)
            else:
                self._direct_message(line)
        except SandboxInputError as error:
            self.say(str(error))
        return True

    def _sandbox_command(self, line: str) -> bool:
        try:
            name, *args = shlex.split(line)
        except ValueError as error:
            raise SandboxInputError(f"Could not read that command: {error}.") from None
        commands: dict[str, Callable[[list[str]], None]] = {
            ":click": self._click,
            ":as": self._switch_user,
            ":clock": self._move_clock,
            ":tick": lambda _args: self._tick(),
            ":home": lambda _args: self._home(),
            ":type": self._type,
            ":submit": lambda _args: self._submit(),
            ":who": lambda _args: self._who(),
            ":help": lambda _args: self.say(self.help_text()),
        }
        if name in (":quit", ":q", ":exit"):
            return False
        if name not in commands:
            raise SandboxInputError(f"Unknown sandbox command {name!r}. Type :help for the list.")
        commands[name](args)
        return True

    def _slash(self, line: str) -> None:
        command, _, text = line.partition(" ")
        if command not in SLASH_COMMANDS:
            raise SandboxInputError(f"The bot has no {command} command. It knows {', '.join(SLASH_COMMANDS)}.")
        reply = self.sandbox.driver.command(self.user, command, text.strip())
        self._after_request(reply.status)

    def _direct_message(self, text: str) -> None:
        state = self.sandbox.emulator.state
        with state.lock:
            channel = state.dm_channel(self.user)
            ts = state.next_ts()
        event = {"type": "message", "channel_type": "im", "channel": channel, "user": self.user, "text": text, "ts": ts}
        reply = self.sandbox.driver.event(event)
        self._after_request(reply.status)

    def _click(self, args: list[str]) -> None:
        if len(args) != 1 or not args[0].isdigit():
            raise SandboxInputError("Usage: :click N (N is the number shown in brackets).")
        number = int(args[0])
        if not 1 <= number <= len(self.clickables):
            raise SandboxInputError(f"There is no button [{number}].")
        clickable = self.clickables[number - 1]
        if clickable.choice is not None:
            self._choose(clickable)
            return
        if clickable.element.get("url"):
            self.say(f"(opens {clickable.element['url']} in the browser)")
            if "action_id" not in clickable.element:
                return
        reply = self.sandbox.driver.click(
            self.user, clickable.element, block_id=clickable.block_id, container=clickable.container
        )
        self._after_request(reply.status)

    # -- windows (modals) ---------------------------------------------------------------------------------------
    def _open_window(self) -> Any:
        views = self.sandbox.emulator.open_views(self.user)
        if not views:
            raise SandboxInputError("There is no open window.")
        return views[-1]

    def _choose(self, clickable: Clickable) -> None:
        window = self._open_window()
        values = self._form.setdefault(window.id, {})
        element, option = clickable.element, clickable.choice
        assert option is not None
        if element.get("type") == "checkboxes":
            current = values.get(clickable.block_id, {}).get("selected_options")
            if current is None:
                current = list(element.get("initial_options") or [])
            picked = [o for o in current if o.get("value") != option.get("value")]
            if len(picked) == len(current):
                picked.append(option)
            values[clickable.block_id] = {"type": "checkboxes", "selected_options": picked}
            self.say("Chosen: " + (", ".join(o["text"]["text"] for o in picked) or "nothing"))
        else:
            values[clickable.block_id] = {"type": element.get("type"), "selected_option": option}
            self.say(f"Chosen: {option['text']['text']}")

    def _type(self, args: list[str]) -> None:
        if len(args) < 2:
            raise SandboxInputError("Usage: :type FIELD TEXT (FIELD is shown next to the field).")
        window = self._open_window()
        field = next((b for b in window.view.get("blocks", []) if b.get("block_id") == args[0]), None)
        if field is None or field.get("type") != "input":
            raise SandboxInputError(f"The window has no field {args[0]!r}.")
        kind = field["element"].get("type")
        text = " ".join(args[1:])
        entry = {"type": kind, "selected_date": text} if kind == "datepicker" else {"type": kind, "value": text}
        self._form.setdefault(window.id, {})[args[0]] = entry
        self.say(f"{args[0]}: {text}")

    def _submit(self) -> None:
        window = self._open_window()
        values = {}
        for block in window.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            entry = self._form.get(window.id, {}).get(block["block_id"]) or _initial(element)
            values[block["block_id"]] = {element.get("action_id", "value"): entry}
        reply = self.sandbox.driver.submit_view(self.user, {**window.view, "id": window.id}, values)
        answer = reply.json() if reply.body else None
        if isinstance(answer, dict) and answer.get("response_action") == "errors":
            for field, problem in answer.get("errors", {}).items():
                self.say(f"{field}: {problem}")
            return
        with self.sandbox.emulator.state.lock:
            window.closed = True
        self._after_request(reply.status)

    def _switch_user(self, args: list[str]) -> None:
        wanted = " ".join(args).lower()
        for user_id, name, title, _tz in CAST:
            if wanted in (user_id.lower(), name.lower(), name.split()[0].lower()):
                self.user = user_id
                self.say(f"You are now {name} ({title}).")
                self._show_new()
                return
        names = ", ".join(name.split()[0] for _, name, _, _ in CAST)
        raise SandboxInputError(f"No one called {wanted!r} here. Try one of: {names}.")

    def _move_clock(self, args: list[str]) -> None:
        if len(args) != 1:
            raise SandboxInputError("Usage: :clock +1d, :clock +2h, :clock +30m, or :clock 2026-11-24T09:00")
        now = self.sandbox.clock.now()
        target = self._parse_clock(args[0], now)
        if target <= now:
            raise SandboxInputError("The clock only moves forward.")
        self.sandbox.advance(target - now)
        self.say(f"It is now {self._local(target)}.")
        self._show_new()

    def _parse_clock(self, text: str, now: datetime) -> datetime:
        match = _DELTA.match(text)
        if match:
            return now + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            raise SandboxInputError(f"Cannot read {text!r} as a time. Try +1d or 2026-11-24T09:00.") from None
        if instant.tzinfo is None:
            return instant.replace(tzinfo=self._zone())
        return parse_instant(text)

    def _tick(self) -> None:
        report = self.sandbox.run_tick()
        self.sandbox.settle()
        self.say(report.summary())
        self._show_new()

    def _home(self) -> None:
        self.sandbox.driver.open_home(self.user)
        self.sandbox.settle()
        view = self.sandbox.emulator.home_view(self.user)
        if view is None:
            self.say("(the Home tab is empty)")
            return
        self._print_blocks("Home tab", view.get("blocks", []), {"type": "view", "view": view})

    def _who(self) -> None:
        for user_id, name, title, tz in CAST:
            if user_id == self.user:
                self.say(f"You are {name} ({title}), {user_id}; it is {self._local(self.sandbox.clock.now())}.")
                self.say(f"Your time zone is {tz}.")

    # -- output -----------------------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def help_text(self) -> str:
        return HELP.format(people=", ".join(name.split()[0] for _, name, _, _ in CAST))

    def _after_request(self, status: int) -> None:
        self.sandbox.settle()
        if status >= 400:
            self.say(f"(the bot answered HTTP {status})")
        self._show_new()

    def _show_new(self) -> None:
        emulator = self.sandbox.emulator
        for item in emulator.ephemerals_for(self.user):
            if item.id not in self._seen_ephemerals:
                self._seen_ephemerals.add(item.id)
                container = {"channel": item.channel, "ephemeral": True}
                self._print_blocks("only visible to you", item.blocks, container, fallback=item.text)
        for message in emulator.dm_messages(self.user) + emulator.messages_in(self.sandbox.driver.channel):
            version = message.text + repr(message.blocks)
            key = (message.channel, message.ts)
            if self._seen_messages.get(key) == version:
                continue
            edited = key in self._seen_messages
            self._seen_messages[key] = version
            where = "DM from learnbot" if message.channel.startswith("D") else f"#{message.channel}"
            if message.thread_ts and message.thread_ts != message.ts:
                where += " (in thread)"
            label = f"{where}, {self._local_ts(message.ts)}" + (" (updated)" if edited else "")
            container = {"channel": message.channel, "message": message.as_api(with_metadata=False)}
            self._print_blocks(label, message.blocks, container, fallback=message.text)
        for view in emulator.open_views(self.user):
            if self._seen_views.get(view.id) != view.version:
                self._seen_views[view.id] = view.version
                title = (view.view.get("title") or {}).get("text", "")
                container = {"type": "view", "view": {**view.view, "id": view.id}}
                self._print_blocks(f"window: {title}", view.view.get("blocks", []), container)

    def _print_blocks(
        self, label: str, blocks: list[dict[str, Any]], container: dict[str, Any], *, fallback: str = ""
    ) -> None:
        rendering = render_blocks(blocks, container=container, fallback=fallback, first_number=len(self.clickables) + 1)
        self.clickables.extend(rendering.clickables)
        self.say(f"--- {label} ---")
        self.say(rendering.text)

    def _zone(self) -> ZoneInfo:
        for user_id, _name, _title, tz in CAST:
            if user_id == self.user:
                return ZoneInfo(tz)
        return ZoneInfo("UTC")

    def _local(self, instant: datetime) -> str:
        return instant.astimezone(self._zone()).strftime("%a %d %b %Y %H:%M %Z")

    def _local_ts(self, ts: str) -> str:
        from datetime import UTC

        return self._local(datetime.fromtimestamp(float(ts.split(".")[0]), UTC))


def run_terminal(sandbox: Sandbox, *, stdin: TextIO, out: TextIO) -> None:
    terminal = Terminal(sandbox=sandbox, out=out)
    interactive = stdin.isatty()
    terminal.say("learnbot sandbox: a pretend Slack workspace on this machine. Type :help for commands.")
    terminal._who()
    while True:
        if interactive:
            print("> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            return
        if not interactive and line.strip():
            terminal.say(f"> {line.strip()}")
        if not terminal.handle(line):
            return


def _initial(element: dict[str, Any]) -> dict[str, Any]:
    """What a form field holds before anyone touches it."""
    kind = element.get("type")
    if kind == "datepicker":
        return {"type": kind, "selected_date": element.get("initial_date")}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": list(element.get("initial_options") or [])}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": element.get("initial_option")}
    return {"type": kind, "value": element.get("initial_value")}
