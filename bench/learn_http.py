"""/learn over real HTTP under gunicorn at 20 concurrent signed requests, against a bare Bolt app that only acks.

Both servers run as `gunicorn --workers 2 --threads 4` subprocesses on ephemeral ports. The Slack emulator
runs in this process: learnbot calls its Web API and answers through its response_url endpoint, where the
arrival of every answer is timed. Figures: time to the HTTP response (the ack) p50/p99, throughput, the ratio
p99(learnbot)/p99(bare), and how many answers reached the emulator within a few seconds after the load.
Goals: learnbot p99 <= 100 ms and <= 1.5x bare.

BENCH_DATABASE_URL=postgresql://... runs learnbot on a throwaway database `learnbot_bench` created on that
server (and dropped afterwards) instead of a SQLite file.
"""

from __future__ import annotations

import http.client
import math
import os
import queue
import random
import re
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bench.common import CONTENT_DIR, database_with_content, latency_summary, load_queries, table, throwaway_database
from bench.servers import Server, cpu_seconds, free_port, running
from bot.sandbox.emulator import SlackEmulator

NAME = "learn_http"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
THREADS = 20
WORKERS = 2
FULL = {"requests": 1_000, "warmup": 40}
QUICK = {"requests": 100, "warmup": 20}
ANSWER_GRACE = 5.0  # seconds after the load ends in which answers still count as prompt
ANSWER_PATIENCE = 30.0  # how long to keep waiting for stragglers, to tell late from lost
GOAL_P99_MS, GOAL_RATIO = 100.0, 1.5
CHANNEL = "C0BENCH"
SEED = 7
TITLES = [
    "Engineering Manager",
    "Team Lead",
    "Software Engineer",
    "Account Executive",
    "VP Engineering",
    "Product Designer",
    "Customer Success Manager",
    "Data Analyst",
    "Head of Sales",
    "Graduate Engineer",
]
USERS = [(f"U0BENCH{n:02d}", f"Bench Person {n}", TITLES[n % len(TITLES)]) for n in range(THREADS)]
LOG_PROBLEM = re.compile(r"\b(ERROR|CRITICAL|WARNING)\b|Traceback|WORKER TIMEOUT|\[CRITICAL\]")


