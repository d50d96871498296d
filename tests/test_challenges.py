"""Challenges through the real Bolt app and the strict emulator: proposed with consent, accepted with a
baseline, lived in a thread (check-ins at the person's 10:00, replies kept as private reflections, progress
on the card), and refused to anyone but the participant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.challenges.models import Challenge, ChallengeEntry
from bot.measurement.models import Rating
from bot.outbox.models import Delivery
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from tests.harness import START, Person, control, rows, shown

THURSDAY_10_NEW_YORK = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def option(value: str, kind: str = "radio_buttons") -> dict[str, Any]:
    return {"type": kind, "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}


def top(person: Person, starting: str) -> Message:
    found = [m for m in person.dms() if not m.thread_ts and m.first_text.startswith(starting)]
    assert found, f"no DM starting {starting!r} among {[m.first_text for m in person.dms()]}"
    return found[-1]


def thread_of(bot: Sandbox, card: Message) -> list[Message]:
    return [m for m in bot.emulator.messages_in(card.channel) if m.thread_ts == card.ts and m.ts != card.ts]


def propose(manager: Person, text: str) -> None:
    assert manager.command("/challenge", text).status == 200
    window = manager.window()
    assert window.view["callback_id"] == "challenge_propose"
    assert manager.submit().status == 200
    manager.close()


def test_the_remote_work_challenge_from_proposal_to_logged_progress(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    propose(manager, "<@U0SAM|sam> <@U0PRIYA|priya> remote-best-work")
    assert "Proposed to <@U0SAM>, <@U0PRIYA>" in shown(manager.dms()[-1].blocks)

    shipped.run_tick(START)  # 03:00 in New York: the proposal waits for Sam's working hours
    assert not report.dms()
    invitation = top(other, "A challenge for you")  # 13:30 in Kolkata
    assert "Three conversations about remote work" in shown(invitation.blocks)
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # 09:00 in New York
    invitation = top(report, "A challenge for you")
    assert "<@U0ALEX> proposes a challenge for you" in shown(invitation.blocks)

    # Sam accepts with a baseline of 2 and lets Alex see the ratings
    report.press(invitation, "challenge_accept")
    window = report.window()
    assert "Level 2" in shown(window.view["blocks"])
    share = {"type": "checkboxes", "selected_options": [{"text": {"type": "mrkdwn", "text": "x"}, "value": "yes"}]}
    assert report.submit({"baseline": option("2"), "share": share}).status == 200
    assert "Started" in shown(report.window().view), "the window says what was saved"
    report.close()
    [challenge] = rows(shipped, Challenge, person_id=report.ref.person_id)
    assert challenge.status == "active" and challenge.share_ratings
    [baseline] = rows(shipped, Rating, person_id=report.ref.person_id)
    assert (baseline.rater, baseline.moment, baseline.value) == ("self", "baseline", 2)
    card = top(report, "Your challenge: Three conversations about remote work")  # at once, not at the next tick

    shipped.run_tick(datetime(2026, 11, 24, 14, 5, tzinfo=UTC))
    assert "0 of 3 conversations" in shown(card.blocks) and "Thu 26 Nov 10:00" in shown(card.blocks)
    assert "<@U0SAM> accepted" in shown(top(manager, "An answer about").blocks)

    # Priya asks for three weeks instead; Alex agrees; she is asked again with the new terms
    other.press(invitation_of(other), "challenge_change")
    assert other.submit({"days": option("21", "static_select")}).status == 200
    other.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 6, tzinfo=UTC))
    answer = top(manager, "An answer about")
    assert "<@U0PRIYA> would take on" in shown(answer.blocks) and "21 days instead of 14" in shown(answer.blocks)
    manager.press(answer, "challenge_agree")
    shipped.run_tick(datetime(2026, 11, 24, 14, 10, tzinfo=UTC))
    assert len([m for m in other.dms() if m.first_text.startswith("A challenge for you")]) == 1, "19:40 in Kolkata"
    shipped.run_tick(datetime(2026, 11, 25, 3, 30, tzinfo=UTC))  # 09:00 in Kolkata
    again = top(other, "A challenge for you")
    assert "agreed to your change" in shown(again.blocks) and "21 days" in shown(again.blocks)

    # the day-3 check-in arrives in Sam's thread at 10:00 New York time, not before
    shipped.run_tick(THURSDAY_10_NEW_YORK - timedelta(minutes=1))
    assert not thread_of(shipped, card)
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    [checkin] = thread_of(shipped, card)
    assert "Who are you going to talk to" in shown(checkin.blocks)
    [sent] = [d for d in rows(shipped, Delivery, kind="challenge_checkin")]
    assert sent.sent_at is not None and sent.sent_at.replace(tzinfo=UTC) == THURSDAY_10_NEW_YORK

    # she replies in the thread: a private reflection, acknowledged there
    reply_in_thread(shipped, report, card, "Talked to Jo: no-meeting mornings help most.")
    [entry] = rows(shipped, ChallengeEntry, person_id=report.ref.person_id)
    assert (entry.kind, entry.text, entry.checkin_day) == (
        "reflection",
        "Talked to Jo: no-meeting mornings help most.",
        3,
    )
    assert "private reflection" in thread_of(shipped, card)[-1].text

    # she logs three conversations: the card says so
    report.press(card, "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "3"}}).status == 200
    card = top(report, "Your challenge: Three conversations about remote work")
    assert card.edited and "3 of 3 conversations" in shown(card.blocks)


def invitation_of(person: Person) -> Message:
    return top(person, "A challenge for you")


def reply_in_thread(bot: Sandbox, person: Person, card: Message, text: str) -> None:
    state = bot.emulator.state
    with state.lock:
        ts = state.next_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": card.channel,
        "user": person.user_id,
        "text": text,
        "ts": ts,
        "thread_ts": card.ts,
    }
    assert bot.driver.event(event).status == 200
    bot.settle()


def cohort(shipped: Sandbox, manager: Person, *people: Person, template: str = "remote-best-work") -> None:
    """Propose one challenge to several people; each accepts with a baseline of 3, and their cards are posted."""
    propose(manager, " ".join(f"<@{person.user_id}>" for person in people) + f" {template}")
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    for person in people:
        person.press(top(person, "A challenge for you"), "challenge_accept")
        assert person.submit({"baseline": option("3")}).status == 200
        person.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 1, tzinfo=UTC))


def accepted(shipped: Sandbox, manager: Person, report: Person, text: str = "<@U0SAM> remote-best-work") -> Message:
    """Propose to Sam, let it reach him, accept with a baseline of 3, and return the thread's card."""
    propose(manager, text)
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    report.press(top(report, "A challenge for you"), "challenge_accept")
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 1, tzinfo=UTC))
    return top(report, "Your challenge:")


