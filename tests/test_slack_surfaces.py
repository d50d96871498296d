"""Scenarios through the real Bolt app with signed requests, asserting on what the emulator received."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from sqlalchemy import text

from bot.config import Settings
from bot.db.models import Person, ProcessedEvent
from bot.sandbox.session import Sandbox, open_sandbox
from bot.slack.blocks.limits import problems, view_problems
from bot.slack.listeners.errors import SORRY
from tests.conftest import START, fresh_database_url


def test_a_new_person_asks_for_help_and_sees_every_command_privately(sandbox: Sandbox) -> None:
    reply = sandbox.driver.command("U0ALEX", "/learn", "help")
    sandbox.settle()
    assert reply.status == 200
    [answer] = sandbox.emulator.ephemerals_for("U0ALEX")
    assert problems(answer.blocks) == []
    shown = json.dumps(answer.blocks)
    assert "/learn help" in shown and "/learn &lt;topic&gt;" in shown
    assert sandbox.emulator.ephemerals_for("U0SAM") == []


def test_the_first_request_records_the_person_with_their_slack_profile(sandbox: Sandbox) -> None:
    sandbox.driver.command("U0PRIYA", "/learn", "help")
    sandbox.settle()
    with sandbox.runtime.sessions() as session:
        person = session.query(Person).one()
    assert (person.slack_user_id, person.title, person.tz) == ("U0PRIYA", "Account Executive", "Asia/Kolkata")
    assert len(sandbox.emulator.calls_to("users.info")) == 1
    sandbox.driver.command("U0PRIYA", "/learn", "help")
    sandbox.settle()
    assert len(sandbox.emulator.calls_to("users.info")) == 1, "the profile is read once, then kept"


def test_opening_the_home_tab_publishes_a_welcome(sandbox: Sandbox) -> None:
    sandbox.driver.open_home("U0ALEX")
    sandbox.settle()
    view = sandbox.emulator.home_view("U0ALEX")
    assert view is not None and view["type"] == "home"
    assert view_problems(view) == []
    assert "Welcome, Alex Rivera" in json.dumps(view)


def test_a_retried_event_is_processed_once(sandbox: Sandbox) -> None:
    event = {"type": "app_home_opened", "user": "U0ALEX", "tab": "home"}
    for retry in (None, 1, 2, 3):
        assert sandbox.driver.event(event, event_id="Ev0001", retry_num=retry).status == 200
        sandbox.settle()
    assert len(sandbox.emulator.calls_to("views.publish")) == 1
    with sandbox.runtime.sessions() as session:
        assert session.query(ProcessedEvent).count() == 1


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
    sandbox.driver.command("U0SAM", "/learn", "help")
    sandbox.settle()
    user = {"id": "U0SAM", "tz": "America/Los_Angeles", "profile": {"title": "Staff Engineer", "real_name": "Sam"}}
    sandbox.driver.event({"type": "user_change", "user": user})
    sandbox.settle()
    with sandbox.runtime.sessions() as session:
        person = session.query(Person).one()
    assert (person.title, person.tz) == ("Staff Engineer", "America/Los_Angeles")


def test_message_events_are_acknowledged(sandbox: Sandbox) -> None:
    event = {"type": "message", "channel": "C0SANDBOX", "user": "U0ALEX", "text": "hi", "ts": "1.000001"}
    assert sandbox.driver.event(event).status == 200


def test_a_failure_inside_a_listener_gives_one_friendly_line_and_the_bot_keeps_going(
    settings: Settings, tmp_path: Path
) -> None:
    own = settings.model_copy(update={"database_url": fresh_database_url(tmp_path, "broken")})
    with open_sandbox(own, start=START) as sandbox:
        cascade = " CASCADE" if sandbox.runtime.engine.dialect.name == "postgresql" else ""
        with sandbox.runtime.engine.begin() as connection:
            for table in ("resource_events", "resource_feedback", "resource_opens", "searches", "deliveries", "people"):
                connection.execute(text(f"DROP TABLE {table}{cascade}"))
        reply = sandbox.driver.command("U0ALEX", "/learn", "help")
        sandbox.settle()
        assert reply.status == 200, "the command was acknowledged before the work failed"
        [line] = sandbox.emulator.ephemerals_for("U0ALEX")
        assert line.text == SORRY
        assert sandbox.driver.event({"type": "message", "channel": "C1", "user": "U0ALEX", "ts": "1.1"}).status == 200


def test_a_listener_whose_work_is_stuck_still_acks(sandbox: Sandbox) -> None:
    gate = threading.Event()
    sandbox.emulator.fail("users.info", "hold", gate=gate)
    reply = sandbox.driver.command("U0JO", "/learn", "help")
    assert reply.status == 200, "acknowledged while the slow call is still waiting"
    assert sandbox.emulator.ephemerals_for("U0JO") == []
    gate.set()
    sandbox.settle()
    assert sandbox.emulator.ephemerals_for("U0JO"), "the answer arrives once the slow call returns"


def test_challenge_command_says_plainly_that_it_is_not_available(sandbox: Sandbox) -> None:
    sandbox.driver.command("U0ALEX", "/challenge")
    sandbox.settle()
    [line] = sandbox.emulator.ephemerals_for("U0ALEX")
    assert "not available" in line.text
