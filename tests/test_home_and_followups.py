"""The Home tab profile, and the "did it help?" follow-up two days after opening a resource."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.db.models import Delivery, Person, ResourceFeedback
from bot.sandbox.session import Sandbox, open_sandbox
from bot.services.content_sync import sync_content
from bot.slack.blocks.limits import view_problems
from tests.conftest import ROOT, START

FIXTURE = ROOT / "tests" / "fixtures" / "content"


@pytest.fixture
def bot(settings: Settings) -> Iterator[Sandbox]:
    with open_sandbox(settings.model_copy(update={"content_dir": FIXTURE}), start=START) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(FIXTURE), now=START)
        yield sandbox


def home(bot: Sandbox, user: str = "U0ALEX") -> dict[str, Any]:
    bot.driver.open_home(user)
    bot.settle()
    view = bot.emulator.home_view(user)
    assert view is not None
    return view


def element(view: dict[str, Any], action_id: str) -> tuple[dict[str, Any], str]:
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == action_id:
            return accessory, block.get("block_id", "")
    raise AssertionError(f"no {action_id} in the Home tab")


def use(bot: Sandbox, view: dict[str, Any], action_id: str, user: str = "U0ALEX", **chosen: Any) -> dict[str, Any]:
    control, block_id = element(view, action_id)
    bot.driver.click(user, {**control, **chosen}, block_id=block_id, container={"type": "view", "view": view})
    bot.settle()
    return home(bot, user)


def test_the_role_is_guessed_from_the_title_and_can_be_changed(bot: Sandbox) -> None:
    view = home(bot)
    assert view_problems(view) == []
    role, _ = element(view, "profile_role")
    assert role["initial_option"]["value"] == "people-manager"
    assert "guessed from your Slack title" in json.dumps(view)
    ic = next(o for o in role["options"] if o["value"] == "individual-contributor")
    view = use(bot, view, "profile_role", selected_option=ic)
    assert element(view, "profile_role")[0]["initial_option"]["value"] == "individual-contributor"
    with bot.runtime.sessions() as session:
        assert session.query(Person).one().role_key == "individual-contributor"


def test_skills_to_grow_are_saved_and_unknown_ones_ignored(bot: Sandbox) -> None:
    view = home(bot)
    options = element(view, "profile_skills")[0]["options"]
    view = use(bot, view, "profile_skills", selected_options=[*options, {"value": "juggling"}])
    assert [o["value"] for o in element(view, "profile_skills")[0]["initial_options"]] == [
        "giving-feedback",
        "listening",
    ]


def open_resource(bot: Sandbox, user: str = "U0ALEX", number: int = 0) -> None:
    bot.driver.command(user, "/learn", "giving feedback")
    bot.settle()
    answer = bot.emulator.ephemerals_for(user)[-1]
    shows = [b["accessory"] for b in answer.blocks if (b.get("accessory") or {}).get("action_id") == "resource_show"]
    bot.driver.click(user, shows[number], block_id="x", container={"channel": answer.channel, "ephemeral": True})
    bot.settle()


def followups(bot: Sandbox, user: str = "U0ALEX") -> list[Any]:
    return [m for m in bot.emulator.dm_messages(user) if "Did it help?" in json.dumps(m.blocks) or m.edited]


def test_two_days_after_opening_one_question_arrives_at_ten_local(bot: Sandbox) -> None:
    open_resource(bot)  # Tuesday 08:00 UTC (London)
    bot.advance(timedelta(days=2, hours=1, minutes=59))  # Thursday 09:59 London
    assert followups(bot) == []
    bot.advance(timedelta(minutes=1))
    [question] = followups(bot)
    assert "Give feedback with Situation" in json.dumps(question.blocks)
    bot.advance(timedelta(days=5))
    assert len(followups(bot)) == 1, "at most one per resource"


def test_two_opens_the_same_day_are_asked_on_different_days(bot: Sandbox) -> None:
    open_resource(bot, number=0)
    open_resource(bot, number=1)
    bot.advance(timedelta(days=2, hours=2))
    assert len(followups(bot)) == 1, "never more than one follow-up DM a day"
    bot.advance(timedelta(days=1))
    assert len(followups(bot)) == 2
    with bot.runtime.sessions() as session:
        keys = sorted(d.key.rsplit(":", 1)[1] for d in session.query(Delivery).filter_by(kind="followup"))
    assert keys == ["2026-11-26", "2026-11-27"]


def answer_followup(bot: Sandbox, label: str) -> None:
    [question] = followups(bot)[-1:]
    button = next(
        e for b in question.blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == label
    )
    container = {"channel": question.channel, "message": question.as_api(with_metadata=False)}
    bot.driver.click("U0ALEX", button, block_id="f", container=container)
    bot.settle()


def test_the_answer_is_recorded_and_the_question_replaced(bot: Sandbox) -> None:
    open_resource(bot)
    bot.advance(timedelta(days=2, hours=3))
    answer_followup(bot, "Yes")
    with bot.runtime.sessions() as session:
        feedback = session.query(ResourceFeedback).one()
    assert (feedback.source, feedback.value) == ("followup", "yes")
    [replaced] = [m for m in bot.emulator.dm_messages("U0ALEX") if m.edited]
    assert "You said *Yes*" in replaced.text, "the question became the answer"


def test_after_opting_out_no_more_questions(bot: Sandbox) -> None:
    open_resource(bot, number=0)
    open_resource(bot, number=1)
    bot.advance(timedelta(days=2, hours=3))
    answer_followup(bot, "Stop asking me")
    bot.advance(timedelta(days=5))
    assert len(followups(bot)) == 1
    with bot.runtime.sessions() as session:
        assert session.query(Person).one().followups_enabled is False
        assert session.query(Delivery).filter_by(kind="followup", status="cancelled").count() == 1
