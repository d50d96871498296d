"""Challenges say what is true when it arrives and never arrive at night: the last day's message after a
weekend, late closes and "did it stick?" waiting for working hours, a change the proposer never answered,
the close made when due, late edits that still land, and reminders counted from when an invitation arrived.
Words, escaping and forgetting are in test_challenge_fixes_words.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.challenges.models import Challenge
from bot.outbox.models import Delivery
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from tests.harness import Person, rows, shown
from tests.test_challenges import (
    MONDAY_7_DEC_10_NEW_YORK,
    accepted,
    option,
    propose,
    thread_of,
    top,
)

TUESDAY_9_NEW_YORK = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def closings(bot: Sandbox, card: Message) -> list[Message]:
    return [m for m in thread_of(bot, card) if m.first_text.startswith("Last day")]


def challenge_of(bot: Sandbox, person: Person) -> Challenge:
    [found] = rows(bot, Challenge, person_id=person.ref.person_id)
    return found


# -- 1. the last day's message says what is true on the day it arrives -----------------------------------------
def test_a_last_day_on_a_sunday_is_wrapped_up_on_monday_as_yesterday(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    assert manager.command("/challenge", "<@U0SAM> remote-best-work").status == 200
    assert manager.submit({"start": {"type": "datepicker", "selected_date": "2026-12-07"}}).status == 200
    manager.close()
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    report.press(top(report, "A challenge for you"), "challenge_accept")
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    shipped.run_tick(TUESDAY_9_NEW_YORK + timedelta(minutes=1))
    card = top(report, "Your challenge:")
    assert "last day Sun 20 Dec" in shown(card.blocks)

    shipped.run_tick(datetime(2026, 12, 20, 15, 0, tzinfo=UTC))  # Sunday 10:00 in New York: not on a weekend
    assert not closings(shipped, card)
    shipped.run_tick(datetime(2026, 12, 21, 15, 0, tzinfo=UTC))  # Monday 10:00
    [closing] = closings(shipped, card)
    said = shown(closing.blocks)
    assert "Today is the last day" not in said
    assert "Yesterday was the last day of *Three conversations about remote work*" in said


# -- 2. late messages wait for the person's working hours ---------------------------------------------------
def test_a_last_day_missed_while_the_bot_was_down_waits_for_the_morning_and_says_when_it_was(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)  # last day Mon 07 Dec
    sunday_2_new_york = datetime(2026, 12, 13, 7, 0, tzinfo=UTC)  # the bot is back at 02:00 on Sunday
    shipped.run_tick(sunday_2_new_york)
    assert not closings(shipped, card), "not at night, not on a weekend"
    shipped.run_tick(sunday_2_new_york + timedelta(hours=12))  # Sunday 14:00: still the weekend
    assert not closings(shipped, card)
    shipped.run_tick(datetime(2026, 12, 14, 14, 0, tzinfo=UTC))  # Monday 09:00 in New York
    [closing] = closings(shipped, card)
    said = shown(closing.blocks)
    assert "Today is the last day" not in said and "Yesterday" not in said
    assert "Monday (Mon 07 Dec) was the last day of" in said


def test_did_it_stick_missed_while_the_bot_was_down_waits_for_the_morning(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    assert closings(shipped, card)
    wednesday_2_new_york = datetime(2026, 12, 16, 7, 0, tzinfo=UTC)  # due Mon 14 Dec 10:00; back Wed 02:00
    shipped.run_tick(wednesday_2_new_york)
    assert not report.dms_starting("Did it stick?"), "not at 02:00"
    [queued] = rows(shipped, Delivery, kind="challenge_stick")
    assert queued.sent_at is None
    shipped.run_tick(datetime(2026, 12, 16, 14, 0, tzinfo=UTC))  # Wednesday 09:00 in New York
    [stick] = report.dms_starting("Did it stick?")
    [sent] = rows(shipped, Delivery, kind="challenge_stick")
    assert sent.sent_at is not None and sent.sent_at.replace(tzinfo=UTC) == datetime(2026, 12, 16, 14, 0, tzinfo=UTC)
    assert "Did it stick?" in shown(stick.blocks)


# -- 3. a change the proposer never answers ------------------------------------------------------------------
def ask_for_three_weeks(shipped: Sandbox, report: Person) -> None:
    report.press(top(report, "A challenge for you"), "challenge_change")
    assert report.submit({"days": option("21", "static_select")}).status == 200
    assert "I'll tell you what they say" in shown(report.window().view)
    report.close()


def test_a_change_the_proposer_never_answers_gives_them_two_working_days_and_a_reminder_then_tells_both(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> remote-best-work")
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    shipped.run_tick(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # Sam's own reminder, Thursday
    assert len(report.dms_starting("A challenge for you")) == 2
    shipped.clock.set(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    ask_for_three_weeks(shipped, report)  # after his reminder: the wait is now on Alex, with his own time
    shipped.run_tick(datetime(2026, 11, 26, 15, 1, tzinfo=UTC))
    assert "would take on" in shown(top(manager, "An answer about").blocks)

    shipped.run_tick(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # when Sam's time would have run out
    assert challenge_of(shipped, report).status == "change_asked", "the proposer has two working days of their own"
    shipped.run_tick(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # Monday: two working days on
    reminder = top(manager, "An answer about")
    assert "A reminder: <@U0SAM> asked for a change" in shown(reminder.blocks)
    assert challenge_of(shipped, report).status == "change_asked"
    shipped.run_tick(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # a working day after the reminder
    assert challenge_of(shipped, report).status == "expired"

    told = shown(top(manager, "An answer about").blocks)
    assert "You didn't answer the change <@U0SAM> asked for" in told and "<@U0SAM> didn't answer" not in told
    heard = shown(top(report, "About your change").blocks)
    assert "<@U0ALEX> didn't answer the change you asked for" in heard
    home = shown(manager.home()["blocks"])
    assert "<@U0SAM>: expired: you didn't answer the change they asked for" in home
    assert "<@U0SAM>: didn't answer" not in home


def test_a_change_asked_at_once_is_still_the_proposers_to_answer_with_a_reminder(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> remote-best-work")
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    ask_for_three_weeks(shipped, report)
    shipped.run_tick(TUESDAY_9_NEW_YORK + timedelta(minutes=1))
    shipped.run_tick(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # Thursday 14:00 in London: two working days
    assert "A reminder: <@U0SAM> asked for a change" in shown(top(manager, "An answer about").blocks)
    assert challenge_of(shipped, report).status == "change_asked"
    shipped.run_tick(datetime(2026, 11, 27, 14, 0, tzinfo=UTC))
    assert challenge_of(shipped, report).status == "expired"
    assert "<@U0ALEX> didn't answer the change you asked for" in shown(top(report, "About your change").blocks)


# -- what an earlier look suspected ------------------------------------------------------------------------------
def test_the_close_is_made_when_it_is_due_so_progress_logged_that_morning_counts(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK - timedelta(hours=1))  # the last morning, 09:00 in New York
    assert challenge_of(shipped, report).status == "active", "still running until its close is due"
    assert not rows(shipped, Delivery, kind="challenge_close")
    report.press(card, "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "3"}}).status == 200
    report.close()
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    [closing] = closings(shipped, card)
    assert "You got to 3 of 3 conversations" in shown(closing.blocks)
    assert challenge_of(shipped, report).status == "finished"


def test_a_close_made_long_after_the_last_day_still_reaches_the_thread_and_the_card(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))  # the last check-in, day 11; the close is next
    assert challenge_of(shipped, report).next_step == "close"
    shipped.run_tick(datetime(2026, 12, 16, 14, 0, tzinfo=UTC))  # down from then until 9 days after the last day
    [closing] = closings(shipped, card)
    assert "Monday (Mon 07 Dec) was the last day of" in shown(closing.blocks)
    [stored] = [m for m in shipped.emulator.messages_in(card.channel) if m.ts == card.ts]
    assert "Finished." in shown(stored.blocks), "the card is edited too"


def test_a_proposal_is_not_reminded_before_the_invitation_reached_the_colleague(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> remote-best-work")  # Tuesday; the bot is down until Friday 09:00 in New York
    shipped.run_tick(datetime(2026, 11, 27, 14, 0, tzinfo=UTC))
    invitations = report.dms_starting("A challenge for you")
    assert len(invitations) == 1, "the invitation, not a reminder with it"
    assert "proposes a challenge for you" in shown(invitations[0].blocks)
    shipped.run_tick(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))  # Monday: one working day since it arrived
    assert len(report.dms_starting("A challenge for you")) == 1
    shipped.run_tick(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # Tuesday: two working days
    invitations = report.dms_starting("A challenge for you")
    assert len(invitations) == 2 and "A reminder" in shown(invitations[-1].blocks)
    assert challenge_of(shipped, report).status == "proposed"
