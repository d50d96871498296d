"""Challenges in words that are true and safe: said in the singular for one, a unit's capitals kept, text from
people escaped wherever it comes back, invitations that keep the proposer's note, steps and link every time,
forget-me that leaves none of a person's words behind, and a model's words labelled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from bot.challenges.models import ChallengeProposal
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.llm.models import LlmCache
from bot.outbox.models import Delivery
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.state import Message
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import ROOT, START, Person, rows, shown
from tests.test_challenge_fixes import TUESDAY_9_NEW_YORK
from tests.test_challenges import accepted, option, reply_in_thread, thread_of, top


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
