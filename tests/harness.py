"""The one scenario harness every test module uses: a bot on the emulator with people who type commands,
press buttons, fill in windows and read their DMs; databases, subprocesses and waiting without sleeps.

Not a test module: fixtures that use it live in conftest.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import SecretStr
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.composition import World
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.db.engine import transaction
from bot.inbox.models import AcceptedRequest
from bot.outbox import repository as deliveries
from bot.outbox.keys import DeliveryKey
from bot.outbox.models import Delivery
from bot.outbox.types import NewDelivery
from bot.people import repository as people_rows
from bot.people.service import PeopleService
from bot.people.types import PersonRef, TeamMember
from bot.sandbox.driver import Reply, SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.forms import state_values
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.state import Ephemeral, Message, View
from bot.slack.executor import TrackingExecutor
from tests.fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "content"
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a Tuesday, 08:00 in London
T = TypeVar("T")

Element = dict[str, Any]


# -- waiting, without sleeping to decide an outcome ------------------------------------------------------------
def wait_for(condition: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.02) -> T:
    """Poll until `condition()` is truthy (and return it); fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


# -- finding controls in blocks --------------------------------------------------------------------------------
def controls(blocks: list[dict[str, Any]]) -> list[tuple[Element, str]]:
    """Every interactive element (buttons, selects, inputs) with the block_id it sits in, in order."""
    found = []
    for index, block in enumerate(blocks):
        block_id = block.get("block_id", f"b{index}")
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        found += [(element, block_id) for element in elements if element.get("action_id")]
    return found


def control(blocks: list[dict[str, Any]], action_id: str, number: int = 0) -> tuple[Element, str]:
    """The `number`-th control whose action id is `action_id` (or starts with `action_id:`)."""
    matching = [(e, b) for e, b in controls(blocks) if e["action_id"].split(":")[0] == action_id.split(":")[0]]
    if ":" in action_id:
        matching = [(e, b) for e, b in matching if e["action_id"] == action_id]
    if len(matching) <= number:
        shown = sorted({e["action_id"] for e, _ in controls(blocks)})
        raise AssertionError(f"no {action_id} #{number} among {shown}")
    return matching[number]


