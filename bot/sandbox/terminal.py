"""`python -m bot try`: the bot in a terminal, against the Slack emulator.

Type slash commands as in Slack; `:click N` presses button N; `:as NAME` switches person; `:clock +1d` moves
time (reminders arrive as they fall due); `:home` opens the Home tab; `:help`; `:quit`. Reads standard
input when it is not a terminal, so a script can drive it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.clock import parse_instant
from bot.sandbox.forms import Forms
from bot.sandbox.screen import Screen, local
from bot.sandbox.session import CAST, Sandbox
from bot.sandbox.windows import SandboxInputError, Windows

SLASH_COMMANDS = ("/learn", "/challenge")
HELP = """Sandbox commands:
  /learn ...           a slash command, as typed in Slack (also /challenge)
  any other text       a direct message to the bot
  :reply TEXT          reply in the last thread shown (a challenge's); :reply N TEXT in the thread of button N
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
LONGEST_MOVE = timedelta(days=366)  # every instant due on the way is ticked: a year takes seconds, more minutes


@dataclass
class Terminal:
    sandbox: Sandbox
    screen: Screen
    user: str = CAST[0][0]
    forms: Forms = field(default_factory=Forms)

    @property
    def windows(self) -> Windows:
        return Windows(self.sandbox, self.forms)

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
            ":reply": self._reply,
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

    def _reply(self, args: list[str]) -> None:
        """A reply in a thread of the person's DM: the last one shown, or the one button N is in."""
        thread = self.screen.last_thread
        if args and args[0].isdigit():
            number = int(args.pop(0))
            if not 1 <= number <= len(self.screen.clickables):
                raise SandboxInputError(f"There is no button [{number}].")
            message = self.screen.clickables[number - 1].container.get("message") or {}
            if not message.get("ts"):
                raise SandboxInputError(f"Button [{number}] is not in a message.")
            thread = (
                str(self.screen.clickables[number - 1].container["channel"]),
                message.get("thread_ts") or message["ts"],
            )
        if not args:
            raise SandboxInputError("Usage: :reply TEXT, or :reply N TEXT for the thread button N is in.")
        if thread is None:
            raise SandboxInputError("No thread has been shown yet; :reply N TEXT picks the thread of button N.")
        state = self.sandbox.emulator.state
        with state.lock:
            ts = state.next_ts()
        channel, thread_ts = thread
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": self.user,
            "text": " ".join(args),
            "ts": ts,
            "thread_ts": thread_ts,
        }
        reply = self.sandbox.driver.event(event)
        self._after_request(reply.status)

    def _click(self, args: list[str]) -> None:
        if len(args) != 1 or not args[0].isdigit():
            raise SandboxInputError("Usage: :click N (N is the number shown in brackets).")
        number = int(args[0])
        if not 1 <= number <= len(self.screen.clickables):
            raise SandboxInputError(f"There is no button [{number}].")
        clickable = self.screen.clickables[number - 1]
        if clickable.choice is not None:
            self.say(f"Chosen: {self.windows.choose(self.user, clickable)}")
            self._redraw_if_asked(clickable.block_id)
            return
        if clickable.element.get("url"):
            self.say(f"(opens {clickable.element['url']} in the browser)")
            if "action_id" not in clickable.element:
                return
        reply = self.sandbox.driver.click(
            self.user, clickable.element, block_id=clickable.block_id, container=clickable.container
        )
        self._after_request(reply.status)

    def _type(self, args: list[str]) -> None:
        if len(args) < 2:
            raise SandboxInputError("Usage: :type FIELD TEXT (FIELD is shown next to the field).")
        self.windows.type(self.user, args[0], " ".join(args[1:]))
        self.say(f"{args[0]}: {' '.join(args[1:])}")
        self._redraw_if_asked(args[0])

    def _redraw_if_asked(self, block_id: str) -> None:
        """A field that asks the app to redraw its window when it changes (dispatch_action), as Slack does."""
        status = self.windows.dispatch(self.user, block_id)
        if status is not None:
            self._after_request(status)

    def _submit(self) -> None:
        status, problems = self.windows.submit(self.user)
        for block_id, problem in problems.items():
            self.say(f"{block_id}: {problem}")
        if status is not None:
            self._after_request(status)

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
        if target - now > LONGEST_MOVE:
            raise SandboxInputError("The clock moves at most a year (+366d) at a time.")
        self.sandbox.advance(target - now)
        self.say(f"It is now {self._local(target)}.")
        self._show_new()

    def _parse_clock(self, text: str, now: datetime) -> datetime:
        match = _DELTA.match(text)
        if match:
            amount = int(match.group(1))
            if amount > 10**6:  # beyond what timedelta holds; refused below as too far anyway
                raise SandboxInputError("The clock moves at most a year (+366d) at a time.")
            return now + timedelta(**{_UNITS[match.group(2)]: amount})
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
        self.screen.blocks("Home tab", view.get("blocks", []), {"type": "view", "view": view})

    def _who(self) -> None:
        for user_id, name, title, tz in CAST:
            if user_id == self.user:
                self.say(f"You are {name} ({title}), {user_id}; it is {self._local(self.sandbox.clock.now())}.")
                self.say(f"Your time zone is {tz}.")

    # -- output -----------------------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.screen.say(text)

    def help_text(self) -> str:
        return HELP.format(people=", ".join(name.split()[0] for _, name, _, _ in CAST))

    def _after_request(self, status: int) -> None:
        self.sandbox.settle()
        if status >= 400:
            self.say(f"(the bot answered HTTP {status})")
        self._show_new()

    def _show_new(self) -> None:
        self.screen.show_new(self.user, self.sandbox.driver.channel, self._zone())

    def _zone(self) -> ZoneInfo:
        for user_id, _name, _title, tz in CAST:
            if user_id == self.user:
                return ZoneInfo(tz)
        return ZoneInfo("UTC")

    def _local(self, instant: datetime) -> str:
        return local(instant, self._zone())


def run_terminal(sandbox: Sandbox, *, stdin: TextIO, out: TextIO) -> None:
    terminal = Terminal(sandbox=sandbox, screen=Screen(sandbox.emulator, out))
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
