"""Suggesting a technique to colleagues: with consent, in their working hours, never to someone who opted
out or is not there, not again at once after a "no", a few colleagues at a time; the suggester hears."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.outbox.models import Delivery
from bot.practice.models import PracticeSubscription
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from tests.harness import Person, rows, shown

NINE_IN_NEW_YORK = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # Sam's working day starts (Tuesday)


def local(message: Message, zone: str) -> str:
    return datetime.fromtimestamp(int(message.ts.split(".")[0]), UTC).astimezone(ZoneInfo(zone)).strftime("%a %H:%M")


def suggestion_for(bot: Sandbox, sam: Person) -> Message:
    bot.advance(NINE_IN_NEW_YORK - bot.clock.now() + timedelta(minutes=1))
    [suggestion] = sam.dms()
    return suggestion


def test_a_colleague_suggests_and_nothing_starts_until_accepted(bot: Sandbox, alex: Person, sam: Person) -> None:
    answer = alex.learn("practice active-listening @Sam")
    assert "I've suggested *Active listening" in shown(answer.blocks)
    suggestion = suggestion_for(bot, sam)
    assert "suggests you practise" in shown(suggestion.blocks)
    bot.advance(timedelta(days=1))
    assert sam.dms_starting("Today's practice") == []
    sam.press(suggestion, "practice_accept")
    assert "You're practising" in shown(sam.dms()[0].blocks), "the suggestion became the confirmation"
    bot.advance(timedelta(days=1))
    assert len(sam.dms_starting("Today's practice")) == 1
    assert alex.dms_starting("Today's practice") == [], "suggesting does not subscribe the suggester"


def test_a_suggestion_arrives_in_the_colleagues_working_hours(bot: Sandbox, alex: Person, sam: Person) -> None:
    alex.learn("practice active-listening @sam")  # Tuesday 08:00 in London is 03:00 in New York
    bot.advance(timedelta(hours=5))
    assert sam.dms() == [], "not at night"
    assert local(suggestion_for(bot, sam), "America/New_York") == "Tue 09:00"


def test_the_suggester_hears_the_answer(bot: Sandbox, alex: Person, sam: Person) -> None:
    alex.learn("practice active-listening @sam")
    sam.press(suggestion_for(bot, sam), "practice_accept")
    bot.advance(timedelta(minutes=1))
    [heard] = [m for m in alex.dms() if "accepted your suggestion" in shown(m.blocks)]
    assert "<@U0SAM> accepted your suggestion to practise *Active listening" in shown(heard.blocks)


def test_a_declined_suggestion_starts_nothing_and_is_not_repeated_at_once(
    bot: Sandbox, alex: Person, sam: Person
) -> None:
    alex.learn("practice active-listening @sam")
    sam.press(suggestion_for(bot, sam), "practice_decline")
    assert "you won't practise" in shown(sam.dms()[0].blocks)
    assert rows(bot, PracticeSubscription)[0].status == "declined"
    bot.advance(timedelta(minutes=1))
    assert any("declined your suggestion" in shown(m.blocks) for m in alex.dms()), "the suggester hears no too"
    again = alex.learn("practice active-listening @sam")
    assert "said no to it recently; you can suggest it again from Thu 24 Dec" in shown(again.blocks)
    assert len(rows(bot, PracticeSubscription)) == 1, "nothing new"
    bot.advance(timedelta(days=2))
    assert sam.dms_starting("Today's practice") == []


def test_someone_else_cannot_accept_a_suggestion_made_to_a_colleague(bot: Sandbox, alex: Person, sam: Person) -> None:
    alex.learn("practice active-listening @sam")
    suggestion = suggestion_for(bot, sam)
    alex.press(suggestion, "practice_accept")
    assert "belongs to someone else" in alex.last_line().text
    assert rows(bot, PracticeSubscription)[0].status == "suggested"


def test_someone_unknown_gets_a_clear_line_and_nothing_is_queued(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("practice active-listening <@U9NOBODY>")
    assert "I can't find <@U9NOBODY> in this workspace." in shown(answer.blocks)
    assert "I've suggested" not in shown(answer.blocks)
    assert rows(bot, PracticeSubscription) == [] and rows(bot, Delivery) == []
    typed = alex.learn("practice active-listening @zed")
    assert "I can't find “@zed” in this workspace" in typed.text


def test_someone_who_opted_out_receives_no_suggestion(bot: Sandbox, alex: Person, sam: Person) -> None:
    sam.learn("optout")
    answer = alex.learn("practice active-listening @sam")
    assert "I can't send suggestions to <@U0SAM>." in shown(answer.blocks)
    bot.advance(timedelta(days=1))
    assert sam.dms() == [] and rows(bot, Delivery) == []


def test_one_command_reaches_a_few_colleagues_at_most(bot: Sandbox, alex: Person) -> None:
    for index in range(6):
        bot.emulator.add_user(f"U0C{index}", f"Colleague{index}")
    named = " ".join(f"@colleague{index}" for index in range(6))
    line = alex.learn(f"practice active-listening {named}")
    assert "at most 5 colleagues at once" in line.text
    assert rows(bot, PracticeSubscription) == [] and rows(bot, Delivery) == []
