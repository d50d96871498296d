"""10,000 active challenges with a check-in due at the same UTC minute: materialise them, then send them as
replies in each challenge's thread (and the card refreshed with `chat.update`) through the emulator.

Set-up: 10,000 people in 24 zones (the practice benchmark's cast), identified through `PeopleService`
(users.info), a lead proposing to them ten at a time; the challenges are written active in bulk (the
accept path is the tests' business, not this one's), day 3 of the shipped `remote-best-work` due at
INSTANT, and each card posted to its DM by a plain WebClient and recorded as the outbox records a sent
card (its channel and ts are the thread). Then, in one run:

- materialise: one tick at INSTANT - 2 h + 1 min (the materialiser looks two hours ahead; check-in text from
  the template, no model) and the ticks a minute apart after it, until every check-in is in the outbox;
- dispatch in this process: `tick.run(INSTANT)` posts the 10,000 check-ins as thread replies and the 10,000
  card edits, with the process's peak RSS during the tick;
- baseline: one plain `slack_sdk.WebClient` making the same 20,000 calls (the same payloads, the same
  threads, the same cards) in a loop, in the same run;
- `python -m bot tick --at INSTANT` as a subprocess doing the whole dispatch (its own peak RSS), and on
  PostgreSQL two of them started together against the same database.

Between the dispatch phases the outbox rows are put back as the materialiser left them and the thread
replies are forgotten by the emulator (the cards stay: they are the threads). Every call is counted in the
emulator (its own process): each thread must get exactly one reply per phase.

BENCH_DATABASE_URL=postgresql://... runs on a throwaway database `learnbot_bench_challenges` (dropped
afterwards); without it, a SQLite file, and the two-worker phase is skipped.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import CONTENT_DIR, database_with_content, fmt, table, throwaway_database
from bench.practice_dispatch import (
    INSTANT,
    TOKEN,
    ZONES,
    EmulatorProcess,
    Someone,
    child_env,
    child_figures,
    cpu_self,
    emulator_process,
    people,
    proc_status_mb,
    reset_peak_rss,
    ticks,
    world_on,
)

NAME = "challenge_dispatch"
TEMPLATE = "remote-best-work"
DAY = 3
FULL = {"people": 10_000}
QUICK = {"people": 500}
GOAL_RATIO = 0.8
LOOKAHEAD = timedelta(hours=2)  # bot.challenges.schedule.LOOKAHEAD
MAX_MATERIALISE_TICKS = 200
PG_DATABASE = "learnbot_bench_challenges"
KINDS = ("challenge_checkin", "challenge_card")


# -- set-up ---------------------------------------------------------------------------------------------------------
def set_up(runtime: Any, emulator: EmulatorProcess, everyone: list[Someone]) -> dict[str, Any]:
    """People through the services; proposals, active challenges and their posted cards in bulk."""
    from slack_sdk import WebClient
    from sqlalchemy import insert, select

    from bot.challenges.models import Challenge, ChallengeProposal
    from bot.challenges.planning import card_key
    from bot.challenges.types import CheckinSpec, NextStep
    from bot.outbox.models import Delivery
    from bot.people.models import Person
    from bot.people.types import TeamMember

    team_id = emulator.counts()["team_id"]
    emulator.call("bench.add_users", {"users": [["U0LEAD", "Lead", "Europe/London"]]})
    started = time.perf_counter()
    with world_on(runtime) as world:
        refs = {
            s.user_id: world.services.people.complete(world.services.people.identify(TeamMember(team_id, s.user_id)))
            for s in [Someone("U0LEAD", "Europe/London", 0), *everyone]
        }
        state = world.catalogue.current()
    people_seconds = time.perf_counter() - started
    template = state.challenges[TEMPLATE]
    checkins = tuple(CheckinSpec(c.day, c.question) for c in template.checkins)
    now = INSTANT - timedelta(hours=3)
    client = WebClient(token=TOKEN, base_url=emulator.api_url)
    started = time.perf_counter()
    with runtime.engine.begin() as connection:
        lead = refs["U0LEAD"].person_id
        proposals = []
        for _ in range(0, len(everyone), 10):
            proposals.append(
                connection.execute(
                    insert(ChallengeProposal).values(
                        workspace_id=refs["U0LEAD"].workspace_id,
                        proposer_id=lead,
                        template_key=TEMPLATE,
                        created_at=now,
                    )
                ).inserted_primary_key[0]
            )
        rows = []
        for index, someone in enumerate(everyone):
            ref = refs[someone.user_id]
            local = INSTANT.astimezone(ZoneInfo(someone.zone)).date()
            rows.append(
                {
                    "workspace_id": ref.workspace_id,
                    "proposal_id": proposals[index // 10],
                    "person_id": ref.person_id,
                    "status": "active",
                    "title": template.title,
                    "brief": template.brief,
                    "skill_key": template.skill,
                    "days": template.days,
                    "target_count": template.target_count,
                    "target_unit": template.target_unit,
                    "target_units": template.target_units,
                    "start_date": local - timedelta(days=DAY - 1),
                    "checkins": checkins,
                    "progress": 1,
                    "next_step": NextStep.CHECKIN,
                    "next_day": DAY,
                    "next_at": INSTANT,
                    "created_at": now,
                    "updated_at": now,
                    "accepted_at": now,
                }
            )
        connection.execute(insert(Challenge), rows)
        ids = dict(connection.execute(select(Challenge.person_id, Challenge.id)).all())
        cards = []
        for someone in everyone:
            ref = refs[someone.user_id]
            channel = str(client.conversations_open(users=[someone.user_id])["channel"]["id"])
            ts = str(client.chat_postMessage(channel=channel, text="Your challenge: " + template.title)["ts"])
            challenge_id = ids[ref.person_id]
            cards.append(
                {
                    "key": str(card_key(challenge_id)),
                    "kind": "challenge_card",
                    "workspace_id": ref.workspace_id,
                    "person_id": ref.person_id,
                    "subject_id": challenge_id,
                    "user_id": someone.user_id,
                    "channel": channel,
                    "payload": {"text": "card"},
                    "status": "sent",
                    "due_at": now,
                    "expires_at": now + timedelta(days=365),
                    "in_doubt": False,
                    "attempts": 1,
                    "sent_ts": ts,
                    "sent_at": now,
                    "created_at": now,
                }
            )
            connection.execute(
                Person.__table__.update().where(Person.id == ref.person_id).values(dm_channel_id=channel)
            )
        connection.execute(insert(Delivery), cards)
    return {"people_seconds": people_seconds, "bulk_seconds": time.perf_counter() - started, "challenges": len(rows)}


# -- phases -------------------------------------------------------------------------------------------------------
def materialise(runtime: Any, expected: int) -> dict[str, Any]:
    at = INSTANT - LOOKAHEAD + timedelta(minutes=1)
    ticks_run: list[dict[str, Any]] = []
    total = 0
    with world_on(runtime) as world:
        while total < expected and len(ticks_run) < MAX_MATERIALISE_TICKS:
            runtime.clock.set(at)
            started = time.perf_counter()
            report = world.tick.run(at)
            seconds = time.perf_counter() - started
            made = report.materialised.get("challenge_checkin", 0)
            ticks_run.append({"at": at.isoformat(), "materialised": made, "seconds": seconds, "errors": report.errors})
            total += made
            if made == 0:
                break
            at += timedelta(minutes=1)
    seconds = sum(t["seconds"] for t in ticks_run)
    return {
        "ticks": len(ticks_run),
        "first_tick": ticks_run[0],
        "materialised": total,
        "seconds": seconds,
        "per_checkin_ms": seconds * 1000 / max(total, 1),
        "max_tick_seconds": max(t["seconds"] for t in ticks_run),
        "errors": [error for t in ticks_run for error in t["errors"]],
    }


def outbox(engine: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from bot.outbox.models import Delivery

    with engine.connect() as connection:
        rows = connection.execute(
            select(Delivery.kind, Delivery.status, func.count()).group_by(Delivery.kind, Delivery.status)
        )
        return {f"{kind} {status}": int(count) for kind, status, count in rows}


def rewind(engine: Any, emulator: EmulatorProcess) -> None:
    """Check-ins and card edits back to pending, as materialised; the emulator forgets the replies."""
    from sqlalchemy import text, update

    from bot.outbox.models import Delivery

    with engine.begin() as connection:
        connection.execute(
            update(Delivery)
            .where(Delivery.kind == "challenge_checkin")
            .values(status="pending", lease_owner=None, lease_until=None, not_before=None, in_doubt=False)
            .values(attempts=0, last_error=None, sent_ts=None, sent_at=None)
        )
        connection.execute(
            update(Delivery)
            .where(Delivery.kind == "challenge_card", Delivery.edit_ts.is_not(None))
            .values(status="pending", lease_owner=None, lease_until=None, not_before=None, in_doubt=False)
            .values(attempts=0, last_error=None, sent_ts=None, sent_at=None)
        )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    emulator.reset(keep_top_level=True)


def arrivals(emulator: EmulatorProcess, everyone: list[Someone], before: dict[str, Any]) -> dict[str, Any]:
    after = emulator.counts()
    posts: dict[str, int] = after["posts"]
    expected = {someone.dm for someone in everyone}
    return {
        "replies": sum(posts.values()),
        "threads_reached": len(expected & posts.keys()),
        "missed": len(expected - posts.keys()),
        "duplicates": sum(count - 1 for count in posts.values() if count > 1),
        "card_edits": after["methods"].get("chat.update", 0),
        "post_errors": after["post_errors"],
        "calls": after["methods"],
        "emulator_cpu_seconds": after["cpu_seconds"] - before["cpu_seconds"],
        "exactly_one_each": set(posts) == expected and set(Counter(posts.values())) <= {1},
    }


def in_process(runtime: Any, emulator: EmulatorProcess, everyone: list[Someone]) -> dict[str, Any]:
    runtime.clock.set(INSTANT)
    with world_on(runtime) as world:
        before = emulator.counts()
        rss_before = proc_status_mb("VmRSS")
        peak_reset = reset_peak_rss()
        cpu = cpu_self()
        started = time.perf_counter()
        report = world.tick.run(INSTANT)
        seconds = time.perf_counter() - started
        cpu = cpu_self() - cpu
    arrived = arrivals(emulator, everyone, before)
    calls = arrived["replies"] + arrived["card_edits"]
    return {
        "seconds": seconds,
        "sent": report.dispatched.sent,
        "checkins_per_second": arrived["replies"] / seconds,
        "calls_per_second": calls / seconds,
        "cpu_ms_per_call": cpu * 1000 / max(calls, 1),
        "rss_before_mb": rss_before,
        "peak_rss_mb": proc_status_mb("VmHWM") if peak_reset else float("nan"),
        "errors": report.errors,
        "arrivals": arrived,
    }


def plain_loop(runtime: Any, emulator: EmulatorProcess, everyone: list[Someone]) -> dict[str, Any]:
    """The same calls from one WebClient: each check-in as a reply in its thread, each card edit in place."""
    from slack_sdk import WebClient
    from sqlalchemy import select

    from bot.outbox.models import Delivery

    with runtime.engine.connect() as connection:
        rows = list(
            connection.execute(
                select(Delivery.id, Delivery.channel, Delivery.thread_ts, Delivery.edit_ts, Delivery.payload)
                .where(Delivery.kind.in_(KINDS), Delivery.status == "pending")
                .order_by(Delivery.due_at, Delivery.id)
            )
        )
    client = WebClient(token=TOKEN, base_url=emulator.api_url)
    before = emulator.counts()
    cpu = cpu_self()
    started = time.perf_counter()
    for delivery_id, channel, thread_ts, edit_ts, payload in rows:
        text, blocks = str(payload.get("text", "")), payload.get("blocks")
        if edit_ts:  # the arguments SlackNotifier sends
            client.chat_update(channel=channel, ts=edit_ts, text=text, blocks=blocks)
        else:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata={"event_type": "learnbot_delivery", "event_payload": {"delivery_id": delivery_id}},
            )
    seconds = time.perf_counter() - started
    cpu = cpu_self() - cpu
    arrived = arrivals(emulator, everyone, before)
    return {
        "seconds": seconds,
        "sent": len(rows),
        "checkins_per_second": arrived["replies"] / seconds,
        "calls_per_second": len(rows) / seconds,
        "cpu_ms_per_call": cpu * 1000 / max(len(rows), 1),
        "arrivals": arrived,
    }


def subprocesses(
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
    before = emulator.counts()
    started = time.perf_counter()
    with ticks(env, [scratch / f"{label}-{n}.log" for n in range(count)]) as children:
        wall = max(child.ended for child in children) - started
        workers = [child_figures(child, started) for child in children]
    arrived = arrivals(emulator, everyone, before)
    return {
        "workers": count,
        "wall_seconds": wall,
        "checkins_per_second": arrived["replies"] / wall,
        "calls_per_second": (arrived["replies"] + arrived["card_edits"]) / wall,
        "per_worker": workers,
        "arrivals": arrived,
    }


def run(*, quick: bool) -> dict[str, Any]:
    from pydantic import SecretStr

    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.runtime import open_runtime

    everyone = people((QUICK if quick else FULL)["people"])
    results: dict[str, Any] = {"people": len(everyone), "zones": len(ZONES), "instant": INSTANT.isoformat()}
    results["load_average_at_start"] = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="learnbot-bench-challenges-") as scratch_name,
        emulator_process(Path(scratch_name)) as emulator,
        throwaway_database(Path(scratch_name), PG_DATABASE) as url,
    ):
        scratch = Path(scratch_name)
        postgres = url.startswith("postgresql")
        results["database"] = "postgresql" if postgres else "sqlite"
        with database_with_content(url):
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
        runtime = open_runtime(settings, clock=ManualClock(INSTANT - timedelta(hours=3)))
        try:
            emulator.call("bench.add_users", {"users": [[s.user_id, f"Person {s.user_id}", s.zone] for s in everyone]})
            results["set_up"] = set_up(runtime, emulator, everyone)
            print(f"{len(everyone):,} challenges set up; check-in day {DAY} due at {INSTANT:%H:%M} UTC", flush=True)
            results["materialise"] = materialise(runtime, len(everyone))
            results["materialise"]["outbox"] = outbox(runtime.engine)
            rewind(runtime.engine, emulator)
            results["in_process"] = in_process(runtime, emulator, everyone)
            print(f"in process: {results['in_process']['calls_per_second']:.0f} calls/s", flush=True)
            rewind(runtime.engine, emulator)
            results["plain_loop"] = plain_loop(runtime, emulator, everyone)
            print(f"plain loop: {results['plain_loop']['calls_per_second']:.0f} calls/s", flush=True)
            rewind(runtime.engine, emulator)
            results["subprocess_one"] = subprocesses(1, url, emulator, everyone, scratch, "one")
            if postgres:
                rewind(runtime.engine, emulator)
                results["subprocess_two"] = subprocesses(2, url, emulator, everyone, scratch, "two")
            else:
                results["subprocess_two"] = {"skipped": "needs PostgreSQL: set BENCH_DATABASE_URL"}
        finally:
            runtime.close()
    results["load_average_at_end"] = os.getloadavg()
    results["goal_ratio"] = GOAL_RATIO
    results["ratio"] = results["in_process"]["calls_per_second"] / results["plain_loop"]["calls_per_second"]
    print_report(results)
    return results


def _check(arrived: dict[str, Any]) -> str:
    if arrived["exactly_one_each"]:
        return "yes"
    return f"NO: {arrived['missed']} missed, {arrived['duplicates']} duplicates"


def print_report(r: dict[str, Any]) -> None:
    made = r["materialise"]
    print(
        f"\n{r['people']:,} active challenges in {r['zones']} zones, a check-in due at {r['instant']}, on "
        f"{r['database']}; load average {r['load_average_at_start'][0]:.2f} at start, "
        f"{r['load_average_at_end'][0]:.2f} at end\n"
    )
    print(
        table(
            ["set-up and materialisation", "value"],
            [
                ["people through the services, s", r["set_up"]["people_seconds"]],
                ["challenges and cards in bulk, s", r["set_up"]["bulk_seconds"]],
                [f"first tick ({made['first_tick']['at']}): materialised", made["first_tick"]["materialised"]],
                ["ticks until all materialised", made["ticks"]],
                ["per check-in (with its card edit), ms", made["per_checkin_ms"]],
                ["slowest tick, s", made["max_tick_seconds"]],
                ["outbox after", ", ".join(f"{k}: {v}" for k, v in made["outbox"].items())],
            ],
        )
    )
    rows = []
    phases = [
        ("in process (tick.run)", r["in_process"]),
        ("plain WebClient loop", r["plain_loop"]),
        ("1 x `python -m bot tick` (wall incl. start-up)", r["subprocess_one"]),
    ]
    if "skipped" not in r["subprocess_two"]:
        phases.append(("2 x `python -m bot tick` together (wall)", r["subprocess_two"]))
    for label, phase in phases:
        arrived = phase["arrivals"]
        rows.append(
            [
                label,
                arrived["replies"],
                arrived["card_edits"],
                phase.get("seconds", phase.get("wall_seconds")),
                phase["checkins_per_second"],
                phase["calls_per_second"],
                _check(arrived),
            ]
        )
    print()
    print(table(["dispatch", "replies", "card edits", "s", "check-ins/s", "calls/s", "one reply each"], rows))
    one = r["subprocess_one"]["per_worker"][0]
    print()
    print(
        table(
            ["figure", "value", "goal"],
            [
                ["dispatcher / plain loop (calls/s)", r["ratio"], f">= {r['goal_ratio']}"],
                ["in-process CPU ms per call", r["in_process"]["cpu_ms_per_call"], ""],
                ["plain loop CPU ms per call", r["plain_loop"]["cpu_ms_per_call"], ""],
                [
                    "in-process peak RSS during the tick, MB (before)",
                    f"{fmt(r['in_process']['peak_rss_mb'])} ({fmt(r['in_process']['rss_before_mb'])})",
                    "",
                ],
                ["`python -m bot tick` peak RSS, MB", fmt(one["peak_rss_mb"]), ""],
                ["`python -m bot tick` problem log lines", one["problem_lines"], "0"],
            ],
        )
    )