class TimedEmulator(SlackEmulator):
    """The emulator, also noting when each response_url answer arrived and what it said."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.arrivals: dict[str, tuple[float, str]] = {}
        self.ephemeral: set[str] = set()  # tokens answered with response_type=ephemeral

    def handle_response_url(self, token: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        arrived = time.perf_counter()
        status, body = super().handle_response_url(token, payload)
        with self.state.lock:
            self.arrivals.setdefault(token, (arrived, str(payload.get("text", ""))))
            if payload.get("response_type") == "ephemeral":
                self.ephemeral.add(token)
        return status, body

    def arrived(self, tokens: list[str]) -> int:
        with self.state.lock:
            return sum(1 for token in tokens if token in self.arrivals)


@dataclass
class Sent:
    user: str
    topic: str
    token: str
    started: float = 0.0
    ms: float = 0.0
    status: int = 0
    error: str = ""


@dataclass
class Phase:
    sent: list[Sent] = field(default_factory=list)
    wall_seconds: float = 0.0
    ended: float = 0.0


# -- the load ---------------------------------------------------------------------------------------------------
def command_body(emulator: SlackEmulator, user: str, topic: str) -> tuple[str, str]:
    """The form body Slack sends for `/learn <topic>` (as bot/sandbox/driver.py builds it), and its answer token."""
    response_url = emulator.new_response_url(channel=CHANNEL, user=user)
    fields = {
        "token": "bench",
        "team_id": emulator.state.team_id,
        "team_domain": "bench",
        "channel_id": CHANNEL,
        "channel_name": "bench",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/learn",
        "text": topic,
        "api_app_id": "A0LEARNBOT",
        "response_url": response_url,
        "trigger_id": f"{user}:{time.monotonic_ns()}",
    }
    return urlencode(fields), response_url.rsplit("/", 1)[1]


def post(port: int, body: str, verifier: SignatureVerifier, sent: Sent) -> None:
    stamp = str(int(time.time()))
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": verifier.generate_signature(timestamp=stamp, body=body) or "",
    }
    data = body.encode()
    sent.started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/slack/events", body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        sent.status = response.status
    except (OSError, http.client.HTTPException) as error:
        sent.error = f"{type(error).__name__}: {error}"
    finally:
        connection.close()
        sent.ms = (time.perf_counter() - sent.started) * 1000


def fire(port: int, emulator: SlackEmulator, jobs: list[tuple[str, str]], threads: int = THREADS) -> Phase:
    """Send every (user, topic) job from `threads` threads, each taking the next job when it is free."""
    verifier = SignatureVerifier(SECRET)
    pending: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)
    phase = Phase()
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def worker() -> None:
        start.wait()
        while True:
            try:
                user, topic = pending.get_nowait()
            except queue.Empty:
                return
            body, token = command_body(emulator, user, topic)
            sent = Sent(user=user, topic=topic, token=token)
            post(port, body, verifier, sent)
            with lock:
                phase.sent.append(sent)

    pool = [threading.Thread(target=worker, name=f"load-{n}", daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    phase.ended = time.perf_counter()
    phase.wall_seconds = phase.ended - began
    return phase


def make_jobs(count: int, *, seed: int) -> list[tuple[str, str]]:
    topics = [item.query for item in load_queries()]
    rng = random.Random(seed)
    return [(USERS[n % len(USERS)][0], rng.choice(topics)) for n in range(count)]


# -- answers after the ack ------------------------------------------------------------------------------------
def wait_answers(emulator: TimedEmulator, tokens: list[str], *, until: float) -> int:
    while time.perf_counter() < until and emulator.arrived(tokens) < len(tokens):
        time.sleep(0.02)
    return emulator.arrived(tokens)


def answers_report(emulator: TimedEmulator, phase: Phase) -> dict[str, Any]:
    tokens = [sent.token for sent in phase.sent if sent.status == 200]
    at_load_end = emulator.arrived(tokens)
    within_grace = wait_answers(emulator, tokens, until=phase.ended + ANSWER_GRACE)
    eventually = wait_answers(emulator, tokens, until=phase.ended + ANSWER_PATIENCE)
    with emulator.state.lock:
        arrivals = {token: emulator.arrivals[token] for token in tokens if token in emulator.arrivals}
        ephemeral = sum(1 for token in arrivals if token in emulator.ephemeral)
    started = {sent.token: sent.started for sent in phase.sent}
    end_to_end = [(arrived - started[token]) * 1000 for token, (arrived, _text) in arrivals.items()]
    last = max((arrived for arrived, _text in arrivals.values()), default=phase.ended)
    return {
        "expected": len(tokens),
        "at_load_end": at_load_end,
        "within_grace": within_grace,
        "grace_seconds": ANSWER_GRACE,
        "eventually": eventually,
        "patience_seconds": ANSWER_PATIENCE,
        "last_answer_after_load_end_s": max(0.0, last - phase.ended),
        "ephemeral": ephemeral,
        "kinds": dict(Counter(_kind(text) for _arrived, text in arrivals.values())),
        "examples": {_kind(text): text[:120] for _arrived, text in sorted(arrivals.values(), reverse=True)},
        "topics_not_answered_with_results": _topics_by_kind(phase, arrivals),
        "command_to_answer": latency_summary(end_to_end),
    }


def _topics_by_kind(phase: Phase, arrivals: dict[str, tuple[float, str]]) -> dict[str, list[str]]:
    """Which topics got something other than results (help text, no match, an error)."""
    found: dict[str, set[str]] = {}
    for sent in phase.sent:
        if sent.token in arrivals and (kind := _kind(arrivals[sent.token][1])) != "results":
            found.setdefault(kind, set()).add(sent.topic)
    return {kind: sorted(topics) for kind, topics in sorted(found.items())}


def _kind(text: str) -> str:
    if text.startswith("Resources for"):
        return "results"
    if text.startswith("Nothing in the library"):
        return "no match"
    if text.startswith("Sorry"):
        return "error"
    return "other"


# -- the two servers ------------------------------------------------------------------------------------------
def base_env() -> dict[str, str]:
    """This environment without anything that would reach real Slack or OpenAI."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_", "DATABASE_URL"))}
    env.update({"OPENAI_API_KEY": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH")]))
    return env


@contextmanager
def learnbot(database_url: str, emulator: SlackEmulator, scratch: Path) -> Iterator[Server]:
    port = free_port()
    env = base_env() | {
        "DATABASE_URL": database_url,
        "SLACK_API_URL": emulator.api_url,
        "CONTENT_DIR": str(CONTENT_DIR),
        "LOG_LEVEL": "INFO",
    }
    argv = [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(WORKERS)]
    with running("learnbot", argv, port=port, env=env, log=scratch / "learnbot.log") as server:
        yield server


@contextmanager
def bare(emulator: SlackEmulator, scratch: Path) -> Iterator[Server]:
    port = free_port()
    bind = ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", "4"]  # as bot/slack/http_server.py
    argv = [sys.executable, "-m", "gunicorn", *bind, "bench.bare_app:create()"]
    env = base_env() | {"SLACK_API_URL": emulator.api_url}
    with running("bare", argv, port=port, env=env, log=scratch / "bare.log") as server:
        yield server


# -- the run ----------------------------------------------------------------------------------------------------
def measure(server: Server, emulator: TimedEmulator, size: dict[str, int], *, answers: bool) -> dict[str, Any]:
    warm = fire(server.port, emulator, make_jobs(size["warmup"], seed=SEED + 1))
    if answers:  # let the warm-up's work after the ack finish before measuring
        wait_answers(emulator, [s.token for s in warm.sent], until=time.perf_counter() + ANSWER_PATIENCE)
    server_cpu, own_cpu = cpu_seconds(server.process.pid), process_cpu_seconds()
    phase = fire(server.port, emulator, make_jobs(size["requests"], seed=SEED))
    own_cpu = process_cpu_seconds() - own_cpu
    answered = answers_report(emulator, phase) if answers else None  # the work after the ack belongs to the load
    server_cpu_after = cpu_seconds(server.process.pid)
    ok = [sent.ms for sent in phase.sent if sent.status == 200]
    result: dict[str, Any] = {
        "requests": len(phase.sent),
        "threads": THREADS,
        "warmup_requests": len(warm.sent),
        "warmup_max_ms": max((s.ms for s in warm.sent), default=0.0),
        "statuses": dict(Counter(str(sent.status or sent.error) for sent in phase.sent)),
        "ack": latency_summary(ok),
        "throughput_rps": len(phase.sent) / phase.wall_seconds,
        "littles_law_mean_ms": THREADS / (len(phase.sent) / phase.wall_seconds) * 1000,
        "wall_seconds": phase.wall_seconds,
        "server_cpu_ms_per_request": _per_request(server_cpu, server_cpu_after, len(phase.sent)),
        "bench_process_cpu_ms_per_request": own_cpu * 1000 / len(phase.sent),
        "cpus": os.cpu_count(),
    }
    if answered is not None:
        result["answers"] = answered
    return result


def _per_request(before: float | None, after: float | None, count: int) -> float:
    return (after - before) * 1000 / count if before is not None and after is not None else math.nan


def process_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def log_problems(server: Server) -> dict[str, Any]:
    lines = [line for line in server.log_text().splitlines() if LOG_PROBLEM.search(line)]
    return {"count": len(lines), "first": lines[:10]}


def database_counts(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from bot.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table_name: int(connection.execute(text(f"SELECT count(*) FROM {table_name}")).scalar_one())
                for table_name in ("people", "searches", "resource_events")
            }
    finally:
        engine.dispose()


def run(*, quick: bool) -> dict[str, Any]:
    size = QUICK if quick else FULL
    emulator = TimedEmulator(token=TOKEN)
    emulator.start()
    try:
        for user_id, name, title in USERS:
            emulator.add_user(user_id, name, title=title, tz="Europe/London")
        with tempfile.TemporaryDirectory(prefix="learnbot-bench-http-") as scratch_name:
            scratch = Path(scratch_name)
            with bare(emulator, scratch) as server:
                baseline = measure(server, emulator, size, answers=False)
            baseline["log_problems"] = log_problems(server)
            with throwaway_database(scratch, "learnbot_bench") as url:
                with database_with_content(url):
                    pass
                with learnbot(url, emulator, scratch) as server:
                    measured = measure(server, emulator, size, answers=True)
                measured["log_problems"] = log_problems(server)
                measured["database"] = "postgresql" if url.startswith("postgresql") else "sqlite"
                measured["rows_after"] = database_counts(url)
    finally:
        emulator.stop()
    results = {
        "workers": WORKERS,
        "goal_p99_ms": GOAL_P99_MS,
        "goal_ratio": GOAL_RATIO,
        "bare": baseline,
        "learnbot": measured,
        "p99_ratio": measured["ack"]["p99_ms"] / baseline["ack"]["p99_ms"],
        "p50_ratio": measured["ack"]["p50_ms"] / baseline["ack"]["p50_ms"],
        "cpu_ratio": measured["server_cpu_ms_per_request"] / baseline["server_cpu_ms_per_request"],
    }
    print_report(results)
    return results


def print_report(r: dict[str, Any]) -> None:
    bot, base = r["learnbot"], r["bare"]
    print(
        f"{bot['requests']:,} signed /learn requests from {bot['threads']} threads "
        f"(after {bot['warmup_requests']} warm-up), gunicorn {r['workers']} workers x 4 threads; "
        f"learnbot on {bot['database']}\n"
    )
    rows = [
        [
            name,
            s["ack"]["count"],
            s["ack"]["p50_ms"],
            s["ack"]["p90_ms"],
            s["ack"]["p99_ms"],
            s["ack"]["max_ms"],
            s["ack"]["mean_ms"],
            s["throughput_rps"],
            s["server_cpu_ms_per_request"],
            s["warmup_max_ms"],
            ", ".join(f"{k}: {v}" for k, v in s["statuses"].items()),
        ]
        for name, s in (("bare Bolt (ack only)", base), ("learnbot", bot))
    ]
    headers = ["server", "ok", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "req/s", "server CPU ms/req"]
    headers += ["warm-up max ms", "statuses"]
    print(table(headers, rows, title="Time to the HTTP response (the ack)"))
    print()
    print(
        table(
            ["figure", "value", "goal"],
            [
                ["p99 learnbot / p99 bare", r["p99_ratio"], f"<= {r['goal_ratio']}"],
                ["p50 learnbot / p50 bare", r["p50_ratio"], ""],
                ["learnbot p99 ms", bot["ack"]["p99_ms"], f"<= {r['goal_p99_ms']:.0f}"],
                ["server CPU per request, learnbot / bare", r["cpu_ratio"], ""],
                ["threads / throughput (Little's law mean), learnbot ms", bot["littles_law_mean_ms"], ""],
                [
                    "bench process CPU ms/request (load + emulator), learnbot",
                    bot["bench_process_cpu_ms_per_request"],
                    "",
                ],
                ["CPUs on this machine", bot["cpus"], ""],
            ],
        )
    )
    answers = bot["answers"]
    print()
    print(
        table(
            ["answers via response_url", "value"],
            [
                ["expected (acked 200)", answers["expected"]],
                ["arrived by the end of the load", answers["at_load_end"]],
                [f"arrived within {answers['grace_seconds']:.0f} s after the load", answers["within_grace"]],
                [f"arrived within {answers['patience_seconds']:.0f} s", answers["eventually"]],
                ["of those, ephemeral (response_type)", answers["ephemeral"]],
                ["last answer after the load ended, s", answers["last_answer_after_load_end_s"]],
                ["command to answer p50 ms", answers["command_to_answer"]["p50_ms"]],
                ["command to answer p99 ms", answers["command_to_answer"]["p99_ms"]],
                ["command to answer max ms", answers["command_to_answer"]["max_ms"]],
                ["answer kinds", ", ".join(f"{k}: {v}" for k, v in sorted(answers["kinds"].items()))],
                ["rows after: " + ", ".join(bot["rows_after"]), ", ".join(str(v) for v in bot["rows_after"].values())],
            ],
        )
    )
    for kind, topics in answers["topics_not_answered_with_results"].items():
        print(f"\nTopics answered with {kind}: {'; '.join(topics)}")
    for name, s in (("bare", base), ("learnbot", bot)):
        problems = s["log_problems"]
        if problems["count"]:
            print(f"\n{name} log: {problems['count']} warning/error line(s); first ones:")
            for line in problems["first"]:
                print(f"  {line[:200]}")
