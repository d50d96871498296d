"""HTTP mode over real HTTP: signatures, malformed requests, health, and a command end to end."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr

from bot.composition import World
from bot.config import Settings
from bot.db.engine import make_engine
from bot.runtime import open_runtime
from bot.sandbox.driver import SlackDriver, http_transport
from bot.sandbox.emulator import SlackEmulator
from bot.slack.executor import TrackingExecutor
from bot.slack.http_server import serve_in_thread
from tests.harness import wait_for

SECRET = "test-signing-secret"


@dataclass
class Server:
    url: str
    driver: SlackDriver
    world: World
    executor: TrackingExecutor


@pytest.fixture
def server(settings: Settings, emulator: SlackEmulator) -> Iterator[Server]:
    emulator.add_user("U0ALEX", "Alex Rivera", title="Engineering Manager")
    settings = settings.model_copy(update={"slack_api_url": emulator.api_url})
    executor = TrackingExecutor()
    world = World(open_runtime(settings), executor=executor)
    httpd = serve_in_thread(world.wsgi, port=0, host="127.0.0.1")
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    driver = SlackDriver(emulator=emulator, signing_secret=SECRET, transport=http_transport(url + "/slack/events"))
    yield Server(url=url, driver=driver, world=world, executor=executor)
    httpd.shutdown()
    executor.shutdown()
    world.close()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_learn_help_over_http_answers_the_person_privately(server: Server, emulator: SlackEmulator) -> None:
    reply = server.driver.command("U0ALEX", "/learn", "help")
    assert reply.status == 200
    [ephemeral] = wait_for(lambda: emulator.ephemerals_for("U0ALEX"))
    assert "Learning in the flow of work" in json.dumps(ephemeral.blocks)
    assert "/learn help" in json.dumps(ephemeral.blocks)


def test_healthz_answers_200_when_the_database_answers(server: Server) -> None:
    status, body = get(server.url + "/healthz")
    assert status == 200
    assert json.loads(body) == {"ok": True, "database": "up"}


def test_healthz_answers_503_when_the_database_does_not(settings: Settings, emulator: SlackEmulator) -> None:
    world = World(open_runtime(settings.model_copy(update={"slack_api_url": emulator.api_url})))
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    working = world.runtime.engine
    world.runtime.engine = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{dead_port}/none")
    httpd = serve_in_thread(world.wsgi, port=0, host="127.0.0.1")
    try:
        status, body = get(f"http://127.0.0.1:{httpd.server_address[1]}/healthz")
    finally:
        httpd.shutdown()
        world.close()
        working.dispose()
    assert status == 503
    assert json.loads(body)["ok"] is False


def test_url_verification_is_answered(server: Server) -> None:
    reply = server.driver.send_json({"type": "url_verification", "challenge": "abc123", "token": "x"})
    assert reply.status == 200
    assert "abc123" in reply.body


@pytest.mark.parametrize(
    "tamper",
    ["no signature", "wrong signature", "stale timestamp", "signature of another body"],
)
def test_unsigned_or_wrongly_signed_requests_get_401(server: Server, tamper: str) -> None:
    body = "command=%2Flearn&text=help&user_id=U0ALEX&team_id=T0SANDBOX"
    headers = server.driver.signed_headers(body, "application/x-www-form-urlencoded")
    if tamper == "no signature":
        del headers["x-slack-signature"]
    elif tamper == "wrong signature":
        headers["x-slack-signature"] = "v0=" + "0" * 64
    elif tamper == "stale timestamp":
        headers = server.driver.signed_headers(
            body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 600
        )
    else:
        headers = server.driver.signed_headers(body + "&x=1", "application/x-www-form-urlencoded")
    status, _ = post(server.url + "/slack/events", body.encode(), headers)
    assert status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ],
)
def test_malformed_signed_bodies_get_4xx_and_the_server_keeps_serving(
    server: Server, body: bytes, content_type: str
) -> None:
    text = body.decode("utf-8", errors="replace")
    headers = server.driver.signed_headers(text, content_type)
    status, _ = post(server.url + "/slack/events", body, headers)
    assert 400 <= status < 500
    assert get(server.url + "/healthz")[0] == 200


def raw_request(server: Server, head: bytes, body: bytes) -> str:
    """Send bytes as they are (no client-side checks) and return the start of the answer."""
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=5) as connection:
        connection.sendall(head + body)
        connection.shutdown(socket.SHUT_WR)
        return connection.recv(200).decode()


def test_an_oversized_request_is_refused_with_413_without_reading_it(server: Server) -> None:
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nContent-Type: text/plain\r\n\r\n"
    assert " 413 " in raw_request(server, head, b"text=aaaa")
    assert get(server.url + "/healthz")[0] == 200


def test_a_truncated_request_is_refused(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=5) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
            b'Content-Type: application/json\r\n\r\n{"type":'
        )
        connection.shutdown(socket.SHUT_WR)
        answer = connection.recv(200).decode()
    assert answer.startswith("HTTP/1.0 400") or answer.startswith("HTTP/1.1 400")
    assert get(server.url + "/healthz")[0] == 200


def test_unknown_paths_and_methods(server: Server) -> None:
    assert get(server.url + "/nope")[0] == 404
    assert get(server.url + "/slack/events")[0] == 405


def test_serve_settings_without_a_signing_secret_are_refused(settings: Settings) -> None:
    from bot.errors import ConfigError

    no_secret = settings.model_copy(update={"slack_signing_secret": SecretStr("")})
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        no_secret.secret("slack_signing_secret")


def test_a_signed_command_is_acknowledged_at_the_edge_while_its_work_is_still_held(
    server: Server, emulator: SlackEmulator
) -> None:
    gate = threading.Event()
    held = emulator.fail("users.info", "hold", gate=gate)  # the listener's first call for someone new
    reply = server.driver.command("U0ALEX", "/learn", "help")
    assert (reply.status, reply.body) == (200, ""), "the 200 arrived while the listener could not finish"
    assert held.reached.wait(timeout=10), "the listener was running, held in users.info"
    assert emulator.ephemerals_for("U0ALEX") == []
    gate.set()
    wait_for(lambda: emulator.ephemerals_for("U0ALEX"))


def test_a_view_submission_still_gets_bolts_answer(server: Server) -> None:
    view = {"id": "V1", "type": "modal", "callback_id": "practice_reflection", "private_metadata": '{"d": 1}'}
    values = {"reflection": {"text": {"type": "plain_text_input", "value": "   "}}}
    reply = server.driver.submit_view("U0ALEX", view, values)
    assert reply.status == 200
    assert reply.json()["response_action"] == "errors", "the empty reflection is refused in the window"
