"""Daily practice, end to end through the real app and the real tick, with the clock moved by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.measurement.models import Rating
from bot.outbox.models import Delivery
from bot.people.types import TeamMember
from bot.practice.models import PracticeDay, PracticeSubscription
from bot.sandbox.blockkit import problems
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.state import Message
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import START, Person, control, rows, shown, with_model

TUESDAY = START


def reminders(person: Person) -> list[Message]:
    """Every practice reminder the person received, answered or not."""
    return person.dms_starting("Today's practice")


def streak_shown(message: Message) -> str:
    return json.dumps(message.blocks).split("Streak: ")[1]


def local(message: Message, zone: str) -> datetime:
    return datetime.fromtimestamp(int(message.ts.split(".")[0]), UTC).astimezone(ZoneInfo(zone))


def start(person: Person) -> None:
    person.learn("practice active-listening")


def answering(bot: Sandbox, person: Person, *, days: int) -> None:
    """Move on a day at a time, pressing Done on each reminder (so reminders never back off)."""
    for _ in range(days):
        latest = reminders(person)[-1] if reminders(person) else None
        if latest is not None and "practice_done" in shown(latest.blocks):
            person.press(latest, "practice_done")
        bot.advance(timedelta(days=1))


def test_one_reminder_per_working_day_at_nine_local_with_working_buttons(bot: Sandbox, alex: Person) -> None:
    start(alex)
    assert "Next reminder: *Tue 24 Nov 09:00* (Europe/London)" in shown(alex.last_line().blocks)
    bot.advance(timedelta(hours=2))
    answering(bot, alex, days=7)
    sent = reminders(alex)
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


def test_streaks_survive_skips_but_not_silent_misses(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_done")  # Tue
    bot.advance(timedelta(days=1))
    alex.press(reminders(alex)[-1], "practice_skip")  # Wed
    bot.advance(timedelta(days=1))
    alex.press(reminders(alex)[-1], "practice_done")  # Thu
    assert streak_shown(reminders(alex)[-1]).startswith("*2* practice days"), "done, skipped, done"
    bot.advance(timedelta(days=1))  # Fri: no answer
    bot.advance(timedelta(days=3))  # Mon
    monday = reminders(alex)[-1]
    assert local(monday, "Europe/London").strftime("%a") == "Mon"
    alex.press(monday, "practice_done")
    assert streak_shown(reminders(alex)[-1]).startswith("*1* practice day."), "Friday's silence broke it"


def test_snooze_sends_the_reminder_again_an_hour_later_once(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_snooze")
    assert "snoozed. I'll remind you again at 11:00 your time" in shown(reminders(alex)[-1].blocks)
    bot.advance(timedelta(minutes=59))
    assert len(reminders(alex)) == 1
    bot.advance(timedelta(minutes=2))
    assert len(reminders(alex)) == 2 and "(snoozed)" in shown(reminders(alex)[-1].blocks)
    alex.press(reminders(alex)[-1], "practice_done")
    bot.advance(timedelta(hours=3))
    assert len(reminders(alex)) == 2


def test_a_snooze_names_the_time_in_the_persons_own_zone(bot: Sandbox, sam: Person) -> None:
    start(sam)
    bot.advance(timedelta(hours=8))  # Tuesday 16:00 UTC, 11:00 in New York, two hours after the reminder
    sam.press(reminders(sam)[-1], "practice_snooze")
    answered = shown(reminders(sam)[-1].blocks)
    assert "again at 12:00 your time" in answered and "UTC" not in answered


def test_pause_in_its_window_until_a_date_then_it_resumes_by_itself(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_pause")
    window = alex.window()
    assert control(window.view["blocks"], "date")[0]["initial_date"] == "2026-12-01", "a week from today"
    assert alex.submit({"until": {"type": "datepicker", "selected_date": "2026-11-30"}}).status == 200
    [subscription] = rows(bot, PracticeSubscription)
    assert (subscription.status, subscription.paused_until) == ("paused", date(2026, 11, 30))
    assert "no reminders until Mon 30 Nov" in shown(alex.window().view["blocks"]), "it says what changed"
    bot.advance(timedelta(days=7, hours=22))  # to Wednesday 08:00
    assert [local(m, "Europe/London").strftime("%a %d") for m in reminders(alex)] == ["Tue 24", "Mon 30", "Tue 01"]


def test_a_pause_date_in_the_past_is_refused_under_the_field(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_pause")
    reply = alex.submit({"until": {"type": "datepicker", "selected_date": "2026-11-20"}})
    assert reply.json() == {
        "response_action": "errors",
        "errors": {"until": "Choose a date after today to pause until."},
    }
    assert rows(bot, PracticeSubscription)[0].status == "active", "nothing changed"


def test_resume_from_the_home_tab_brings_reminders_back(bot: Sandbox, alex: Person) -> None:
    start(alex)
    [view] = bot.services.practice.overview(alex.ref)
    bot.services.practice.pause(alex.ref, view.subscription_id, date(2026, 12, 20))
    home = alex.home()
    assert "paused until 2026-12-20" in shown(home["blocks"])
    alex.press(home, "practice_resume")
    home = bot.emulator.home_view("U0ALEX")
    assert home is not None and "next: Tue 24 Nov 09:00" in shown(home["blocks"])
    assert "paused until" not in shown(home["blocks"])
    bot.advance(timedelta(days=1, hours=2))
    assert [local(m, "Europe/London").strftime("%a") for m in reminders(alex)] == ["Tue", "Wed"]


def test_stop_means_no_more_reminders(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_stop")
    assert "Stopped *Active listening" in shown(alex.dms()[-1].blocks), "the reminder became the answer"
    bot.advance(timedelta(days=7))
    assert len(reminders(alex)) == 1
    assert rows(bot, PracticeSubscription)[0].status == "stopped"


def test_settings_change_the_time_and_days_in_the_window(bot: Sandbox, alex: Person) -> None:
    start(alex)
    alex.press(alex.last_line(), "practice_settings")
    window = alex.window()
    days = control(window.view["blocks"], "value", 1)[0]
    assert [o["value"] for o in days["initial_options"]] == ["0", "1", "2", "3", "4"]
    time = next(o for o in control(window.view["blocks"], "value")[0]["options"] if o["value"] == str(18 * 60))
    saturday = next(o for o in days["options"] if o["value"] == "5")
    alex.submit(
        {
            "time": {"type": "static_select", "selected_option": time},
            "days": {"type": "checkboxes", "selected_options": [saturday]},
        }
    )
    [subscription] = rows(bot, PracticeSubscription)
    assert (subscription.minute_of_day, subscription.weekdays) == (18 * 60, [5])
    saved = shown(alex.window().view["blocks"])
    assert "18:00 Sat (Europe/London)" in saved and "Next reminder: *Sat 28 Nov 18:00*" in saved, "it says what changed"
    home = bot.emulator.home_view("U0ALEX")
    assert home is not None and "18:00 Sat" in shown(home["blocks"]), "the Home tab shows the new rhythm"
    bot.advance(timedelta(days=5))
    assert [local(m, "Europe/London").strftime("%a %H:%M") for m in reminders(alex)] == ["Sat 18:00"]


def test_settings_without_a_day_are_refused_under_the_field(bot: Sandbox, alex: Person) -> None:
    start(alex)
    alex.press(alex.last_line(), "practice_settings")
    reply = alex.submit({"days": {"type": "checkboxes", "selected_options": []}})
    assert reply.json() == {"response_action": "errors", "errors": {"days": "Choose at least one day."}}


def test_settings_for_a_practice_that_no_longer_exists_say_so_under_the_field(bot: Sandbox, alex: Person) -> None:
    start(alex)
    alex.press(alex.last_line(), "practice_settings")
    window = alex.window()
    bot.driver.command("U0ALEX", "/learn", "forgetme")
    bot.settle()
    alex.press(alex.last_line(), "privacy_forget")
    reply = alex.submit(window=window)
    assert reply.json()["response_action"] == "errors"
    assert "no longer exists" in reply.json()["errors"]["time"]


def test_a_practice_can_be_started_from_the_home_tab(bot: Sandbox, alex: Person) -> None:
    home = alex.home()
    picker, _ = control(home["blocks"], "practice_start")
    option = next(o for o in picker["options"] if o["value"] == "active-listening")
    alex.press(home, "practice_start", selected_option=option)
    [subscription] = rows(bot, PracticeSubscription)
    assert (subscription.technique_key, subscription.status) == ("active-listening", "active")
    home = bot.emulator.home_view("U0ALEX")
    assert home is not None and "next: Tue 24 Nov 09:00" in shown(home["blocks"])


def test_any_set_of_days_and_a_number_of_weeks(bot: Sandbox, alex: Person) -> None:
    bot.services.practice.start(
        alex.ref, "active-listening", minute_of_day=7 * 60 + 30, weekdays=(6, 0, 1, 2, 3), weeks=1
    )
    bot.advance(timedelta(days=10))
    sent = [local(m, "Europe/London").strftime("%a %H:%M") for m in reminders(alex)]
    assert sent == ["Wed 07:30", "Thu 07:30", "Sun 07:30", "Mon 07:30"], "Sun-Thu, for one week from Tuesday"
    assert rows(bot, PracticeSubscription)[0].status == "stopped"


def test_workspace_holidays_skip_delivery(bot: Sandbox, alex: Person) -> None:
    bot.clock.set(datetime(2026, 12, 23, 12, 0, tzinfo=UTC))
    start(alex)
    bot.advance(timedelta(days=6))
    days = [local(m, "Europe/London").strftime("%a %d") for m in reminders(alex)]
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
    zoe = Person(bot, "U0ZONE")
    bot.clock.set(start_at)
    every_day = tuple(range(7)) if "New_York" in zone else (0, 1, 2, 3, 4)
    bot.services.practice.start(zoe.ref, "active-listening", minute_of_day=minute, weekdays=every_day)
    bot.advance(timedelta(days=3))
    assert [local(m, zone).strftime("%a %d %H:%M %Z") for m in reminders(zoe)] == expected


@pytest.mark.parametrize(
    ("new_zone", "expected"),
    [("Asia/Tokyo", ["Tue 09:00 GMT", "Wed 09:00 JST"]), ("America/Los_Angeles", ["Tue 09:00 GMT", "Wed 09:00 PST"])],
)
def test_a_zone_change_mid_day_neither_doubles_nor_misses(
    bot: Sandbox, alex: Person, new_zone: str, expected: list[str]
) -> None:
    start(alex)
    bot.advance(timedelta(hours=3))  # Tue 11:00 London, Tuesday's reminder sent
    bot.emulator.state.users["U0ALEX"].tz = new_zone  # the person moves; Slack tells the bot with user_change
    user = {"id": "U0ALEX", "tz": new_zone, "profile": {"title": "Engineering Manager", "real_name": "Alex Rivera"}}
    assert bot.driver.event({"type": "user_change", "user": user}).status == 200
    bot.settle()
    bot.advance(timedelta(days=1, hours=12))
    sent = reminders(alex)
    assert [
        local(m, new_zone if i else "Europe/London").strftime("%a %H:%M %Z") for i, m in enumerate(sent)
    ] == expected
    days = sorted(d.key.rsplit(":", 1)[1] for d in rows(bot, Delivery, kind="practice", status="sent"))
    assert days == ["2026-11-24", "2026-11-25"]


def test_a_missing_zone_uses_the_default_and_the_person_is_told_once(bot: Sandbox) -> None:
    bot.emulator.add_user("U0NOTZ", "Nia", tz=None)
    nia = Person(bot, "U0NOTZ")
    first = shown(nia.learn("practice active-listening").blocks)
    assert "no time zone I can use, so I'm using Europe/London" in first
    again = shown(nia.learn("practice active listening").blocks)
    assert "no time zone" not in again and "You already practise" in again


def test_an_unknown_technique_gets_one_helpful_line(bot: Sandbox, alex: Person) -> None:
    line = alex.learn("practice juggling")
    assert "I don't know a technique called “juggling”" in line.text and "`active-listening`" in line.text


def test_practice_alone_lists_the_techniques(bot: Sandbox, alex: Person) -> None:
    assert "`active-listening`" in shown(alex.learn("practice").blocks)


def test_the_monthly_review_asks_for_a_rating_against_the_rubric(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    answering(bot, alex, days=7)  # into Tuesday 1 December
    bot.advance(timedelta(hours=22))
    [review] = [m for m in alex.dms() if "review" in m.text]
    text = shown(review.blocks)
    assert "Your November 2026 review" in text and "Summarises what was said before responding" in text
    assert local(review, "Europe/London").strftime("%a %d %H:%M") == "Tue 01 09:01"
    alex.press(review, "practice_rate:4")
    monthly = [(r.skill_key, r.value, r.source) for r in rows(bot, Rating, moment="monthly", rater="self")]
    assert monthly == [("listening", 4, "review:2026-11")]
    assert "at *4* of 5 this month" in shown(alex.last_line().blocks)
    alex.press(review, "practice_keep")
    assert alex.last_line().text == "Keeping your focus"


def test_change_focus_in_the_review_picks_the_next_technique_there(shipped: Sandbox) -> None:
    bot, alex = shipped, Person(shipped, "U0ALEX")
    start(alex)
    alex.press(alex.last_line(), "practice_settings")
    alex.submit({"time": {"type": "static_select", "selected_option": {"value": str(8 * 60 + 30)}}})
    bot.advance(timedelta(hours=1))
    answering(bot, alex, days=7)  # into Tuesday 1 December: the review
    [review] = [m for m in alex.dms() if "review" in m.text]
    alex.press(review, "practice_change_focus")
    offer = alex.last_line()
    picker, _ = control(offer.blocks, "practice_switch")
    titles = [option["text"]["text"] for option in picker["options"]]
    assert titles and "Active listening: summarise before you reply" not in titles, "the others, to pick from"
    assert "/learn practice" not in shown(offer.blocks), "no command to type"
    [option] = [o for o in picker["options"] if json.loads(o["value"])["k"] == "asking-open-questions"]
    alex.press(offer, "practice_switch", selected_option=option)
    switched = shown(alex.last_line().blocks)
    assert "You're practising *Asking open questions*" in switched and "08:30 Mon-Fri" in switched
    statuses = {s.technique_key: s.status for s in rows(bot, PracticeSubscription)}
    assert statuses == {"active-listening": "stopped", "asking-open-questions": "active"}
    bot.advance(timedelta(days=1))
    assert reminders(alex)[-1].text.startswith("Today's practice: Asking open questions")


def test_downtime_of_twenty_minutes_sends_late_and_of_hours_skips(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.run_tick(TUESDAY + timedelta(minutes=1))  # materialised ahead of 09:00
    bot.run_tick(TUESDAY + timedelta(hours=1, minutes=20))  # the worker was down from 08:01 to 09:20
    assert local(reminders(alex)[0], "Europe/London").strftime("%H:%M") == "09:20"
    bot.run_tick(TUESDAY + timedelta(days=1, hours=-1))  # Wednesday's materialised at 07:00 ...
    bot.run_tick(TUESDAY + timedelta(days=1, hours=4))  # ... and the worker is back only at 12:00
    assert len(reminders(alex)) == 1, "not sent three hours late"
    assert [d.status for d in sorted(rows(bot, Delivery), key=lambda d: d.due_at)] == ["sent", "expired"]


def test_a_person_who_left_has_their_practice_paused(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.emulator.fail("conversations.open", "error", error="user_disabled")
    bot.advance(timedelta(hours=2))
    [subscription] = rows(bot, PracticeSubscription)
    assert (subscription.status, subscription.pause_reason) == ("paused", "user_disabled")
    bot.advance(timedelta(days=3))
    assert reminders(alex) == []


def test_a_429_delays_the_reminder_without_losing_it(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.emulator.fail("chat.postMessage", "status", status=429, retry_after=120)
    bot.advance(timedelta(hours=1, minutes=1))
    assert reminders(alex) == []
    bot.advance(timedelta(minutes=2))
    assert len(reminders(alex)) == 1


def test_a_reflection_asks_the_techniques_question_and_only_its_author_can_read_it(
    bot: Sandbox, alex: Person, sam: Person
) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_done")
    alex.press(alex.dms()[-1], "practice_reflect")
    window = alex.window()
    assert "What did you learn today that you would have missed" in shown(window.view["blocks"])
    assert (
        alex.submit({"reflection": {"type": "plain_text_input", "value": "Summarising calmed a tense call"}}).status
        == 200
    )
    [day] = rows(bot, PracticeDay)
    assert (day.reflection, day.status) == ("Summarising calmed a tense call", "done")
    assert "Only you can see it" in shown(alex.window().view["blocks"])
    assert "Summarising calmed a tense call" in shown(alex.home()["blocks"]), "shown back, in the author's Home tab"
    assert "Summarising calmed a tense call" not in shown(sam.home()["blocks"])
    team = bot.emulator.state.team_id
    alex_export = json.dumps(bot.services.privacy.export(TeamMember(team, "U0ALEX")), default=str)
    assert "Summarising calmed a tense call" in alex_export, "the author sees it in their data"
    sam.learn("help")
    sam_export = json.dumps(bot.services.privacy.export(TeamMember(team, "U0SAM")), default=str)
    assert "Summarising calmed a tense call" not in sam_export, "nobody else does"
    element, block_id = control(alex.dms()[-1].blocks, "practice_reflect")
    container = {"channel": "D0SAM", "message": alex.dms()[-1].as_api(with_metadata=False)}
    bot.driver.click("U0SAM", element, block_id=block_id, container=container)
    bot.settle()
    assert bot.emulator.open_views("U0SAM") == [], "no window onto someone else's day"
    assert "belongs to someone else" in sam.last_line().text


def test_an_empty_reflection_is_refused_in_the_window(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(hours=2))
    alex.press(reminders(alex)[-1], "practice_done")
    alex.press(alex.dms()[-1], "practice_reflect")
    reply = alex.submit({"reflection": {"type": "plain_text_input", "value": "   "}})
    assert reply.json()["errors"] == {"reflection": "Write a line, or close the window to skip the reflection."}


def test_opting_out_stops_every_message_and_opting_in_starts_them_again(bot: Sandbox, alex: Person) -> None:
    start(alex)
    bot.advance(timedelta(minutes=30))  # Tuesday's reminder is queued
    alex.learn("optout")
    bot.advance(timedelta(days=2))
    assert reminders(alex) == []
    assert len(rows(bot, Delivery, status="cancelled")) == 1
    assert "already asked for no messages" in alex.learn("optout").text
    assert "Welcome back" in alex.learn("optin").text
    bot.advance(timedelta(days=1, hours=2))
    days = [local(m, "Europe/London").strftime("%a") for m in reminders(alex)]
    assert days == ["Thu", "Fri"], "back from Thursday 08:30"


def test_opting_in_without_having_opted_out_is_not_welcomed_back(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("optin").text
    assert "Welcome back" not in answer and "already" in answer


def test_the_streak_is_said_in_words_and_its_rule_only_where_it_helps(bot: Sandbox, alex: Person) -> None:
    start(alex)
    assert "don't break a streak" in shown(alex.last_line().blocks), "said once, when practice starts"
    bot.advance(timedelta(hours=2))
    first = reminders(alex)[-1]
    assert "No streak yet" in shown(first.blocks) and "*0*" not in shown(first.blocks)
    alex.press(first, "practice_done")
    answered = shown(reminders(alex)[-1].blocks)
    assert "Streak: *1* practice day." in answered and "don't break a streak" not in answered
    home = shown(alex.home()["blocks"])
    assert home.count("don't break a streak") == 1, "the Home tab says the rule once"


def test_a_hanging_model_never_delays_the_reminder(settings: Settings, content_dir: Path) -> None:
    with FakeOpenAI() as model:
        model.enqueue(*[Answer(mode="hang", seconds=3)] * 3)
        configured = with_model(settings, content_dir, model, openai_timeout=0.5, openai_max_retries=0)
        with open_sandbox(configured, start=TUESDAY) as bot:
            sync_content(bot.runtime.sessions, load_content(content_dir), now=TUESDAY)
            alex = Person(bot, "U0ALEX")
            start(alex)
            bot.advance(timedelta(hours=1))
            [reminder] = reminders(alex)
            assert local(reminder, "Europe/London").strftime("%H:%M") == "09:00"
            assert "Written by AI" not in shown(reminder.blocks), "the template wrote it"
            assert len(model.requests) == 1


def test_model_text_reaches_slack_escaped_and_labelled(settings: Settings, content_dir: Path) -> None:
    with FakeOpenAI() as model:
        model.enqueue(Answer(text="Today, listen first. <!channel> <@U0BOSS> " + "x" * 10_000))
        with open_sandbox(with_model(settings, content_dir, model), start=TUESDAY) as bot:
            sync_content(bot.runtime.sessions, load_content(content_dir), now=TUESDAY)
            alex = Person(bot, "U0ALEX")
            start(alex)
            bot.advance(timedelta(hours=1))
            [reminder] = reminders(alex)
            text = shown(reminder.blocks)
            assert "<!channel>" not in text and "<@U0BOSS>" not in text and "&lt;!channel&gt;" in text
            assert "Written by AI" in text
            assert problems(reminder.blocks) == []


def test_unanswered_reminders_ask_once_then_pause_and_an_answer_starts_the_count_again(
    bot: Sandbox, alex: Person
) -> None:
    start(alex)
    bot.advance(timedelta(days=2, hours=2))  # Tue, Wed, Thu: no answer
    assert ["Would a pause help" in shown(m.blocks) for m in reminders(alex)] == [False, False, False]
    bot.advance(timedelta(days=1))  # Fri: the fourth asks
    friday = reminders(alex)[-1]
    assert "Would a pause help" in shown(friday.blocks)
    alex.press(friday, "practice_keep_going")
    assert "keep coming" in alex.last_line().text
    answered = len(reminders(alex))
    bot.advance(timedelta(days=3))  # Mon: the count started again, no question
    assert "Would a pause help" not in shown(reminders(alex)[-1].blocks)
    bot.advance(timedelta(days=4))  # Tue, Wed, Thu unanswered: Thu asks; then Fri
    bot.advance(timedelta(days=4))  # the Monday after: five in a row unanswered, so it pauses instead
    paused = alex.dms()[-1]
    assert paused.first_text.startswith("Paused: Active listening") and "went unanswered" in shown(paused.blocks)
    assert len(reminders(alex)) - answered == 5, "it pauses after five unanswered, not six"
    [subscription] = rows(bot, PracticeSubscription)
    assert (subscription.status, subscription.pause_reason, subscription.next_due_at) == ("paused", "unanswered", None)
    count = len(reminders(alex))
    bot.advance(timedelta(days=3))
    assert len(reminders(alex)) == count, "no reminders while paused"
    alex.press(paused, "practice_resume")
    assert "Resumed" in alex.last_line().text  # on Friday after 09:00: the next reminder is Monday's
    bot.advance(timedelta(days=3))
    latest = reminders(alex)[-1]
    assert len(reminders(alex)) == count + 1 and "Would a pause help" not in shown(latest.blocks)
