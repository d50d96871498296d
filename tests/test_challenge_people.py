"""What people see of challenges beyond their thread, through the real Bolt app and the strict emulator:
progress typed in the DM, a manager's list of what they proposed (nudge, edit, summaries shared with them),
what a template asks before it is sent and whom it may not fit, sharing without surprises, one's own
reflections read back before the end, the daily cap on invitations, and work done after a window closed
that a crash does not lose."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest

from bot.challenges import proposals
from bot.challenges.models import Challenge, ChallengeEntry, ChallengeProposal
from bot.challenges.proposal_types import NewProposal, Problem
from bot.challenges.revising import ANSWERED
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.library.models import ResourceEvent, Search
from bot.outbox.models import Delivery
from bot.sandbox.forms import state_values
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.state import Message, View
from bot.slack.blocks.challenge_windows import CUSTOM, PICK
from tests.harness import ROOT, START, Person, rows, shown
from tests.test_challenges import (
    MONDAY_7_DEC_10_NEW_YORK,
    THURSDAY_10_NEW_YORK,
    accepted,
    option,
    propose,
    reply_in_thread,
    thread_of,
    top,
)

T = TypeVar("T")
SAM_MORNING = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 09:00 in New York: invitations reach Sam
SEVEN = (
    "remote-best-work",
    "specific-praise-three-people",
    "summarise-before-advising",
    "ask-three-people-for-feedback",
    "write-down-two-decisions",
    "check-the-why-landed",
    "recent-joiners-unwritten-rules",
)


def in_window(view: View) -> dict[str, Any]:
    """A window as a press inside it carries it (its id, for the redraw)."""
    return {**view.view, "id": view.id}


def accept(person: Person, baseline: str = "3") -> None:
    person.press(top(person, "A challenge for you"), "challenge_accept")
    assert person.submit({"baseline": option(baseline)}).status == 200
    person.close()


# -- 12: a manager's view of what they proposed ----------------------------------------------------------------
def test_a_manager_with_seven_proposals_sees_who_what_since_when_and_the_latest_page_by_page(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    for minutes, key in enumerate(SEVEN):
        shipped.clock.set(START + timedelta(minutes=minutes))
        propose(manager, f"<@U0SAM> {key}")
    shipped.run_tick(SAM_MORNING)
    [remote] = [m for m in report.dms() if "Three conversations about remote work" in shown(m.blocks)]
    report.press(remote, "challenge_accept")
    assert report.submit({"baseline": option("2")}).status == 200
    report.close()
    shipped.clock.set(datetime(2026, 11, 26, 16, 0, tzinfo=UTC))  # Thursday: Sam logs a conversation
    report.press(top(report, "Your challenge:"), "challenge_log")
    assert report.submit({"count": {"type": "number_input", "value": "1"}}).status == 200
    report.close()

    assert manager.command("/challenge").status == 200
    listed = shown(manager.last_line().blocks)
    assert "You have no challenge going on" not in listed, "seven proposals are not nothing"
    assert "*You proposed 7 challenges*" in listed and "challenge_proposed" in listed
    assert listed.count("<@U0SAM>: not answered yet") == 3, "the newest three, then See them all"
    assert "*Capture the unwritten rules from recent joiners* · proposed Tue 24 Nov" in listed
    home = shown(manager.home()["blocks"])
    assert "*You proposed 7 challenges*" in home and home.count("<@U0SAM>: not answered yet") == 2

    manager.press(manager.last_line(), "challenge_proposed")
    first = manager.window()
    page = shown(first.view["blocks"])
    assert first.view["title"]["text"] == "Challenges you proposed" and "Page 1 of 2" in page
    assert page.count("<@U0SAM>: not answered yet") == 5 and "Three conversations about remote work" not in page
    manager.press(in_window(first), "challenge_proposed")  # Older
    second = manager.window()
    page = shown(second.view["blocks"])
    assert second.id == first.id and "Page 2 of 2" in page, "the same window, turned"
    assert page.count("not answered yet") == 1
    assert (
        "*Three conversations about remote work* · proposed Tue 24 Nov\\n"
        "• <@U0SAM>: going · 1 of 3 conversations · latest Thu 26 Nov"
    ) in page, "who, what, since when, how it stands, the latest activity"
    manager.press(in_window(second), "challenge_nudge")  # a nudge on page 2 redraws page 2, nudged
    page = shown(manager.window().view["blocks"])
    assert "Page 2 of 2" in page and "challenge_nudge" not in page
    manager.press(in_window(second), "challenge_proposed")  # Newer
    assert "Page 1 of 2" in shown(manager.window().view["blocks"])
    assert len(rows(shipped, Challenge)) == 7


def test_one_polite_nudge_each_and_an_edit_only_while_nobody_has_answered(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    propose(manager, "<@U0SAM> <@U0PRIYA> remote-best-work")
    shipped.run_tick(START)  # 13:30 in Kolkata: Priya has hers; 03:00 in New York: Sam's waits
    assert manager.command("/challenge").status == 200
    listed = manager.last_line()
    assert shown(listed.blocks).count('"challenge_nudge"') == 1, "only an invitation that has reached them"
    manager.press(listed, "challenge_nudge")
    assert manager.last_line().text == "I've nudged <@U0PRIYA>, once. I won't remind them again."
    manager.press(listed, "challenge_nudge")  # the same button again
    assert manager.last_line().text == "They've been asked again already."
    shipped.run_tick(START + timedelta(minutes=1))
    assert len([m for m in other.dms() if "wondered whether you'd seen this" in shown(m.blocks)]) == 1
    assert manager.command("/challenge").status == 200
    assert "challenge_nudge" not in shown(manager.last_line().blocks)

    # nobody has answered: the proposer makes it three weeks, and every invitation says so, sent or not
    other.press(manager.last_line(), "challenge_edit")
    assert "Only the person who proposed it" in other.last_line().text and not shipped.emulator.open_views("U0PRIYA")
    manager.press(manager.last_line(), "challenge_edit")
    assert manager.submit({"days": option("21", "static_select")}).status == 200
    assert "All 2 invitations show the new version." in shown(manager.window().view)
    manager.close()
    shipped.run_tick(START + timedelta(minutes=2))
    invitations = [m for m in other.dms() if "Three conversations about remote work" in shown(m.blocks)]
    assert len(invitations) == 2 and all(m.edited and "21 days" in shown(m.blocks) for m in invitations)
    shipped.run_tick(SAM_MORNING)
    assert "21 days" in shown(top(report, "A challenge for you").blocks), "the queued one went out as edited"

    # an edit window opened before Sam answers is refused when it is sent after; then Edit is gone
    assert manager.command("/challenge").status == 200
    stale = manager.last_line()
    manager.press(stale, "challenge_edit")
    accept(report)
    errors = manager.submit({"days": option("7", "static_select")}).json()["errors"]
    assert errors == {"days": ANSWERED}
    manager.close()
    assert [c.days for c in rows(shipped, Challenge)] == [21, 21]
    manager.press(stale, "challenge_edit")
    assert ANSWERED in manager.last_line().text and not shipped.emulator.open_views("U0ALEX")
    assert manager.command("/challenge").status == 200
    assert "challenge_edit" not in shown(manager.last_line().blocks)

    # Priya never answers: the nudge took the reminder's place, and the proposal expires
    shipped.run_tick(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    priya = challenge_of(shipped, other)
    keys = {d.key for d in rows(shipped, Delivery, kind="challenge_invite") if d.person_id == other.ref.person_id}
    assert f"challenge_invite:{priya.id}:nudge" in keys and not [k for k in keys if k.endswith(":reminder")]
    assert priya.status == "expired"


def challenge_of(bot: Sandbox, person: Person) -> Challenge:
    [found] = rows(bot, Challenge, person_id=person.ref.person_id)
    return found


# -- 11: progress typed in the DM ----------------------------------------------------------------------------------
def asked_in_dm(person: Person, words: str) -> Message:
    """Write in the bot's DM; exactly one message comes back, and it is returned."""
    before = len(person.dms())
    assert person.write_dm(words).status == 200
    new = person.dms()[before:]
    assert len(new) == 1, f"one answer to {words!r}, got {[m.first_text for m in new]}"
    return new[0]


