"""/learn through the real Bolt app: results, buttons, feedback, tailoring, paging, no match, bad input."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.library.analyzer import Analyzer
from bot.library.fit import Fit
from bot.library.index import SearchIndex
from bot.library.models import ResourceEvent, ResourceFeedback, ResourceOpen, Search
from bot.library.postings import Document
from bot.sandbox.blockkit import problems, view_problems
from bot.sandbox.session import Sandbox
from tests.harness import START, Person, control, controls, rows, shown


def test_learn_shows_the_best_resources_with_working_buttons(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("giving feedback")
    assert problems(answer.blocks) == []
    text = shown(answer.blocks)
    assert "Give feedback with Situation, Behaviour, Impact" in text
    assert text.index("Situation, Behaviour") < text.index("Prepare a feedback conversation"), "role fit ranks first"
    ids = [element["action_id"] for element, _ in controls(answer.blocks)]
    assert ids.count("resource_show") == 2 and ids.count("resource_helpful") == 2
    assert {"resource_tailor", "resource_not_helpful", "resource_request"} <= set(ids)
    [search] = rows(bot, Search)
    assert (search.query, search.fit) == ("giving feedback", Fit.GOOD)
    assert [r["key"] for r in search.results] == ["feedback-sbi-guide", "feedback-prep-prompt"]


def test_typos_word_forms_and_synonyms_find_the_same_resource(bot: Sandbox, alex: Person) -> None:
    for query in ("feedbak sbi", "critique", "listened", "lisening to people"):
        ids = {element["action_id"] for element, _ in controls(alex.learn(query).blocks)}
        assert ids & {"resource_show", "resource_open"}, query


def test_show_opens_the_guide_in_a_window_and_records_the_open(bot: Sandbox, alex: Person) -> None:
    alex.press(alex.learn("giving feedback"), "resource_show")
    window = alex.window()
    assert view_problems(window.view) == []
    assert "*situation*" in json.dumps(window.view), "Markdown bold became mrkdwn bold"
    assert len(rows(bot, ResourceOpen)) == 1
    assert [e.kind for e in rows(bot, ResourceEvent)] == ["opened"]


def test_a_prompt_resource_shows_the_prompt_to_copy(bot: Sandbox, alex: Person) -> None:
    alex.press(alex.learn("giving feedback"), "resource_show", 1)
    assert "```I need to give feedback to [role]." in json.dumps(alex.window().view)


def test_helpful_pressed_twice_is_recorded_once(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("giving feedback")
    alex.press(answer, "resource_helpful")
    alex.press(answer, "resource_helpful")
    alex.press(answer, "resource_not_helpful")
    [feedback] = rows(bot, ResourceFeedback)
    assert feedback.value == "not_helpful"
    replies = [e.text for e in alex.ephemerals()[1:]]
    assert replies[0].startswith("Thanks:") and replies[1:] == ["Updated: helpful.", "Updated: not helpful."]


def test_helpful_in_the_resource_window_is_recorded(bot: Sandbox, alex: Person) -> None:
    alex.press(alex.learn("giving feedback"), "resource_show")
    alex.press({**alex.window().view, "id": alex.window().id}, "resource_helpful")
    [feedback] = rows(bot, ResourceFeedback)
    assert feedback.value == "helpful"


def test_tailor_to_me_without_a_model_uses_the_template_for_the_persons_role(bot: Sandbox, alex: Person) -> None:
    alex.press(alex.learn("giving feedback"), "resource_tailor")
    text = shown(alex.last_line().blocks)
    assert "for you as People manager" in text, "role guessed from the title Engineering Manager"
    assert "Written by AI" not in text


def test_no_good_match_is_said_honestly_with_a_quick_guide_and_a_request_button(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("sourdough bread baking")
    text = shown(answer.blocks)
    assert "nothing in the library that really fits" in text
    assert "Request a resource" in text and "Written by AI" not in text
    alex.press(answer, "resource_request")
    assert rows(bot, Search)[0].fit is Fit.NOTHING
    [requested] = rows(bot, ResourceEvent, kind="requested")
    assert requested.detail == "sourdough bread baking"
    assert "asked the learning team" in alex.last_line().text


def test_learn_alone_shows_a_personal_menu(bot: Sandbox, alex: Person) -> None:
    text = shown(alex.learn("").blocks)
    assert "for you as *People manager*" in text
    assert "/learn practice" in text


def test_markup_in_a_query_is_ignored_and_echoed_inert(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("<@U0SAM> <!channel> feedback <https://evil.example|click>")
    assert rows(bot, Search)[0].query == "feedback"
    assert "<!channel>" not in shown(answer.blocks)


def test_an_empty_looking_or_huge_query_is_handled(bot: Sandbox, alex: Person) -> None:
    assert "Tell me what you need" in alex.learn("<@U0SAM>").text
    alex.learn("feedback " * 2000)
    assert len(rows(bot, Search)[0].query) <= 200


def test_a_resource_retired_while_its_message_is_open_gets_a_clear_line(
    bot: Sandbox, alex: Person, content_dir: Path
) -> None:
    answer = alex.learn("giving feedback")
    feedback = content_dir / "resources" / "feedback.yaml"
    feedback.write_text(feedback.read_text().split("  - key: feedback-prep-prompt")[0])
    sync_content(bot.runtime.sessions, load_content(content_dir), now=START)
    alex.press(answer, "resource_show", 1)
    assert bot.emulator.open_views("U0ALEX") == []
    assert "no longer in the library" in alex.last_line().text


def test_more_results_pages_through_to_the_end(shipped: Sandbox) -> None:
    alex = Person(shipped, "U0ALEX")
    answer = alex.learn("feedback")
    seen: list[str] = [
        json.loads(e["value"])["k"] for e, _ in controls(answer.blocks) if e["action_id"] == "resource_helpful"
    ]
    pages = 1
    while any(e["action_id"] == "results_more" for e, _ in controls(answer.blocks)):
        alex.press(answer, "results_more")
        answer = alex.last_line()
        keys = [json.loads(e["value"])["k"] for e, _ in controls(answer.blocks) if e["action_id"] == "resource_helpful"]
        assert keys and not set(keys) & set(seen), "each page shows new resources"
        assert "More for “feedback”" in shown(answer.blocks)
        seen += keys
        pages += 1
    [search] = rows(shipped, Search)
    assert pages >= 3, "the shipped library has more than two pages about feedback"
    assert len(seen) == len(set(seen)) and seen[:3] == [r["key"] for r in search.results]


def test_a_button_carrying_someone_elses_search_is_refused(bot: Sandbox, alex: Person, sam: Person) -> None:
    answer = alex.learn("feedback listening")
    element, block_id = control(answer.blocks, "resource_request")
    bot.driver.click("U0SAM", element, block_id=block_id, container={"channel": answer.channel, "ephemeral": True})
    bot.settle()
    assert "That search has expired" in sam.last_line().text
    assert rows(bot, ResourceEvent, kind="requested") == []


def test_in_the_bots_dm_the_answer_is_a_message(bot: Sandbox, alex: Person) -> None:
    with bot.emulator.state.lock:
        dm = bot.emulator.state.dm_channel("U0ALEX")
    alex.command("/learn", "giving feedback", channel=dm)
    [message] = alex.dms()
    assert "Situation, Behaviour" in shown(message.blocks)


def test_a_tampered_button_value_gets_a_friendly_line(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("giving feedback")
    element, block_id = control(answer.blocks, "resource_helpful")
    bad = {**element, "value": "not json"}
    bot.driver.click("U0ALEX", bad, block_id=block_id, container={"channel": answer.channel, "ephemeral": True})
    bot.settle()
    assert "could not read that button" in alex.last_line().text


def test_the_shipped_library_answers_giving_feedback_to_my_team_with_three_feedback_resources(
    shipped: Sandbox,
) -> None:
    answer = Person(shipped, "U0ALEX").learn("giving feedback to my team")
    keys = [json.loads(e["value"])["k"] for e, _ in controls(answer.blocks) if e["action_id"] == "resource_helpful"]
    state = shipped.world.catalogue.current()
    assert len(keys) == 3
    assert all("giving-feedback" in state.resources[key].skills for key in keys), keys
    assert "feedback-sbi-guide" in keys, "the general guide is on the first page, not under More results"
    assert problems(answer.blocks) == []


def first_keys(answer_blocks: list[dict[str, object]]) -> list[str]:
    return [json.loads(e["value"])["k"] for e, _ in controls(answer_blocks) if e["action_id"] == "resource_helpful"]


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("kubernetes helm charts", "a question about code and technical questions"),
        ("python decorators", "a question about code and technical questions"),
        ("sql joins", "a question about code and technical questions"),
        ("javascript promises", "a question about code and technical questions"),
        ("weather tomorrow", "a question about topics outside work skills"),
        ("helm", "nothing in the library that really fits"),  # in no topic of elsewhere.yaml: a quick guide
    ],
)
def test_a_query_the_library_has_nothing_for_gets_the_honest_answer_and_counts_as_unmet(
    shipped: Sandbox, query: str, said: str
) -> None:
    answer = Person(shipped, "U0ALEX").learn(query)
    text = shown(answer.blocks)
    assert "I have nothing" in text and said in text and "The best I have" not in text
    assert first_keys(answer.blocks) == []
    [search] = rows(shipped, Search)
    assert (search.query, search.fit) == (query, Fit.NOTHING)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("saying no to my boss", "hard-disagree-upward-guide"),
        ("disagreeing with my manager", "hard-disagree-upward-guide"),
        ("delegaton", "delegation-"),
        ("how do I delegate better?", "delegation-"),
    ],
)
def test_an_on_topic_query_ranks_the_fitting_resource_first(shipped: Sandbox, query: str, first: str) -> None:
    keys = first_keys(Person(shipped, "U0SAM").learn(query).blocks)
    assert keys and keys[0].startswith(first), keys
    assert rows(shipped, Search)[0].fit is Fit.GOOD


def test_a_manager_saying_no_to_their_boss_finds_the_disagreeing_guide_on_the_first_page(shipped: Sandbox) -> None:
    assert "hard-disagree-upward-guide" in first_keys(Person(shipped, "U0ALEX").learn("saying no to my boss").blocks)


def test_synonyms_match_a_words_inflections_but_not_another_word_with_its_stem() -> None:
    analyzer = Analyzer([["listening", "listen"], ["manager", "boss"], ["one-on-one", "1:1"]])
    assert analyzer.terms("I listened") == analyzer.terms("listening") == ["zsyn0"]
    assert analyzer.terms("my managers") == ["zsyn1"]
    assert analyzer.terms("time management") == ["time", "manag"], "management is not a manager"
    assert analyzer.terms("our 1:1s") == ["zsyn2"]


def test_opening_a_video_link_records_the_open_and_says_nothing(shipped: Sandbox) -> None:
    alex = Person(shipped, "U0ALEX")
    answer = alex.learn("5 ways to listen better")
    element, _ = control(answer.blocks, "resource_open")
    assert element["url"] == "https://www.ted.com/talks/julian_treasure_5_ways_to_listen_better"
    alex.press(answer, "resource_open")
    [opened] = rows(shipped, ResourceOpen)
    assert shipped.world.catalogue.current().by_id[opened.content_item_id].url == element["url"]
    assert [e.kind for e in rows(shipped, ResourceEvent)] == ["opened"]
    assert len(alex.ephemerals()) == 1, "Slack opens the link; the bot adds no message"


def test_what_someone_types_comes_back_inert_in_the_text_and_the_blocks(bot: Sandbox, alex: Person) -> None:
    answer = alex.learn("feedback <b>&amp; *bold* <!channel>")
    for shown_text in (answer.text, shown(answer.blocks)):
        assert "<!channel>" not in shown_text and "<b>" not in shown_text
        assert "*bold*" not in shown_text, "a typed asterisk cannot bold (or unbalance) the bot's text"
    assert "&lt;b&gt;" in answer.text and "“feedback" in answer.text, "the notification text is escaped too"
    line = alex.learn("practice <!channel>")
    assert "<!channel>" not in line.text and "&lt;!channel&gt;" in line.text


def test_a_search_id_of_someone_else_is_not_recorded_under_the_clicker(bot: Sandbox, alex: Person, sam: Person) -> None:
    from bot.people.types import TeamMember

    mine = alex.learn("giving feedback")
    [(element, _)] = [(e, b) for e, b in controls(mine.blocks) if e["action_id"] == "resource_show"][:1]
    bot.driver.click("U0SAM", element, block_id="x", container={"channel": mine.channel, "ephemeral": True})
    bot.settle()
    [opened] = rows(bot, ResourceEvent, kind="opened")
    assert opened.search_id is None, "Sam's open is recorded, without Alex's search"
    team = bot.emulator.state.team_id
    alex_export = bot.services.privacy.export(TeamMember(team, "U0ALEX"))
    assert alex_export.get("resource_events", []) == [], "Sam's row is not in Alex's data"
    assert len(bot.services.privacy.export(TeamMember(team, "U0SAM"))["resource_events"]) == 1


def test_the_best_hits_are_those_of_ranking_every_match_whatever_the_fit() -> None:
    """Search ranks the leaders and walks the rest only while the person's fit could lift one in; a long query
    matching thousands of resources, with feedback boosts, roles, wanted skills and a named skill, gets exactly
    the hits that ranking every match would give."""

    class Exhaustive(SearchIndex):
        def _top(self, scores, matched, terms, role, skills, named, wanted):  # type: ignore[no-untyped-def]
            hits = [self._hit(doc, raw, matched, terms, role, skills, named) for doc, raw in scores.items()]
            return sorted(hits, key=lambda hit: (-hit.score, hit.key))[:wanted]

    rng = random.Random(7)
    words = [f"w{n}" for n in range(60)] + ["feedback", "meeting", "team", "plan", "manager"]
    roles, skills = ["lead", "ic", "manager"], ["giving-feedback", "delegation", "listening"]
    documents = [
        Document(
            key=f"r{n:04d}",
            fields={
                "title": " ".join(rng.choices(words, k=4)),
                "summary": " ".join(rng.choices(words, k=12)),
                "body": " ".join(rng.choices(words, k=60)),
            },
            roles=frozenset(rng.sample(roles, rng.randint(0, 2))),
            skills=frozenset(chosen := rng.sample(skills, rng.randint(1, 2))),
            primary_skill=chosen[0],
        )
        for n in range(2_000)
    ]
    names = {"giving-feedback": "giving feedback", "delegation": "delegation", "listening": "listening"}
    fast, exhaustive = SearchIndex(documents, skill_names=names), Exhaustive(documents, skill_names=names)
    boosts = {document.key: rng.choice([0.8, 1.0, 1.0, 1.2]) for document in documents}
    fast.set_boosts(boosts)
    exhaustive.set_boosts(boosts)
    beyond = 0
    for _ in range(150):
        query = " ".join(rng.choices(words, k=rng.randint(1, 12))) + rng.choice(["", " giving feedback"])
        role, wanted = rng.choice([None, *roles]), frozenset(rng.sample(skills, rng.randint(0, 2)))
        limit, offset = rng.choice([3, 5]), rng.choice([0, 3])
        found = fast.search(query, role=role, skills=wanted, limit=limit, offset=offset)
        expected = exhaustive.search(query, role=role, skills=wanted, limit=limit, offset=offset)
        assert found.hits == expected.hits, query
        beyond += found.total > 4 * max(offset + limit, 3) + 20
    assert beyond > 100, "most of these match more resources than the leaders ranked first"
