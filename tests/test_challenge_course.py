"""A challenge's course through the real Bolt app and the strict emulator: being stuck, asking again
tomorrow, unanswered check-ins backing off, pause and resume, extending, withdrawing, the proposer's cancel,
opting out mid-challenge, cohorts, and a follow-on challenge a person takes on themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.challenges.models import Challenge
from bot.outbox.models import Delivery
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from tests.harness import Person, rows, shown
from tests.test_challenges import (
    MONDAY_7_DEC_10_NEW_YORK,
    THURSDAY_10_NEW_YORK,
    accepted,
    cohort,
    option,
    propose,
    reply_in_thread,
    thread_of,
    top,
)


def challenge_of(bot: Sandbox, person: Person) -> Challenge:
    [found] = rows(bot, Challenge, person_id=person.ref.person_id)
    return found


def test_stuck_offers_the_skills_resources_and_a_tip_and_counts_as_an_answer(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    [checkin] = thread_of(shipped, card)
    assert challenge_of(shipped, report).unanswered == 1
    report.press(checkin, "challenge_stuck")
    offer = report.last_line()
    assert "A few things that may help" in offer.text and "resource_" in shown(offer.blocks)
    assert challenge_of(shipped, report).unanswered == 0, "being stuck is an answer"
    report.press(offer, "challenge_tip")
    assert "Pick the smallest version of" in report.last_line().text  # the template (no model in the sandbox)
    for intruder in (manager, Person(shipped, "U0PRIYA")):
        intruder.press(checkin, "challenge_stuck")
        assert "belongs to someone else" in intruder.last_line().text


def test_ask_me_tomorrow_repeats_the_checkin_once_on_the_next_working_day(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    [checkin] = thread_of(shipped, card)
    shipped.clock.set(THURSDAY_10_NEW_YORK + timedelta(minutes=5))
    report.press(checkin, "challenge_snooze")
    assert "next working day" in report.last_line().text
    report.press(checkin, "challenge_snooze")
    assert "already snoozed" in report.last_line().text
    shipped.run_tick(THURSDAY_10_NEW_YORK + timedelta(hours=23))
    assert len(thread_of(shipped, card)) == 1
    shipped.run_tick(THURSDAY_10_NEW_YORK + timedelta(days=1, minutes=5))  # Fri 10:05 in New York
    replies = thread_of(shipped, card)
    assert len(replies) == 2 and replies[1].first_text == checkin.first_text


def test_unanswered_checkins_ask_once_then_pause_and_resuming_moves_the_end(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(THURSDAY_10_NEW_YORK)  # day 3, unanswered
    shipped.run_tick(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # day 7 (Mon 30 Nov): would a pause help?
    first, second = thread_of(shipped, card)
    assert "Would a pause help" not in shown(first.blocks) and "Would a pause help" in shown(second.blocks)
    shipped.run_tick(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))  # day 11: paused instead of a third question
    paused = thread_of(shipped, card)[-1]
    assert "so I've paused" in shown(paused.blocks)
    challenge = challenge_of(shipped, report)
    assert (challenge.status, challenge.days, challenge.next_at) == ("paused", 14, None)
    assert "Paused." in shown(top(report, "Your challenge:").blocks), "the card says so"
    shipped.run_tick(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))  # the old last day: no close while paused
    assert not [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]

    shipped.clock.set(datetime(2026, 12, 8, 14, 0, tzinfo=UTC))  # Tue 8 Dec, four days after pausing
    report.press(paused, "challenge_resume")
    challenge = challenge_of(shipped, report)
    assert (challenge.status, challenge.days, challenge.unanswered) == ("active", 18, 0)
    card = top(report, "Your challenge:")
    assert "last day Fri 11 Dec" in shown(card.blocks)
    shipped.run_tick(datetime(2026, 12, 11, 15, 0, tzinfo=UTC))
    assert [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]


def test_any_answer_resets_the_count_so_the_next_checkin_does_not_ask(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    reply_in_thread(shipped, report, card, "Spoke to Jo.")
    shipped.run_tick(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    assert "Would a pause help" not in shown(thread_of(shipped, card)[-1].blocks)


def test_extend_withdraw_and_the_proposer_hears_it_stopped(shipped: Sandbox, manager: Person, report: Person) -> None:
    card = accepted(shipped, manager, report)
    report.press(card, "challenge_extend")
    assert "21 days in all" in report.last_line().text
    assert "last day Mon 14 Dec" in shown(top(report, "Your challenge:").blocks)
    for _ in range(6):
        report.press(card, "challenge_extend")
    assert "60 days at most" in report.last_line().text and challenge_of(shipped, report).days == 56
    manager.press(card, "challenge_withdraw")
    assert "belongs to someone else" in manager.last_line().text and challenge_of(shipped, report).status == "active"
    report.press(card, "challenge_withdraw")
    assert challenge_of(shipped, report).status == "withdrawn"
    assert "Stopped." in shown(top(report, "Your challenge:").blocks)
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    assert not thread_of(shipped, card), "nothing more is sent"
    assert "<@U0SAM> stopped" in shown(top(manager, "An answer about").blocks)


def test_only_the_proposer_can_cancel_and_only_what_is_unanswered_is_cancelled(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> <@U0PRIYA> remote-best-work")
    sent = manager.dms()[-1]
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    report.press(top(report, "A challenge for you"), "challenge_accept")
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    report.press(sent, "challenge_cancel")  # a colleague pressing the proposer's button
    assert "Only the person who proposed it" in report.last_line().text
    manager.press(sent, "challenge_cancel")
    assert manager.last_line().text == "Cancelled."
    statuses = {c.person_id: c.status for c in rows(shipped, Challenge)}
    priya = Person(shipped, "U0PRIYA")
    assert statuses == {report.ref.person_id: "active", priya.ref.person_id: "cancelled"}
    invitations = [d for d in rows(shipped, Delivery, kind="challenge_invite") if d.person_id == priya.ref.person_id]
    assert invitations and all(d.status in ("sent", "cancelled") for d in invitations)
    priya.press(top(priya, "A challenge for you"), "challenge_accept")
    assert "That proposal was cancelled." in priya.last_line().text


def test_opting_out_mid_challenge_stops_it_and_everything_queued(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(THURSDAY_10_NEW_YORK - timedelta(hours=1))  # the check-in is queued ahead of time
    assert [d.status for d in rows(shipped, Delivery, kind="challenge_checkin")] == ["pending"]
    report.learn("optout")
    assert challenge_of(shipped, report).status == "withdrawn"
    assert [d.status for d in rows(shipped, Delivery, kind="challenge_checkin")] == ["cancelled"]
    for at in (
        THURSDAY_10_NEW_YORK,
        datetime(2026, 12, 7, 15, 0, tzinfo=UTC),
        datetime(2026, 12, 14, 15, 0, tzinfo=UTC),
    ):
        shipped.run_tick(at)
    assert not thread_of(shipped, card) and not report.dms_starting("Did it stick?")


def test_a_cohort_sees_counts_not_names_until_someone_shares(shipped: Sandbox, manager: Person, report: Person) -> None:
    priya = Person(shipped, "U0PRIYA")
    cohort(shipped, manager, report, priya)
    card = top(report, "Your challenge:")
    report.press(card, "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "1"}}).status == 200
    report.close()
    text = shown(top(report, "Your challenge:").blocks)
    assert "*Cohort:* 2 of 2 on track" in text and "U0PRIYA" not in text


def test_a_follow_on_challenge_is_one_a_person_takes_on_themselves(shipped: Sandbox, report: Person) -> None:
    form = shipped.services.challenge_answers.take_on(report.ref, "one-overdue-piece-of-feedback")
    assert form.proposer_user_id is None and form.skill_name
    [challenge] = rows(shipped, Challenge, person_id=report.ref.person_id)
    assert (challenge.status, challenge.answer_due_at) == ("proposed", None)
    again = shipped.services.challenge_answers.take_on(report.ref, "one-overdue-piece-of-feedback")
    assert again.challenge_id == challenge.id, "taking it on twice is one challenge"
    card = shipped.services.challenge_answers.accept(report.ref, challenge.id, baseline=2, share=False)
    assert card.proposer_user_id is None and card.status == "active"
    shipped.run_tick()
    assert not rows(shipped, Delivery, kind="challenge_answer"), "nobody is told they accepted their own"


def finished(shipped: Sandbox, manager: Person, report: Person) -> Message:
    """Sam's challenge, through its last day and his two ratings; returns the draft summary in the thread."""
    card = accepted(shipped, manager, report)
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    report.press(closing, "challenge_close")
    assert report.submit({"after": option("4"), "before": option("2")}).status == 200
    report.close()
    [draft] = [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]
    return draft


