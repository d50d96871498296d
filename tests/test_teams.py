"""Teams as content: teams.yaml checked like the rest, rosters read from Slack once a day (a channel's members,
page by page, or a user group's), the last roster kept when Slack cannot say, and who may read which report."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.content.loader import ContentErrors, load_content
from bot.errors import NotAllowed
from bot.sandbox.session import Sandbox
from bot.teams.models import TeamRoster
from tests.harness import START, Person, rows, synced_sandbox

TEAMS = """teams:
  - key: everyone
    name: Everyone
    members: {channel: C0SANDBOX}
    leads: [U0PRIYA]
  - key: engineering
    name: Engineering
    members: {usergroup: S0ENGINEERING}
    leads: [U0SAM]
"""


@pytest.fixture
def teams(settings: Settings, content_dir: Path) -> Iterator[Sandbox]:
    (content_dir / "teams.yaml").write_text(TEAMS)
    with synced_sandbox(settings, content_dir) as bot:
        yield bot


def test_a_wrong_team_is_reported_with_its_file_and_field(content_dir: Path) -> None:
    (content_dir / "teams.yaml").write_text(
        "teams:\n"
        "  - key: a\n    name: A\n    members: {channel: C0X, usergroup: S0Y}\n    leads: [U0SAM]\n"
        "  - key: b\n    name: B\n    members: {channel: general}\n    leads: [sam]\n"
        "  - key: c\n    name: C\n    members: {usergroup: S0Y}\n    leads: [U0SAM]\n"
        "  - key: c\n    name: C again\n    members: {usergroup: S0Y}\n    leads: [U0SAM]\n"
    )
    with pytest.raises(ContentErrors) as raised:
        load_content(content_dir)
    said = [(e.path, e.field, e.problem) for e in raised.value.errors]
    assert all(file.endswith("teams.yaml") for file, _, _ in said), said
    assert any("exactly one of `channel`" in message for _, _, message in said)
    assert {field for _, field, _ in said} >= {
        "teams[0] (a).members",
        "teams[1] (b).members.channel",
        "teams[1] (b).leads[0]",
    }, said
    assert any("duplicate key" in message for _, _, message in said)


def test_rosters_are_read_daily_page_by_page_and_kept_when_slack_cannot_say(
    teams: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    crowd = [f"U{n:07d}" for n in range(2_500)]  # three pages of conversations.members
    teams.emulator.state.channels["C0SANDBOX"].members.extend(crowd)
    teams.run_tick(START)
    rosters = {r.team_key: r for r in rows(teams, TeamRoster)}
    assert len(rosters["everyone"].members) == 4 + 2_500
    assert rosters["engineering"].members == ["U0ALEX", "U0JO", "U0SAM"]
    assert rosters["engineering"].source == "usergroup:S0ENGINEERING"

    teams.emulator.state.usergroups["S0ENGINEERING"].append("U0PRIYA")
    teams.run_tick(START + timedelta(hours=1))
    assert "U0PRIYA" not in next(r for r in rows(teams, TeamRoster) if r.team_key == "engineering").members, "daily"

    teams.emulator.fail("usergroups.users.list", "error", error="ratelimited")
    with caplog.at_level(logging.WARNING):
        teams.run_tick(START + timedelta(days=1, minutes=1))
    assert "keeping the last" in caplog.text
    assert "U0PRIYA" not in next(r for r in rows(teams, TeamRoster) if r.team_key == "engineering").members
    teams.run_tick(START + timedelta(days=1, minutes=2))
    assert "U0PRIYA" in next(r for r in rows(teams, TeamRoster) if r.team_key == "engineering").members


def test_admins_read_any_report_leads_their_teams_and_nobody_else_any(teams: Sandbox) -> None:
    teams.run_tick(START)
    service = teams.services.teams
    alex, sam, priya, jo = (Person(teams, user).ref for user in ("U0ALEX", "U0SAM", "U0PRIYA", "U0JO"))
    assert service.scope_for(alex, None).person_ids is None, "a workspace admin reads the whole workspace"
    assert service.scope_for(alex, "everyone").key == "everyone"
    mine = service.scope_for(sam, None)
    assert mine.key == "engineering" and mine.person_ids == frozenset({alex.person_id, sam.person_id, jo.person_id})
    for person, team in ((sam, "everyone"), (priya, "engineering"), (jo, None), (jo, "engineering"), (sam, "nope")):
        with pytest.raises(NotAllowed, match="Reports are for admins and team leads"):
            service.scope_for(person, team)


def test_learn_admins_makes_someone_an_admin(settings: Settings, content_dir: Path) -> None:
    (content_dir / "teams.yaml").write_text(TEAMS)
    with synced_sandbox(settings, content_dir, learn_admins="U0JO") as bot:
        assert bot.services.teams.scope_for(Person(bot, "U0JO").ref, None).person_ids is None
    with pytest.raises(ValueError, match="not a Slack user id"):
        Settings(_env_file=None, learn_admins="U0JO, jo")
