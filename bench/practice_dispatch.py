"""10,000 practice reminders due at the same UTC minute: materialise them, then send them through the emulator.

10,000 people in 24 IANA zones (whole, half- and three-quarter-hour offsets) each start `active-listening` through
the real services (`PeopleService.touch`, `PracticeService.start`) at the local minute that falls on INSTANT, every
day of the week. Then, in one run:

- materialise: one tick at INSTANT - 2 h + 1 min (the materialiser looks two hours ahead), and the ticks a minute
  apart after it until every reminder is in the outbox;
- dispatch in this process: `tick.run(INSTANT)` sends every reminder (the first one to each person: the
  dispatcher opens each DM with conversations.open), then the same again with the DM channels known (as on every
  later day, when the materialiser copies the remembered channel into the delivery);
- baseline: one plain `slack_sdk.WebClient` posting the same payloads to the same DM channels (opened first);
- `python -m bot tick --at INSTANT` as a subprocess doing the whole dispatch (its own peak RSS, from wait4), and on
  PostgreSQL two of them started together against the same database (combined rate, duplicates, errors);
- a profile of the in-process dispatcher (step timers, then cProfile) at 2,000 messages.

Between the dispatch phases the outbox rows are put back as the materialiser left them (pending, no lease, no
ts; DM channels forgotten for the "first reminder" phases), so each phase sends the same 10,000 rows.

The Slack emulator runs in its own process (`python -m bench.practice_dispatch --serve-emulator`): in this process
it would share the GIL, the CPU accounting and the peak RSS with the dispatcher it serves. It is the stock
emulator with two additions that stay in bench/: counters per method and posts per channel read through extra
`bench.*` methods, and bulk `bench.add_users`. Every send is counted there: each person must get exactly one
message per phase.

BENCH_DATABASE_URL=postgresql://... runs on a throwaway database `learnbot_bench_practice` on that server
(dropped afterwards); without it, a SQLite file, and the two-worker phase is skipped.
"""

from __future__ import annotations

import contextlib
import cProfile
import json
import os
import pstats
import re
import resource
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import CONTENT_DIR, ROOT, database_with_content, fmt, table, throwaway_database
from bench.servers import stop
from bot.sandbox.emulator import SlackEmulator

NAME = "practice_dispatch"
TOKEN = "xoxb-bench"
TECHNIQUE = "active-listening"
INSTANT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SET_UP_AT = INSTANT - timedelta(hours=3)  # the clock while people start practising
LOOKAHEAD = timedelta(hours=2)  # bot.services.practice_schedule.LOOKAHEAD
ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Cairo",
    "Europe/Moscow",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Kabul",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Pacific/Auckland",
)
FULL = {"people": 10_000, "profile": 2_000}
QUICK = {"people": 500, "profile": 200}
GOAL_RATIO = 0.7
MAX_MATERIALISE_TICKS = 200
CHILD_TIMEOUT = 900.0  # seconds for one `python -m bot tick`
PG_DATABASE = "learnbot_bench_practice"
LOG_PROBLEM = re.compile(r"\b(ERROR|CRITICAL|WARNING)\b|Traceback")
SUMMARY = re.compile(
    r"tick \S+: (?P<materialised>\d+) materialised, (?P<sent>\d+) sent, (?P<found>\d+) found already sent, "
    r"(?P<retrying>\d+) to retry, (?P<failed>\d+) failed, (?P<expired>\d+) expired"
)


