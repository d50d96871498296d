"""Scenarios through the real Bolt app with signed requests, asserting on what the emulator received."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from bot.config import Settings
from bot.inbox.models import ProcessedEvent
from bot.library.models import Search
from bot.people.models import Person as PersonRow
from bot.sandbox.blockkit import problems, view_problems
from bot.sandbox.session import Sandbox, open_sandbox
from bot.slack.errors import SORRY
from tests.harness import START, Person, fresh_database_url, rows, shown


def test_a_new_person_asks_for_help_and_sees_every_command_privately(sandbox: Sandbox) -> None:
    alex = Person(sandbox, "U0ALEX")
    answer = alex.learn("help")
    assert problems(answer.blocks) == []
    assert "/learn help" in shown(answer.blocks) and "/learn &lt;topic&gt;" in shown(answer.blocks)
    assert Person(sandbox, "U0SAM").ephemerals() == []


def test_the_first_request_records_the_person_with_their_slack_profile(sandbox: Sandbox) -> None:
    priya = Person(sandbox, "U0PRIYA")
    priya.learn("help")
    [person] = rows(sandbox, PersonRow)
    assert (person.slack_user_id, person.title, person.tz) == ("U0PRIYA", "Account Executive", "Asia/Kolkata")
    assert len(sandbox.emulator.calls_to("users.info")) == 1
    priya.learn("help")
    assert len(sandbox.emulator.calls_to("users.info")) == 1, "the profile is read once, then kept"


def test_opening_the_home_tab_publishes_a_welcome(sandbox: Sandbox) -> None:
    view = Person(sandbox, "U0ALEX").home()
    assert view["type"] == "home" and view_problems(view) == []
    assert "Welcome, Alex Rivera" in shown(view["blocks"])


def test_a_retried_event_is_processed_once(sandbox: Sandbox) -> None:
    event = {"type": "app_home_opened", "user": "U0ALEX", "tab": "home"}
    for retry in (None, 1, 2, 3):
        assert sandbox.driver.event(event, event_id="Ev0001", retry_num=retry).status == 200
        sandbox.settle()
    assert len(sandbox.emulator.calls_to("views.publish")) == 1
    assert len(rows(sandbox, ProcessedEvent)) == 1


def test_an_event_seen_before_a_restart_is_not_processed_again(settings: Settings) -> None:
    event = {"type": "app_home_opened", "user": "U0ALEX", "tab": "home"}
    with open_sandbox(settings, start=START) as first:
        first.driver.event(event, event_id="Ev0002")
        first.settle()
        assert len(first.emulator.calls_to("views.publish")) == 1
    with open_sandbox(settings, start=START) as restarted:
        restarted.driver.event(event, event_id="Ev0002", retry_num=2)
        restarted.settle()
        assert restarted.emulator.calls_to("views.publish") == []


def test_a_profile_change_updates_the_stored_role_and_zone(sandbox: Sandbox) -> None:
    Person(sandbox, "U0SAM").learn("help")
    user = {"id": "U0SAM", "tz": "America/Los_Angeles", "profile": {"title": "Staff Engineer", "real_name": "Sam"}}
    sandbox.driver.event({"type": "user_change", "user": user})
    sandbox.settle()
    [person] = rows(sandbox, PersonRow)
    assert (person.title, person.tz) == ("Staff Engineer", "America/Los_Angeles")


def test_a_failure_inside_a_listener_gives_one_friendly_line_and_the_bot_keeps_going(
    settings: Settings, tmp_path: Path
) -> None:
    own = settings.model_copy(update={"database_url": fresh_database_url(tmp_path, "broken")})
    with open_sandbox(own, start=START) as sandbox:
        cascade = " CASCADE" if sandbox.runtime.engine.dialect.name == "postgresql" else ""
        with sandbox.runtime.engine.begin() as connection:
            for table in ("resource_events", "resource_feedback", "resource_opens", "searches", "deliveries", "people"):
                connection.execute(text(f"DROP TABLE {table}{cascade}"))
        alex = Person(sandbox, "U0ALEX")
        assert alex.command("/learn", "help").status == 200, "the command was acknowledged before the work failed"
        [line] = alex.ephemerals()
        assert line.text == SORRY
        assert sandbox.driver.event({"type": "app_home_opened", "user": "U0ALEX"}).status == 200


def test_a_listener_whose_work_is_stuck_still_acks(sandbox: Sandbox) -> None:
    gate = threading.Event()
    sandbox.emulator.fail("users.info", "hold", gate=gate)
    jo = Person(sandbox, "U0JO")
    reply = sandbox.driver.command("U0JO", "/learn", "help")
    assert reply.status == 200, "acknowledged while the slow call is still waiting"
    assert jo.ephemerals() == []
    gate.set()
    sandbox.settle()
    assert jo.ephemerals(), "the answer arrives once the slow call returns"


def test_challenge_alone_lists_mine_and_help_explains(sandbox: Sandbox) -> None:
    alex = Person(sandbox, "U0ALEX")
    alex.command("/challenge")
    [line] = alex.ephemerals()
    assert "You have no challenge going on" in shown(line.blocks)
    alex.command("/challenge", "help")
    assert "Nothing starts until the colleague accepts" in shown(alex.last_line().blocks)


def test_a_question_in_the_bots_dm_is_answered_there_like_learn(bot: Sandbox, alex: Person) -> None:
    assert alex.write_dm("help").status == 200
    [help_message] = alex.dms()
    assert "/learn practice" in shown(help_message.blocks)
    alex.write_dm("how do I give feedback?")
    found = alex.dms()[-1]
    assert "Give feedback with Situation, Behaviour, Impact" in shown(found.blocks)
    assert alex.ephemerals() == [], "a DM is answered in the DM"


def test_hello_and_thanks_in_the_dm_are_small_talk_not_searches(bot: Sandbox, alex: Person) -> None:
    alex.write_dm("Hello!")
    assert "/learn practice" in shown(alex.dms()[-1].blocks), "a greeting gets what I can do"
    alex.write_dm("thanks a lot")
    assert "You're welcome" in alex.dms()[-1].text
    alex.write_dm("Thanks, that was really useful!")
    assert "You're welcome" in alex.dms()[-1].text
    assert rows(bot, Search) == [], "none was searched for, nor counted as an unmet need"
    alex.write_dm("thanks, how do I give feedback to my boss")
    assert [search.query for search in rows(bot, Search)] == ["thanks, how do I give feedback to my boss"]


def test_the_bots_own_messages_and_edits_in_its_dm_are_not_answered(bot: Sandbox, alex: Person) -> None:
    dm = "D0ALEX"
    for event in (
        {"type": "message", "channel_type": "im", "channel": dm, "bot_id": "B0LEARNBOT", "text": "hi", "ts": "1.1"},
        {"type": "message", "channel_type": "im", "channel": dm, "subtype": "message_changed", "ts": "1.2"},
        {"type": "message", "channel_type": "im", "channel": dm, "user": "U0ALEX", "text": "hi", "thread_ts": "1.1"},
    ):
        assert bot.driver.event(event).status == 200
        bot.settle()
    assert bot.emulator.calls_to("chat.postMessage") == []


def test_a_message_in_a_channel_is_not_read_and_records_nobody(sandbox: Sandbox) -> None:
    event = {"type": "message", "channel_type": "channel", "channel": "C0TEAM", "user": "U0SAM", "text": "hello"}
    assert sandbox.driver.event({**event, "ts": "1.000001"}).status == 200
    sandbox.settle()
    assert rows(sandbox, PersonRow) == [], "someone talking in a channel is not recorded"
    assert sandbox.emulator.calls_to("chat.postMessage") == []
