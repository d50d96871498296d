"""/learn through the real Bolt app: results, buttons, feedback, tailoring, no match, bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.db.models import ResourceEvent, ResourceFeedback, ResourceOpen, Search
from bot.sandbox.emulator import Ephemeral
from bot.sandbox.session import Sandbox, open_sandbox
from bot.services.content_sync import sync_content
from bot.slack.blocks.limits import problems, view_problems
from tests.conftest import ROOT, START

FIXTURE = ROOT / "tests" / "fixtures" / "content"


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def bot(settings: Settings, content_dir: Path) -> Iterator[Sandbox]:
    with open_sandbox(settings.model_copy(update={"content_dir": content_dir}), start=START) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(content_dir), now=START)
        yield sandbox


def learn(bot: Sandbox, text: str, user: str = "U0ALEX", channel: str | None = None) -> Ephemeral:
    before = len(bot.emulator.ephemerals_for(user))
    assert bot.driver.command(user, "/learn", text, channel=channel).status == 200
    bot.settle()
    answers = bot.emulator.ephemerals_for(user)
    assert len(answers) == before + 1, "one answer per command"
    return answers[-1]


def buttons(message: Ephemeral) -> dict[str, list[tuple[dict[str, object], str]]]:
    """Every button by action_id, with its block_id."""
    found: dict[str, list[tuple[dict[str, object], str]]] = {}
    for index, block in enumerate(message.blocks):
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        for element in elements:
            if element.get("type") == "button":
                found.setdefault(element["action_id"], []).append((element, block.get("block_id", f"b{index}")))
    return found


def click(bot: Sandbox, message: Ephemeral, action_id: str, number: int = 0, user: str = "U0ALEX") -> None:
    element, block_id = buttons(message)[action_id][number]
    container = {"channel": message.channel, "ephemeral": True}
    assert bot.driver.click(user, element, block_id=block_id, container=container).status == 200
    bot.settle()


def test_learn_shows_the_best_resources_with_working_buttons(bot: Sandbox) -> None:
    answer = learn(bot, "giving feedback")
    assert problems(answer.blocks) == []
    text = json.dumps(answer.blocks)
    assert "Give feedback with Situation, Behaviour, Impact" in text
    assert text.index("Situation, Behaviour") < text.index("Prepare a feedback conversation"), "role fit ranks first"
    controls = buttons(answer)
    assert len(controls["resource_show"]) == 2 and len(controls["resource_helpful"]) == 2
    assert {"resource_tailor", "resource_not_helpful", "resource_request"} <= controls.keys()
    with bot.runtime.sessions() as session:
        search = session.query(Search).one()
    assert (search.query, search.good) == ("giving feedback", True)
    assert [r["key"] for r in search.results] == ["feedback-sbi-guide", "feedback-prep-prompt"]


def test_typos_word_forms_and_synonyms_find_the_same_resource(bot: Sandbox) -> None:
    for query in ("feedbak sbi", "critique", "listened", "lisening to people"):
        assert "resource_show" in buttons(learn(bot, query)) or "resource_open" in buttons(learn(bot, query)), query


def test_show_opens_the_guide_in_a_window_and_records_the_open(bot: Sandbox) -> None:
    click(bot, learn(bot, "giving feedback"), "resource_show")
    [window] = bot.emulator.open_views("U0ALEX")
    assert view_problems(window.view) == []
    assert "*situation*" in json.dumps(window.view), "Markdown bold became mrkdwn bold"
    with bot.runtime.sessions() as session:
        assert session.query(ResourceOpen).count() == 1
        assert [e.kind for e in session.query(ResourceEvent)] == ["opened"]


def test_a_prompt_resource_shows_the_prompt_to_copy(bot: Sandbox) -> None:
    click(bot, learn(bot, "giving feedback"), "resource_show", number=1)
    [window] = bot.emulator.open_views("U0ALEX")
    assert "```I need to give feedback to [role]." in json.dumps(window.view)


def test_helpful_pressed_twice_is_recorded_once(bot: Sandbox) -> None:
    answer = learn(bot, "giving feedback")
    click(bot, answer, "resource_helpful")
    click(bot, answer, "resource_helpful")
    click(bot, answer, "resource_not_helpful")
    with bot.runtime.sessions() as session:
        [feedback] = session.query(ResourceFeedback).all()
    assert feedback.value == "not_helpful"
    replies = [e.text for e in bot.emulator.ephemerals_for("U0ALEX")[1:]]
    assert (
        replies[0].startswith("Thanks:") and replies[1] == "Updated: helpful." and replies[2] == "Updated: not helpful."
    )


def test_tailor_to_me_without_a_model_uses_the_template_for_the_persons_role(bot: Sandbox) -> None:
    click(bot, learn(bot, "giving feedback"), "resource_tailor")
    tailored = bot.emulator.ephemerals_for("U0ALEX")[-1]
    text = json.dumps(tailored.blocks)
    assert "for you as People manager" in text, "role guessed from the title Engineering Manager"
    assert "Written by AI" not in text


def test_no_good_match_is_said_honestly_with_a_quick_guide_and_a_request_button(bot: Sandbox) -> None:
    answer = learn(bot, "sourdough bread baking")
    text = json.dumps(answer.blocks)
    assert "nothing in the library that really fits" in text
    assert "Request a resource" in text and "Written by AI" not in text
    click(bot, answer, "resource_request")
    with bot.runtime.sessions() as session:
        assert session.query(Search).one().good is False
        [requested] = session.query(ResourceEvent).filter_by(kind="requested").all()
    assert requested.detail == "sourdough bread baking"
    assert "asked the learning team" in bot.emulator.ephemerals_for("U0ALEX")[-1].text


def test_learn_alone_shows_a_personal_menu(bot: Sandbox) -> None:
    answer = learn(bot, "")
    text = json.dumps(answer.blocks)
    assert "for you as *People manager*" in text
    assert "/learn practice" in text


def test_markup_in_a_query_is_ignored_and_echoed_inert(bot: Sandbox) -> None:
    answer = learn(bot, "<@U0SAM> <!channel> feedback <https://evil.example|click>")
    with bot.runtime.sessions() as session:
        assert session.query(Search).one().query == "feedback"
    assert "<!channel>" not in json.dumps(answer.blocks)


def test_an_empty_looking_or_huge_query_is_handled(bot: Sandbox) -> None:
    assert "Tell me what you need" in learn(bot, "<@U0SAM>").text
    learn(bot, "feedback " * 2000)
    with bot.runtime.sessions() as session:
        assert len(session.query(Search).one().query) <= 200


def test_a_resource_retired_while_its_message_is_open_gets_a_clear_line(bot: Sandbox, content_dir: Path) -> None:
    answer = learn(bot, "giving feedback")
    feedback = content_dir / "resources" / "feedback.yaml"
    feedback.write_text(feedback.read_text().split("  - key: feedback-prep-prompt")[0])
    sync_content(bot.runtime.sessions, load_content(content_dir), now=START)
    click(bot, answer, "resource_show", number=1)
    assert bot.emulator.open_views("U0ALEX") == []
    assert "no longer in the library" in bot.emulator.ephemerals_for("U0ALEX")[-1].text


def test_more_results_pages_through(bot: Sandbox) -> None:
    answer = learn(bot, "feedback listening")
    assert "results_more" not in buttons(answer), "three results fit on one page"


def test_in_the_bots_dm_the_answer_is_a_message(bot: Sandbox) -> None:
    with bot.emulator.state.lock:
        dm = bot.emulator.state.dm_channel("U0ALEX")
    bot.driver.command("U0ALEX", "/learn", "giving feedback", channel=dm)
    bot.settle()
    [message] = bot.emulator.dm_messages("U0ALEX")
    assert "Situation, Behaviour" in json.dumps(message.blocks)


def test_a_tampered_button_value_gets_a_friendly_line(bot: Sandbox) -> None:
    answer = learn(bot, "giving feedback")
    element, block_id = buttons(answer)["resource_helpful"][0]
    bad = {**element, "value": "not json"}
    bot.driver.click("U0ALEX", bad, block_id=block_id, container={"channel": answer.channel, "ephemeral": True})
    bot.settle()
    assert "could not read that button" in bot.emulator.ephemerals_for("U0ALEX")[-1].text


def test_the_shipped_library_answers_giving_feedback_to_my_team_with_three_feedback_resources(
    settings: Settings,
) -> None:
    shipped = ROOT / "content"
    with open_sandbox(settings.model_copy(update={"content_dir": shipped}), start=START) as sandbox:
        sync_content(sandbox.runtime.sessions, load_content(shipped), now=START)
        answer = learn(sandbox, "giving feedback to my team")
        shown = [element["value"] for element, _ in buttons(answer)["resource_helpful"]]
        keys = [json.loads(value)["k"] for value in shown]
        state = sandbox.deps.library.catalogue.current()
        assert len(keys) == 3
        assert all("giving-feedback" in state.resources[key].skills for key in keys), keys
        assert problems(answer.blocks) == []
