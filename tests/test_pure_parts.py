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
    assert found[0] == "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    assert "[ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]" in found
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


MRKDWN = {"type": "mrkdwn", "text": "x"}
PLAIN = {"type": "plain_text", "text": "x"}
BUTTON = {"type": "button", "text": PLAIN, "action_id": "go"}
SELECT = {"type": "static_select", "action_id": "pick", "options": [{"text": PLAIN, "value": "1"}]}
REFUSED_BLOCKS = [
    (
        [kit.actions(kit.button("Yes", "answer", value="1"), kit.button("No", "answer", value="0"), block_id="a")],
        "action_id answer is not unique within its block [json-pointer:/blocks/0]",
    ),
    ([kit.section("x", block_id="b"), kit.section("y", block_id="b")], "duplicate block_id b"),
    (
        [{"type": "section", "text": MRKDWN, "block_id": "b" * 256}],
        "at most 255 characters [json-pointer:/blocks/0/block_id]",
    ),
    ([{"type": "header", "text": MRKDWN}], "must be plain_text [json-pointer:/blocks/0/text/type]"),
    ([{"type": "header"}], "text is required [json-pointer:/blocks/0/text]"),
    ([{"type": "section"}], "a section needs text or fields [json-pointer:/blocks/0]"),
    ([{"type": "section", "text": {"type": "markdown", "text": "x"}}], "unknown text type 'markdown'"),
    ([{"type": "section", "text": {**MRKDWN, "emoji": True}}], "emoji is only allowed on plain_text"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "must be more than 0 characters"),
    ([{"type": "section", "fields": [MRKDWN] * 11}], "between 1 and 10 fields allowed [json-pointer:/blocks/0/fields]"),
    (
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
        "at most 2000 characters [json-pointer:/blocks/0/fields/0/text]",
    ),
    ([{"type": "section", "text": MRKDWN, "accessory": {**BUTTON, "text": MRKDWN}}], "/blocks/0/accessory/text/type"),
    ([{"type": "actions", "elements": []}], "an actions block needs elements"),
    ([{"type": "actions", "elements": [{"type": "button", "action_id": "go"}]}], "/blocks/0/elements/0/text"),
    ([{"type": "actions", "elements": [{**BUTTON, "style": "loud"}]}], "style must be primary or danger"),
    ([{"type": "context", "elements": []}], "between 1 and 10 elements allowed"),
    ([{"type": "context", "elements": [MRKDWN] * 11}], "between 1 and 10 elements allowed"),
    ([{"type": "input", "element": {"type": "plain_text_input"}}], "an input needs a label"),
    ([{"type": "input", "label": MRKDWN, "element": {"type": "plain_text_input"}}], "/blocks/0/label/type"),
    ([{"type": "input", "label": PLAIN}], "an input needs an element"),
    ([{"type": "actions", "elements": [{**SELECT, "options": []}]}], "between 1 and 100 options allowed"),
    (
        [{"type": "actions", "elements": [{**SELECT, "initial_option": {"text": PLAIN, "value": "9"}}]}],
        "an initial option must be one of the options",
    ),
    ([{"type": "carousel"}], "unknown block type 'carousel'"),
]


@pytest.mark.parametrize(("blocks", "problem"), REFUSED_BLOCKS)
def test_the_emulator_refuses_blocks_that_slack_refuses(
    emulator: SlackEmulator, blocks: list[dict[str, object]], problem: str
) -> None:
    emulator.add_user("U0ALEX", "Alex")
    client = WebClient(token="xoxb-test", base_url=emulator.api_url, retry_handlers=[])
    for post in (
        lambda: client.chat_postMessage(channel="U0ALEX", text="fallback", blocks=blocks),
        lambda: client.chat_postEphemeral(channel="U0ALEX", user="U0ALEX", text="fallback", blocks=blocks),
        lambda: client.views_publish(user_id="U0ALEX", view={"type": "home", "blocks": blocks}),
    ):
        with pytest.raises(SlackApiError) as refused:
            post()
        assert refused.value.response["error"] == "invalid_blocks"
        messages = refused.value.response["response_metadata"]["messages"]
        assert any(problem in line.replace("/view/blocks", "/blocks") for line in messages), messages
    assert emulator.dm_messages("U0ALEX") == [], "nothing refused was posted"


def test_the_emulator_refuses_a_message_without_fallback_text_and_a_modal_without_title_or_submit(
    emulator: SlackEmulator,
) -> None:
    emulator.add_user("U0ALEX", "Alex")
    client = WebClient(token="xoxb-test", base_url=emulator.api_url, retry_handlers=[])
    with pytest.raises(SlackApiError) as refused, pytest.warns(UserWarning, match="`text` argument is missing"):
        client.chat_postMessage(channel="U0ALEX", text=" ", blocks=[kit.section("hello")])
    assert (
        "blocks without a text fallback [json-pointer:/text]"
        in refused.value.response["response_metadata"]["messages"][0]
    )
    field = {"type": "input", "block_id": "f", "label": PLAIN, "element": {"type": "plain_text_input"}}
    for view, problem in (
        ({"type": "modal", "blocks": [kit.section("x")]}, "a modal needs a title"),
        ({"type": "modal", "title": PLAIN, "blocks": [field]}, "a modal with inputs needs a submit button"),
        ({"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []}, "/view/title/text"),
        ({"type": "modal", "title": MRKDWN, "blocks": []}, "/view/title/type"),
    ):
        with pytest.raises(SlackApiError) as refused:
            client.views_open(trigger_id="t", view=view)
        assert any(problem in line for line in refused.value.response["response_metadata"]["messages"]), problem
