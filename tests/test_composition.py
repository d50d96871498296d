"""The composition root: one of each thing per process, and one close() that drains and stops every pool."""

from __future__ import annotations

import socket
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt import App
from slack_sdk import WebClient

from bot.cli.process import run_until
from bot.composition import World
from bot.config import Settings
from bot.content.catalogue import Catalogue
from bot.library.shelf import Shelf
from bot.llm.types import WriteRequest
from bot.llm.writer import OpenAIWriter, TemplateWriter
from bot.outbox.dispatcher import Dispatcher
from bot.people.service import PeopleService
from bot.runtime import open_runtime
from bot.sandbox.driver import SlackDriver, http_transport
from bot.sandbox.emulator import SlackEmulator
from bot.slack.web import SlackWSGI
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import START, add_due_message, free_port, wait_for

POOLS = ("listener", "dispatch", "llm", "edge")


def pool_threads(besides: frozenset[int] = frozenset()) -> list[str]:
    """Pool threads alive now, leaving out those of other tests (`besides`: idents that were there before)."""
    return [t.name for t in threading.enumerate() if t.name.startswith(POOLS) and t.ident not in besides]


def existing() -> frozenset[int]:
    return frozenset(t.ident for t in threading.enumerate() if t.ident is not None)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many of each expensive thing get built, wherever they are built."""
    counts: Counter[str] = Counter()
    for kind in (Catalogue, Shelf, OpenAIWriter, TemplateWriter, Dispatcher, PeopleService, SlackWSGI, App, WebClient):
        original: Callable[..., None] = kind.__init__  # type: ignore[misc]

        def counting(self: Any, *args: Any, _original: Any = original, _name: str = kind.__name__, **kw: Any) -> None:
            if not sys._getframe(1).f_globals["__name__"].startswith("slack_bolt"):  # Bolt's own: a client a request
                counts[_name] += 1
            _original(self, *args, **kw)

        monkeypatch.setattr(kind, "__init__", counting)
    yield counts


def test_run_builds_each_service_client_catalogue_and_writer_once(
    settings: Settings, emulator: SlackEmulator, built: Counter[str]
) -> None:
    emulator.add_user("U0ALEX", "Alex")
    before = existing()
    port = free_port()
    configured = settings.model_copy(update={"slack_api_url": emulator.api_url, "port": port})
    stop = threading.Event()
    running = threading.Thread(target=run_until, args=(configured, stop), daemon=True)
    running.start()
    driver = SlackDriver(
        emulator=emulator,
        signing_secret="test-signing-secret",
        transport=http_transport(f"http://127.0.0.1:{port}/slack/events"),
    )
    wait_for(lambda: _answers(port), timeout=30, interval=0.1)
    assert driver.command("U0ALEX", "/learn", "giving feedback").status == 200
    wait_for(lambda: emulator.ephemerals_for("U0ALEX"))
    stop.set()
    running.join(timeout=30)
    assert not running.is_alive(), "run returned after the stop"
    assert dict(built) == {
        "Catalogue": 1,
        "Shelf": 1,
        "TemplateWriter": 1,
        "Dispatcher": 1,
        "PeopleService": 1,
        "App": 1,
        "SlackWSGI": 1,
        "WebClient": 2,  # one for people waiting (retries once), one for the outbox (never retries)
    }
    assert not pool_threads(besides=before), "every pool was stopped"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_close_drains_the_pools_a_process_used(settings: Settings, emulator: SlackEmulator) -> None:
    emulator.add_user("U0ALEX", "Alex")
    before = existing()
    with FakeOpenAI() as model:
        model.enqueue(Answer(text="A short tip."))
        configured = settings.model_copy(
            update={
                "slack_api_url": emulator.api_url,
                "openai_api_key": SecretStr("sk"),
                "openai_base_url": model.base_url,
            }
        )
        world = World(open_runtime(configured))
        written = world.writer.write(WriteRequest(prompt="quick_guide", variables={"role": "a manager"}, user_text="x"))
        assert written.ai, "the model pool ran"
        add_due_message(world.runtime.sessions, key=1, due_at=START)
        assert world.tick.run(START + timedelta(minutes=1)).dispatched.sent == 1, "the dispatch pool ran"
        driver = SlackDriver(emulator=emulator, signing_secret="test-signing-secret", transport=_wsgi_transport(world))
        assert driver.command("U0ALEX", "/learn", "help").status == 200, "the edge pool took the command"
        assert pool_threads(besides=before), "pools are running"
        world.close()
    assert emulator.ephemerals_for("U0ALEX"), "the acknowledged command was answered before close returned"
    assert not pool_threads(besides=before)


def _wsgi_transport(world: World) -> Any:
    """Post straight into the WSGI app, as the HTTP server would."""
    import io

    from bot.sandbox.driver import Reply

    def send(body: str, headers: dict[str, Any]) -> Reply:
        raw = body.encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/slack/events",
            "CONTENT_LENGTH": str(len(raw)),
            "CONTENT_TYPE": headers.get("content-type", ""),
            "wsgi.input": io.BytesIO(raw),
            **{"HTTP_" + key.upper().replace("-", "_"): value for key, value in headers.items()},
        }
        status: list[str] = []
        chunks = world.wsgi(environ, lambda line, _headers: status.append(line))
        return Reply(status=int(status[0].split()[0]), body=b"".join(chunks).decode())

    return send


def test_close_waits_for_a_sweep_in_the_middle_of_its_query(
    settings: Settings, emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweeper may be reading the accepted requests when the process stops: close() waits for it."""
    import bot.slack.web
    from bot.inbox.service import Inbox

    sweeping = threading.Event()
    real_stale = Inbox.stale

    def slow_stale(self: Inbox, limit: int = 20) -> Any:
        sweeping.set()
        threading.Event().wait(0.5)  # a slow database
        return real_stale(self, limit)

    monkeypatch.setattr(bot.slack.web, "SWEEP_SECONDS", 0.01)
    monkeypatch.setattr(Inbox, "stale", slow_stale)
    before = existing()
    world = World(open_runtime(settings.model_copy(update={"slack_api_url": emulator.api_url})))
    assert world.wsgi is not None
    assert sweeping.wait(timeout=10), "the sweeper ran"
    world.close()
    assert "edge-sweeper" not in pool_threads(besides=before), "close() returned with the sweeper still querying"