def now_at(person: Person, message: Message) -> Message:
    """The message as it reads now (an answer replaces the question in place)."""
    [found] = [m for m in person.dms() if m.ts == message.ts]
    return found


def test_progress_typed_in_the_dm_is_asked_about_once_and_never_counted_as_a_search(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    card = accepted(shipped, manager, report)
    question = asked_in_dm(report, "I tried it on my weekly update: asked Jo what helps her focus")
    assert "Is this about your challenge *Three conversations about remote work*, or a question for the library?" in (
        shown(question.blocks)
    )
    assert not rows(shipped, Search) and not rows(shipped, ResourceEvent), "not a search, not an unmet need"
    stale = copy.deepcopy(question)  # the question as a second, quick press still carries it
    report.press(question, "challenge_dm_reflect")
    answered = now_at(report, question)
    assert answered.text.startswith("Saved as a private reflection") and "challenge_dm" not in shown(answered.blocks)
    report.press(stale, "challenge_dm_reflect")  # a second press of the same question
    [entry] = rows(shipped, ChallengeEntry, person_id=report.ref.person_id)
    assert (entry.kind, entry.text) == ("reflection", "I tried it on my weekly update: asked Jo what helps her focus")

    # the next message is its own question, answered as progress: one more conversation on the card
    logged = asked_in_dm(report, "Had the second conversation, with Sam L.")
    stale = copy.deepcopy(logged)
    report.press(logged, "challenge_dm_log")
    report.press(stale, "challenge_dm_log")  # pressed twice in a hurry: one conversation
    assert now_at(report, logged).text == "Logged. 1 of 3 conversations. (in *Three conversations about remote work*)"
    assert "1 of 3 conversations" in shown(now_at(report, card).blocks), "the card is brought up to date"
    assert challenge_of(shipped, report).progress == 1

    # a question for the library after all: searched then, as /learn would
    searched = asked_in_dm(report, "giving feedback remotely")
    report.press(searched, "challenge_dm_search")
    assert "challenge_dm" not in shown(now_at(report, searched).blocks)
    [search] = rows(shipped, Search, person_id=report.ref.person_id)
    assert search.query == "giving feedback remotely"
    assert len(rows(shipped, ChallengeEntry, person_id=report.ref.person_id)) == 2

    # someone without a challenge going on gets the library at once
    found = asked_in_dm(other, "giving feedback remotely")
    assert "challenge_dm" not in shown(found.blocks) and "Is this about" not in shown(found.blocks)
    assert [s.query for s in rows(shipped, Search, person_id=other.ref.person_id)] == ["giving feedback remotely"]
    assert "You're welcome" in asked_in_dm(report, "thanks!").text, "small talk is not asked about"


# -- 16: a cap per proposer ------------------------------------------------------------------------------------------
@pytest.fixture
def capped(settings: Settings) -> Iterator[Sandbox]:
    """The shipped content, with CHALLENGE_INVITATIONS_PER_DAY=3."""
    with open_sandbox(settings.model_copy(update={"challenge_invitations_per_day": 3}), start=START) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(ROOT / "content"), now=START)
        yield sandbox