# -- the emulator, in its own process ---------------------------------------------------------------------------
class CountingEmulator(SlackEmulator):
    """The Slack emulator, counting calls per method and posts per channel; `bench.*` methods read and reset them."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.methods: Counter[str] = Counter()
        self.posts: Counter[str] = Counter()
        self.post_errors: Counter[str] = Counter()

    def handle_api(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if method.startswith("bench."):
            return 200, {"ok": True, **self._bench(method, args)}, {}
        status, body, headers = super().handle_api(method, args, token)
        with self.state.lock:
            self.methods[method] += 1
            if method == "chat.postMessage":
                if body.get("ok"):
                    self.posts[str(body["channel"])] += 1
                else:
                    self.post_errors[str(body.get("error"))] += 1
        return status, body, headers

    def _bench(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        with self.state.lock:
            if method == "bench.add_users":
                for user_id, name, tz in args.get("users") or []:
                    self.add_user(user_id, name, tz=tz)
                return {"users": len(self.state.users)}
            if method == "bench.reset":  # forget messages and calls (users and DM channels stay)
                self.state.calls.clear()
                if args.get("keep_top_level"):  # threads' parents stay (a challenge's card): replies go
                    for channel, messages in self.state.messages.items():
                        self.state.messages[channel] = [m for m in messages if not m.thread_ts]
                else:
                    self.state.messages.clear()
                self.methods.clear()
                self.posts.clear()
                self.post_errors.clear()
                return {}
            if method == "bench.counts":
                usage = resource.getrusage(resource.RUSAGE_SELF)
                return {
                    "team_id": self.state.team_id,
                    "methods": dict(self.methods),
                    "posts": dict(self.posts),
                    "post_errors": dict(self.post_errors),
                    "cpu_seconds": usage.ru_utime + usage.ru_stime,
                    "peak_rss_mb": usage.ru_maxrss / 1024,
                }
        return {}


def serve_emulator() -> int:
    """Run the counting emulator until stdin closes (the benchmark ended or died); print the API URL first."""
    emulator = CountingEmulator(token=TOKEN).start()
    print(emulator.api_url, flush=True)
    try:
        sys.stdin.read()
    finally:
        emulator.stop()
    return 0


@dataclass
class EmulatorProcess:
    process: subprocess.Popen[bytes]
    api_url: str

    def call(self, method: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 (a loopback URL we started)
            self.api_url + method,
            data=json.dumps(payload or {}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body: dict[str, Any] = json.loads(response.read())
        if not body.get("ok"):
            raise RuntimeError(f"emulator {method}: {body}")
        return body

    def reset(self, *, keep_top_level: bool = False) -> None:
        self.call("bench.reset", {"keep_top_level": keep_top_level})

    def counts(self) -> dict[str, Any]:
        return self.call("bench.counts")


@contextmanager
def emulator_process(scratch: Path) -> Iterator[EmulatorProcess]:
    log = scratch / "emulator.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.practice_dispatch", "--serve-emulator"],
            cwd=ROOT,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sink,
            start_new_session=True,
        )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("http"):
            raise RuntimeError(f"the emulator did not start: {line!r} {log.read_text(errors='replace')[-2000:]}")
        yield EmulatorProcess(process=process, api_url=line)
    finally:
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        stop(process)
        if process.stdout is not None:
            process.stdout.close()


# -- the people and their subscriptions --------------------------------------------------------------------------
@dataclass(frozen=True)
class Someone:
    user_id: str
    zone: str
    minute_of_day: int

    @property
    def dm(self) -> str:
        return "D" + self.user_id.removeprefix("U")  # how the emulator names DM channels


def local_minute(zone: str, instant: datetime = INSTANT) -> int:
    local = instant.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


def people(count: int) -> list[Someone]:
    minutes = {zone: local_minute(zone) for zone in ZONES}
    assert len(set(minutes.values())) == len(ZONES), "two zones share a local time"
    return [Someone(f"UP{n:06d}", ZONES[n % len(ZONES)], minutes[ZONES[n % len(ZONES)]]) for n in range(count)]


def child_env(**extra: str) -> dict[str, str]:
    """This environment without anything that reaches real Slack or OpenAI, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_", "DATABASE_URL"))}
    env["OPENAI_API_KEY"] = ""
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env | extra


@contextmanager
def world_on(runtime: Any) -> Iterator[Any]:
    """A process of its own for one phase (its own pools and Slack clients, so no DM channel is cached
    from an earlier phase), on the same database and clock, built by the composition root."""
    from bot.composition import World
    from bot.runtime import open_runtime

    world = World(open_runtime(runtime.settings, clock=runtime.clock, upgrade=False))
    try:
        yield world
    finally:
        world.close()


def create_subscriptions(services: Any, team_id: str, everyone: list[Someone]) -> dict[str, Any]:
    """Through the services, as `/learn practice` does: identify, read the profile (users.info), start."""
    from bot.people.types import TeamMember

    started = time.perf_counter()
    for someone in everyone:
        person = services.people.complete(services.people.identify(TeamMember(team_id, someone.user_id)))
        services.practice.start(person, TECHNIQUE, minute_of_day=someone.minute_of_day, weekdays=tuple(range(7)))
    seconds = time.perf_counter() - started
    return {"people": len(everyone), "seconds": seconds, "per_person_ms": seconds * 1000 / len(everyone)}