WRITTEN = {"summary": {"type": "plain_text_input", "value": "I tried asking first. I'll keep asking."}}


def share(report: Person, where: Message, values: dict[str, Any]) -> tuple[str, str]:
    """Press Share on `where`, fill the window in, and post what the preview shows; returns what the preview
    and then the window said."""
    report.press(where, "challenge_share")
    assert report.submit({**WRITTEN, **values}).status == 200
    preview = report.window()
    previewed = shown(preview.view)
    assert preview.view["callback_id"] == "challenge_share_confirm", previewed
    assert report.submit(window=preview).status == 200
    said = shown(report.window().view)
    report.close()
    return previewed, said


def test_a_summary_shared_where_the_bot_cannot_post_comes_back_and_sharing_again_posts_again(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    draft = finished(shipped, manager, report)
    report.press(draft, "challenge_share")
    elsewhere = {"type": "conversations_select", "selected_conversation": "G0LEADS"}
    assert report.submit({**WRITTEN, "place": option("elsewhere")}).json()["errors"] == {
        "elsewhere": "Pick the channel or conversation to share it in."
    }
    report.close()
    preview, said = share(report, draft, {"place": option("elsewhere"), "elsewhere": elsewhere})
    assert "This will be posted in <#G0LEADS>" in preview and "Shared in <#G0LEADS>" in said
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=1))
    assert not shipped.emulator.messages_in("G0LEADS")
    assert challenge_of(shipped, report).shared_at is None
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=2))
    told = [m for m in shipped.emulator.messages_in(draft.channel) if m.first_text.startswith("I couldn't post")]
    assert len(told) == 1 and "Invite me there" in shown(told[0].blocks) and told[0].thread_ts == draft.thread_ts

    # she invites the bot and shares it again to the same channel: it is posted, not dropped as a repeat
    shipped.emulator.state.channels["G0LEADS"].bot_member = True
    shipped.clock.set(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=3))
    _, said = share(report, told[0], {"place": option("elsewhere"), "elsewhere": elsewhere})
    assert "Shared in <#G0LEADS>" in said and "on its way already" not in said
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=4))
    [posted] = shipped.emulator.messages_in("G0LEADS")
    assert "<@U0SAM> shares what they learned" in shown(posted.blocks)
    assert challenge_of(shipped, report).shared_to == "elsewhere"

    share(report, told[0], {"place": option("proposer")})
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=5))
    assert "<@U0SAM> shares what they learned" in shown(top(manager, "What I learned from").blocks)


