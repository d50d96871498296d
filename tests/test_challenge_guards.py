"""Tests that guard what matters in challenges: words and Slack syntax only at the edge, consent before a
proposer sees a rating, proposals that are reminded and expire, a cohort that sees who shared, every button
and window pressed through Bolt, and exactly what reaches the model (the author's reflections, nobody
else's)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.state import Message
from bot.slack.blocks import challenge_home, challenge_windows
from bot.slack.listeners import challenge_endings, challenge_thread, challenges
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import START, Person, shown, with_model
from tests.test_challenge_course import finished, share
from tests.test_challenges import MONDAY_7_DEC_10_NEW_YORK, accepted, cohort, option, propose, thread_of, top

ROOT = Path(__file__).resolve().parent.parent
SLACK_SYNTAX = re.compile(r"<[@#!]|<https?:|&(?:lt|gt|amp);")
MRKDWN_OPENS = re.compile(r"(?:^|[\s(])[*_~]$")  # bold, italic, strike opened before a value


# -- words and Slack syntax only at the edge ------------------------------------------------------------------------
def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def slack_syntax_written(source: str) -> list[str]:
    """Where a module writes Slack's syntax: a mention, channel, special mention or link, an entity escape, or
    mrkdwn around an interpolated value (`f"*{title}*"`). Docstrings may describe it."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) and id(node) not in docs else None
        if isinstance(text, str) and SLACK_SYNTAX.search(text):
            found.append(f"line {node.lineno}: {node.value[:60]!r}")
        if isinstance(node, ast.JoinedStr):
            for before, value in zip(node.values, node.values[1:], strict=False):
                if isinstance(before, ast.Constant) and isinstance(value, ast.FormattedValue):
                    text = str(before.value)
                    if MRKDWN_OPENS.search(text):
                        found.append(f"line {node.lineno}: mrkdwn around a value after {text[-12:]!r}")
    return found


