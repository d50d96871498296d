"""The Home tab profile, and the "did it help?" follow-up two days after opening a resource."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.library.models import ResourceFeedback
from bot.outbox.models import Delivery
from bot.people.models import Person as PersonRow
from bot.sandbox.blockkit import view_problems
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from tests.harness import Person, control, rows, shown


def test_the_role_is_guessed_from_the_title_and_can_be_changed(bot: Sandbox, alex: Person) -> None:
    view = alex.home()
    assert view_problems(view) == []
    role, _ = control(view["blocks"], "profile_role")
    assert role["initial_option"]["value"] == "people-manager"
    assert "guessed from your Slack title" in shown(view["blocks"])
    ic = next(o for o in role["options"] if o["value"] == "individual-contributor")
    alex.press(view, "profile_role", selected_option=ic)
    view = bot.emulator.home_view("U0ALEX")
    assert view is not None
    assert control(view["blocks"], "profile_role")[0]["initial_option"]["value"] == "individual-contributor"
    assert "guessed" not in shown(view["blocks"])
    assert rows(bot, PersonRow)[0].role_key == "individual-contributor"


def test_skills_to_grow_are_saved_and_unknown_ones_ignored(bot: Sandbox, alex: Person) -> None:
    view = alex.home()
    options = control(view["blocks"], "profile_skills")[0]["options"]
    alex.press(view, "profile_skills", selected_options=[*options, {"value": "juggling"}])
    view = bot.emulator.home_view("U0ALEX")
    assert view is not None
    assert [o["value"] for o in control(view["blocks"], "profile_skills")[0]["initial_options"]] == [
        "giving-feedback",
        "listening",
    ]


def test_the_followup_question_can_be_turned_off_and_on_in_the_home_tab(bot: Sandbox, alex: Person) -> None:
    view = alex.home()
    assert 'Did it help?\\" questions: On' in shown(view["blocks"])
    alex.press(view, "followups_toggle")
    view = bot.emulator.home_view("U0ALEX")
    assert view is not None and 'Did it help?\\" questions: Off' in shown(view["blocks"])
    assert rows(bot, PersonRow)[0].followups_enabled is False
    alex.press(view, "followups_toggle")
    assert rows(bot, PersonRow)[0].followups_enabled is True


def open_resource(person: Person, number: int = 0) -> None:
    person.press(person.learn("giving feedback"), "resource_show", number)


def followups(person: Person) -> list[Message]:
    return [m for m in person.dms() if "Did it help?" in shown(m.blocks) or m.edited]


def test_two_days_after_opening_one_question_arrives_at_ten_local(bot: Sandbox, alex: Person) -> None:
    open_resource(alex)  # Tuesday 08:00 UTC (London)
    bot.advance(timedelta(days=2, hours=1, minutes=59))  # Thursday 09:59 London
    assert followups(alex) == []
    bot.advance(timedelta(minutes=1))
    [question] = followups(alex)
    assert "Give feedback with Situation" in shown(question.blocks)
    bot.advance(timedelta(days=5))
    assert len(followups(alex)) == 1, "at most one per resource"


def test_two_opens_the_same_day_are_asked_on_different_days(bot: Sandbox, alex: Person) -> None:
    open_resource(alex, 0)
    open_resource(alex, 1)
    bot.advance(timedelta(days=2, hours=2))
    assert len(followups(alex)) == 1, "never more than one follow-up DM a day"
    bot.advance(timedelta(days=1))
    assert len(followups(alex)) == 2
    keys = sorted(d.key.rsplit(":", 1)[1] for d in rows(bot, Delivery, kind="followup"))
    assert keys == ["2026-11-26", "2026-11-27"]


def answer_followup(person: Person, action_id: str) -> None:
    [question] = followups(person)[-1:]
    person.press(question, action_id)


def test_the_answer_is_recorded_and_the_question_replaced(bot: Sandbox, alex: Person) -> None:
    open_resource(alex)
    bot.advance(timedelta(days=2, hours=3))
    answer_followup(alex, "followup_answer:yes")
    [feedback] = rows(bot, ResourceFeedback)
    assert (feedback.source, feedback.value) == ("followup", "yes")
    [replaced] = [m for m in alex.dms() if m.edited]
    assert "You said *Yes*" in replaced.text, "the question became the answer"


def test_a_tampered_followup_answer_changes_nothing(bot: Sandbox, alex: Person) -> None:
    open_resource(alex)
    bot.advance(timedelta(days=2, hours=3))
    [question] = followups(alex)
    element, block_id = control(question.blocks, "followup_answer:no")
    forged = {**element, "value": element["value"].replace('"no"', '"excellent"')}
    container: dict[str, Any] = {"channel": question.channel, "message": question.as_api(with_metadata=False)}
    bot.driver.click("U0ALEX", forged, block_id=block_id, container=container)
    bot.settle()
    assert rows(bot, ResourceFeedback) == []
    assert "could not read that answer" in alex.last_line().text


def test_after_opting_out_no_more_questions(bot: Sandbox, alex: Person) -> None:
    open_resource(alex, 0)
    open_resource(alex, 1)
    bot.advance(timedelta(days=2, hours=3))
    answer_followup(alex, "followups_stop")
    bot.advance(timedelta(days=5))
    assert len(followups(alex)) == 1
    assert rows(bot, PersonRow)[0].followups_enabled is False
    assert len(rows(bot, Delivery, kind="followup", status="cancelled")) == 1