def due_times(engine: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from bot.practice.models import PracticeSubscription

    with engine.connect() as connection:
        rows = connection.execute(
            select(PracticeSubscription.next_due_at, func.count()).group_by(PracticeSubscription.next_due_at)
        )
        return {(when.isoformat() if when else "none"): int(count) for when, count in rows}


def outbox_counts(engine: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from bot.outbox.models import Delivery

    with engine.connect() as connection:
        rows = connection.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        return {str(status): int(count) for status, count in rows}


def materialise(runtime: Any, expected: int) -> dict[str, Any]:
    """One tick at INSTANT - 2 h + 1 min, timed; then a tick a minute until every reminder is in the outbox."""
    at = INSTANT - LOOKAHEAD + timedelta(minutes=1)
    ticks: list[dict[str, Any]] = []
    total = 0
    with world_on(runtime) as world:
        return _materialise(runtime, world.tick, at, ticks, total, expected)


def _materialise(
    runtime: Any, tick: Any, at: datetime, ticks: list[dict[str, Any]], total: int, expected: int
) -> dict[str, Any]:
    while total < expected and len(ticks) < MAX_MATERIALISE_TICKS:
        runtime.clock.set(at)
        started = time.perf_counter()
        report = tick.run(at)
        seconds = time.perf_counter() - started
        made = sum(report.materialised.values())
        ticks.append({"at": at.isoformat(), "materialised": made, "seconds": seconds, "errors": report.errors})
        total += made
        if made == 0:
            break
        at += timedelta(minutes=1)
    seconds = sum(t["seconds"] for t in ticks)
    return {
        "first_tick": ticks[0],
        "ticks": len(ticks),
        "materialised": total,
        "seconds": seconds,
        "per_reminder_ms": seconds * 1000 / max(total, 1),
        "max_tick_seconds": max(t["seconds"] for t in ticks),
        "last_tick_at": ticks[-1]["at"],
        "errors": [error for t in ticks for error in t["errors"]],
    }


def rewind(engine: Any, *, channels_known: bool) -> None:
    """Put every practice delivery back as the materialiser left it: pending, unleased, unsent.

    `channels_known=False`: the first reminder ever (no DM channel anywhere yet); True: a later day, when the
    materialiser copies the person's remembered DM channel into the row. PostgreSQL gets VACUUM ANALYZE
    afterwards, so every phase starts from the same table state.
    """
    from sqlalchemy import select, text, update

    from bot.outbox.models import Delivery
    from bot.people.models import Person

    with engine.begin() as connection:
        channel: Any = None
        if channels_known:
            channel = select(Person.dm_channel_id).where(Person.id == Delivery.person_id).scalar_subquery()
        else:
            connection.execute(update(Person).values(dm_channel_id=None))
        connection.execute(
            update(Delivery)
            .where(Delivery.kind == "practice")
            .values(
                status="pending",
                channel=channel,
                lease_owner=None,
                lease_until=None,
                not_before=None,
                in_doubt=False,
                attempts=0,
                last_error=None,
                sent_ts=None,
                sent_at=None,
            )
        )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


# -- checking what arrived --------------------------------------------------------------------------------------
def arrivals(emulator: EmulatorProcess, everyone: list[Someone], before: dict[str, Any]) -> dict[str, Any]:
    """What reached the emulator since `before` (a counts() snapshot taken after a reset): one post per person?"""
    after = emulator.counts()
    posts: dict[str, int] = after["posts"]
    expected = {someone.dm for someone in everyone}
    per_channel = Counter(posts.values())
    return {
        "posts": sum(posts.values()),
        "people_reached": len(expected & posts.keys()),
        "people_missed": len(expected - posts.keys()),
        "duplicates": sum(count - 1 for count in posts.values() if count > 1),
        "channels_with_more_than_one": sum(1 for count in posts.values() if count > 1),
        "unexpected_channels": len(posts.keys() - expected),
        "posts_per_channel": {str(k): v for k, v in sorted(per_channel.items())},
        "post_errors": after["post_errors"],
        "calls": after["methods"],
        "emulator_cpu_seconds": after["cpu_seconds"] - before["cpu_seconds"],
        "exactly_one_each": set(posts) == expected and set(per_channel) <= {1},
    }


def fresh(emulator: EmulatorProcess) -> dict[str, Any]:
    emulator.reset()
    return emulator.counts()


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets this process's peak RSS (VmHWM) to its current RSS."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def proc_status_mb(name: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# -- the phases ---------------------------------------------------------------------------------------------------
def dispatch_in_process(runtime: Any, emulator: EmulatorProcess, everyone: list[Someone]) -> dict[str, Any]:
    """`tick.run(INSTANT)` on a fresh tick (a fresh notifier: no DM channels cached), timed, with peak RSS."""
    runtime.clock.set(INSTANT)
    with world_on(runtime) as world:
        return _dispatch_in_process(world.tick, emulator, everyone)


def _dispatch_in_process(tick: Any, emulator: EmulatorProcess, everyone: list[Someone]) -> dict[str, Any]:
    before = fresh(emulator)
    rss_before = proc_status_mb("VmRSS")
    peak_reset = reset_peak_rss()
    cpu = cpu_self()
    started = time.perf_counter()
    report = tick.run(INSTANT)
    seconds = time.perf_counter() - started
    cpu = cpu_self() - cpu
    d = report.dispatched
    result = {
        "seconds": seconds,
        "sent": d.sent,
        "messages_per_second": d.sent / seconds,
        "report": {"found": d.found, "retrying": d.retrying, "failed": d.failed, "expired": d.expired},
        "materialised": sum(report.materialised.values()),
        "errors": report.errors,
        "cpu_ms_per_message": cpu * 1000 / max(d.sent, 1),
        "rss_before_mb": rss_before,
        "peak_rss_mb": proc_status_mb("VmHWM") if peak_reset else float("nan"),
        "peak_rss_note": "VmHWM reset before the tick" if peak_reset else "could not reset VmHWM",
        "arrivals": arrivals(emulator, everyone, before),
    }
    result["emulator_cpu_ms_per_message"] = result["arrivals"]["emulator_cpu_seconds"] * 1000 / max(d.sent, 1)
    return result


def plain_loop(runtime: Any, emulator: EmulatorProcess, everyone: list[Someone]) -> dict[str, Any]:
    """The same payloads to the same DMs from one WebClient in a loop: channels opened first, then only posts."""
    from slack_sdk import WebClient
    from sqlalchemy import select

    from bot.outbox.models import Delivery

    with runtime.engine.connect() as connection:
        rows = list(
            connection.execute(
                select(Delivery.id, Delivery.user_id, Delivery.payload)
                .where(Delivery.kind == "practice")
                .order_by(Delivery.due_at, Delivery.id)
            )
        )
    client = WebClient(token=TOKEN, base_url=emulator.api_url)
    channels = {user: str(client.conversations_open(users=[user])["channel"]["id"]) for _id, user, _p in rows}
    before = fresh(emulator)
    cpu = cpu_self()
    started = time.perf_counter()
    for delivery_id, user, payload in rows:
        client.chat_postMessage(  # the arguments SlackNotifier.post sends
            channel=channels[user],
            text=str(payload.get("text", "")),
            blocks=payload.get("blocks"),
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": "learnbot_delivery", "event_payload": {"delivery_id": delivery_id}},
        )
    seconds = time.perf_counter() - started
    cpu = cpu_self() - cpu
    result = {
        "seconds": seconds,
        "sent": len(rows),
        "messages_per_second": len(rows) / seconds,
        "cpu_ms_per_message": cpu * 1000 / max(len(rows), 1),
        "arrivals": arrivals(emulator, everyone, before),
    }
    result["emulator_cpu_ms_per_message"] = result["arrivals"]["emulator_cpu_seconds"] * 1000 / max(len(rows), 1)
    return result


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    log: Path
    started: float
    ended: float = 0.0
    status: int | None = None
    usage: Any = None
    peak_rss_kb: int = 0
    waiter: threading.Thread | None = None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start_tick(env: dict[str, str], log: Path) -> Child:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "tick", "--at", INSTANT.isoformat().replace("+00:00", "Z")],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    child = Child(process=process, log=log, started=time.perf_counter())

    def wait() -> None:  # wait4 reaps this child alone and gives its own rusage (CPU)
        _pid, status, usage = os.wait4(process.pid, 0)
        child.ended, child.status, child.usage = time.perf_counter(), status, usage
        process.returncode = os.waitstatus_to_exitcode(status)

    child.waiter = threading.Thread(target=wait, name=f"wait-{process.pid}", daemon=True)
    child.waiter.start()
    threading.Thread(target=watch_peak_rss, args=(child,), name=f"rss-{process.pid}", daemon=True).start()
    return child


def watch_peak_rss(child: Child, every: float = 0.01) -> None:
    """The child's own peak RSS: VmHWM from /proc until it exits (the last reading misses at most `every` s).

    Not ru_maxrss from wait4: Linux carries the parent's RSS at fork into the child's ru_maxrss (the forked mm
    starts with the parent's high-water mark, and exec keeps the larger value), so every child of this big
    process would report at least this process's size.
    """
    status = Path(f"/proc/{child.process.pid}/status")
    while child.status is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    child.peak_rss_kb = max(child.peak_rss_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(every)


def finish(children: list[Child], timeout: float = CHILD_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    for child in children:
        assert child.waiter is not None
        child.waiter.join(max(0.0, deadline - time.monotonic()))
    late = [child for child in children if child.status is None]
    for child in late:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, signal.SIGKILL)
        assert child.waiter is not None
        child.waiter.join(10)
    if late:
        raise RuntimeError(f"{len(late)} tick subprocess(es) still running after {timeout:.0f} s: killed")


@contextmanager
def ticks(env: dict[str, str], logs: list[Path]) -> Iterator[list[Child]]:
    """Start one `python -m bot tick --at INSTANT` per log at the same moment; kill any left on the way out."""
    children: list[Child] = []
    try:
        children.extend(start_tick(env, log) for log in logs)
        finish(children)
        yield children
    finally:
        for child in children:
            if child.status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, signal.SIGKILL)
                if child.waiter is not None:
                    child.waiter.join(10)


def child_figures(child: Child, started: float) -> dict[str, Any]:
    output = child.output()
    found = SUMMARY.search(output)
    summary = {k: int(v) for k, v in found.groupdict().items()} if found else {}
    problems = [line for line in output.splitlines() if LOG_PROBLEM.search(line)]
    usage = child.usage
    return {
        "exit_status": child.process.returncode,
        "wall_seconds": child.ended - started,
        "summary": summary,
        "peak_rss_mb": child.peak_rss_kb / 1024 if child.peak_rss_kb else float("nan"),
        "cpu_seconds": usage.ru_utime + usage.ru_stime if usage else float("nan"),
        "problem_lines": len(problems),
        "first_problems": problems[:10],
        "output_tail": output[-3000:] if child.process.returncode else "",
    }


def tick_subprocesses(
    count: int, url: str, emulator: EmulatorProcess, everyone: list[Someone], scratch: Path, label: str
) -> dict[str, Any]:
    env = child_env(
        DATABASE_URL=url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="x",
        SLACK_API_URL=emulator.api_url,
        CONTENT_DIR=str(CONTENT_DIR),
        LOG_LEVEL="INFO",
    )
    before = fresh(emulator)
    started = time.perf_counter()
    with ticks(env, [scratch / f"{label}-{n}.log" for n in range(count)]) as children:
        wall = max(child.ended for child in children) - started
        workers = [child_figures(child, started) for child in children]
    sent = sum(w["summary"].get("sent", 0) for w in workers)
    result = {
        "workers": count,
        "wall_seconds": wall,
        "sent": sent,
        "messages_per_second": sent / wall if wall else float("nan"),
        "per_worker": workers,
        "arrivals": arrivals(emulator, everyone, before),
    }
    result["emulator_cpu_ms_per_message"] = result["arrivals"]["emulator_cpu_seconds"] * 1000 / max(sent, 1)
    return result


# -- where the time goes ------------------------------------------------------------------------------------------
class StepTimer:
    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        return timed


def step_times(runtime: Any, emulator: EmulatorProcess, count: int) -> dict[str, Any]:
    """The dispatcher's wall time split by step, with timers around claim, conversations.open, post, record.

    The timers wrap the dispatcher's collaborators by name for this one run (and are taken off afterwards);
    a name the code no longer has is listed under `not_timed` and its time falls into "other".
    """
    rewind(runtime.engine, channels_known=False)
    _only_first(runtime.engine, count)
    with world_on(runtime) as world:
        return _step_times(world.dispatcher, emulator)


def _step_times(dispatcher: Any, emulator: EmulatorProcess) -> dict[str, Any]:
    from bot.outbox import repository as deliveries

    timer = StepTimer()
    targets = (
        (dispatcher.notifier, "_channel", "open"),
        (dispatcher.notifier, "post", "send"),
        (dispatcher, "_record", "record"),
        (deliveries, "claim", "claim"),
        (deliveries, "expire_overdue", "expire"),
    )
    patched: list[tuple[Any, str, Any]] = []
    missing = []
    fresh(emulator)
    try:
        for owner, attribute, label in targets:
            original = getattr(owner, attribute, None)
            if original is None:
                missing.append(attribute)
                continue
            setattr(owner, attribute, timer.wrap(label, original))
            patched.append((owner, attribute, original))
        started = time.perf_counter()
        report = dispatcher.dispatch_due(INSTANT)
        total = time.perf_counter() - started
    finally:
        for owner, attribute, original in patched:
            if owner is deliveries:
                setattr(owner, attribute, original)
            else:
                delattr(owner, attribute)  # the instance attribute shadowed the method
    sent = report.sent
    steps = {
        "claim batch + expire overdue (DB)": timer.seconds["claim"] + timer.seconds["expire"],
        "conversations.open (HTTP)": timer.seconds["open"],
        "chat.postMessage (HTTP)": timer.seconds["send"] - timer.seconds["open"],
        "record outcome (DB, own transaction)": timer.seconds["record"],
    }
    steps["other (transactions round claim, loop, messages)"] = total - sum(steps.values())
    return {
        "sent": sent,
        "seconds": total,
        "messages_per_second": sent / total,
        "claims": timer.calls["claim"],
        "not_timed": missing,
        "steps_ms_per_message": {k: v * 1000 / max(sent, 1) for k, v in steps.items()},
        "steps_share": {k: v / total for k, v in steps.items()},
    }


def _only_first(engine: Any, count: int) -> None:
    """Leave only the first `count` practice rows pending (the rest as sent): a smaller dispatch."""
    from sqlalchemy import select, update

    from bot.outbox.models import Delivery

    with engine.begin() as connection:
        keep = select(Delivery.id).where(Delivery.kind == "practice").order_by(Delivery.id).limit(count)
        cut = [row[0] for row in connection.execute(keep)]
        if cut:
            connection.execute(
                update(Delivery).where(Delivery.kind == "practice", Delivery.id > cut[-1]).values(status="sent")
            )


FAMILIES = (  # (family, test on a cProfile key) for where each function's own time goes; first match wins
    ("DB driver (sqlite3 / psycopg, incl. waiting)", lambda f, n: "sqlite3" in n or "psycopg" in f + n),
    ("SQLAlchemy (Python)", lambda f, n: "/sqlalchemy/" in f),
    ("socket (waiting on the emulator, kernel)", lambda f, n: "_socket" in n or "select" in n or "poll" in n),
    ("http.client / urllib / socket.py (Python)", lambda f, n: re.search(r"/(http|urllib|email)/|/socket\.py", f)),
    ("slack_sdk (Python)", lambda f, n: "/slack_sdk/" in f),
    ("json", lambda f, n: "/json/" in f or "json" in n),
    ("learnbot (bot/)", lambda f, n: "/bot/" in f),
    ("logging", lambda f, n: "/logging/" in f),
)


def profile(runtime: Any, emulator: EmulatorProcess, count: int) -> dict[str, Any]:
    """cProfile of `dispatch_due` over `count` first reminders: own time by family and the top functions."""
    rewind(runtime.engine, channels_known=False)
    _only_first(runtime.engine, count)
    with world_on(runtime) as world:
        return _profile(world.dispatcher, emulator)


def _profile(dispatcher: Any, emulator: EmulatorProcess) -> dict[str, Any]:
    fresh(emulator)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = dispatcher.dispatch_due(INSTANT)
    profiler.disable()
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    own: Counter[str] = Counter()
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        family = next((label for label, test in FAMILIES if test(filename, name)), "other (stdlib, builtins)")
        own[family] += tottime
    profiled = sum(own.values())
    top = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:15]
    cumulative = {
        label: next((value[3] for key, value in stats.items() if key[2] == func and key[0].endswith(path)), 0.0)
        for label, path, func in (
            ("claim", "outbox/repository.py", "claim"),
            ("record outcome", "outbox/dispatcher.py", "_record"),
            ("SlackNotifier.post", "slack/notifier.py", "post"),
            ("conversations.open", "slack/notifier.py", "_channel"),
        )
    }
    sent = max(report.sent, 1)
    return {
        "sent": report.sent,
        "seconds_with_profiler": seconds,
        "own_time_ms_per_message": {k: v * 1000 / sent for k, v in own.most_common()},
        "own_time_share": {k: v / profiled for k, v in own.most_common()},
        "cumulative_ms_per_message": {k: v * 1000 / sent for k, v in cumulative.items()},
        "top_own_time": [
            {
                "function": f"{Path(key[0]).name}:{key[1]}({key[2]})" if key[0] != "~" else key[2],
                "calls": value[1],
                "own_ms_per_message": value[2] * 1000 / sent,
                "cumulative_ms_per_message": value[3] * 1000 / sent,
            }
            for key, value in top
        ],
    }