def shown(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def resolve(people: PeopleService, member: TeamMember) -> PersonRef:
    """The person as a request resolves them: identified, and their profile read the first time."""
    person = people.identify(member)
    return people.complete(person) if person.is_new else person


# -- people in a sandbox ----------------------------------------------------------------------------------------
@dataclass
class Person:
    """Someone in the sandbox workspace, doing what a person does in Slack."""

    bot: Sandbox
    user_id: str

    @property
    def ref(self) -> PersonRef:
        return resolve(self.bot.services.people, TeamMember(self.bot.emulator.state.team_id, self.user_id))

    # what they type
    def command(self, command: str, text: str = "", *, channel: str | None = None) -> Reply:
        reply = self.bot.driver.command(self.user_id, command, text, channel=channel)
        self.bot.settle()
        return reply

    def learn(self, text: str = "", *, channel: str | None = None) -> Ephemeral:
        """`/learn text`; exactly one private answer comes back, and it is returned."""
        before = len(self.ephemerals())
        assert self.command("/learn", text, channel=channel).status == 200
        answers = self.ephemerals()
        assert len(answers) == before + 1, f"one answer to /learn {text!r}, got {len(answers) - before}"
        return answers[-1]

    def write_dm(self, words: str) -> Reply:
        """A message to the bot in its DM."""
        state = self.bot.emulator.state
        with state.lock:
            channel, ts = state.dm_channel(self.user_id), state.next_ts()
        event = {"type": "message", "channel_type": "im", "channel": channel, "user": self.user_id, "text": words}
        reply = self.bot.driver.event({**event, "ts": ts})
        self.bot.settle()
        return reply

    # what they read
    def ephemerals(self) -> list[Ephemeral]:
        return self.bot.emulator.ephemerals_for(self.user_id)

    def last_line(self) -> Ephemeral:
        return self.ephemerals()[-1]

    def dms(self) -> list[Message]:
        """Top-level messages from the bot in the person's DM."""
        return [m for m in self.bot.emulator.dm_messages(self.user_id) if m.user == self.bot.emulator.state.bot_user_id]

    def dms_starting(self, text: str) -> list[Message]:
        return [m for m in self.dms() if m.first_text.startswith(text)]

    def home(self) -> dict[str, Any]:
        """Open the bot's Home tab and return what it shows."""
        assert self.bot.driver.open_home(self.user_id).status == 200
        self.bot.settle()
        view = self.bot.emulator.home_view(self.user_id)
        assert view is not None, "the Home tab was published"
        return view

    def window(self) -> View:
        """The one window (modal) open for the person."""
        [view] = self.bot.emulator.open_views(self.user_id)
        return view

    def close(self) -> None:
        """Press Close on the open windows (a window that shows what was saved stays until then)."""
        self.bot.emulator.close_views(self.user_id)

    # what they press
    def press(
        self, where: Ephemeral | Message | dict[str, Any], action_id: str, number: int = 0, **chosen: Any
    ) -> Reply:
        """Press a button (or pick in a select: pass `selected_option=` or `selected_options=`) in a message,
        a private message, the Home tab or a window."""
        if isinstance(where, dict):
            blocks, container = where["blocks"], {"type": "view", "view": where}
        elif isinstance(where, Ephemeral):
            blocks, container = where.blocks, {"channel": where.channel, "ephemeral": True}
        else:
            blocks, container = where.blocks, {"channel": where.channel, "message": where.as_api(with_metadata=False)}
        element, block_id = control(blocks, action_id, number)
        reply = self.bot.driver.click(self.user_id, {**element, **chosen}, block_id=block_id, container=container)
        self.bot.settle()
        return reply

    def submit(self, values: dict[str, dict[str, Any]] | None = None, window: View | None = None) -> Reply:
        """Submit the open window; `values` by block id (Slack's view.state.values), the rest as shown."""
        window = window or self.window()
        state = state_values(window.view, values or {})
        reply = self.bot.driver.submit_view(self.user_id, {**window.view, "id": window.id}, state)
        self.bot.settle()
        self.bot.emulator.after_submission(window.id, reply.json() if reply.body else None)
        return reply


@contextlib.contextmanager
def synced_sandbox(settings: Settings, content_dir: Path, **updates: Any) -> Iterator[Sandbox]:
    """A bot on the emulator with `content_dir` synced (and `updates` to its settings), its clock at START."""
    with open_sandbox(settings.model_copy(update={"content_dir": content_dir, **updates}), start=START) as bot:
        sync_content(bot.runtime.sessions, load_content(content_dir), now=START)
        yield bot


def rows(bot_or_sessions: Sandbox | sessionmaker[Session], model: type[T], **where: Any) -> list[T]:
    """Rows of a table, for assertions (tests read the database directly; the bot never does here)."""
    sessions = bot_or_sessions.runtime.sessions if isinstance(bot_or_sessions, Sandbox) else bot_or_sessions
    with sessions() as session:
        statement = select(model).filter_by(**where)
        return list(session.scalars(statement))


# -- the outbox, driven directly -----------------------------------------------------------------------------------
def add_due_message(
    sessions: sessionmaker[Session],
    *,
    key: int,
    due_at: datetime,
    user_id: str = "U0ALEX",
    team_id: str = "T0SANDBOX",
    text: str = "Time to practise",
    window: timedelta = timedelta(hours=2),
    channel: str | None = None,
    kind: str = "test",
) -> int:
    """Materialise one delivery, keyed `kind:key` (a DM to `user_id` unless `channel` is given); its id."""
    with transaction(sessions) as session:
        workspace = people_rows.ensure_workspace(session, team_id=team_id, now=due_at)
        person = people_rows.ensure_person(session, workspace_id=workspace.id, slack_user_id=user_id, now=due_at)
        delivery_key = DeliveryKey(kind, key)
        deliveries.add_deliveries(
            session,
            [
                NewDelivery(
                    key=delivery_key,
                    workspace_id=workspace.id,
                    person_id=person.id,
                    user_id=user_id,
                    channel=channel,
                    payload={"text": text},
                    due_at=due_at,
                    expires_at=due_at + window,
                )
            ],
            now=due_at,
        )
        return int(session.scalars(select(Delivery.id).where(Delivery.key == str(delivery_key))).one())


def delivery(sessions: sessionmaker[Session], delivery_id: int) -> Delivery:
    with sessions() as session:
        found = session.get(Delivery, delivery_id)
        assert found is not None
        return found


# -- databases -----------------------------------------------------------------------------------------------
def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def fresh_database_url(tmp_dir: Path, name: str) -> str:
    """A new, empty database: a SQLite file, or a PostgreSQL database created on TEST_DATABASE_URL's server."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_dir / (name + '.db')}"
    url = make_url(Settings(database_url=server, _env_file=None).database_url)
    database = f"learnbot_{name}_{_worker()}".lower()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


# -- the bot as an operator runs it: real processes ---------------------------------------------------------------
def bot_env(settings: Settings, emulator: SlackEmulator | None = None, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "OPENAI_"))}
    env.update(
        DATABASE_URL=settings.database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="test-signing-secret",
        CONTENT_DIR=str(settings.content_dir),
        LOG_LEVEL="INFO",
    )
    if emulator is not None:
        env["SLACK_API_URL"] = emulator.api_url
    env.update(extra)
    return env


def run_bot(
    *args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def start_bot(started: list[subprocess.Popen[str]], *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started.append(process)
    return process


@dataclass
class Server:
    """The bot served over real HTTP on loopback (the `server` fixture), with its Slack driver."""

    url: str
    driver: SlackDriver
    world: World
    executor: TrackingExecutor

    def settle(self) -> None:
        """Wait until every acknowledged request is done (its inbox row deleted) and no listener work is left."""
        sessions = self.world.runtime.sessions
        wait_for(lambda: not rows(sessions, AcceptedRequest), timeout=30)
        assert self.executor.wait_idle(timeout=30), "listener work still running"


def healthy(base: str) -> bool:
    """True when the server at `base` answers its health check."""
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def closed_port_url() -> str:
    """A URL on loopback where nothing listens: the connection is refused."""
    return f"http://127.0.0.1:{free_port()}/respond/gone"


def with_model(settings: Settings, content_dir: Path, model: FakeOpenAI, **options: object) -> Settings:
    """The settings with a model: the fake OpenAI server on loopback, and this content."""
    return settings.model_copy(
        update={
            "content_dir": content_dir,
            "openai_api_key": SecretStr("sk-test"),
            "openai_base_url": model.base_url,
            **options,
        }
    )