def test_only_the_slack_edge_writes_slack_syntax() -> None:
    """Domain packages return values; `bot/slack/` (and the sandbox that plays Slack) write what people read."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path.relative_to(ROOT / "bot").parts[0] not in ("slack", "sandbox")
        and (found := slack_syntax_written(path.read_text()))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "source",
    [
        'def card(user):\n    return f"<@{user}> shared"\n',
        'TITLE = "&lt;b&gt;"\n',
        'def line(title):\n    return f"*{title}*"\n',
        'LINK = "<https://example.com|Open>"\n',
    ],
)
def test_the_edge_check_sees_slack_syntax_written_elsewhere(source: str) -> None:
    assert slack_syntax_written(source)


def test_a_docstring_or_a_code_span_is_not_slack_syntax() -> None:
    assert slack_syntax_written('"""Shows `<@U…>` as text."""\ndef f(x):\n    return f"Try `{x}`"\n') == []


# -- every challenge button and window is pressed through Bolt -----------------------------------------------------
SURFACES = (challenges.SURFACE, challenge_thread.SURFACE, challenge_endings.SURFACE)


def test_every_challenge_button_and_window_is_pressed_or_submitted_in_a_test() -> None:
    """Each action and window of the challenge surfaces is named in a test that presses or submits it, as
    written or through the constant the edge names it by (`PICK`)."""
    tests = "\n".join(p.read_text() for p in (ROOT / "tests").glob("test_*.py"))
    constants = {
        value: name
        for module in (challenge_windows, challenge_home)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str)
    }
    ids = {name for surface in SURFACES for name in (*surface.actions, *surface.forms)}
    assert len(ids) > 30

    def pressed(action: str) -> bool:
        named = constants.get(action)
        imported = named is not None and re.search(rf"^from bot\.slack\.blocks\.\w+ import .*\b{named}\b", tests, re.M)
        return bool(re.search(rf"\"{re.escape(action)}(?::[^\"]*)?\"", tests) or imported)

    assert sorted(action for action in ids if not pressed(action)) == []


def test_follow_on_keep_going_and_the_summary_window_through_bolt(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report, "<@U0SAM> specific-praise-three-people")  # its skill has another
    for day in (26, 30):  # two unanswered check-ins: the second asks whether a pause would help
        shipped.run_tick(datetime(2026, 11, day, 15, 0, tzinfo=UTC))
    asking = thread_of(shipped, card)[-1]
    assert "Would a pause help" in shown(asking.blocks)
    manager.press(asking, "challenge_keep_going")
    assert "belongs to someone else" in manager.last_line().text
    report.press(asking, "challenge_keep_going")
    assert "keep" in report.last_line().text.lower()
    shipped.run_tick(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))  # day 11: a check-in, no question
    assert "Would a pause help" not in shown(thread_of(shipped, card)[-1].blocks), "the count started again"

    # the last day, the ratings, then the summary edited in its own window
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    report.press(closing, "challenge_close")
    assert report.window().view["callback_id"] == "challenge_rate"
    assert report.submit({"after": option("4"), "before": option("2")}).status == 200
    report.close()
    [draft] = [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]
    manager.press(draft, "challenge_summary")
    assert "belongs to someone else" in manager.last_line().text and not shipped.emulator.open_views("U0ALEX")
    report.press(draft, "challenge_summary")
    window = report.window()
    assert window.view["callback_id"] == "challenge_summary"
    mine = {"summary": {"type": "plain_text_input", "value": "I asked first, and <!channel> stays text."}}
    assert report.submit(mine, window=window).status == 200
    report.close()
    redrawn = shown(top(report, "Your challenge:").blocks)
    assert "I asked first" in redrawn and "&lt;!channel&gt;" in redrawn and "<!channel>" not in redrawn

    # a week on: did it stick, then a follow-on challenge she takes on herself
    for _ in range(2):
        shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(days=7))
    [stick] = report.dms_starting("Did it stick?")
    report.press(stick, "challenge_stick:3")
    answered = report.dms()[-1]
    assert "challenge_follow_on" in shown(answered.blocks), shown(answered.blocks)
    report.press(answered, "challenge_follow_on")
    window = report.window()
    assert window.view["callback_id"] == "challenge_baseline"
    assert report.submit({"baseline": option("3")}).status == 200
    report.close()
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(days=7, minutes=1))
    follow_on = top(report, "Your challenge:")
    assert follow_on.ts != card.ts and "proposed by" not in shown(follow_on.blocks)


def test_keeping_a_proposal_as_proposed_asks_the_colleague_again_with_the_same_terms(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> remote-best-work")
    shipped.run_tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    report.press(top(report, "A challenge for you"), "challenge_change")
    assert report.submit({"days": option("21", "static_select")}).status == 200
    report.close()
    shipped.run_tick(datetime(2026, 11, 24, 14, 5, tzinfo=UTC))
    answer = top(manager, "An answer about")
    report.press(answer, "challenge_keep")
    assert "belongs to someone else" in report.last_line().text or "proposed" in report.last_line().text
    manager.press(answer, "challenge_keep")
    shipped.run_tick(datetime(2026, 11, 24, 14, 10, tzinfo=UTC))
    invitations = [m for m in report.dms() if m.first_text.startswith("A challenge for you")]
    assert len(invitations) == 2, "asked again"
    again = shown(invitations[-1].blocks)
    assert "14 days" in again and "21 days" not in again and "challenge_accept" in again


# -- consent, reminders, expiry, a cohort's names, whose summary ---------------------------------------------------
def test_without_consent_the_proposer_is_not_asked_for_a_rating_nor_shown_the_persons(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    draft = finished(shipped, manager, report)  # accepted without sharing ratings
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(hours=1))
    assert not [m for m in manager.dms() if m.first_text.startswith("How did")], "no rating asked"
    manager.command("/challenge")
    for seen in (shown(manager.home()["blocks"]), shown(manager.last_line().blocks)):
        assert "rates themselves" not in seen and "4" not in re.findall(r"now: (\d)", seen)
    assert draft.channel == report.dms()[0].channel


def test_an_unanswered_proposal_is_reminded_once_then_expires_and_the_proposer_hears_who_was_silent(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    propose(manager, "<@U0SAM> remote-best-work")
    shipped.advance(timedelta(days=6))  # Tue 24 Nov 08:00 UTC to Mon 30 Nov
    invitations = [m for m in report.dms() if m.first_text.startswith("A challenge for you")]
    reminders = [m for m in report.dms() if "A reminder" in shown(m.blocks) and m not in invitations[:1]]
    assert len(invitations[:1]) == 1 and len(reminders) == 1, [m.first_text for m in report.dms()]
    [expired] = [m for m in manager.dms() if "didn't answer" in shown(m.blocks)]
    assert "<@U0SAM> didn't answer" in shown(expired.blocks)
    report.press(invitations[0], "challenge_accept")
    assert "accept" not in (report.window().view["callback_id"] if shipped.emulator.open_views("U0SAM") else "")
    assert "Proposed: 1, expired" in shown(manager.home()["blocks"]) or "didn't answer" in shown(
        manager.home()["blocks"]
    )


def test_a_cohort_card_names_who_shared_with_the_cohort(shipped: Sandbox, manager: Person, report: Person) -> None:
    priya = Person(shipped, "U0PRIYA")
    cohort(shipped, manager, report, priya)
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    card = top(report, "Your challenge:")
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    report.press(closing, "challenge_close")
    assert report.submit({"after": option("4"), "before": option("2")}).status == 200
    report.close()
    [draft] = [m for m in thread_of(shipped, card) if m.first_text.startswith("What you learned")]
    previewed, said = share(report, draft, {"place": option("cohort")})
    assert "a DM to the other person in your cohort" in previewed and "Shared" in said
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(minutes=5))
    shipped.run_tick(datetime(2026, 12, 8, 4, 0, tzinfo=UTC))  # her last day's close, late: 09:30 in Kolkata
    card = top(priya, "Your challenge:")
    [closing] = [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    priya.press(closing, "challenge_close")
    assert priya.submit({"after": option("3"), "before": option("3")}).status == 200
    priya.close()
    theirs = shown(top(priya, "Your challenge:").blocks)
    assert "Finished." in theirs and "Shared what they learned: <@U0SAM>" in theirs, theirs


def test_only_the_person_opens_their_summary_window(shipped: Sandbox, manager: Person, report: Person) -> None:
    draft = finished(shipped, manager, report)
    for intruder in (manager, Person(shipped, "U0PRIYA")):
        for action in ("challenge_summary", "challenge_share"):
            intruder.press(draft, action)
            assert "belongs to someone else" in intruder.last_line().text
            assert not shipped.emulator.open_views(intruder.user_id)


# -- what reaches the model -----------------------------------------------------------------------------------------
@pytest.fixture
def modelled(settings: Settings) -> Iterator[tuple[Sandbox, FakeOpenAI]]:
    with FakeOpenAI() as model:
        model.always(Answer(text="What I tried: asking first. What I learned: mornings matter."))
        with open_sandbox(with_model(settings, ROOT / "content", model), start=START) as bot:
            sync_content(bot.runtime.sessions, load_content(ROOT / "content"), now=START)
            yield bot, model


def reflect(person: Person, card: Message, words: str) -> None:
    person.press(card, "challenge_reflect")
    assert person.submit({"text": {"type": "plain_text_input", "value": words}}).status == 200
    person.close()


def test_the_model_reads_the_authors_reflections_and_nobody_elses(modelled: tuple[Sandbox, FakeOpenAI]) -> None:
    bot, model = modelled
    manager, sam, priya = Person(bot, "U0ALEX"), Person(bot, "U0SAM"), Person(bot, "U0PRIYA")
    cohort(bot, manager, sam, priya)
    sams, priyas = top(sam, "Your challenge:"), top(priya, "Your challenge:")
    reflect(sam, sams, "SAM-ONE: Jo prefers no-meeting mornings.")
    reflect(priya, priyas, "PRIYA-SECRET: my manager makes this hard.")
    bot.run_tick(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # Sam's check-in, written from his reflection
    reflect(sam, sams, "SAM-TWO: ask before assuming.")
    model.requests.clear()

    bot.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    [closing] = [m for m in thread_of(bot, sams) if m.first_text.startswith("Last day")]
    sam.press(closing, "challenge_close")
    assert sam.submit({"after": option("4"), "before": option("2")}).status == 200
    sam.close()
    bot.settle()
    sent = [json.dumps(request) for request in model.requests]
    summaries = [text for text in sent if "SAM-ONE" in text]
    assert len(summaries) == 1, "one summary drafted from his reflections"
    assert "SAM-TWO" in summaries[0] and "PRIYA-SECRET" not in summaries[0]
    assert not [text for text in sent if "PRIYA-SECRET" in text], "nobody else's reflections reach the model"
    [draft] = [m for m in thread_of(bot, sams) if m.first_text.startswith("What you learned")]
    assert "mornings matter" in shown(draft.blocks) and "Written by AI" in shown(draft.blocks), shown(draft.blocks)


# -- a move to another zone re-plans the challenge, as it re-plans practice -----------------------------------------
def test_a_person_who_moves_zone_gets_their_checkins_and_close_at_10_in_the_new_one(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    card = accepted(shipped, manager, report)  # Sam in New York; his day-3 check-in is Thu 26 Nov 10:00 there
    shipped.emulator.state.users["U0SAM"].tz = "America/Los_Angeles"
    user = {"id": "U0SAM", "tz": "America/Los_Angeles", "profile": {"title": "Engineer", "real_name": "Sam Chen"}}
    assert shipped.driver.event({"type": "user_change", "user": user}).status == 200
    shipped.settle()
    assert "*Next check-in:* Thu 26 Nov 10:00" in shown(top(report, "Your challenge:").blocks)
    shipped.run_tick(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # 10:00 in New York, 07:00 in Los Angeles
    assert not thread_of(shipped, card), "not at the old zone's ten o'clock"
    shipped.run_tick(datetime(2026, 11, 26, 18, 0, tzinfo=UTC))  # 10:00 in Los Angeles
    [checkin] = thread_of(shipped, card)
    assert checkin.ts.startswith(str(int(datetime(2026, 11, 26, 18, 0, tzinfo=UTC).timestamp())))
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK)
    assert not [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
    shipped.run_tick(MONDAY_7_DEC_10_NEW_YORK + timedelta(hours=3))
    assert [m for m in thread_of(shipped, card) if m.first_text.startswith("Last day")]