def test_keeping_it_private_shares_nothing_and_the_summary_is_kept(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    draft = finished(shipped, manager, report)
    report.press(draft, "challenge_keep_private")
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=5))
    assert not rows(shipped, Delivery, kind="challenge_share")
    assert challenge_of(shipped, report).summary and "What I learned" in shown(top(report, "Your challenge:").blocks)
    history = shown(report.home()["blocks"])
    assert "*Finished* (your summaries are yours)" in history and "What I tried:" in history
    proposed = shown(manager.home()["blocks"])
    assert "<@U0SAM>: finished" in proposed and "rates themselves" not in proposed, "ratings only if allowed"
    assert "What I tried" not in proposed, "a summary kept private is not the proposer's to read"


def test_the_home_tab_shows_mine_waiting_proposed_and_finished(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> <@U0PRIYA> remote-best-work")
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    priya = Person(shipped, "U0PRIYA")
    waiting = priya.home()
    assert "proposed by <@U0ALEX>" in shown(waiting["blocks"]) and "challenge_accept" in shown(waiting["blocks"])
    report.press(report.home(), "challenge_accept")  # accepting from the Home tab
    share = {"type": "checkboxes", "selected_options": [{"text": {"type": "mrkdwn", "text": "x"}, "value": "yes"}]}
    assert report.submit({"baseline": option("2"), "share": share}).status == 200
    report.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 1, tzinfo=UTC))
    mine = shown(report.home()["blocks"])
    assert "0 of 3 conversations" in mine and "*Next check-in:* Thu 26 Nov 10:00" in mine and "challenge_pause" in mine

    proposed = shown(manager.home()["blocks"])
    assert "You proposed 1 challenge" in proposed and "*Three conversations about remote work* · proposed" in proposed
    assert "<@U0SAM>: going · 0 of 3 conversations · rated themselves 2 at the start · latest Tue 24 Nov" in proposed
    assert "<@U0PRIYA>: not answered yet" in proposed and "challenge_cancel" in proposed

    report.press(report.home(), "challenge_pause")
    assert "days left · paused" in shown(shipped.emulator.home_view("U0SAM") or {}), "refreshed after pausing"
    assert "challenge_resume" in shown(report.home()["blocks"])
    priya.press(priya.home(), "challenge_decline")
    assert "challenge_accept" not in shown(shipped.emulator.home_view("U0PRIYA") or {}), "refreshed after declining"