def test_a_proposer_sends_at_most_the_days_invitations_refused_under_the_field_and_nothing_queued(
    capped: Sandbox,
) -> None:
    manager = Person(capped, "U0ALEX")

    def refused(text: str) -> dict[str, str]:
        assert manager.command("/challenge", text).status == 200
        reply = manager.submit()
        manager.close()
        return dict(reply.json().get("errors", {})) if reply.body else {}

    assert refused("<@U0SAM> <@U0PRIYA> remote-best-work") == {}
    queued = len(rows(capped, Delivery))
    assert refused("<@U0SAM> <@U0JO> specific-praise-three-people") == {
        "colleagues": "You can send 1 more invitation today (3 a day at most)."
    }
    assert len(rows(capped, Challenge)) == 2 and len(rows(capped, Delivery)) == queued, "nothing queued"
    assert refused("<@U0JO> specific-praise-three-people") == {}
    assert refused("<@U0SAM> summarise-before-advising") == {
        "colleagues": "You've sent 3 invitations in the last day, the most a day allows. Try again tomorrow."
    }
    assert len(rows(capped, Challenge)) == 3 and len(rows(capped, ChallengeProposal)) == 2

    # two windows sent at once both fit when checked; the one sent second asks only as many as are left
    capped.clock.set(START + timedelta(days=1, minutes=1))  # a day after the first three
    answers = capped.services.challenges
    first = NewProposal(("U0SAM", "U0PRIYA"), "summarise-before-advising", "", "", "", None, "", None, None, "", None)
    second = replace(first, colleagues=("U0JO", "U0SAM"), template_key="ask-three-people-for-feedback")
    prepared = [answers.prepare(manager.ref, first), answers.prepare(manager.ref, second)]
    outcomes = [answers.send(manager.ref, proposal_id) for proposal_id in prepared]
    assert [[o.problem for o in sent] for sent in outcomes] == [[None, None], [None, Problem.CAP]]
    assert len(rows(capped, Challenge)) == 6
    capped.run_tick(START + timedelta(days=1, minutes=2))
    told = shown(manager.dms()[-1].blocks)
    assert "<@U0SAM> wasn't asked: that's as many invitations as a day allows" in told