def test_refusals_show_under_their_field_and_nothing_is_queued(shipped: Sandbox, manager: Person) -> None:
    def refusal(text: str, values: dict[str, Any] | None = None) -> dict[str, str]:
        assert manager.command("/challenge", text).status == 200
        reply = manager.submit(values)
        manager.close()
        return dict(reply.json()["errors"]) if reply.body else {}

    assert refusal("<@U0ALEX> remote-best-work") == {
        "colleagues": "You can't propose a challenge to yourself; ask a colleague to propose one to you."
    }
    assert refusal("<@U0SAM>") == {"title": "Pick a challenge from the list, or give yours a title."}
    custom = {
        "title": {"type": "plain_text_input", "value": "Run a retro"},
        "brief": {"type": "plain_text_input", "value": "Run one."},
    }
    assert refusal("<@U0SAM>", custom) == {"skill": "Pick the skill it grows."}
    past = {"start": {"type": "datepicker", "selected_date": "2026-11-01"}}
    assert refusal("<@U0SAM> remote-best-work", past) == {"start": "Pick a start date from today to two months ahead."}
    many = {"colleagues": {"type": "multi_users_select", "selected_users": [f"U0P{i:02d}" for i in range(11)]}}
    assert refusal("remote-best-work", many) == {"colleagues": "Propose to at most 10 colleagues at once."}
    assert not rows(shipped, Challenge) and not rows(shipped, Delivery)


