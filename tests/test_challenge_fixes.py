"""Challenges say what is true when it arrives, never at night, and keep people's words safe: the last day's
message after a weekend, late messages waiting for working hours, a change the proposer never answered,
invitations that keep their note, text from people escaped, forget-me leaving nothing behind, and words
that fit one person as well as several."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from bot.challenges.models import Challenge, ChallengeProposal
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.llm.models import LlmCache
from bot.outbox.models import Delivery
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.state import Message
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import ROOT, START, Person, rows, shown
from tests.test_challenges import (
    MONDAY_7_DEC_10_NEW_YORK,
    accepted,
    option,
    propose,
    reply_in_thread,
    thread_of,
    top,
)

TUESDAY_9_NEW_YORK = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@pytest.fixture
def manager(shipped: Sandbox) -> Person:
    return Person(shipped, "U0ALEX")  # London


@pytest.fixture
def report(shipped: Sandbox) -> Person:
    return Person(shipped, "U0SAM")  # New York


@pytest.fixture
def other(shipped: Sandbox) -> Person:
    return Person(shipped, "U0PRIYA")  # Kolkata


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


# -- 10. words that fit one as well as several ---------------------------------------------------------------
def test_one_unanswered_checkin_is_not_called_the_last_checkins(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # day 3, unanswered
    shipped.run_tick(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # day 7 asks whether a pause would help
    said = shown(thread_of(shipped, card)[-1].blocks)
    assert "Would a pause help" in said
    assert "The last check-in went unanswered" in said and "check-ins went unanswered" not in said


def test_one_challenge_going_on_and_one_colleague_asked_are_said_in_the_singular(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    assert manager.command("/challenge", "<@U0SAM> remote-best-work").status == 200
    assert manager.submit().status == 200
    saying = shown(manager.window().view)
    assert "each colleague" not in saying and "each of them" not in saying
    manager.close()
    assert "Proposed to <@U0SAM>. I'll tell you what they say." in shown(manager.dms()[-1].blocks)
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    report.press(top(report, "A challenge for you"), "challenge_accept")
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    assert report.command("/challenge").status == 200
    listed = shown(report.last_line().blocks)
    assert "Your challenge going on:" in listed and "Your 1 challenge" not in listed


def test_the_template_tip_is_whole_sentences(shipped: Sandbox, manager: Person, report: Person) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    [checkin] = thread_of(shipped, card)
    report.press(checkin, "challenge_stuck")
    report.press(report.last_line(), "challenge_tip")
    tip = report.last_line()
    words = " ".join(b["text"]["text"] for b in tip.blocks if b.get("type") == "section")
    assert words.startswith("Pick the smallest version of") and "Three conversations about remote work" in words
    assert words.rstrip().endswith(('."', ".", '"')), words
    assert "Can I ask you something I'm working on?" in words


def custom(title: str, brief: str, *, unit: str = "", target: str = "") -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": {"type": "plain_text_input", "value": title},
        "brief": {"type": "plain_text_input", "value": brief},
    }
    if unit:
        values["target_unit"] = {"type": "plain_text_input", "value": unit}
        values["target"] = {"type": "number_input", "value": target}
    return values


# -- 5. every invitation keeps the note, the steps and the link -----------------------------------------------
NOTE = "You run the best remote stand-ups I know"


def propose_from_a_message(shipped: Sandbox, manager: Person, colleagues: list[str], note: str = NOTE) -> str:
    """Alex starts a challenge from a message in #general, with a note; returns the message's link."""
    message = {"type": "message", "user": "U0SAM", "text": "Remote work is hard", "ts": "1700000000.000100"}
    reply = shipped.driver.shortcut_on_message("U0ALEX", "start_challenge", channel="C0SANDBOX", message=message)
    shipped.settle()
    assert reply.status == 200
    picked = {"text": {"type": "plain_text", "text": "x"}, "value": "remote-best-work"}
    values = {
        "colleagues": {"type": "multi_users_select", "selected_users": colleagues},
        "template": {"type": "static_select", "selected_option": picked},
        "note": {"type": "plain_text_input", "value": note},
    }
    assert manager.submit(values).status == 200
    manager.close()
    [proposal] = rows(shipped, ChallengeProposal)
    assert proposal.anchor_link is not None and proposal.anchor_link.startswith("https://")
    return proposal.anchor_link


