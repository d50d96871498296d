"""Block Kit primitives that enforce Slack's size limits as they build."""

from __future__ import annotations

from typing import Any

from bot.slack.text import truncate

Block = dict[str, Any]

SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
CONTEXT_TEXT = 3000
MODAL_TITLE = 24
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
PRIVATE_METADATA = 3000
OPTION_TEXT = 75
OPTION_VALUE = 150


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, HEADER_TEXT), "emoji": True},
    }


def section(mrkdwn: str, *, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_TEXT)}}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id[:ACTION_ID]
    return block


def context(*mrkdwn: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(text, CONTEXT_TEXT)} for text in mrkdwn[:10]],
    }


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    *,
    value: str | None = None,
    url: str | None = None,
    style: str | None = None,
) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, BUTTON_TEXT), "emoji": True},
        "action_id": action_id[:ACTION_ID],
    }
    if value is not None:
        if len(value) > BUTTON_VALUE:
            raise ValueError(f"button value longer than {BUTTON_VALUE} characters")
        element["value"] = value
    if url is not None:
        element["url"] = url
    if style is not None:
        element["style"] = style
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id is not None:
        block["block_id"] = block_id[:ACTION_ID]
    return block


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def option(label: str, value: str) -> dict[str, Any]:
    """An option of a select, radio buttons or checkboxes (plain text: what every select accepts)."""
    return {"text": plain(label, OPTION_TEXT), "value": value}


def input_block(
    block_id: str,
    label: str,
    element: Block,
    *,
    optional: bool = False,
    hint: str = "",
    label_limit: int = 75,
) -> Block:
    """A field in a window; its `block_id` is where a refusal is shown."""
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, label_limit), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(hint, 150)
    return block


def modal(
    title: str,
    blocks: list[Block],
    *,
    callback_id: str,
    submit: str | None = None,
    close: str = "Close",
    private_metadata: str = "",
) -> Block:
    if len(private_metadata) > PRIVATE_METADATA:
        raise ValueError("private_metadata longer than 3000 characters")
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE),
        "close": plain(close, MODAL_TITLE),
        "blocks": blocks[:VIEW_BLOCKS],
        "private_metadata": private_metadata,
    }
    if submit is not None:
        view["submit"] = plain(submit, MODAL_TITLE)
    return view


def home(blocks: list[Block]) -> Block:
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS]}
