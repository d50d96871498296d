"""Unit tests for the pure pieces: escaping, Block Kit limits, rendering, the clock, backoff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import ManualClock, parse_instant
from bot.outbox.dispatcher import backoff
from bot.sandbox.blockkit import problems, view_problems
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import mrkdwn_to_text, render_blocks
from bot.slack.blocks import kit
from bot.slack.blocks.help import help_blocks
from bot.slack.commands import CommandRouter, Subcommand
from bot.slack.replies import NOTHING, Reply
from bot.slack.text import escape, safe, truncate, unescape


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<!channel> hi", "&lt;!channel&gt; hi"),
        ("<@U123> & <https://x|y>", "&lt;@U123&gt; &amp; &lt;https://x|y&gt;"),
        ("plain *bold* _it_", "plain *bold* _it_"),
        ("<!subteam^S1>", "&lt;!subteam^S1&gt;"),
    ],
)
def test_escape_makes_mentions_and_links_inert(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped
    assert unescape(escaped) == raw


def test_truncate_never_splits_an_entity_and_marks_the_cut() -> None:
    text = escape("a" * 8 + "<b>")
    cut = truncate(text, 11)
    assert cut.endswith("…") and "&l…" not in cut and len(cut) <= 11
    assert safe("x" * 10_000, 3000) == "x" * 2999 + "…"


def test_builders_enforce_limits_and_the_checker_finds_violations() -> None:
    long = "y" * 5000
    blocks = [kit.header(long), kit.section(long), kit.actions(kit.button(long, "a" * 300, value="v"))]
    assert problems(blocks) == []
    broken = [{"type": "section", "text": {"type": "mrkdwn", "text": long}}] * 51
    found = problems(broken)
    assert found[0] == "51 blocks (limit 50)" and any("3000" in line for line in found)
    with pytest.raises(ValueError, match="2000"):
        kit.button("b", "a", value="v" * 2001)
    assert view_problems(kit.modal("t" * 40, [], callback_id="c")) == []


def _nothing(*_: object) -> Reply:
    return NOTHING


def test_help_lists_registered_subcommands_in_order() -> None:
    router = CommandRouter(
        "/x", [Subcommand("", "/x <topic>", "search", _nothing), Subcommand("help", "/x help", "help", _nothing)]
    )
    assert router.route("HELP") == (router.route("help")[0], "")
    assert router.route("help me give feedback")[1] == "help me give feedback", "a search, not help"
    assert router.usages() == [("/x <topic>", "search"), ("/x help", "help")]
    assert "`/x &lt;topic&gt;`" in str(help_blocks(router.usages()))


def test_render_numbers_buttons_and_decodes_mrkdwn() -> None:
    blocks = [
        kit.section(
            "Read <https://ex.com|this> &amp; that", accessory=kit.button("Open", "open", url="https://ex.com")
        ),
        kit.actions(kit.button("Yes", "yes", value="1"), kit.button("No", "no", value="0")),
    ]
    rendering = render_blocks(blocks, container={"channel": "C1"}, fallback="", first_number=4)
    assert "Read this (https://ex.com) & that" in rendering.text
    assert "[5] Yes  [6] No" in rendering.text
    assert [c.element.get("action_id") for c in rendering.clickables] == ["open", "yes", "no"]
    assert mrkdwn_to_text("&lt;!here&gt;") == "<!here>"


def test_clock_parsing_and_manual_clock() -> None:
    assert parse_instant("2026-11-24T09:00:00Z") == datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert parse_instant("2026-11-24T10:00:00+01:00") == datetime(2026, 11, 24, 9, tzinfo=UTC)
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.advance(timedelta(days=1)) == datetime(2026, 1, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive"):
        ManualClock(datetime(2026, 1, 1))


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [15, 30, 60, 900]


def test_the_emulator_refuses_blocks_that_slack_refuses(emulator: SlackEmulator) -> None:
    emulator.add_user("U0ALEX", "Alex")
    client = WebClient(token="xoxb-test", base_url=emulator.api_url, retry_handlers=[])
    twins = kit.actions(kit.button("Yes", "answer", value="1"), kit.button("No", "answer", value="0"), block_id="a")
    for blocks, problem in (
        ([twins], "action_id answer is not unique within its block [json-pointer:/blocks/0]"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "Hi"}}], "header text must be plain_text"),
        ([kit.section("x", block_id="b"), kit.section("y", block_id="b")], "duplicate block_id b"),
    ):
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="U0ALEX", text="fallback", blocks=blocks)
        assert refused.value.response["error"] == "invalid_blocks"
        assert any(problem in line for line in refused.value.response["response_metadata"]["messages"])
    assert emulator.dm_messages("U0ALEX") == [], "nothing refused was posted"