# -- 19: work after a window's ack survives a crash ------------------------------------------------------------------
class Crash(Exception):
    """The process dying at this point."""


def once_crashing(real: Callable[..., T], *, on_call: int = 1) -> Callable[..., T]:
    """`real`, except that its `on_call`-th call dies first (as the process would); the others go through."""
    calls = []

    def wrapper(*args: Any, **kwargs: Any) -> T:
        calls.append(1)
        if len(calls) == on_call:
            raise Crash
        return real(*args, **kwargs)

    return wrapper


def test_proposing_to_a_cohort_that_dies_after_the_ack_is_finished_by_the_tick_exactly_once(
    shipped: Sandbox, manager: Person, report: Person, other: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the window closes, Sam is asked, and the process dies before Priya is
    monkeypatch.setattr(proposals, "in_working_hours", once_crashing(proposals.in_working_hours, on_call=2))
    propose(manager, "<@U0SAM> <@U0PRIYA> remote-best-work")
    [sam] = rows(shipped, Challenge)
    [proposal] = rows(shipped, ChallengeProposal)
    assert sam.person_id == report.ref.person_id and proposal.sending is not None, "recorded as still sending"
    assert not manager.dms_starting("Your proposal")

    shipped.run_tick(START + timedelta(seconds=30))  # the process that acked may still be at it
    assert len(rows(shipped, Challenge)) == 1
    for minutes in (2, 3):
        shipped.run_tick(START + timedelta(minutes=minutes))
    assert sorted(c.person_id for c in rows(shipped, Challenge)) == sorted(
        [report.ref.person_id, other.ref.person_id]
    ), "each colleague asked once"
    assert rows(shipped, ChallengeProposal)[0].sending is None
    [told] = manager.dms_starting("Your proposal")
    assert "Proposed to <@U0SAM>, <@U0PRIYA>" in shown(told.blocks)
    assert len(other.dms_starting("A challenge for you")) == 1
    shipped.run_tick(SAM_MORNING)
    assert len(report.dms_starting("A challenge for you")) == 1


def test_a_draft_summary_whose_process_died_after_the_ratings_is_written_by_the_tick_once(
    shipped: Sandbox, manager: Person, report: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = accepted(shipped, manager, report)
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    ending = shipped.services.challenge_ending
    monkeypatch.setattr(ending, "draft", once_crashing(ending.draft))
    report.press(closing, "challenge_close")
    assert report.submit({"after": option("4"), "before": option("2")}).status == 200
    report.close()
    assert challenge_of(shipped, report).summary_due_at is not None, "the draft is owed"
    assert not [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]

    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(seconds=30))
    assert challenge_of(shipped, report).summary_due_at is not None
    for minutes in (2, 3):
        shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=minutes))
    [draft] = [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]
    assert "What I tried:" in shown(draft.blocks)
    assert challenge_of(shipped, report).summary_due_at is None