def invitation_parts(message: Message) -> tuple[bool, bool, bool]:
    said = shown(message.blocks)
    return NOTE in said, "•" in said, "The message it started from" in said


def test_the_reminder_and_the_invitation_sent_again_keep_the_note_the_steps_and_the_link(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    link = propose_from_a_message(shipped, manager, ["U0SAM", "U0PRIYA"])
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    first = top(report, "A challenge for you")
    assert invitation_parts(first) == (True, True, True) and link in shown(first.blocks)

    shipped.run_tick(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # Sam's reminder, two working days on
    reminder = report.dms_starting("A challenge for you")[-1]
    assert reminder.ts != first.ts and "A reminder" in shown(reminder.blocks)
    assert invitation_parts(reminder) == (True, True, True) and link in shown(reminder.blocks)

    # Priya asks for a change; Alex agrees: the invitation sent again is the whole invitation
    other.press(top(other, "A challenge for you"), "challenge_change")
    assert other.submit({"days": option("21", "static_select")}).status == 200
    other.close()
    shipped.run_tick(datetime(2026, 11, 26, 14, 1, tzinfo=UTC))
    manager.press(top(manager, "An answer about"), "challenge_agree")
    shipped.run_tick(datetime(2026, 11, 27, 3, 30, tzinfo=UTC))  # 09:00 in Kolkata
    again = [m for m in other.dms_starting("A challenge for you") if "agreed to your change" in shown(m.blocks)]
    assert len(again) == 1 and "21 days" in shown(again[0].blocks)
    assert invitation_parts(again[0]) == (True, True, True) and link in shown(again[0].blocks)


# -- 6. text from people comes back escaped ------------------------------------------------------------------
HOSTILE = "<!channel> <https://evil.example|Open>"


def assert_inert(text: str) -> None:
    assert "<!channel>" not in text and "<https://evil.example|Open>" not in text, text
    assert "&lt;!channel&gt;" in text, text


def propose_own(shipped: Sandbox, manager: Person, values: dict[str, Any]) -> None:
    assert manager.command("/challenge", "<@U0SAM>").status == 200
    skill = manager.window().view["blocks"]
    [options] = [b["element"]["options"] for b in skill if b.get("block_id") == "skill"]
    chosen = {"skill": {"type": "static_select", "selected_option": options[0]}}
    assert manager.submit({**values, **chosen}).status == 200
    manager.close()


def test_a_proposers_title_is_escaped_in_the_invitation_and_after_decline(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose_own(shipped, manager, custom(HOSTILE, f"Brief {HOSTILE}"))
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    invitation = top(report, "A challenge for you")
    assert_inert(shown(invitation.blocks))
    report.press(invitation, "challenge_decline")
    declined = top(report, "A challenge for you")
    assert "you declined" in declined.text
    assert_inert(declined.text + shown(declined.blocks))
    shipped.run_tick(TUESDAY_9_NEW_YORK + timedelta(minutes=1))
    assert_inert(shown(top(manager, "An answer about").blocks))


def test_a_custom_unit_title_and_brief_are_escaped_on_the_card_and_in_the_logged_window(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose_own(shipped, manager, custom(HOSTILE, f"Brief {HOSTILE}", unit="<!channel> PR", target="3"))
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    report.press(top(report, "A challenge for you"), "challenge_accept")
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    shipped.run_tick(TUESDAY_9_NEW_YORK + timedelta(minutes=1))
    card = top(report, "Your challenge:")
    stored = shipped.emulator.messages_in(card.channel)
    [card] = [m for m in stored if m.ts == card.ts]
    assert_inert(shown(card.blocks))
    assert shown(card.blocks).count("&lt;!channel&gt;") >= 3, "title, brief and unit"

    report.press(card, "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "1"}}).status == 200
    logged = shown(report.window().view)
    report.close()
    assert "Logged. 1 of 3 &lt;!channel&gt; PRs." in logged and "<!channel>" not in logged


def test_logged_keeps_a_units_capitals(shipped: Sandbox, manager: Person, report: Person) -> None:
    propose_own(shipped, manager, custom("Ship small", "Small pull requests.", unit="PRs", target="3"))
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    report.press(top(report, "A challenge for you"), "challenge_accept")
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    shipped.run_tick(TUESDAY_9_NEW_YORK + timedelta(minutes=1))
    report.press(top(report, "Your challenge:"), "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "2"}}).status == 200
    logged = shown(report.window().view)
    report.close()
    assert "Logged. 2 of 3 PRs." in logged


# -- 7. forget-me leaves nothing of a person's words behind ---------------------------------------------------
def forget(person: Person) -> None:
    person.learn("forgetme")
    person.press(person.last_line(), "privacy_forget")
    assert "everything I stored about you is deleted" in person.last_line().text


def test_a_proposers_note_leaves_the_invitations_queued_and_sent_when_they_are_forgotten(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    propose_from_a_message(shipped, manager, ["U0SAM", "U0PRIYA"])
    shipped.run_tick(datetime(2026, 11, 24, 8, 5, tzinfo=UTC))  # 13:35 in Kolkata, 03:05 in New York
    sent = top(other, "A challenge for you")
    assert NOTE in shown(sent.blocks) and not report.dms(), "Priya's is sent, Sam's is queued"
    queued = [d for d in rows(shipped, Delivery, kind="challenge_invite") if d.sent_at is None]
    assert queued and all(NOTE in shown(d.payload) for d in queued)

    forget(manager)
    shipped.run_tick(datetime(2026, 11, 24, 8, 10, tzinfo=UTC))
    assert all(NOTE not in shown(d.payload) for d in rows(shipped, Delivery)), "no row keeps the note"
    [edited] = [m for m in shipped.emulator.messages_in(sent.channel) if m.ts == sent.ts]
    assert NOTE not in shown(edited.blocks) and "The message it started from" not in shown(edited.blocks)
    assert "Three conversations about remote work" in shown(edited.blocks), "the invitation itself stays"
    shipped.run_tick(TUESDAY_9_NEW_YORK)
    invitation = top(report, "A challenge for you")
    assert NOTE not in shown(invitation.blocks) and "Three conversations about remote work" in shown(invitation.blocks)
    assert "challenge_accept" in shown(invitation.blocks), "Sam can still answer it"


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def modelled(settings: Settings, model: FakeOpenAI) -> Iterator[Sandbox]:
    """The shipped content, with a model that writes check-ins and summaries."""
    configured = settings.model_copy(update={"openai_api_key": SecretStr("sk-test"), "openai_base_url": model.base_url})
    with open_sandbox(configured, start=START) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(ROOT / "content"), now=START)
        yield sandbox


def test_a_checkin_the_model_wrote_says_so_and_answers_cached_from_reflections_go_with_forget_me(
    modelled: Sandbox, model: FakeOpenAI
) -> None:
    manager, report = Person(modelled, "U0ALEX"), Person(modelled, "U0SAM")
    card = accepted(modelled, manager, report)
    reply_in_thread(modelled, report, card, "Jo likes quiet mornings.")
    model.always(Answer(text="Who did you talk to since Jo, and what surprised you?"))
    modelled.run_tick(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    [checkin] = [m for m in thread_of(modelled, card) if m.first_text.startswith("Check-in")]
    assert "Who did you talk to since Jo" in shown(checkin.blocks)
    assert "Written by AI" in shown(checkin.blocks), "a model's words are labelled"
    sam = report.ref.person_id
    assert rows(modelled, LlmCache, person_id=sam), "the answer quoting his reflection is cached as his"

    forget(report)
    assert not rows(modelled, LlmCache, person_id=sam)
    assert all(entry.person_id is None for entry in rows(modelled, LlmCache))


def test_a_tip_the_model_wrote_says_so(modelled: Sandbox, model: FakeOpenAI) -> None:
    manager, report = Person(modelled, "U0ALEX"), Person(modelled, "U0SAM")
    card = accepted(modelled, manager, report)
    modelled.run_tick(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    [checkin] = thread_of(modelled, card)
    report.press(checkin, "challenge_stuck")
    model.always(Answer(text="Ask Jo for ten minutes tomorrow. Open with: what helps you most?"))
    report.press(report.last_line(), "challenge_tip")
    tip = shown(report.last_line().blocks)
    assert "Ask Jo for ten minutes tomorrow" in tip and "Written by AI" in tip


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
