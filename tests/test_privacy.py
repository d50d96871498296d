"""A person's data: /learn mydata, the export, and /learn forgetme cover every table that holds them."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import inspect, select

from bot.config import Settings
from bot.content.loader import load_content
from bot.db.base import Base
from bot.sandbox.session import Sandbox, open_sandbox
from bot.services.content_sync import sync_content
from tests.conftest import ROOT, START
from tests.test_cli import bot_env

FIXTURE = ROOT / "tests" / "fixtures" / "content"


def busy_person(bot: Sandbox) -> None:
    """Alex uses everything: searches, opens, rates, practises, reflects, rates a skill; Sam suggests."""
    bot.driver.command("U0ALEX", "/learn", "giving feedback")
    bot.settle()
    answer = bot.emulator.ephemerals_for("U0ALEX")[-1]
    show = next(b["accessory"] for b in answer.blocks if (b.get("accessory") or {}).get("action_id") == "resource_show")
    helpful = next(
        e
        for b in answer.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "resource_helpful"
    )
    for element in (show, helpful):
        bot.driver.click("U0ALEX", element, block_id="x", container={"channel": answer.channel, "ephemeral": True})
        bot.settle()
    me = bot.deps.people.touch(team_id=bot.emulator.state.team_id, user_id="U0ALEX")
    started = bot.deps.practice.start(me, "active-listening")
    bot.advance(timedelta(hours=2))
    with bot.runtime.sessions() as session:
        from bot.db.models import PracticeDay

        day = session.scalars(select(PracticeDay)).one()
    bot.deps.practice.reflect(me, day.id, "I listened")
    bot.deps.practice.rate(me, started.view.subscription_id, "review:2026-10", 3)
    sam = bot.deps.people.touch(team_id=bot.emulator.state.team_id, user_id="U0SAM")
    bot.deps.practice.start(sam, "active-listening")


def person_tables() -> set[str]:
    """Tables with a person_id column, and tables hanging off them (practice days)."""
    direct = {t.name for t in Base.metadata.sorted_tables if "person_id" in t.c}
    return direct | {"people", "practice_days"}


def test_export_covers_every_table_holding_the_persons_data_and_forget_removes_it(settings: Settings) -> None:
    with open_sandbox(settings.model_copy(update={"content_dir": FIXTURE}), start=START) as bot:
        sync_content(bot.runtime.sessions, load_content(FIXTURE), now=START)
        busy_person(bot)
        export = bot.deps.privacy.export(team_id=bot.emulator.state.team_id, user_id="U0ALEX")
        holding = {table for table, rows in export.items() if rows}
        assert person_tables() <= holding, person_tables() - holding
        assert all(row.get("person_id", row.get("id")) for row in export["people"])
        sam_rows = bot.deps.privacy.export(team_id=bot.emulator.state.team_id, user_id="U0SAM")
        assert len(sam_rows["practice_subscriptions"]) == 1, "Sam's data is Sam's"

        bot.driver.command("U0ALEX", "/learn", "forgetme")
        bot.settle()
        confirm = bot.emulator.ephemerals_for("U0ALEX")[-1]
        button = next(e for b in confirm.blocks if b["type"] == "actions" for e in b["elements"])
        bot.driver.click(
            "U0ALEX", button, block_id="privacy", container={"channel": confirm.channel, "ephemeral": True}
        )
        bot.settle()
        with bot.runtime.engine.connect() as connection:
            for table in person_tables() - {"people", "practice_days"}:
                column = Base.metadata.tables[table].c.person_id
                alex = select(Base.metadata.tables["people"].c.id).where(
                    Base.metadata.tables["people"].c.slack_user_id == "U0ALEX"
                )
                assert connection.execute(select(column).where(column.in_(alex.scalar_subquery()))).first() is None, (
                    table
                )
            subscriptions = Base.metadata.tables["practice_subscriptions"]
            assert len(connection.execute(select(subscriptions)).all()) == 1, "Sam's practice stays"
        assert "rows about you were deleted" in bot.emulator.ephemerals_for("U0ALEX")[-1].text
        assert set(inspect(bot.runtime.engine).get_table_names()) >= person_tables()


def test_mydata_summarises_and_the_cli_exports_json(settings: Settings) -> None:
    with open_sandbox(settings.model_copy(update={"content_dir": FIXTURE}), start=START) as bot:
        sync_content(bot.runtime.sessions, load_content(FIXTURE), now=START)
        bot.driver.command("U0ALEX", "/learn", "giving feedback")
        bot.settle()
        bot.driver.command("U0ALEX", "/learn", "mydata")
        bot.settle()
        summary = json.dumps(bot.emulator.ephemerals_for("U0ALEX")[-1].blocks)
        assert "searches: 1" in summary and "people: 1" in summary
    result = subprocess.run(
        [sys.executable, "-m", "bot", "people", "export", "U0ALEX", "--team", "T0SANDBOX"],
        env=bot_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported["searches"][0]["query"] == "giving feedback"