# -- the run ---------------------------------------------------------------------------------------------------------
def run(*, quick: bool) -> dict[str, Any]:
    from pydantic import SecretStr

    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.runtime import open_runtime

    size = QUICK if quick else FULL
    everyone = people(size["people"])
    results: dict[str, Any] = {"people": len(everyone), "zones": {z: local_minute(z) for z in ZONES}}
    results["instant"] = INSTANT.isoformat()
    results["load_average_at_start"] = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="learnbot-bench-practice-") as scratch_name,
        emulator_process(Path(scratch_name)) as emulator,
        throwaway_database(Path(scratch_name), PG_DATABASE) as url,
    ):
        scratch = Path(scratch_name)
        postgres = url.startswith("postgresql")
        results["database"] = "postgresql" if postgres else "sqlite"
        with database_with_content(url):  # migrate and sync the shipped content
            pass
        settings = Settings(
            _env_file=None,
            database_url=url,
            slack_bot_token=SecretStr(TOKEN),
            slack_signing_secret=SecretStr("x"),
            slack_api_url=emulator.api_url,
            content_dir=CONTENT_DIR,
            openai_api_key=None,
        )
        runtime = open_runtime(settings, clock=ManualClock(SET_UP_AT))
        try:
            print(
                f"{len(everyone):,} people in {len(ZONES)} zones, all due at {INSTANT:%Y-%m-%d %H:%M} UTC", flush=True
            )
            emulator.call("bench.add_users", {"users": [[s.user_id, f"Person {s.user_id}", s.zone] for s in everyone]})
            team_id = emulator.counts()["team_id"]
            with world_on(runtime) as world:
                results["set_up"] = create_subscriptions(world.services, team_id, everyone)
            results["set_up"]["next_due_at"] = due_times(runtime.engine)
            print(f"set-up through the services: {results['set_up']['seconds']:.1f} s", flush=True)

            results["materialise"] = materialise(runtime, len(everyone))
            results["materialise"]["outbox"] = outbox_counts(runtime.engine)
            print(f"materialised in {results['materialise']['ticks']} ticks", flush=True)

            rewind(runtime.engine, channels_known=False)  # changes nothing yet; on PostgreSQL, VACUUM ANALYZE
            results["in_process_first"] = dispatch_in_process(runtime, emulator, everyone)
            print(f"in process: {results['in_process_first']['messages_per_second']:.0f} msg/s", flush=True)
            results["plain_loop"] = plain_loop(runtime, emulator, everyone)
            print(f"plain loop: {results['plain_loop']['messages_per_second']:.0f} msg/s", flush=True)
            rewind(runtime.engine, channels_known=True)
            results["in_process_channels_known"] = dispatch_in_process(runtime, emulator, everyone)

            rewind(runtime.engine, channels_known=False)
            results["subprocess_one"] = tick_subprocesses(1, url, emulator, everyone, scratch, "one")
            print(f"one subprocess: {results['subprocess_one']['messages_per_second']:.0f} msg/s", flush=True)
            if postgres:
                rewind(runtime.engine, channels_known=False)
                results["subprocess_two"] = tick_subprocesses(2, url, emulator, everyone, scratch, "two")
            else:
                results["subprocess_two"] = {"skipped": "needs PostgreSQL: set BENCH_DATABASE_URL"}
            results["subprocess_idle"] = tick_subprocesses(1, url, emulator, [], scratch, "idle")

            results["steps"] = step_times(runtime, emulator, size["profile"])
            results["profile"] = profile(runtime, emulator, size["profile"])
        finally:
            runtime.close()
    results["load_average_at_end"] = os.getloadavg()
    first, loop = results["in_process_first"], results["plain_loop"]
    results["goal_ratio"] = GOAL_RATIO
    results["ratio_first"] = first["messages_per_second"] / loop["messages_per_second"]
    results["ratio_channels_known"] = (
        results["in_process_channels_known"]["messages_per_second"] / loop["messages_per_second"]
    )
    print_report(results)
    return results


