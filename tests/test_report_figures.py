"""The report's figures on a crafted dataset, on a real database (SQLite, or PostgreSQL from
TEST_DATABASE_URL): exact means, intervals and distributions; small groups suppressed, including the group
subtraction would reveal; a team's scope; the heatmap in each person's local time; JSON and CSV agree."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_settings
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.db.engine import transaction
from bot.errors import ConfigError
from bot.practice.models import PracticeDay, PracticeSubscription
from bot.reports.output import figures, text_of, to_csv, to_json
from bot.reports.values import Rule, Suppressed, interval
from bot.teams.models import TeamRoster
from tests.harness import FIXTURE, START
from tests.report_seed import FEEDBACK, LISTENING, S3, Seed, adherence_data, at, crafted, needs_data


@pytest.fixture
def seed(sessions: sessionmaker[Session]) -> Seed:
    return Seed(sessions)


def test_capability_change_exact_figures(seed: Seed) -> None:
    crafted(seed)
    report = seed.report()
    by = {skill.skill: skill for skill in report.capability}
    feedback = by[FEEDBACK].before_after
    assert feedback.people == 5
    assert feedback.mean == pytest.approx(1.0)
    half = 2.776 * math.sqrt(2.5 / 5)  # changes 2 1 0 3 -1: sample variance 10/4
    assert (feedback.low, feedback.high) == (pytest.approx(1 - half), pytest.approx(1 + half))
    assert feedback.improved_share == pytest.approx(0.6)
    assert all(value == S3 for value in (feedback.distribution[v] for v in (-1, 0, 1, 2, 3)))
    assert feedback.distribution[4] == 0
    back = by[FEEDBACK].retrospective_after  # 4-2, 4-2, 2-2
    assert back.people == 3 and back.mean == pytest.approx(4 / 3)
    half = 4.303 * math.sqrt((4 / 9 * 2 + 16 / 9) / 2 / 3)
    assert (back.low, back.high) == (pytest.approx(4 / 3 - half), pytest.approx(4 / 3 + half))
    assert by[FEEDBACK].proposer_observed.people == S3 and by[FEEDBACK].proposer_observed.mean == S3
    listening = by[LISTENING].before_after
    assert (listening.people, listening.mean, listening.improved_share) == (4, pytest.approx(0.75), pytest.approx(0.75))
    # +1 by three people shown; 0 by one suppressed, and one more part (the smallest: -4, none) with it
    assert listening.distribution == {-4: S3, -3: 0, -2: 0, -1: 0, 0: S3, 1: 3, 2: 0, 3: 0, 4: 0}
    assert [(t.month, t.mean, t.people) for t in by[LISTENING].monthly] == [
        ("2026-10", S3, S3),
        ("2026-11", pytest.approx(3.0), 3),
    ]
    assert by[FEEDBACK].stuck_people == 4
    assert by[FEEDBACK].stuck == {1: S3, 2: 0, 3: 0, 4: 3, 5: S3}


def test_interval_formula() -> None:
    assert interval(1.0, 2.5, 5) == (pytest.approx(1 - 1.96293, abs=1e-4), pytest.approx(1 + 1.96293, abs=1e-4))
    assert interval(2.0, 1.0, 1) is None
    _low, high = interval(0.0, 1.0, 200) or (0.0, 0.0)
    assert high == pytest.approx(1.96 / math.sqrt(200))


def test_the_minimum_group_is_never_below_three() -> None:
    with pytest.raises(ConfigError) as failure:
        load_settings(_env_file=None, report_min_group=2)
    assert failure.value.variable == "REPORT_MIN_GROUP"
    assert load_settings(_env_file=None).report_min_group == 5


def test_complementary_suppression() -> None:
    rule = Rule(5)
    assert rule.parts({"a": (10, 10), "b": (2, 2), "c": (7, 7), "d": (6, 6)}) == {
        "a": 10,
        "b": Suppressed(5),
        "c": 7,
        "d": Suppressed(5),
    }
    assert rule.parts({"a": (10, 10), "b": (2, 2), "c": (3, 3)}) == {"a": 10, "b": Suppressed(5), "c": Suppressed(5)}
    assert rule.parts({"a": (10, 10), "b": (6, 6)}) == {"a": 10, "b": 6}
    assert str(Suppressed(5)) == "fewer than 5"


def test_adherence_and_the_subtraction_case(seed: Seed) -> None:
    adherence_data(seed)
    rows = {row.skill: row.measures for row in seed.report().adherence}
    assert rows[""]["proposed"] == 5 and rows[""]["accepted"] == 4 and rows[""]["finished"] == 3
    # listening's one proposal is suppressed, so feedback's is too: 5 - 4 would reveal it
    assert rows[LISTENING]["proposed"] == S3 and rows[FEEDBACK]["proposed"] == S3
    assert rows[FEEDBACK]["accepted"] == 4 and rows[LISTENING]["accepted"] == 0
    assert rows[""]["withdrawn"] == S3 and rows[""]["declined"] == S3
    assert rows[FEEDBACK]["checkins_sent"] == 4 and rows[FEEDBACK]["checkins_answered"] == 3


def test_practice_days(seed: Seed) -> None:
    p = seed.p
    with transaction(seed.sessions) as session:
        subs = []
        for n in (1, 2, 3):
            sub = PracticeSubscription(
                workspace_id=seed.ws,
                person_id=p[n],
                technique_key="active-listening",
                status="active",
                weekdays=[0, 1, 2, 3, 4],
                created_at=at(1),
                updated_at=at(1),
            )
            session.add(sub)
            session.flush()
            subs.append(sub.id)
        days = {subs[0]: ["done"] * 3, subs[1]: ["done", "done", "skipped"], subs[2]: ["done", "missed"]}
        for sub_id, statuses in days.items():
            for i, status in enumerate(statuses):
                session.add(
                    PracticeDay(
                        subscription_id=sub_id,
                        local_date=date(2026, 11, 10 + i),
                        variation=0,
                        status=status,
                        delivery_key=f"practice:{sub_id}:{i}",
                    )
                )
    (row,) = seed.report().practice
    assert (row.practitioners, row.days_due, row.days_done, row.done_per_practitioner) == (3, 7, 6, pytest.approx(2.0))


def test_moments_of_need_by_topic(seed: Seed) -> None:
    adherence_data(seed)  # "I'm stuck" from p1 and p2 in feedback challenges
    needs_data(seed)
    needs = seed.report().needs
    first, second, third = needs.topics
    assert (first.label, first.people, first.moments) == ("giving feedback boss", 5, 5)
    assert first.phrasings == ("giving feedback to my boss",)  # "give critique…" was typed by one person
    # one small part (requested) and the smallest other with it, so that the total minus the rest hides it
    assert first.kinds == {"searched": 4, "closest": S3, "requested": S3, "not_helpful": 0, "stuck": 0}
    expected = seed.shelf().index.search("giving feedback boss", limit=3)
    titles = tuple(seed.shelf().catalogue.resources[h.key].title for h in expected.hits) if expected.good else ()
    assert first.offered == titles
    assert (second.label, second.people, second.phrasings) == ("giving feedback", 3, ())  # stuck p1 p2, not helpful p3
    assert (third.label, third.people, third.offered) == (S3, S3, ())
    assert needs.people == 6 and needs.moments == 9
    text = to_json(seed.report()) + to_csv(seed.report())
    assert "secret words" not in text and "mine alone" not in text and "xyzzy" not in text and "critique" not in text


def test_a_team_scope_excludes_everyone_else(seed: Seed) -> None:
    crafted(seed)
    needs_data(seed)
    team = frozenset(seed.p[1:4])
    report = seed.report(people=team)
    by = {skill.skill: skill for skill in report.capability}
    assert by[FEEDBACK].before_after.people == 3
    assert by[FEEDBACK].before_after.mean == pytest.approx(1.0)  # 2, 1, 0
    assert report.needs.people == 3 and report.needs.topics[0].people == 3
    assert by[FEEDBACK].stuck == {1: 0, 2: 0, 3: 0, 4: 3, 5: 0}


def test_heatmap_in_each_persons_local_time(seed: Seed) -> None:
    p = seed.p
    london, new_york = (p[1], p[3], p[5]), (p[2], p[4], p[6])
    for person in london:
        seed.add(seed.search(person, "delegation", at(22, 8, month=10)))  # 09:30 BST, a Thursday
        seed.add(seed.search(person, "delegation", at(12, 9)))  # 09:30 GMT, a Thursday
    for person in new_york:
        seed.add(seed.search(person, "delegation", at(11, 3)))  # 22:30 EST on Tuesday the 10th
    seed.add(seed.search(p[7], "delegation", at(11, 3)))  # one person in London (Wednesday 03:30)
    heatmap = seed.report(since=datetime(2026, 10, 20, tzinfo=UTC)).needs.heatmap
    assert heatmap[3][9] == 3  # Thursday 09:00, both sides of the clock change
    assert heatmap[1][22] == 3  # Tuesday 22:00 in New York
    assert heatmap[2][3] == S3  # the lone Londoner, and the smallest other cell with them
    assert sum(1 for row in heatmap for cell in row if cell == S3) == 2
    assert sum(cell for row in heatmap for cell in row if isinstance(cell, int)) == 6


def test_json_and_csv_agree(seed: Seed) -> None:
    crafted(seed)
    adherence_data(seed)
    needs_data(seed)
    report = seed.report()
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert rows[0] == ["section", "subject", "measure", "value"]
    document = json.loads(to_json(report))
    assert list(document) == ["scope", "since", "until", "min_group", "figures"]
    from_json = set()
    for section, subjects in document["figures"].items():
        for subject, measures in subjects.items():
            for measure, value in measures.items():
                shown = value["suppressed"] if isinstance(value, dict) else text_of(value)
                from_json.add((section, subject, measure, shown))
    assert from_json == {tuple(row) for row in rows[1:]}
    assert len(rows) - 1 == len(list(figures(report)))
    assert ["capability: before to after", "Giving feedback", "change +3", "fewer than 3"] in rows
    assert ["capability: before to after", "Giving feedback", "people", "5"] in rows


def test_the_report_command(seed: Seed, database_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import main

    crafted(seed)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REPORT_MIN_GROUP", "3")
    monkeypatch.setenv("CONTENT_DIR", "tests/fixtures/content")
    out = tmp_path / "report.csv"
    args = ["report", "--workspace", "T1", "--since", "2026-11-01", "--until", "2026-12-01", "--format", "csv"]
    assert main([*args, "--out", str(out)]) == 0
    assert "capability: before to after,Giving feedback,people,5" in out.read_text()


def test_the_report_command_for_a_team(
    seed: Seed, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A team's report covers the members the bot last read from Slack; a team not in teams.yaml, or one whose
    members were never read, is one clear line and exit 1."""
    from bot.cli import main

    crafted(seed)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "teams.yaml").write_text(
        "teams:\n"
        "  - key: leads\n    name: Leads\n    members: {usergroup: S0LEADS}\n    leads: [U0LEAD]\n"
        "  - key: later\n    name: Later\n    members: {channel: C0LATER}\n    leads: [U0LEAD]\n"
    )
    sync_content(seed.sessions, load_content(content), now=START)
    with transaction(seed.sessions) as session:
        session.add(
            TeamRoster(team_key="leads", source="usergroup:S0LEADS", members=["U1", "U2", "U3"], refreshed_at=START)
        )
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REPORT_MIN_GROUP", "3")
    monkeypatch.setenv("CONTENT_DIR", str(content))
    args = ["report", "--workspace", "T1", "--since", "2026-11-01", "--until", "2026-12-01"]
    assert main([*args, "--team", "leads"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["scope"] == "team Leads"
    assert document["figures"]["capability: before to after"]["Giving feedback"]["people"] == 3  # p1, p2, p3 of five
    assert main([*args, "--team", "sales"]) == 1
    assert "There is no team called" in capsys.readouterr().err
    assert main([*args, "--team", "later"]) == 1
    assert "have not been read from Slack yet" in capsys.readouterr().err