def test_opted_out_unknown_and_recently_declined_colleagues_are_not_asked(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    Person(shipped, "U0JO").learn("optout")
    assert manager.command("/challenge", "<@U0JO> remote-best-work").status == 200
    assert manager.submit().json()["errors"] == {"colleagues": "I can't send challenges to Jo Müller."}
    manager.close()
    propose(manager, "<@U0NOBODY> remote-best-work")
    assert "I can't find <@U0NOBODY> in this workspace." in shown(manager.dms()[-1].blocks)
    assert not rows(shipped, Challenge)

    propose(manager, "<@U0SAM> remote-best-work")
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    report.press(top(report, "A challenge for you"), "challenge_decline")
    assert "you declined *Three conversations about remote work*" in top(report, "A challenge for you").text
    assert manager.command("/challenge", "<@U0SAM> remote-best-work").status == 200
    errors = manager.submit().json()["errors"]
    assert errors == {
        "colleagues": "Sam Chen said no to this challenge recently; you can propose it again from Thu 24 Dec."
    }
    shipped.run_tick(datetime(2026, 11, 24, 14, 1, tzinfo=UTC))
    assert "<@U0SAM> declined" in shown(top(manager, "An answer about").blocks), "the proposer hears the answer"


def test_only_the_participant_can_log_or_reflect_and_only_the_proposer_can_agree(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    card = accepted(shipped, manager, report)
    [challenge] = rows(shipped, Challenge)
    for intruder in (manager, other):  # the proposer too: the challenge is Sam's
        intruder.press(card, "challenge_log")
        assert "belongs to someone else" in intruder.ephemerals()[-1].text
        assert not shipped.emulator.open_views(intruder.user_id)
    manager.press(card, "challenge_reflect")
    assert not rows(shipped, ChallengeEntry)
    report.press(top(report, "A challenge for you"), "challenge_accept")  # pressing Accept again changes nothing
    assert rows(shipped, Challenge)[0].status == "active" and len(rows(shipped, Rating)) == 1
    other.press(top(report, "A challenge for you"), "challenge_accept")  # a payload carrying Sam's challenge id
    assert "belongs to someone else" in other.ephemerals()[-1].text
    assert rows(shipped, Challenge)[0].progress == challenge.progress == 0


def test_repeated_ticks_send_each_checkin_once_and_downtime_skips_rather_than_floods(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    for _ in range(3):
        shipped.run_tick(THURSDAY_10_NEW_YORK)
    assert len(thread_of(shipped, card)) == 1
    # the bot is down from Friday until the Wednesday after: the day-7 check-in (Mon 30 Nov) is not sent late
    shipped.run_tick(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    assert len(thread_of(shipped, card)) == 1
    shipped.run_tick(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))  # day 11: Fri 04 Dec 10:00 in New York
    replies = thread_of(shipped, card)
    assert len(replies) == 2 and "patterns" in shown(replies[-1].blocks)
    challenge_id = rows(shipped, Challenge)[0].id
    keys = sorted(d.key for d in rows(shipped, Delivery, kind="challenge_checkin"))
    assert keys == [f"challenge_checkin:{challenge_id}:day:11", f"challenge_checkin:{challenge_id}:day:3"]


@pytest.mark.parametrize(
    ("zone_name", "start", "day", "expected_utc"),
    [
        # New York leaves summer time on Sun 1 Nov 2026: a day-3 check-in from Thu 29 Oct falls on Saturday,
        # moves to Monday, and 10:00 there is 15:00 UTC (it was 14:00 UTC the week before)
        ("America/New_York", "2026-10-29", 3, datetime(2026, 11, 2, 15, 0, tzinfo=UTC)),
        ("America/New_York", "2026-10-26", 3, datetime(2026, 10, 28, 14, 0, tzinfo=UTC)),
        # London leaves summer time on Sun 25 Oct 2026; Sydney enters it on Sun 4 Oct 2026
        ("Europe/London", "2026-10-23", 4, datetime(2026, 10, 26, 10, 0, tzinfo=UTC)),
        ("Australia/Sydney", "2026-10-01", 5, datetime(2026, 10, 4, 23, 0, tzinfo=UTC)),  # Mon 10:00 AEDT
        ("Asia/Kolkata", "2026-11-24", 3, datetime(2026, 11, 26, 4, 30, tzinfo=UTC)),
    ],
)
def test_checkins_fall_at_10_local_on_working_days_across_dst(
    zone_name: str, start: str, day: int, expected_utc: datetime
) -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.challenges.planning import checkin_instant, last_day, plan_next
    from bot.challenges.types import CheckinSpec, NextStep

    challenge = Challenge(start_date=date.fromisoformat(start), days=14, checkins=(CheckinSpec(day, "?"),))
    assert checkin_instant(challenge, day, ZoneInfo(zone_name), frozenset()) == expected_utc
    holiday = expected_utc.astimezone(ZoneInfo(zone_name)).date()
    moved = checkin_instant(challenge, day, ZoneInfo(zone_name), frozenset({holiday}))
    assert moved is not None and moved.astimezone(ZoneInfo(zone_name)).date() > holiday, "a holiday moves it on"
    plan_next(challenge, ZoneInfo(zone_name), frozenset(), after=expected_utc)
    assert challenge.next_step is NextStep.CLOSE, "after its last check-in comes the close"
    close = challenge.next_at
    assert close is not None
    local = close.astimezone(ZoneInfo(zone_name))
    assert (local.hour, local.minute) == (10, 0) and local.date() >= last_day(challenge)


def test_a_checkin_that_would_land_on_the_last_day_gives_way_to_the_close() -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.challenges.planning import checkin_instant

    challenge = Challenge(start_date=date(2026, 11, 24), days=14, checkins=())  # last day Mon 07 Dec
    assert checkin_instant(challenge, 11, ZoneInfo("UTC"), frozenset({date(2026, 12, 4)})) is None


MONDAY_7_DEC_10_NEW_YORK = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # the last day of a challenge from 24 Nov


def test_the_remote_work_challenge_ends_rated_summed_up_shared_and_asked_whether_it_stuck(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    assert manager.command("/challenge", "<@U0SAM> remote-best-work").status == 200
    peers = {"channel": {"type": "conversations_select", "selected_conversation": "C0MANAGERS"}}
    assert manager.submit(peers).status == 200
    manager.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    report.press(top(report, "A challenge for you"), "challenge_accept")
    share = {"type": "checkboxes", "selected_options": [{"text": {"type": "mrkdwn", "text": "x"}, "value": "yes"}]}
    assert report.submit({"baseline": option("2"), "share": share}).status == 200
    report.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 1, tzinfo=UTC))
    card = top(report, "Your challenge:")
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    reply_in_thread(shipped, report, card, "Jo works best with no-meeting mornings.")
    report.press(card, "challenge_reflect")
    asked = shown(report.window().view["blocks"])
    assert "Which of your own habits make remote work harder for them?" in asked, "the template's next question"
    assert report.submit({"text": {"type": "plain_text_input", "value": "Ask before assuming."}}).status == 200
    report.close()
    report.press(card, "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "3"}}).status == 200
    report.close()

    # the last day: the close arrives in the thread at 10:00 in New York and the card says it finished
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK - timedelta(minutes=1))
    assert not [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    assert "You got to 3 of 3 conversations" in shown(closing.blocks)
    card = top(report, "Your challenge:")
    assert "Finished." in shown(card.blocks) and "challenge_log" not in shown(card.blocks)

    # two ratings (a missing one is refused under its field), then the draft from her own reflections
    report.press(closing, "challenge_close")
    assert "Where I am now" in shown(report.window().view["blocks"])
    assert report.submit({"after": option("4")}).json()["errors"] == {
        "before": "Pick where you were before the challenge, thinking back."
    }
    assert report.submit({"after": option("4"), "before": option("2")}).status == 200
    report.close()
    ratings = {(r.rater, r.moment): r.value for r in rows(shipped, Rating, person_id=report.ref.person_id)}
    assert ratings == {("self", "baseline"): 2, ("self", "after"): 4, ("self", "retrospective"): 2}
    [draft] = [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]
    assert "What I tried:" in shown(draft.blocks) and "(in your own words)" in shown(draft.blocks), (
        "a template to fill in"
    )
    assert "Jo works best" not in shown(draft.blocks), "private reflections are never pasted into a draft"

    # the proposer, whom she allowed to see her ratings, is asked for theirs
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=1))
    ask = top(manager, "How did Three conversations about remote work go?")
    assert "They rate themselves at the start: 2, now: 4" in shown(ask.blocks)
    picker, _ = control(ask.blocks, "challenge_observe")
    manager.press(ask, "challenge_observe", selected_option=picker["options"][3])
    proposer_rating = rows(shipped, Rating, rater="proposer")
    assert [(r.moment, r.value, r.person_id) for r in proposer_rating] == [("after", 4, report.ref.person_id)]

    # she edits the summary as she shares it to #managers, sees exactly what will be posted, then posts it
    report.press(draft, "challenge_share")
    window = report.window()
    assert "<#C0MANAGERS>" in shown(window.view["blocks"]) and "What I tried" in shown(window.view["blocks"])
    assert "What's one thing you learned about what helps people" in shown(window.view["blocks"]), "its prompt"
    assert report.submit(window=window).json()["errors"] == {
        "summary": "Replace each (in your own words) with what you would say, or delete that line."
    }
    edited = {"type": "plain_text_input", "value": "- Ask people what helps; *don't* assume.\n- Mornings matter."}
    assert report.submit({"summary": edited}, window=window).json()["errors"] == {"place": "Pick where to share it."}
    assert report.submit({"summary": edited, "place": option("peers")}, window=window).status == 200
    preview = report.window()
    assert "This will be posted in <#C0MANAGERS>" in shown(preview.view["blocks"])
    assert "*don't* assume" in shown(preview.view["blocks"]), "her formatting shows as formatting"
    assert not shipped.emulator.messages_in("C0MANAGERS"), "nothing is posted before she says so"
    assert report.submit(window=preview).status == 200
    assert "Shared in <#C0MANAGERS>" in shown(report.window().view)
    report.close()
    [posted] = shipped.emulator.messages_in("C0MANAGERS")  # at once
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=2))
    assert len(shipped.emulator.messages_in("C0MANAGERS")) == 1
    assert "<@U0SAM> shares what they learned from *Three conversations about remote work*" in shown(posted.blocks)
    assert "Ask people what helps" in shown(posted.blocks) and "Jo works best" not in shown(posted.blocks)
    [challenge] = rows(shipped, Challenge, person_id=report.ref.person_id)
    assert challenge.summary_edited and challenge.shared_to == "peers"

    # a week later, one DM: did it stick? Then something to do next
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(days=7, minutes=-1))
    assert not report.dms_starting("Did it stick?")
    for _ in range(2):
        shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(days=7))
    [stick] = report.dms_starting("Did it stick?")
    report.press(stick, "challenge_stick:4")
    stuck = [r for r in rows(shipped, Rating, person_id=report.ref.person_id) if r.moment == "did_it_stick"]
    assert [r.value for r in stuck] == [4]
    answered = report.dms()[-1]
    assert answered.ts == stick.ts and "Thanks for answering" in shown(answered.blocks), "the question is replaced"
    assert "Practise daily" in shown(answered.blocks)
    report.press(answered, "challenge_practise")
    assert "You're practising" in shown(report.last_line().blocks)
