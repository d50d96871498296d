"""Daily practice, end to end through the real app and the real tick, with the clock moved by hand."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.db.models import Delivery, PracticeDay, PracticeSubscription, SelfRating
from bot.sandbox.emulator import Message
from bot.sandbox.session import Sandbox, open_sandbox
from bot.services.content_sync import sync_content
from bot.services.people import PersonRef
from bot.slack.blocks.limits import problems
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "content"
TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    (target / "calendar.yaml").write_text("holidays:\n  - date: 2026-12-25\n    name: Christmas Day\n")
    return target


@pytest.fixture
def bot(settings: Settings, content_dir: Path) -> Iterator[Sandbox]:
    with open_sandbox(settings.model_copy(update={"content_dir": content_dir}), start=TUESDAY) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(content_dir), now=TUESDAY)
        yield sandbox


def reminders(bot: Sandbox, user: str = "U0ALEX") -> list[Message]:
    """Every practice reminder the person received, answered or not."""
    return [m for m in bot.emulator.dm_messages(user) if m.first_text.startswith("Today's practice")]


def streak_shown(message: Message) -> str:
    return next(part for part in json.dumps(message.blocks).split("Streak: ")[1:2])


def local(message: Message, zone: str) -> datetime:
    return datetime.fromtimestamp(int(message.ts.split(".")[0]), UTC).astimezone(ZoneInfo(zone))


def start(bot: Sandbox, user: str = "U0ALEX") -> None:
    bot.driver.command(user, "/learn", "practice active-listening")
    bot.settle()


def press(bot: Sandbox, message: Message, action_id: str, user: str = "U0ALEX") -> None:
    element = next(
        e for b in message.blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id
    )
    container = {"channel": message.channel, "message": message.as_api(with_metadata=False)}
    assert bot.driver.click(user, element, block_id="p", container=container).status == 200
    bot.settle()


def person(bot: Sandbox, user: str) -> PersonRef:
    return bot.deps.people.touch(team_id=bot.emulator.state.team_id, user_id=user)


def test_one_reminder_per_working_day_at_nine_local_with_working_buttons(bot: Sandbox) -> None:
    start(bot)
    [confirmation] = bot.emulator.ephemerals_for("U0ALEX")
    assert "Next reminder: *Tue 24 Nov 09:00* (Europe/London)" in json.dumps(confirmation.blocks)
    bot.advance(timedelta(days=7, hours=2))
    sent = reminders(bot)
    assert [local(m, "Europe/London").strftime("%a %H:%M") for m in sent] == [
        "Tue 09:00",
        "Wed 09:00",
        "Thu 09:00",
        "Fri 09:00",
        "Mon 09:00",
        "Tue 09:00",
    ]
    assert all(problems(m.blocks) == [] for m in sent)
    texts = [json.dumps(m.blocks) for m in sent]
    assert len(set(texts)) == len(texts), "each day brings a different variation"


def test_streaks_survive_skips_but_not_silent_misses(bot: Sandbox) -> None:
    start(bot)
    bot.advance(timedelta(hours=2))
    press(bot, reminders(bot)[-1], "practice_done")  # Tue
    bot.advance(timedelta(days=1))
    press(bot, reminders(bot)[-1], "practice_skip")  # Wed
    bot.advance(timedelta(days=1))
    press(bot, reminders(bot)[-1], "practice_done")  # Thu
    assert streak_shown(reminders(bot)[-1]).startswith("*2* practice days"), "done, skipped, done"
    bot.advance(timedelta(days=1))  # Fri: no answer
    bot.advance(timedelta(days=3))  # Mon
    monday = reminders(bot)[-1]
    assert local(monday, "Europe/London").strftime("%a") == "Mon"
    press(bot, monday, "practice_done")
    assert streak_shown(reminders(bot)[-1]).startswith("*1* practice day."), "Friday's silence broke it"


def test_snooze_sends_the_reminder_again_an_hour_later_once(bot: Sandbox) -> None:
    start(bot)
    bot.advance(timedelta(hours=2))
    press(bot, reminders(bot)[-1], "practice_snooze")
    bot.advance(timedelta(minutes=59))
    assert len(reminders(bot)) == 1
    bot.advance(timedelta(minutes=2))
    assert len(reminders(bot)) == 2 and "(snoozed)" in json.dumps(reminders(bot)[-1].blocks)
    press(bot, reminders(bot)[-1], "practice_done")
    bot.advance(timedelta(hours=3))
    assert len(reminders(bot)) == 2


def test_pause_until_a_date_then_it_resumes_by_itself(bot: Sandbox) -> None:
    start(bot)
    [view] = bot.deps.practice.overview(person(bot, "U0ALEX"))
    bot.deps.practice.pause(person(bot, "U0ALEX"), view.subscription_id, date(2026, 11, 30))
    bot.advance(timedelta(days=8))
    assert [local(m, "Europe/London").strftime("%a %d") for m in reminders(bot)] == ["Mon 30", "Tue 01"]


def test_stop_means_no_more_reminders(bot: Sandbox) -> None:
    start(bot)
    bot.advance(timedelta(hours=2))
    press(bot, reminders(bot)[-1], "practice_stop")
    bot.advance(timedelta(days=7))
    assert len(reminders(bot)) == 1
    with bot.runtime.sessions() as session:
        assert session.query(PracticeSubscription).one().status == "stopped"


def test_any_set_of_days_and_a_number_of_weeks(bot: Sandbox) -> None:
    me = person(bot, "U0ALEX")
    bot.deps.practice.start(me, "active-listening", minute_of_day=7 * 60 + 30, weekdays=(6, 0, 1, 2, 3), weeks=1)
    bot.advance(timedelta(days=10))
    sent = [local(m, "Europe/London").strftime("%a %H:%M") for m in reminders(bot)]
    assert sent == ["Wed 07:30", "Thu 07:30", "Sun 07:30", "Mon 07:30"], "Sun-Thu, for one week from Tuesday"
    with bot.runtime.sessions() as session:
        assert session.query(PracticeSubscription).one().status == "stopped"


def test_workspace_holidays_skip_delivery(bot: Sandbox) -> None:
    bot.clock.set(datetime(2026, 12, 23, 12, 0, tzinfo=UTC))
    start(bot)
    bot.advance(timedelta(days=6))
    days = [local(m, "Europe/London").strftime("%a %d") for m in reminders(bot)]
    assert days == ["Thu 24", "Mon 28", "Tue 29"], "Christmas Day is in the calendar"


@pytest.mark.parametrize(
    ("zone", "minute", "start_at", "expected"),
    [
        (
            "America/New_York",
            150,
            datetime(2026, 3, 7, 5, tzinfo=UTC),
            ["Sat 07 02:30 EST", "Sun 08 03:30 EDT", "Mon 09 02:30 EDT"],
        ),
        (
            "America/New_York",
            90,
            datetime(2026, 10, 31, 4, tzinfo=UTC),
            ["Sat 31 01:30 EDT", "Sun 01 01:30 EDT", "Mon 02 01:30 EST"],
        ),
        (
            "Australia/Lord_Howe",
            540,
            datetime(2026, 11, 23, 12, tzinfo=UTC),
            ["Tue 24 09:00 +11", "Wed 25 09:00 +11", "Thu 26 09:00 +11"],
        ),
        (
            "Asia/Kolkata",
            540,
            datetime(2026, 11, 23, 12, tzinfo=UTC),
            ["Tue 24 09:00 IST", "Wed 25 09:00 IST", "Thu 26 09:00 IST"],
        ),
        (
            "Pacific/Kiritimati",
            540,
            datetime(2026, 11, 22, 12, tzinfo=UTC),
            ["Mon 23 09:00 +14", "Tue 24 09:00 +14", "Wed 25 09:00 +14"],
        ),
        (
            "Pacific/Pago_Pago",
            540,
            datetime(2026, 11, 23, 12, tzinfo=UTC),
            ["Mon 23 09:00 SST", "Tue 24 09:00 SST", "Wed 25 09:00 SST"],
        ),
    ],
)
def test_dst_half_hour_and_date_line_zones(
    bot: Sandbox, zone: str, minute: int, start_at: datetime, expected: list[str]
) -> None:
    bot.emulator.add_user("U0ZONE", "Zoe", tz=zone)
    bot.clock.set(start_at)
    every_day = tuple(range(7)) if "New_York" in zone else (0, 1, 2, 3, 4)
    bot.deps.practice.start(person(bot, "U0ZONE"), "active-listening", minute_of_day=minute, weekdays=every_day)
    bot.advance(timedelta(days=3))
    sent = [local(m, zone).strftime("%a %d %H:%M %Z") for m in reminders(bot, "U0ZONE")]
    assert sent == expected


@pytest.mark.parametrize(
    ("new_zone", "expected"),
    [("Asia/Tokyo", ["Tue 09:00 GMT", "Wed 09:00 JST"]), ("America/Los_Angeles", ["Tue 09:00 GMT", "Wed 09:00 PST"])],
)
def test_a_zone_change_mid_day_neither_doubles_nor_misses(bot: Sandbox, new_zone: str, expected: list[str]) -> None:
    start(bot)
    bot.advance(timedelta(hours=3))  # Tue 11:00 London, Tuesday's reminder sent
    bot.emulator.state.users["U0ALEX"].tz = new_zone  # the person moves; Slack tells the bot with user_change
    user = {"id": "U0ALEX", "tz": new_zone, "profile": {"title": "Engineering Manager", "real_name": "Alex Rivera"}}
    assert bot.driver.event({"type": "user_change", "user": user}).status == 200
    bot.settle()
    bot.advance(timedelta(days=1, hours=12))
    sent = reminders(bot)
    assert [
        local(m, new_zone if i else "Europe/London").strftime("%a %H:%M %Z") for i, m in enumerate(sent)
    ] == expected
    with bot.runtime.sessions() as session:
        sent = session.query(Delivery).filter_by(kind="practice", status="sent").all()
    assert sorted(d.key.rsplit(":", 1)[1] for d in sent) == ["2026-11-24", "2026-11-25"]


def test_a_missing_zone_uses_the_default_and_the_person_is_told_once(bot: Sandbox) -> None:
    bot.emulator.add_user("U0NOTZ", "Nia", tz=None)
    bot.driver.command("U0NOTZ", "/learn", "practice active-listening")
    bot.settle()
    first = json.dumps(bot.emulator.ephemerals_for("U0NOTZ")[-1].blocks)
    assert "no time zone I can use, so I'm using Europe/London" in first
    bot.driver.command("U0NOTZ", "/learn", "practice active listening")
    bot.settle()
    assert "no time zone" not in json.dumps(bot.emulator.ephemerals_for("U0NOTZ")[-1].blocks)
    assert "You already practise" in json.dumps(bot.emulator.ephemerals_for("U0NOTZ")[-1].blocks)


def test_an_unknown_technique_gets_one_helpful_line(bot: Sandbox) -> None:
    bot.driver.command("U0ALEX", "/learn", "practice juggling")
    bot.settle()
    [line] = bot.emulator.ephemerals_for("U0ALEX")
    assert "I don't know a technique called 'juggling'" in line.text and "`active-listening`" in line.text


def test_a_colleague_suggests_and_nothing_starts_until_accepted(bot: Sandbox) -> None:
    bot.driver.command("U0ALEX", "/learn", "practice active-listening <@U0SAM|sam>")
    bot.settle()
    bot.advance(timedelta(minutes=1))
    [suggestion] = bot.emulator.dm_messages("U0SAM")
    assert "suggests you practise" in json.dumps(suggestion.blocks)
    bot.advance(timedelta(days=1))
    assert reminders(bot, "U0SAM") == []
    press(bot, suggestion, "practice_accept", user="U0SAM")
    bot.advance(timedelta(days=1))
    assert len(reminders(bot, "U0SAM")) == 1
    assert reminders(bot, "U0ALEX") == [], "suggesting does not subscribe the suggester"


def test_the_monthly_review_asks_for_a_rating_against_the_rubric(bot: Sandbox) -> None:
    start(bot)
    bot.advance(timedelta(days=8))  # into Tuesday 1 December
    [review] = [m for m in bot.emulator.dm_messages("U0ALEX") if "review" in m.text]
    text = json.dumps(review.blocks)
    assert "Your November 2026 review" in text and "Summarises what was said before responding" in text
    assert local(review, "Europe/London").strftime("%a %d %H:%M") == "Tue 01 09:01"
    rating = next(e for b in review.blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "4")
    bot.driver.click(
        "U0ALEX",
        rating,
        block_id="r",
        container={"channel": review.channel, "message": review.as_api(with_metadata=False)},
    )
    bot.settle()
    with bot.runtime.sessions() as session:
        assert [(r.skill_key, r.rating, r.occasion) for r in session.query(SelfRating)] == [
            ("listening", 4, "review:2026-11")
        ]


def test_downtime_of_twenty_minutes_sends_late_and_of_hours_skips(bot: Sandbox) -> None:
    start(bot)
    bot.run_tick(TUESDAY + timedelta(minutes=1))  # materialised ahead of 09:00
    bot.run_tick(TUESDAY + timedelta(hours=1, minutes=20))  # the worker was down from 08:01 to 09:20
    assert local(reminders(bot)[0], "Europe/London").strftime("%H:%M") == "09:20"
    bot.run_tick(TUESDAY + timedelta(days=1, hours=-1))  # Wednesday's materialised at 07:00 ...
    bot.run_tick(TUESDAY + timedelta(days=1, hours=4))  # ... and the worker is back only at 12:00
    assert len(reminders(bot)) == 1, "not sent three hours late"
    with bot.runtime.sessions() as session:
        assert [d.status for d in session.query(Delivery).order_by(Delivery.due_at)] == ["sent", "expired"]


def test_a_person_who_left_has_their_practice_paused(bot: Sandbox) -> None:
    start(bot)
    bot.emulator.fail("conversations.open", "error", error="user_disabled")
    bot.advance(timedelta(hours=2))
    with bot.runtime.sessions() as session:
        subscription = session.query(PracticeSubscription).one()
        assert (subscription.status, subscription.pause_reason) == ("paused", "user_disabled")
    bot.advance(timedelta(days=3))
    assert reminders(bot) == []


def test_a_429_delays_the_reminder_without_losing_it(bot: Sandbox) -> None:
    start(bot)
    bot.emulator.fail("chat.postMessage", "status", status=429, retry_after=120)
    bot.advance(timedelta(hours=1, minutes=1))
    assert reminders(bot) == []
    bot.advance(timedelta(minutes=2))
    assert len(reminders(bot)) == 1


def test_reflections_are_saved_privately(bot: Sandbox) -> None:
    start(bot)
    bot.advance(timedelta(hours=2))
    press(bot, reminders(bot)[-1], "practice_done")
    answered = reminders(bot)[-1] if reminders(bot) else bot.emulator.dm_messages("U0ALEX")[-1]
    message = bot.emulator.dm_messages("U0ALEX")[-1]
    assert answered is not None
    press(bot, message, "practice_reflect")
    [window] = bot.emulator.open_views("U0ALEX")
    values: dict[str, Any] = {
        "reflection": {"text": {"type": "plain_text_input", "value": "Summarising calmed a tense call"}}
    }
    assert bot.driver.submit_view("U0ALEX", {**window.view, "id": window.id}, values).status == 200
    bot.settle()
    with bot.runtime.sessions() as session:
        assert session.query(PracticeDay).one().reflection == "Summarising calmed a tense call"


def test_opting_out_stops_every_message_and_opting_in_starts_them_again(bot: Sandbox) -> None:
    start(bot)
    bot.advance(timedelta(minutes=30))  # Tuesday's reminder is queued
    bot.driver.command("U0ALEX", "/learn", "optout")
    bot.settle()
    bot.advance(timedelta(days=2))
    assert reminders(bot) == []
    with bot.runtime.sessions() as session:
        assert session.query(Delivery).filter_by(status="cancelled").count() == 1
    bot.driver.command("U0ALEX", "/learn", "optin")
    bot.settle()
    bot.advance(timedelta(days=1, hours=2))
    assert [local(m, "Europe/London").strftime("%a") for m in reminders(bot)] == ["Thu", "Fri"], (
        "back from Thursday 08:30"
    )


def test_a_hanging_model_never_delays_the_reminder(settings: Settings, content_dir: Path) -> None:
    from pydantic import SecretStr

    from tests.fake_openai import Answer, FakeOpenAI

    with FakeOpenAI() as model:
        model.enqueue(*[Answer(mode="hang", seconds=3)] * 3)
        configured = settings.model_copy(
            update={
                "content_dir": content_dir,
                "openai_api_key": SecretStr("sk-test"),
                "openai_base_url": model.base_url,
                "openai_timeout": 0.5,
                "openai_max_retries": 0,
            }
        )
        with open_sandbox(configured, start=TUESDAY) as bot:
            sync_content(bot.runtime.sessions, load_content(content_dir), now=TUESDAY)
            start(bot)
            bot.advance(timedelta(hours=1))
            [reminder] = reminders(bot)
            assert local(reminder, "Europe/London").strftime("%H:%M") == "09:00"
            assert "Written by AI" not in json.dumps(reminder.blocks), "the template wrote it"
            assert len(model.requests) == 1


def test_model_text_reaches_slack_escaped_and_labelled(settings: Settings, content_dir: Path) -> None:
    from pydantic import SecretStr

    from tests.fake_openai import Answer, FakeOpenAI

    with FakeOpenAI() as model:
        model.enqueue(Answer(text="Today, listen first. <!channel> <@U0BOSS> " + "x" * 10_000))
        configured = settings.model_copy(
            update={
                "content_dir": content_dir,
                "openai_api_key": SecretStr("sk-test"),
                "openai_base_url": model.base_url,
            }
        )
        with open_sandbox(configured, start=TUESDAY) as bot:
            sync_content(bot.runtime.sessions, load_content(content_dir), now=TUESDAY)
            start(bot)
            bot.advance(timedelta(hours=1))
            [reminder] = reminders(bot)
            shown = json.dumps(reminder.blocks)
            assert "<!channel>" not in shown and "<@U0BOSS>" not in shown and "&lt;!channel&gt;" in shown
            assert "Written by AI" in shown
            assert problems(reminder.blocks) == []
