"""How late today's practice reminders go out after the worker was down for a week or a month, and how long
a tick takes when the model hangs or throttles.

People in 24 zones practise every day at 09:00 local (all due at the same UTC minute, as in
`practice_dispatch`). The worker stops after set-up and comes back exactly at that minute, 0, 7 or 30 days
later: one tick, timed from its start to the last of today's reminders recorded as sent. Zero days is the
baseline of the same run: what downtime adds is the difference. Then the same tick with a model that
hangs, and one that answers 429 with Retry-After: 30 (the fake OpenAI server of the tests).
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import CONTENT_DIR, database_with_content, fmt, table, throwaway_database
from bench.practice_dispatch import INSTANT, SET_UP_AT, TOKEN, create_subscriptions, emulator_process, people, world_on

FULL = {"people": 3_000}
QUICK = {"people": 300}
DOWNTIMES = (0, 7, 30)


def settings_for(url: str, api_url: str, **extra: Any) -> Any:
    from pydantic import SecretStr

    from bot.config import Settings

    return Settings(
        _env_file=None,
        database_url=url,
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr("x"),
        slack_api_url=api_url,
        content_dir=CONTENT_DIR,
        **extra,
    )


def one_phase(
    scratch: Path, name: str, count: int, days: int, api_url: str, emulator: Any, **extra: Any
) -> dict[str, Any]:
    from sqlalchemy import func, select

    from bot.clock import ManualClock
    from bot.outbox.models import Delivery
    from bot.practice.models import PracticeDay
    from bot.runtime import open_runtime

    everyone = people(count)
    with throwaway_database(scratch, name) as url:
        with database_with_content(url):
            pass
        runtime = open_runtime(settings_for(url, api_url, **extra), clock=ManualClock(SET_UP_AT))
        try:
            emulator.call("bench.add_users", {"users": [[s.user_id, f"Person {s.user_id}", s.zone] for s in everyone]})
            with world_on(runtime) as world:
                create_subscriptions(world.services, emulator.counts()["team_id"], everyone)
            back = INSTANT + timedelta(days=days)
            runtime.clock.set(back)
            with world_on(runtime) as world:
                started = time.perf_counter()
                report = world.tick.run(back)
                seconds = time.perf_counter() - started
            with runtime.engine.connect() as connection:
                sent_today = connection.scalar(
                    select(func.count()).where(
                        Delivery.kind == "practice", Delivery.status == "sent", Delivery.due_at >= back
                    )
                )
                missed = connection.scalar(
                    select(func.count()).select_from(PracticeDay).where(PracticeDay.status == "missed")
                )
                sent_late = connection.scalar(
                    select(func.count()).where(Delivery.status == "sent", Delivery.due_at < back - timedelta(hours=2))
                )
        finally:
            runtime.close()
    return {
        "days_down": days,
        "people": count,
        "tick_seconds": seconds,
        "sent_today": sent_today,
        "missed_days_recorded": missed,
        "sent_for_missed_days": sent_late,
        "errors": report.errors,
    }


def run(*, quick: bool) -> dict[str, Any]:
    from tests.fake_openai import Answer, FakeOpenAI

    count = (QUICK if quick else FULL)["people"]
    results: dict[str, Any] = {"people": count, "downtime": [], "model": []}
    with tempfile.TemporaryDirectory(prefix="learnbot-bench-downtime-") as scratch_name:
        scratch = Path(scratch_name)
        with emulator_process(scratch) as emulator:
            for days in DOWNTIMES:
                emulator.reset()
                phase = one_phase(scratch, f"learnbot_bench_down_{days}", count, days, emulator.api_url, emulator)
                results["downtime"].append(phase)
                print(f"{days} days down: tick {phase['tick_seconds']:.1f} s, {phase['sent_today']} sent", flush=True)
            for number, (label, answer) in enumerate(
                (
                    ("hanging", Answer(mode="hang", seconds=120)),
                    ("429 Retry-After: 30", Answer(mode="status", status=429, retry_after="30")),
                )
            ):
                with FakeOpenAI() as model:
                    model.always(answer)
                    emulator.reset()
                    phase = one_phase(
                        scratch,
                        f"learnbot_bench_model_{number}",
                        count,
                        0,
                        emulator.api_url,
                        emulator,
                        openai_api_key="sk-bench",
                        openai_base_url=model.base_url,
                    )
                    phase["model"] = label
                    phase["model_requests"] = len(model.requests)
                    results["model"].append(phase)
                    print(f"model {label}: tick {phase['tick_seconds']:.1f} s", flush=True)
    baseline = results["downtime"][0]["tick_seconds"]
    for phase in results["downtime"]:
        phase["late_by_downtime_seconds"] = phase["tick_seconds"] - baseline
    print_report(results)
    return results


def print_report(r: dict[str, Any]) -> None:
    rows = [
        [
            p["days_down"],
            p["tick_seconds"],
            p["late_by_downtime_seconds"],
            p["sent_today"],
            p["missed_days_recorded"],
            p["sent_for_missed_days"],
        ]
        for p in r["downtime"]
    ]
    headers = ["days down", "first tick, s", "later than no downtime, s", "sent today", "missed days", "sent late"]
    print(table(headers, rows, title=f"\n{fmt(r['people'])} people, all due at the minute the worker comes back"))
    rows = [[p["model"], p["tick_seconds"], p["sent_today"], p["model_requests"]] for p in r["model"]]
    print(table(["model", "tick, s", "sent", "model requests"], rows, title="\nthe same tick with a failing model"))