# -- 13: what a template asks, and whom it may not fit -----------------------------------------------------------------
def pick(person: Person, *, template: str | None = None, colleagues: list[str] | None = None) -> str:
    """Pick a challenge or colleagues in the open proposal window, as Slack sends it (dispatch_action); the
    window as redrawn."""
    window = person.window()
    entered: dict[str, dict[str, Any]] = {}
    if template is not None:
        entered["template"] = {"type": "static_select", "selected_option": {"value": template}}
    if colleagues is not None:
        entered["colleagues"] = {"type": "multi_users_select", "selected_users": colleagues}
    values = state_values(window.view, entered)
    block_id = "template" if template is not None else "colleagues"
    element = {"type": entered[block_id]["type"], "action_id": PICK, **entered[block_id]}
    view = {**window.view, "id": window.id, "state": {"values": values}}
    reply = person.bot.driver.click(
        person.user_id, element, block_id=block_id, container={"type": "view", "view": view}
    )
    assert reply.status == 200
    person.bot.settle()
    redrawn = person.window()
    assert redrawn.id == window.id, "the same window, redrawn"
    return shown(redrawn.view["blocks"])


def test_the_proposal_window_shows_what_the_chosen_challenge_asks_and_whom_it_may_not_fit(
    shipped: Sandbox, manager: Person
) -> None:
    shipped.emulator.add_user("U0LEE", "Lee Park", title="Tech Lead", tz="Europe/London")
    assert manager.command("/challenge", "<@U0SAM>").status == 200
    assert "*What it asks:*" not in shown(manager.window().view["blocks"]), "nothing picked yet"

    avoided = pick(manager, template="raise-the-avoided-conversation")
    assert "*What it asks:* Over the next ten days, have one conversation you have been putting off" in avoided
    assert "• Write the issue in one plain sentence you could say out loud." in avoided
    assert "10 days · target: 1 conversation · check-ins on days 2, 5, 8, at 10:00 their time" in avoided
    assert "may not be the right person" not in avoided, "written for anyone"

    one_on_ones = pick(manager, template="one-on-ones-they-lead")
    assert "Over the next ten days" not in one_on_ones and "in three one-on-ones with direct reports" in one_on_ones
    assert (
        ":warning: Sam Chen (Software Engineer) may not be the right person for this: it asks for one-on-ones "
        "with your direct reports. You can still propose it."
    ) in one_on_ones
    cohort = pick(manager, colleagues=["U0SAM", "U0LEE", "U0PRIYA"])
    assert "Sam Chen (Software Engineer) may not" in cohort and "Priya Nair (Account Executive) may not" in cohort
    assert "Lee Park" not in cohort, "a tech lead is who it is written for"
    assert "*What it asks:*" not in pick(manager, template=CUSTOM), "writing one's own: nothing to show"

    pick(manager, template="one-on-ones-they-lead")
    assert manager.submit().status == 200, "a warning, not a refusal"
    manager.close()
    assert len(rows(shipped, Challenge)) == 3


