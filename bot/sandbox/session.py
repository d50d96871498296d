"""A whole bot wired to the Slack emulator: the real Bolt app, the real tick, a clock you can move.

Used by `python -m bot try` and by the scenario tests.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.clock import ManualClock
from bot.composition import World
from bot.config import Settings
from bot.runtime import Runtime, open_runtime
from bot.sandbox.driver import SlackDriver, dispatch_transport
from bot.sandbox.emulator import SlackEmulator
from bot.scheduling.tick import Tick, TickReport
from bot.slack.deps import Services
from bot.slack.executor import TrackingExecutor

SANDBOX_TOKEN = "xoxb-sandbox"  # noqa: S105  (only the emulator accepts it)
SANDBOX_SECRET = "sandbox-signing-secret"  # noqa: S105

# The people you can be in the sandbox (`:as NAME`).
CAST = (
    ("U0ALEX", "Alex Rivera", "Engineering Manager", "Europe/London"),
    ("U0SAM", "Sam Chen", "Software Engineer", "America/New_York"),
    ("U0PRIYA", "Priya Nair", "Account Executive", "Asia/Kolkata"),
    ("U0JO", "Jo Müller", "Product Designer", "Europe/Berlin"),
)
# Its channels: public ones the bot may post in (chat:write.public), and a private one it was not invited to.
CHANNELS = (
    ("C0SANDBOX", "general", False, ("U0ALEX", "U0SAM", "U0PRIYA", "U0JO")),
    ("C0MANAGERS", "managers", False, ("U0ALEX",)),
    ("G0LEADS", "leads", True, ("U0ALEX", "U0PRIYA")),
)
USERGROUPS = {"S0ENGINEERING": ("U0ALEX", "U0SAM", "U0JO")}  # @engineering
ADMINS = ("U0ALEX",)  # a workspace admin: may read every report
# Its teams, when the content names none: Sam leads engineering (a user group), Priya everyone (#general).
TEAMS = """teams:
  - key: engineering
    name: Engineering
    members: {usergroup: S0ENGINEERING}
    leads: [U0SAM]
  - key: everyone
    name: Everyone
    members: {channel: C0SANDBOX}
    leads: [U0PRIYA]
"""
MIN_GROUP = 3  # four people: the smallest minimum group a report allows


def sandbox_content(base: Settings, scratch: Path) -> Settings:
    """The content copied to `scratch`, with the sandbox's teams when it names none, so that drafts written
    from a report land there and not in the checkout; reports hide groups of fewer than three."""
    content = scratch / "content"
    shutil.copytree(base.content_dir, content)
    teams = content / "teams.yaml"
    if not teams.exists():
        teams.write_text(TEAMS, encoding="utf-8")
    return base.model_copy(update={"content_dir": content, "report_min_group": MIN_GROUP})


@dataclass
class Sandbox:
    emulator: SlackEmulator
    world: World
    clock: ManualClock
    executor: TrackingExecutor
    driver: SlackDriver

    @property
    def runtime(self) -> Runtime:
        return self.world.runtime

    @property
    def services(self) -> Services:
        return self.world.services

    @property
    def tick(self) -> Tick:
        return self.world.tick

    def settle(self) -> None:
        """Wait until the app has finished the work it started after acking."""
        self.executor.wait_idle()

    def run_tick(self, at: datetime | None = None) -> TickReport:
        if at is not None:
            self.clock.set(at)
        return self.tick.run(self.clock.now())

    def advance(self, delta: timedelta) -> list[TickReport]:
        """Move the clock forward, ticking at every instant something is due on the way."""
        target = self.clock.now() + delta
        reports = []
        while True:
            due = self.tick.next_due(self.clock.now())
            step = min(due, target) if due is not None and due > self.clock.now() else target
            self.clock.set(step)
            reports.append(self.tick.run(step))
            self.settle()
            if step >= target:
                return reports


def sandbox_settings(base: Settings, emulator: SlackEmulator) -> Settings:
    return base.model_copy(
        update={
            "slack_bot_token": SecretStr(SANDBOX_TOKEN),
            "slack_signing_secret": SecretStr(SANDBOX_SECRET),
            "slack_app_token": None,
            "slack_api_url": emulator.api_url,
        }
    )


@contextlib.contextmanager
def open_sandbox(base: Settings, *, start: datetime, cast: bool = True) -> Iterator[Sandbox]:
    """Start the emulator and a bot pointed at it; everything is torn down on exit."""
    clock = ManualClock(start)
    emulator = SlackEmulator(token=SANDBOX_TOKEN, clock=clock.now).start()
    if cast:
        for user_id, name, title, tz in CAST:
            emulator.add_user(user_id, name, title=title, tz=tz, is_admin=user_id in ADMINS)
        for channel_id, channel_name, private, members in CHANNELS:
            emulator.add_channel(channel_id, channel_name, private=private, members=list(members))
        emulator.state.usergroups.update({group: list(members) for group, members in USERGROUPS.items()})
    executor = TrackingExecutor()
    world = World(open_runtime(sandbox_settings(base, emulator), clock=clock), executor=executor)
    try:
        driver = SlackDriver(emulator=emulator, signing_secret=SANDBOX_SECRET, transport=dispatch_transport(world.app))
        yield Sandbox(emulator=emulator, world=world, clock=clock, executor=executor, driver=driver)
    finally:
        world.close()
        emulator.stop()
