"""The monthly review is the person's: one message a month, whatever number of practices they have, with one
self-rating per skill those practices build, recorded once however often a button is pressed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.engine import transaction
from bot.measurement.models import Rating
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.models import Delivery
from bot.outbox.types import NewDelivery
from bot.practice.models import PracticeSubscription
from bot.sandbox.blockkit import problems
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from tests.harness import Person, control, controls, rows, shown

REVIEW_TITLE = "Your November 2026 practice review"


def reviews(person: Person) -> list[Message]:
    return person.dms_starting(REVIEW_TITLE)


def practising(person: Person, *techniques: str, at: dict[str, int] | None = None) -> None:
    """Start each technique (at 09:00, or at the minute of the day `at` names for it)."""
    for technique in techniques:
        person.learn(f"practice {technique}")
        minute = (at or {}).get(technique)
        if minute is not None:
            person.press(person.last_line(), "practice_settings")
            person.submit({"time": {"type": "static_select", "selected_option": {"value": str(minute)}}})


def answering_all(bot: Sandbox, person: Person, *, days: int) -> None:
    """Move on a day at a time, pressing Done on every reminder still open (none of them backs off)."""
    for _ in range(days):
        bot.advance(timedelta(days=1))
        for message in person.dms_starting("Today's practice"):
            if "practice_done" in shown(message.blocks):
                person.press(message, "practice_done")


def into_december(bot: Sandbox, person: Person) -> None:
    """From Tuesday 24 November 08:00 London to Tuesday 1 December 18:00, answering every working day."""
    bot.advance(timedelta(hours=2))
    answering_all(bot, person, days=7)
    bot.advance(timedelta(hours=8))


def rating_blocks(message: Message) -> list[str]:
    """The block of each rating the review asks (five buttons each)."""
    return sorted(
        {block_id for element, block_id in controls(message.blocks) if element["action_id"] == "practice_rate:1"}
    )


def local_time(message: Message) -> str:
    sent = datetime.fromtimestamp(int(message.ts.split(".")[0]), UTC).astimezone(ZoneInfo("Europe/London"))
    return sent.strftime("%a %d %H:%M")


def ratings(bot: Sandbox) -> list[tuple[str, int, str]]:
    return sorted((r.skill_key, r.value, r.source) for r in rows(bot, Rating, moment="monthly", rater="self"))


def test_two_practices_of_one_skill_bring_one_review_asking_it_once(shipped: Sandbox) -> None:
    bot, alex = shipped, Person(shipped, "U0ALEX")
    practising(alex, "active-listening", "asking-open-questions")  # both build listening
    into_december(bot, alex)
    [review] = reviews(alex)
    assert local_time(review) == "Tue 01 09:01", "with the first reminder of the month"
    assert len(rows(bot, Delivery, kind="monthly_review")) == 1
    text = shown(review.blocks)
    assert "Active listening" in text and "Asking open questions" in text, "both practices in the one review"
    assert text.count("5 days practised in November 2026") == 2, "each technique with its own days"
    assert text.count("How would you rate your Listening today?") == 1
    assert len(rating_blocks(review)) == 1, "one rating for the one skill"
    assert problems(review.blocks) == []
    alex.press(review, "practice_rate:4")
    alex.press(review, "practice_rate:4")  # a double click
    assert ratings(bot) == [("listening", 4, "review:2026-11")]


def test_two_skills_are_asked_in_the_same_one_review_each_with_its_rubric(shipped: Sandbox) -> None:
    bot, alex = shipped, Person(shipped, "U0ALEX")
    practising(alex, "active-listening", "asking-for-feedback", at={"asking-for-feedback": 14 * 60})
    into_december(bot, alex)
    first_of_december = [
        local_time(m) for m in alex.dms_starting("Today's practice") if local_time(m).startswith("Tue 01")
    ]
    assert first_of_december == ["Tue 01 09:00", "Tue 01 14:00"]
    [review] = reviews(alex)  # the 14:00 reminder, materialised ticks later, brings no second one
    assert local_time(review) == "Tue 01 09:01"
    text = shown(review.blocks)
    assert (
        "How would you rate your Listening today?" in text
        and "How would you rate your Receiving feedback today?" in text
    )
    assert "Often interrupts, finishes others' sentences" in text, "listening's rubric"
    assert "Explains, justifies or goes quiet when criticised" in text, "receiving feedback's rubric"
    assert len(rating_blocks(review)) == 2
    assert problems(review.blocks) == []
    alex.press(review, "practice_rate:3", 0)
    alex.press(review, "practice_rate:5", 1)
    alex.press(review, "practice_rate:5", 1)  # a double click
    assert ratings(bot) == [("listening", 3, "review:2026-11"), ("receiving-feedback", 5, "review:2026-11")]
    assert "at *5* of 5 this month" in shown(alex.last_line().blocks)


def test_a_rating_button_acts_only_on_the_clickers_own_practice(shipped: Sandbox) -> None:
    bot, alex, sam = shipped, Person(shipped, "U0ALEX"), Person(shipped, "U0SAM")
    practising(alex, "active-listening", "asking-for-feedback")
    into_december(bot, alex)
    [review] = reviews(alex)
    sam.learn("help")
    element, block_id = control(review.blocks, "practice_rate:2")
    bot.driver.click(
        "U0SAM",
        element,
        block_id=block_id,
        container={"channel": "D0SAM", "message": review.as_api(with_metadata=False)},
    )
    bot.settle()
    assert "belongs to someone else" in sam.last_line().text
    assert ratings(bot) == [], "nothing is recorded under anyone's name"


def test_each_month_brings_its_own_review_once(shipped: Sandbox) -> None:
    bot, alex = shipped, Person(shipped, "U0ALEX")
    practising(alex, "active-listening", "asking-for-feedback")
    into_december(bot, alex)
    answering_all(bot, alex, days=34)  # to Monday 4 January
    keys = sorted(d.key.split(":", 2)[2] for d in rows(bot, Delivery, kind="monthly_review"))
    assert keys == ["review:2026-11", "review:2026-12"]
    [december] = alex.dms_starting("Your December 2026 practice review")
    assert json.dumps(december.blocks).count("practice_rate:1") == 2


def old_review(subscription_id: int) -> dict[str, Any]:
    """A review as it was queued when reviews were one per practice, its buttons naming the practice."""
    rate = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": str(level)},
            "action_id": f"practice_rate:{level}",
            "value": json.dumps({"s": subscription_id, "o": "review:2026-11", "r": level}),
        }
        for level in range(1, 6)
    ]
    keep = {"type": "button", "text": {"type": "plain_text", "text": "Keep this focus"}, "action_id": "practice_keep"}
    return {
        "text": REVIEW_TITLE,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "How would you rate your Listening today?"}},
            {"type": "actions", "elements": rate, "block_id": f"review_rating:{subscription_id}"},
            {"type": "actions", "elements": [{**keep, "value": json.dumps({"s": subscription_id})}]},
        ],
    }


def test_a_review_queued_per_practice_before_the_upgrade_is_sent_and_the_month_not_reviewed_again(
    bot: Sandbox, alex: Person
) -> None:
    alex.learn("practice active-listening")
    bot.advance(timedelta(hours=2))
    answering_all(bot, alex, days=6)  # Monday 30 November
    [subscription] = rows(bot, PracticeSubscription)
    key = DeliveryKey("practice_review", subscription.id, occasion="review:2026-11")
    due = datetime(2026, 12, 1, 9, 1, tzinfo=UTC)
    queued = NewDelivery.to_person(
        alex.ref, key=key, payload=old_review(subscription.id), due_at=due, expires_at=due + timedelta(hours=2)
    )
    with transaction(bot.runtime.sessions) as session:
        outbox.enqueue(session, [queued], now=bot.clock.now())
    answering_all(bot, alex, days=1)  # Tuesday 1 December: its first reminder
    [review] = reviews(alex)
    assert local_time(review) == "Tue 01 09:01"
    assert rows(bot, Delivery, kind="monthly_review") == [], "November was reviewed already"
    alex.press(review, "practice_rate:4")
    alex.press(review, "practice_rate:4")
    assert ratings(bot) == [("listening", 4, "review:2026-11")]
    alex.press(review, "practice_keep")
    assert alex.last_line().text == "Keeping your focus"


def test_a_review_that_can_never_reach_the_person_pauses_every_practice_of_theirs(shipped: Sandbox) -> None:
    bot, alex = shipped, Person(shipped, "U0ALEX")
    practising(alex, "active-listening", "asking-for-feedback")
    bot.advance(timedelta(hours=2))
    answering_all(bot, alex, days=6)  # Monday 30 November, 10:00
    bot.advance(timedelta(hours=23))  # Tuesday 1 December 09:00: both reminders sent, the review comes next
    bot.emulator.fail("chat.postMessage", "error", error="user_disabled")
    bot.advance(timedelta(minutes=1))
    assert [d.status for d in rows(bot, Delivery, kind="monthly_review")] == ["failed"]
    paused = {(s.technique_key, s.status, s.pause_reason) for s in rows(bot, PracticeSubscription)}
    assert paused == {
        ("active-listening", "paused", "user_disabled"),
        ("asking-for-feedback", "paused", "user_disabled"),
    }