# -- 15: one's own reflections, before the end ------------------------------------------------------------------------
def test_reflections_are_read_back_before_the_end_by_their_author_alone(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    card = accepted(shipped, manager, report)
    report.press(card, "challenge_reflect")
    assert report.submit({"text": {"type": "plain_text_input", "value": "Jo prefers written updates."}}).status == 200
    report.close()
    shipped.run_tick(THURSDAY_10_NEW_YORK)
    reply_in_thread(shipped, report, card, "Mornings without meetings help the team.")

    report.press(card, "challenge_reflections")
    mine = shown(report.window().view)
    assert "2 reflections. Only you see these." in mine
    assert "*Tue 24 Nov*" in mine and "Jo prefers written updates." in mine
    assert "*Thu 26 Nov*" in mine and "Mornings without meetings help the team." in mine
    report.close()
    report.press(report.home(), "challenge_reflections")  # the Home tab, too
    assert shown(report.window().view) == mine
    report.close()
    assert challenge_of(shipped, report).status == "active", "before the end"

    for intruder in (manager, other):
        intruder.press(card, "challenge_reflections")
        assert "belongs to someone else" in intruder.last_line().text
        assert not shipped.emulator.open_views(intruder.user_id)
    assert "Jo prefers" not in shown(manager.home()["blocks"])
    manager.press(manager.home(), "challenge_proposed")
    assert "Jo prefers" not in shown(manager.window().view)


# -- 14 (and 12's shared summaries): sharing never surprises -----------------------------------------------------------
def rated(shipped: Sandbox, person: Person) -> Message:
    """Rate the end of the person's challenge; returns the draft summary in their thread."""
    card = top(person, "Your challenge:")
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    person.press(closing, "challenge_close")
    assert person.submit({"after": option("4"), "before": option("2")}).status == 200
    person.close()
    [draft] = [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]
    return draft


def card_now(person: Person, draft: Message, words: str) -> str:
    """Save the summary with these words (which brings the card up to date); the card as it reads then."""
    person.press(draft, "challenge_summary")
    assert person.submit({"summary": {"type": "plain_text_input", "value": words}}).status == 200
    person.close()
    return shown(top(person, "Your challenge:").blocks)


def test_a_cohorts_summaries_are_previewed_formatted_and_seen_only_where_they_were_shared(
    shipped: Sandbox, manager: Person, report: Person, other: Person
) -> None:
    propose(manager, "<@U0SAM> <@U0PRIYA> remote-best-work")
    shipped.run_tick(START)
    shipped.run_tick(SAM_MORNING)
    accept(report)
    accept(other)
    shipped.run_tick(SAM_MORNING + timedelta(minutes=1))
    reply_in_thread(shipped, report, top(report, "Your challenge:"), "Jo said mornings matter most to her.")
    shipped.run_tick(datetime(2026, 12, 7, 4, 30, tzinfo=UTC))  # 10:00 in Kolkata on the last day
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    draft, hers = rated(shipped, report), rated(shipped, other)

    # the draft without a model is a template to fill in, not her reflections pasted
    text = challenge_of(shipped, report).summary or ""
    assert text.splitlines() == [
        "What I tried: " + text.splitlines()[0].removeprefix("What I tried: "),
        "What I learned: (in your own words)",
        "What I'll keep doing: (in your own words)",
    ]
    assert "Jo said" not in shown(draft.blocks)

    # Sam shares with Alex alone: he sees exactly that first, and his formatting stays formatting
    words = "What I learned: *asking first* beats guessing.\nWhat I'll keep doing: <!channel> no-meeting mornings."
    report.press(draft, "challenge_share")
    assert (
        report.submit({"summary": {"type": "plain_text_input", "value": words}, "place": option("proposer")}).status
        == 200
    )
    preview = shown(report.window().view)
    assert "This will be posted in a DM to <@U0ALEX>, under your name:" in preview
    assert "*asking first* beats guessing" in preview and "&lt;!channel&gt; no-meeting mornings" in preview
    assert not rows(shipped, Delivery, kind="challenge_share"), "nothing is queued before Post it"
    assert report.submit().status == 200
    report.close()
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=1))
    [posted] = manager.dms_starting("What I learned from")
    assert "*asking first* beats guessing" in shown(posted.blocks) and "<!channel>" not in shown(posted.blocks)
    listed = shown(manager.home()["blocks"])
    assert "<@U0SAM> shared: " in listed and "asking first" in listed, "shared with him: his to read"
    assert "<@U0PRIYA> shared" not in listed

    # Priya is not told that Sam shared with Alex; once he shares with the cohort, she is
    assert not [d for d in rows(shipped, Delivery, kind="challenge_share") if d.person_id == other.ref.person_id]
    assert "Shared what they learned" not in card_now(other, hers, "I listen first now.")
    report.press(draft, "challenge_share")
    assert report.submit({"place": option("cohort")}).status == 200
    assert "a DM to the other person in your cohort" in shown(report.window().view)
    assert report.submit().status == 200
    report.close()
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=2))
    shipped.run_tick(datetime(2026, 12, 8, 4, 30, tzinfo=UTC))  # in her working hours
    assert len(other.dms_starting("What I learned from")) == 1
    assert "Shared what they learned: <@U0SAM>" in card_now(other, hers, "I listen first now, always.")