# -- the report ------------------------------------------------------------------------------------------------------
def _check(arrived: dict[str, Any]) -> str:
    if arrived["exactly_one_each"]:
        return "yes"
    return (
        f"NO: {arrived['people_missed']} missed, {arrived['duplicates']} duplicates, "
        f"{arrived['unexpected_channels']} unexpected"
    )


def print_report(r: dict[str, Any]) -> None:
    set_up, made = r["set_up"], r["materialise"]
    print(
        f"\n{r['people']:,} practice subscriptions in {len(r['zones'])} zones due at {r['instant']}, "
        f"on {r['database']}; emulator in its own process; load average at start "
        f"{r['load_average_at_start'][0]:.2f}, at end {r['load_average_at_end'][0]:.2f} (1 min)\n"
    )
    print(
        table(
            ["set-up and materialisation", "value"],
            [
                ["people touched + practice started (services), s", set_up["seconds"]],
                ["  per person, ms", set_up["per_person_ms"]],
                ["  next_due_at after set-up", ", ".join(f"{k}: {v}" for k, v in set_up["next_due_at"].items())],
                [f"first tick ({made['first_tick']['at']}): materialised", made["first_tick"]["materialised"]],
                ["first tick: seconds", made["first_tick"]["seconds"]],
                [f"ticks until all materialised (last at {made['last_tick_at']})", made["ticks"]],
                ["materialised in all, in s (sum over ticks)", f"{made['materialised']:,} in {made['seconds']:.2f}"],
                [
                    "  per reminder, ms; slowest tick, s",
                    f"{made['per_reminder_ms']:.2f}; {made['max_tick_seconds']:.2f}",
                ],
                ["outbox after", ", ".join(f"{k}: {v}" for k, v in made["outbox"].items())],
            ],
        )
    )
    rows = []
    phases = (
        ("in process, first reminder (opens DMs)", r["in_process_first"]),
        ("in process, DM channels known", r["in_process_channels_known"]),
        ("plain WebClient loop (posts only)", r["plain_loop"]),
        ("1 x `python -m bot tick` (wall incl. start-up)", r["subprocess_one"]),
    )
    if "skipped" not in r["subprocess_two"]:
        phases += (("2 x `python -m bot tick` together (wall)", r["subprocess_two"]),)
    for label, phase in phases:
        arrived = phase["arrivals"]
        calls = arrived["calls"]
        rows.append(
            [
                label,
                phase["sent"],
                phase.get("seconds", phase.get("wall_seconds")),
                phase["messages_per_second"],
                calls.get("chat.postMessage", 0),
                calls.get("conversations.open", 0),
                phase["emulator_cpu_ms_per_message"],
                _check(arrived),
            ]
        )
    headers = ["dispatch of every reminder", "sent", "s", "msg/s", "postMessage", "conv.open", "emulator CPU ms/msg"]
    print()
    print(table([*headers, "exactly one each"], rows))
    first, known, loop = r["in_process_first"], r["in_process_channels_known"], r["plain_loop"]
    one, idle = r["subprocess_one"], r["subprocess_idle"]
    figures = [
        ["dispatcher / plain loop, first reminder", r["ratio_first"], f">= {r['goal_ratio']}"],
        ["dispatcher / plain loop, DM channels known", r["ratio_channels_known"], f">= {r['goal_ratio']}"],
        [
            "in-process dispatcher CPU ms/msg (first; known)",
            f"{first['cpu_ms_per_message']:.2f}; {known['cpu_ms_per_message']:.2f}",
            "",
        ],
        ["plain loop CPU ms/msg", loop["cpu_ms_per_message"], ""],
        [
            "in-process peak RSS during the tick, MB (RSS before)",
            f"{fmt(first['peak_rss_mb'])} ({fmt(first['rss_before_mb'])})",
            "",
        ],
        [
            "`python -m bot tick` peak RSS, MB (whole dispatch; idle)",
            f"{fmt(one['per_worker'][0]['peak_rss_mb'])}; {fmt(idle['per_worker'][0]['peak_rss_mb'])}",
            "",
        ],
        [
            "`python -m bot tick` CPU s (whole dispatch; idle)",
            f"{fmt(one['per_worker'][0]['cpu_seconds'])}; {fmt(idle['per_worker'][0]['cpu_seconds'])}",
            "",
        ],
        ["`python -m bot tick` with nothing to send, wall s (start-up)", idle["wall_seconds"], ""],
    ]
    print()
    print(table(["figure", "value", "goal"], figures))
    two = r["subprocess_two"]
    print()
    if "skipped" in two:
        print(f"Two workers: skipped ({two['skipped']}).")
    else:
        print(
            table(
                ["worker", "exit", "sent", "wall s", "peak RSS MB", "CPU s", "warning/error lines"],
                [
                    [
                        f"worker {n + 1}",
                        w["exit_status"],
                        w["summary"].get("sent", 0),
                        w["wall_seconds"],
                        w["peak_rss_mb"],
                        w["cpu_seconds"],
                        w["problem_lines"],
                    ]
                    for n, w in enumerate(two["per_worker"])
                ],
                title=f"Two workers on PostgreSQL: {two['messages_per_second']:.0f} msg/s combined, "
                f"duplicates {two['arrivals']['duplicates']}, missed {two['arrivals']['people_missed']}",
            )
        )
        for n, w in enumerate(two["per_worker"]):
            for line in w["first_problems"]:
                print(f"  worker {n + 1}: {line[:200]}")
    for label, phase in (("one tick", one), ("idle tick", idle)):
        for w in phase["per_worker"]:
            for line in w["first_problems"]:
                print(f"  {label}: {line[:200]}")
    steps, prof = r["steps"], r["profile"]
    print()
    print(
        table(
            ["step (timers, no profiler)", "ms/msg", "share"],
            [[k, v, steps["steps_share"][k]] for k, v in steps["steps_ms_per_message"].items()],
            title=f"Where the dispatcher's time goes: {steps['sent']:,} first reminders, "
            f"{steps['messages_per_second']:.0f} msg/s, {steps['claims']} claims",
        )
    )
    print()
    print(
        table(
            ["own time by family (cProfile)", "ms/msg", "share"],
            [[k, v, prof["own_time_share"][k]] for k, v in prof["own_time_ms_per_message"].items()],
            title=f"cProfile of dispatch_due over {prof['sent']:,} first reminders "
            f"({prof['seconds_with_profiler']:.2f} s with the profiler on)",
        )
    )
    print()
    print(
        table(
            ["top functions by own time", "calls", "own ms/msg", "cum ms/msg"],
            [
                [t["function"][:90], t["calls"], t["own_ms_per_message"], t["cumulative_ms_per_message"]]
                for t in prof["top_own_time"]
            ],
        )
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve-emulator"]:
        raise SystemExit(serve_emulator())
    print(
        "usage: python -m bench.practice_dispatch --serve-emulator (the benchmark: python -m bench practice_dispatch)"
    )
    raise SystemExit(2)
