"""A person's data: /learn mydata, the export, and /learn forgetme cover every table that holds them."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import inspect, select

from bot.challenges.models import Challenge, ChallengeProposal
from bot.challenges.proposal_types import NewProposal
from bot.config import Settings
from bot.people.types import TeamMember
from bot.practice.models import PracticeDay
from bot.sandbox.session import Sandbox
from bot.schema import metadata, tables
from tests.harness import Person, bot_env, rows, run_bot, shown


def busy_person(bot: Sandbox, alex: Person, sam: Person) -> None:
    """Alex uses everything: searches, opens, rates, practises, reflects, rates a skill; Sam practises too."""
    answer = alex.learn("giving feedback")
    alex.press(answer, "resource_show")
    alex.press(answer, "resource_helpful")
    started = bot.services.practice.start(alex.ref, "active-listening")
    bot.advance(timedelta(hours=2))
    [day] = rows(bot, PracticeDay)
    bot.services.days.reflect(alex.ref, day.id, "I listened")
    bot.services.days.rate(alex.ref, started.view.subscription_id, "review:2026-10", 3)
    bot.services.practice.start(sam.ref, "active-listening")
    challenge = NewProposal(("U0ALEX",), "three-summaries", "", "", "", None, "", None, None, "", None)
    assert bot.services.challenges.send(sam.ref, bot.services.challenges.prepare(sam.ref, challenge))[0].problem is None
    [proposed] = rows(bot, Challenge)
    bot.services.challenge_answers.accept(alex.ref, proposed.id, baseline=2, share=False)
    bot.services.challenge_thread.reflect(alex.ref, proposed.id, "Summarising slowed me down, in a good way")


def person_tables() -> set[str]:
    """Tables with a person_id column, and tables hanging off them (practice days); the model's cache only fills
    with a model (tests/test_challenge_model.py forgets what it holds)."""
    return ({t.name for t in tables() if "person_id" in t.c} | {"people", "practice_days"}) - {"llm_cache"}


def test_export_covers_every_table_holding_the_persons_data_and_forget_removes_it(
    bot: Sandbox, alex: Person, sam: Person
) -> None:
    busy_person(bot, alex, sam)
    team = bot.emulator.state.team_id
    export = bot.services.privacy.export(TeamMember(team, "U0ALEX"))
    holding = {table for table, found in export.items() if found}
    assert person_tables() <= holding, person_tables() - holding
    sams = bot.services.privacy.export(TeamMember(team, "U0SAM"))
    assert len(sams["practice_subscriptions"]) == 1, "Sam's is Sam's"
    assert not sams["challenge_entries"] and not sams["ratings"], "the proposer's export holds none of Alex's"

    alex.learn("forgetme")
    alex.press(alex.last_line(), "privacy_forget")
    people = metadata().tables["people"]
    alex_id = select(people.c.id).where(people.c.slack_user_id == "U0ALEX").scalar_subquery()
    with bot.runtime.engine.connect() as connection:
        for table in person_tables() - {"people", "practice_days"}:
            column = metadata().tables[table].c.person_id
            assert connection.execute(select(column).where(column.in_(alex_id))).first() is None, table
        assert len(connection.execute(select(metadata().tables["practice_subscriptions"])).all()) == 1, "Sam's stays"
    assert "everything I stored about you is deleted" in alex.last_line().text
    assert set(inspect(bot.runtime.engine).get_table_names()) >= person_tables()


def test_mydata_summarises_and_the_cli_exports_json(bot: Sandbox, alex: Person, settings: Settings) -> None:
    alex.learn("giving feedback")
    summary = shown(alex.learn("mydata").blocks)
    assert "1 thing you asked me for" in summary and "your profile" in summary
    assert "rows" not in summary and "resource events" not in summary and "searches" not in summary
    result = run_bot("people", "export", "U0ALEX", "--team", "T0SANDBOX", env=bot_env(settings))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["searches"][0]["query"] == "giving feedback"


def test_a_proposers_words_are_theirs_to_export_and_forget_and_the_cohorts_challenges_stay(
    bot: Sandbox, alex: Person, sam: Person
) -> None:
    note = "You are great with new joiners; this would help the team"
    challenge = NewProposal(("U0ALEX",), "three-summaries", "", "", "", None, "", None, None, note, None)
    assert bot.services.challenges.send(sam.ref, bot.services.challenges.prepare(sam.ref, challenge))[0].problem is None
    [proposed] = rows(bot, Challenge)
    bot.services.challenge_answers.accept(alex.ref, proposed.id, baseline=2, share=False)
    team = bot.emulator.state.team_id
    sams = bot.services.privacy.export(TeamMember(team, "U0SAM"))
    assert [p["note"] for p in sams["challenge_proposals"]] == [note], "what Sam wrote is in Sam's export"
    assert not sams["challenges"], "Alex's challenge is not"
    alexs = bot.services.privacy.export(TeamMember(team, "U0ALEX"))
    assert not alexs["challenge_proposals"], "a proposal made to Alex is not Alex's data"
    sam.learn("forgetme")
    sam.press(sam.last_line(), "privacy_forget")
    [kept] = rows(bot, ChallengeProposal)
    assert (kept.proposer_id, kept.note) == (None, None), "Sam's words are gone"
    assert rows(bot, Challenge)[0].status == "active", "Alex's challenge goes on"
