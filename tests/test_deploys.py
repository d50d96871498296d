"""What a deploy, a crash and slow clients do to `serve` under gunicorn: real processes, real signals."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.inbox.models import AcceptedRequest
from bot.sandbox.driver import SlackDriver, http_transport
from bot.sandbox.emulator import SlackEmulator
from bot.slack.errors import SORRY
from tests.harness import bot_env, healthy, rows, start_bot, wait_for

pytestmark = pytest.mark.slow
SECRET = "test-signing-secret"


def serve(
    started: list[subprocess.Popen[str]], settings: Settings, emulator: SlackEmulator, port: int, workers: int
) -> tuple[subprocess.Popen[str], SlackDriver]:
    """`python -m bot serve` (gunicorn) on `port`, healthy, and a driver that signs requests for it."""
    server = start_bot(
        started, "serve", "--port", str(port), "--workers", str(workers), env=bot_env(settings, emulator)
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: healthy(base), timeout=30, interval=0.2)
    driver = SlackDriver(emulator=emulator, signing_secret=SECRET, transport=http_transport(base + "/slack/events"))
    return server, driver


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_deploy_answers_every_command_it_acknowledged(
    settings: Settings, emulator: SlackEmulator, free_port: int, started: list[subprocess.Popen[str]]
) -> None:
    people = [f"U0D{index:03d}" for index in range(20)]
    for user in people:
        emulator.add_user(user, user)
    with emulator.state.lock:
        dms = {user: emulator.state.dm_channel(user) for user in people}
    server, driver = serve(started, settings, emulator, free_port, workers=2)
    emulator.fail("chat.postMessage", "slow", delay=0.1, times=200)  # the answers take a while: in flight
    commands = [(people[n % len(people)], dms[people[n % len(people)]]) for n in range(200)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        acks = list(pool.map(lambda c: driver.command(c[0], "/learn", "help", channel=c[1]).status, commands))
    assert acks == [200] * 200, "every command was acknowledged"
    server.send_signal(signal.SIGTERM)  # the deploy: while answers are still going out
    assert server.wait(timeout=60) == 0
    answers = [m for user in people for m in emulator.dm_messages(user)]
    assert len(answers) == 200, f"{len(answers)} of 200 acknowledged commands were answered"
    assert not [m for m in answers if m.text == SORRY]
    assert all("/learn help" in str(m.blocks) for m in answers)


def test_a_web_worker_killed_after_acking_has_its_work_done_by_another(
    settings: Settings,
    sessions: sessionmaker[Session],
    emulator: SlackEmulator,
    free_port: int,
    started: list[subprocess.Popen[str]],
) -> None:
    emulator.add_user("U0ALEX", "Alex")
    server, driver = serve(started, settings, emulator, free_port, workers=1)
    gate = threading.Event()
    held = emulator.fail("users.info", "hold", gate=gate)  # the listener's first call for someone new
    assert driver.command("U0ALEX", "/learn", "help").status == 200
    assert held.reached.wait(timeout=10), "the worker acknowledged and started the work"
    assert len(rows(sessions, AcceptedRequest)) == 1, "recorded before the acknowledgement"
    [worker] = children(server.pid)
    subprocess.run(["kill", "-KILL", str(worker)], check=True)
    wait_for(lambda: [pid for pid in children(server.pid) if pid != worker], timeout=30, interval=0.2)
    gate.set()  # Slack answers again; the dead worker's call goes nowhere
    [answer] = wait_for(lambda: emulator.ephemerals_for("U0ALEX"), timeout=60, interval=0.2)
    assert "/learn help" in str(answer.blocks), "another worker replayed it once its lease ran out"
    wait_for(lambda: not rows(sessions, AcceptedRequest), timeout=10)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0


def test_stalled_clients_do_not_stop_health_checks_or_other_requests(
    settings: Settings, emulator: SlackEmulator, free_port: int, started: list[subprocess.Popen[str]]
) -> None:
    emulator.add_user("U0ALEX", "Alex")
    server, driver = serve(started, settings, emulator, free_port, workers=1)  # 4 threads
    stalled = []
    for _ in range(12):  # headers and ten bytes of a 1,000-byte body, then nothing
        connection = socket.create_connection(("127.0.0.1", free_port), timeout=30)
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000\r\n\r\ncommand=%2"
        )
        stalled.append(connection)
    started_at = time.monotonic()
    wait_for(lambda: healthy(f"http://127.0.0.1:{free_port}"), timeout=30, interval=0.1)
    waited = time.monotonic() - started_at
    assert driver.command("U0ALEX", "/learn", "help").status == 200, "a real request is answered too"
    answers = [connection.recv(100) for connection in stalled[:4]]
    assert all(answer.startswith(b"HTTP/1.1 408") for answer in answers), answers
    print(f"health answered {waited:.1f} s after a dozen clients stalled")
    assert waited < 15, f"health answered after {waited:.1f} s (each stalled read is cut after 3 s)"
    for connection in stalled:
        connection.close()
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0
