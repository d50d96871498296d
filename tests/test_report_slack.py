"""/learn report through the real Bolt app, the emulator and a real database: an admin reads the headline
figures in the DM with the full HTML report uploaded beside them (files_upload_v2's three steps, as strict as
Slack), a team's lead reads their team's and nothing of another team, anyone else gets one polite line, and
a file Slack will not take is said in the DM."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.content.loader import load_content
from bot.library.models import Search
from bot.reports.service import ADMINS_ONLY
from bot.sandbox.screen import Screen
from bot.sandbox.session import Sandbox
from bot.slack.replies import IN_THE_DM
from bot.teams.service import NOT_ALLOWED
from tests.harness import START, Person, rows, shown, synced_sandbox

TEAMS = """teams:
  - key: engineering
    name: Engineering
    members: {usergroup: S0ENGINEERING}
    leads: [U0SAM]
  - key: sales
    name: Sales
    members: {channel: C0SALES}
    leads: [U0PRIYA]
"""
SALES = ("U0SALES1", "U0SALES2", "U0SALES3")
ENGINEERING_NEED = "giving feedback across cultures"  # the library has feedback guides, none on this
SALES_NEED = "expense policy for client dinners"


@pytest.fixture
def teams(settings: Settings, content_dir: Path) -> Iterator[Sandbox]:
    (content_dir / "teams.yaml").write_text(TEAMS)
    with synced_sandbox(settings, content_dir, report_min_group=3) as bot:
        for number, user in enumerate(SALES, start=1):
            bot.emulator.add_user(user, f"Seller {number}", tz="Europe/London")
        bot.emulator.add_channel("C0SALES", "sales", members=list(SALES))
        for user in ("U0ALEX", "U0SAM", "U0JO"):  # engineering
            Person(bot, user).learn(ENGINEERING_NEED)
        for user in SALES:
            Person(bot, user).learn(SALES_NEED)
        bot.run_tick(START)  # rosters read
        bot.clock.set(START + timedelta(hours=1))
        yield bot


def report_file(bot: Sandbox, user: str) -> str:
    [(message, content)] = bot.emulator.files_in(user)
    assert message.files[0]["name"].endswith(".html")
    return content.decode()


def test_an_admin_reads_the_summary_and_gets_the_html_file_in_the_dm(teams: Sandbox) -> None:
    alex = Person(teams, "U0ALEX")
    assert alex.command("/learn", "report").status == 200
    teams.settle()
    assert alex.last_line().text == IN_THE_DM, "typed in a channel: a private line says where the report went"
    [summary] = alex.dms_starting("Learning report")
    text = shown(summary.blocks)
    assert "Learning report: The whole workspace" in text
    assert "Did capability improve?" in text
    assert ENGINEERING_NEED in text and SALES_NEED in text, "both moments of need, with the phrasing 3 people typed"
    drafts = [b for b in summary.blocks if b.get("accessory", {}).get("action_id", "").startswith("report_draft")]
    assert len(drafts) == 2, "an admin can turn each moment of need into a draft"

    page = report_file(teams, "U0ALEX")
    assert page.lower().startswith("<!doctype html")
    assert ENGINEERING_NEED in page and SALES_NEED in page
    steps = [call.method for call in teams.emulator.state.calls if "file" in call.method or call.method == "upload"]
    assert steps == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


def test_an_admin_turns_a_moment_of_need_into_a_draft_resource(teams: Sandbox, content_dir: Path) -> None:
    alex, sam = Person(teams, "U0ALEX"), Person(teams, "U0SAM")
    alex.command("/learn", "report")
    [summary] = alex.dms_starting("Learning report")
    button = next(b["accessory"] for b in summary.blocks if ENGINEERING_NEED in shown([b]) and b.get("accessory"))

    alex.press(summary, button["action_id"])
    line = alex.last_line().text
    assert "I wrote a draft resource" in line and "Nothing is published" in line
    [draft] = (content_dir / "drafts").glob("*.yaml")
    assert draft.name in line
    [(message, content)] = [(m, c) for m, c in teams.emulator.files_in("U0ALEX") if m.files[0]["name"] == draft.name]
    assert content == draft.read_bytes() and "Its guide is a template" in message.text
    text = draft.read_text()
    assert ENGINEERING_NEED in text and "giving-feedback" in text, "the phrasing three people typed, the skill"
    assert load_content(content_dir, drafts=True), "the draft passes content validate"
    assert draft.stem not in teams.world.catalogue.current().resources, "not in the library"

    sales = next(b["accessory"] for b in summary.blocks if SALES_NEED in shown([b]) and b.get("accessory"))
    alex.press(summary, sales["action_id"])
    assert "no skill in the library fits" in alex.last_line().text, "a topic no skill fits: one friendly line"

    sam.press(summary, button["action_id"])  # as if the admin's button reached a lead (a forged click)
    assert sam.last_line().text == ADMINS_ONLY, "a lead pressing an admin's button (a forged click) is refused"
    assert len(list((content_dir / "drafts").glob("*.yaml"))) == 1, "and nothing more was written"


def test_a_lead_reads_their_team_only_and_anyone_else_gets_one_polite_line(teams: Sandbox) -> None:
    sam, priya, jo = Person(teams, "U0SAM"), Person(teams, "U0PRIYA"), Person(teams, "U0JO")
    sam.command("/learn", "report")
    [summary] = sam.dms_starting("Learning report")
    assert "Learning report: Engineering" in shown(summary.blocks)
    assert not any(b.get("accessory") for b in summary.blocks), "drafting is for admins"
    page = report_file(teams, "U0SAM")
    assert ENGINEERING_NEED in page and SALES_NEED not in page, "a lead of one team reads nothing of another"

    priya.command("/learn", "report sales")
    page = report_file(teams, "U0PRIYA")
    assert SALES_NEED in page and ENGINEERING_NEED not in page

    assert sam.learn("report sales").text == NOT_ALLOWED, "not even whether the team exists"
    assert jo.learn("report").text == NOT_ALLOWED
    assert jo.learn("report writing tips").text != NOT_ALLOWED, "more words are a search, not a report"
    assert [s.query for s in rows(teams, Search, person_id=jo.ref.person_id)][-1] == "report writing tips"
    assert not teams.emulator.files_in("U0JO")


def test_a_report_typed_in_the_dm_is_answered_there(teams: Sandbox) -> None:
    alex = Person(teams, "U0ALEX")
    alex.write_dm("report engineering")
    [summary] = alex.dms_starting("Learning report")
    assert "Learning report: Engineering" in shown(summary.blocks)
    assert ENGINEERING_NEED in report_file(teams, "U0ALEX")


def test_a_file_slack_will_not_take_is_said_in_the_dm(teams: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    alex = Person(teams, "U0ALEX")
    teams.emulator.fail("files.getUploadURLExternal", "error", error="missing_scope")
    with caplog.at_level(logging.WARNING):
        alex.command("/learn", "report")
    assert alex.dms_starting("Learning report"), "the summary still arrives"
    assert any("files:write" in m.text for m in alex.dms()), "the person reads why the file did not come"
    assert not teams.emulator.files_in("U0ALEX")
    assert "could not send learning-report" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], "a WARNING, not a stack"


def test_the_sandbox_shows_a_file_that_arrived(teams: Sandbox, tmp_path: Path) -> None:
    out = io.StringIO()
    screen = Screen(teams.emulator, out=out, files_dir=tmp_path)
    Person(teams, "U0ALEX").command("/learn", "report")
    screen.show_new("U0ALEX", "C0SANDBOX", START.tzinfo)  # type: ignore[arg-type]
    said = out.getvalue()
    assert "[file] Learning report: The whole workspace" in said
    [saved] = tmp_path.glob("*.html")
    assert str(saved) in said and ENGINEERING_NEED in saved.read_text()


def test_the_emulator_refuses_uploads_as_slack_does(teams: Sandbox) -> None:
    token = teams.runtime.settings.secret("slack_bot_token")
    client = WebClient(token=token, base_url=teams.emulator.api_url)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.files_getUploadURLExternal(filename="a.html", length=0)
    step = client.files_getUploadURLExternal(filename="a.html", length=5)
    with pytest.raises(SlackApiError, match="file_not_found"):  # its bytes never came
        client.files_completeUploadExternal(files=[{"id": step["file_id"]}], channel_id="DSOMEONE")
    dm = client.conversations_open(users="U0ALEX")["channel"]["id"]
    with pytest.raises(SlackApiError, match="channel_not_found"):  # channel_id takes a conversation, not a user
        client.files_upload_v2(channel="U0ALEX", content=b"hello", filename="a.txt")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.files_upload_v2(channel="DNOBODY", content=b"hello", filename="a.txt")
    sent = client.files_upload_v2(channel=dm, content=b"hello", filename="a.txt", title="A", initial_comment="Here")
    assert sent["file"]["title"] == "A"
    [(message, content)] = teams.emulator.files_in(dm)
    assert (message.text, content) == ("Here", b"hello")
