"""After downtime, one tick brings every schedule current; a slow or failing model never delays a tick."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.library.models import ResourceOpen
from bot.llm.types import WriteRequest
from bot.llm.writer import COOL_DOWN, OpenAIWriter
from bot.outbox.models import Delivery
from bot.practice import schedule
from bot.practice.models import PracticeDay
from bot.sandbox.session import Sandbox, open_sandbox
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import START, Person, add_due_message, rows, wait_for, with_model

PEOPLE = 300


def practising(bot: Sandbox, count: int) -> list[Person]:
    people = []
    for index in range(count):
        user = f"U0P{index:04d}"
        bot.emulator.add_user(user, user, tz="Europe/London")
        person = Person(bot, user)
        bot.services.practice.start(person.ref, "active-listening")
        people.append(person)
    return people


@pytest.mark.parametrize("days", [7, 30])
def test_after_a_week_or_a_month_down_one_tick_brings_every_schedule_current(bot: Sandbox, days: int) -> None:
    people = practising(bot, PEOPLE)  # Tuesday 24 November 08:00 London: the first reminder is at 09:00
    back = START + timedelta(days=days, minutes=30)  # the worker comes back at 08:30 on a working day
    first = bot.run_tick(back)
    queued = rows(bot, Delivery, kind="practice", status="pending")
    assert len(queued) == PEOPLE, "today's reminders are planned in the first tick"
    assert first.dispatched.sent == 0 and first.dispatched.expired == 0, "nothing missed was sent, or even queued"
    assert len(rows(bot, Delivery, kind="monthly_review")) == PEOPLE, "with last month's review, once"
    bot.run_tick(back + timedelta(minutes=30))  # 09:00
    today = (back + timedelta(minutes=30)).date().isoformat()
    assert all([m.first_text.startswith("Today's practice") for m in p.dms()][:1] == [True] for p in people)
    sent = rows(bot, Delivery, kind="practice", status="sent")
    assert len(sent) == PEOPLE and {d.key.rsplit(":", 1)[1] for d in sent} == {today}
    assert {d.sent_at for d in sent} == {back + timedelta(minutes=30)}, "on time, at 09:00"
    missed = rows(bot, PracticeDay, status="missed")
    working_days = sum(1 for n in range(days) if (START + timedelta(days=n)).weekday() < 5)
    assert len(missed) == PEOPLE * working_days, "every working day missed is recorded as missed"


def test_missed_days_do_not_break_a_streak(bot: Sandbox) -> None:
    [alex] = practising(bot, 1)
    bot.advance(timedelta(hours=2))
    alex.press(alex.dms()[-1], "practice_done")
    bot.run_tick(START + timedelta(days=14))  # two weeks down
    bot.advance(timedelta(hours=2))
    [today] = alex.dms_starting("Today's practice")[-1:]
    assert "Streak: *1* practice day" in str(today.blocks), "the days the bot was down are nobody's miss"


def test_follow_ups_missed_while_down_are_not_asked_late(bot: Sandbox, alex: Person) -> None:
    alex.press(alex.learn("giving feedback"), "resource_show")
    bot.run_tick(START + timedelta(days=10))
    [opened] = rows(bot, ResourceOpen)
    assert opened.followup_at == START + timedelta(days=10), "marked in one statement, not asked"
    assert rows(bot, Delivery, kind="followup") == []


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def modelled(settings: Settings, content_dir: Path, model: FakeOpenAI, **options: object) -> Iterator[Sandbox]:
    with open_sandbox(with_model(settings, content_dir, model, **options), start=START) as bot:
        sync_content(bot.runtime.sessions, load_content(content_dir), now=START)
        yield bot


def test_what_is_due_goes_out_while_the_model_is_still_writing(
    settings: Settings, content_dir: Path, model: FakeOpenAI
) -> None:
    gate = threading.Event()
    model.always(Answer(mode="hang", gate=gate))
    for bot in modelled(settings, content_dir, model, openai_timeout=30, openai_max_retries=0):
        practising(bot, 2)
        add_due_message(bot.runtime.sessions, key=1, due_at=START, user_id="U0P0000")
        tick = threading.Thread(target=bot.run_tick, args=(START + timedelta(minutes=1),))
        tick.start()
        wait_for(lambda: model.requests, timeout=10)  # the tick is writing a reminder with the model ...
        assert [m.text for m in bot.emulator.dm_messages("U0P0000")] == ["Time to practise"], "... and sent first"
        gate.set()
        tick.join(timeout=60)


@pytest.mark.parametrize(
    "failure", [Answer(mode="hang", seconds=30), Answer(mode="status", status=429, retry_after="30")]
)
def test_a_hanging_or_throttling_model_costs_a_tick_its_model_budget_at_most(
    settings: Settings, content_dir: Path, model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, failure: Answer
) -> None:
    monkeypatch.setattr(schedule, "MODEL_SECONDS", 2.0)
    monkeypatch.setattr(schedule, "WRITE_DEADLINE", 1.5)
    model.always(failure)
    for bot in modelled(settings, content_dir, model, openai_timeout=60, openai_max_retries=2):
        practising(bot, 20)
        started = time.monotonic()
        report = bot.run_tick(START + timedelta(minutes=1))
        seconds = time.monotonic() - started
        assert sum(report.materialised.values()) == 20, "every reminder planned, with the templates"
        assert seconds < 6, f"the tick took {seconds:.1f} s (the model may take 2 s of it)"
        assert len(model.requests) <= 3


def test_after_repeated_failures_the_writer_leaves_the_model_alone_for_a_while_and_says_so_once(
    settings: Settings, content_dir: Path, model: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    model.always(Answer(mode="status", status=503))
    for bot in modelled(settings, content_dir, model, openai_max_retries=0):
        writer = bot.world.writer
        assert isinstance(writer, OpenAIWriter)
        request = WriteRequest(prompt="quick_guide", variables={"role": "a manager"}, user_text="x", deadline=5)
        with caplog.at_level(logging.WARNING):
            notes = [writer.write(request).note for _ in range(10)]
        assert len(model.requests) == 3, "three failures in a row, then no more calls"
        assert notes[3:] == ["model unavailable"] * 7
        assert len([r for r in caplog.records if "the templates answer" in r.getMessage()]) == 1
        bot.clock.advance(COOL_DOWN + timedelta(seconds=1))
        model.always(Answer(text="Back again."))
        assert writer.write(request).ai, "after the cool-down the model is tried again, and it answers"
        assert writer.write(WriteRequest(prompt="quick_guide", variables={"role": "x"}, user_text="y")).ai
