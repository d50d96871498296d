"""What Slack checks in a message or a view before it accepts it (the SDK does not check plain dicts).

Each problem reads like Slack's own `response_metadata.messages`: `[ERROR] what is wrong [json-pointer:/…]`,
the pointer naming the field. The rules are those of ../SLACK.md's Block Kit section: limits, text object
types, required fields, unique action ids per block and block ids per message or view.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.slack.blocks import kit

BLOCK_ID = 255
SECTION_FIELDS, FIELD_TEXT = 10, 2000
CONTEXT_ELEMENTS, ACTIONS_ELEMENTS = 10, 25
LABEL_TEXT, HINT_TEXT, PLACEHOLDER_TEXT = 2000, 2000, 150
OPTIONS = 100
URL = 3000
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
BLOCK_TYPES = frozenset({"section", "header", "context", "actions", "divider", "input", "image", "rich_text"})
ELEMENT_TYPES = frozenset(
    {
        "button",
        "static_select",
        "multi_static_select",
        "checkboxes",
        "radio_buttons",
        "datepicker",
        "timepicker",
        "plain_text_input",
        "number_input",
        "overflow",
        "image",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "channels_select",
    }
)
_WITH_OPTIONS = frozenset({"static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow"})

Found = Iterator[tuple[str, str]]  # (problem, json pointer)


def problems(blocks: list[dict[str, Any]], *, max_blocks: int = kit.MESSAGE_BLOCKS) -> list[str]:
    """Every rule the blocks break, as Slack words them; empty when all is well."""
    return [_message(problem, pointer) for problem, pointer in _blocks(blocks, max_blocks, "/blocks")]


def message_problems(text: str, blocks: list[dict[str, Any]]) -> list[str]:
    """A message's blocks, and the `text` every message with blocks carries for notifications and screen
    readers (Slack posts without it, with a warning; this bot never sends a message without one)."""
    found = problems(blocks)
    if blocks and not text.strip():
        found.append(_message("blocks without a text fallback", "/text"))
    return found


def view_problems(view: dict[str, Any]) -> list[str]:
    found = list(_blocks(view.get("blocks", []), kit.VIEW_BLOCKS, "/view/blocks"))
    if view.get("type") == "modal" and "title" not in view:
        found.append(("a modal needs a title", "/view/title"))
    for key in ("title", "submit", "close"):
        if key in view:
            found.extend(_text(view[key], f"/view/{key}", limit=kit.MODAL_TITLE, plain=True))
    if len(view.get("private_metadata", "")) > kit.PRIVATE_METADATA:
        found.append((f"must be at most {kit.PRIVATE_METADATA} characters", "/view/private_metadata"))
    if "submit" not in view and any(b.get("type") == "input" for b in view.get("blocks", [])):
        found.append(("a modal with inputs needs a submit button", "/view/submit"))
    return [_message(problem, pointer) for problem, pointer in found]


def _message(problem: str, pointer: str) -> str:
    return f"[ERROR] {problem} [json-pointer:{pointer}]"


def _blocks(blocks: list[dict[str, Any]], limit: int, at: str) -> Found:
    if len(blocks) > limit:
        yield f"no more than {limit} items allowed", at
    ids: set[str] = set()
    for index, block in enumerate(blocks):
        here = f"{at}/{index}"
        if not isinstance(block, dict):
            yield "must be an object", here
            continue
        yield from _block(block, here)
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in ids:
                yield f"duplicate block_id {block_id}", f"{here}/block_id"
            ids.add(block_id)


def _block(block: dict[str, Any], at: str) -> Found:
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        yield f"unknown block type {kind!r}", f"{at}/type"
        return
    if len(str(block.get("block_id", ""))) > BLOCK_ID:
        yield f"must be at most {BLOCK_ID} characters", f"{at}/block_id"
    if kind == "section":
        yield from _section(block, at)
    elif kind == "header":
        yield from _required_text(block, at, limit=kit.HEADER_TEXT, plain=True)
    elif kind == "context":
        yield from _context(block, at)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements:
            yield "an actions block needs elements", f"{at}/elements"
        if len(elements) > ACTIONS_ELEMENTS:
            yield f"no more than {ACTIONS_ELEMENTS} items allowed", f"{at}/elements"
        for index, element in enumerate(elements):
            yield from _element(element, f"{at}/elements/{index}")
    elif kind == "input":
        yield from _input(block, at)
    elif kind == "image" and not (block.get("image_url") and block.get("alt_text")):
        yield "an image needs image_url and alt_text", at
    yield from _unique_action_ids(block, at)


def _section(block: dict[str, Any], at: str) -> Found:
    fields = block.get("fields")
    if "text" not in block and not fields:
        yield "a section needs text or fields", at
    if "text" in block:
        yield from _text(block["text"], f"{at}/text", limit=kit.SECTION_TEXT)
    if fields is not None:
        if not fields or len(fields) > SECTION_FIELDS:
            yield f"between 1 and {SECTION_FIELDS} fields allowed", f"{at}/fields"
        for index, item in enumerate(fields):
            yield from _text(item, f"{at}/fields/{index}", limit=FIELD_TEXT)
    if "accessory" in block:
        yield from _element(block["accessory"], f"{at}/accessory")


def _context(block: dict[str, Any], at: str) -> Found:
    elements = block.get("elements") or []
    if not elements or len(elements) > CONTEXT_ELEMENTS:
        yield f"between 1 and {CONTEXT_ELEMENTS} elements allowed", f"{at}/elements"
    for index, element in enumerate(elements):
        here = f"{at}/elements/{index}"
        if isinstance(element, dict) and element.get("type") == "image":
            if not element.get("image_url") or not element.get("alt_text"):
                yield "an image needs image_url and alt_text", here
        else:
            yield from _text(element, here, limit=kit.CONTEXT_TEXT)


def _input(block: dict[str, Any], at: str) -> Found:
    if "label" not in block:
        yield "an input needs a label", f"{at}/label"
    else:
        yield from _text(block["label"], f"{at}/label", limit=LABEL_TEXT, plain=True)
    if "hint" in block:
        yield from _text(block["hint"], f"{at}/hint", limit=HINT_TEXT, plain=True)
    if "element" not in block:
        yield "an input needs an element", f"{at}/element"
    else:
        yield from _element(block["element"], f"{at}/element")


def _required_text(block: dict[str, Any], at: str, *, limit: int, plain: bool = False) -> Found:
    if "text" not in block:
        yield "text is required", f"{at}/text"
    else:
        yield from _text(block["text"], f"{at}/text", limit=limit, plain=plain)


def _text(item: Any, at: str, *, limit: int, plain: bool = False) -> Found:
    """A text object: a known type (plain_text where Slack asks for it), `emoji` only on plain_text, some
    text, within its limit."""
    if not isinstance(item, dict):
        yield "must be a text object", at
        return
    kind = item.get("type")
    if kind not in TEXT_TYPES:
        yield f"unknown text type {kind!r}", f"{at}/type"
    elif plain and kind != "plain_text":
        yield "must be plain_text", f"{at}/type"
    if "emoji" in item and kind != "plain_text":
        yield "emoji is only allowed on plain_text", f"{at}/emoji"
    text = item.get("text")
    if not isinstance(text, str) or not text:
        yield "must be more than 0 characters", f"{at}/text"
    elif len(text) > limit:
        yield f"must be at most {limit} characters", f"{at}/text"


def _element(element: Any, at: str) -> Found:
    if not isinstance(element, dict):
        yield "must be an object", at
        return
    kind = element.get("type")
    if kind not in ELEMENT_TYPES:
        yield f"unknown element type {kind!r}", f"{at}/type"
        return
    if len(str(element.get("action_id", ""))) > kit.ACTION_ID:
        yield f"must be at most {kit.ACTION_ID} characters", f"{at}/action_id"
    if kind == "button":
        yield from _required_text(element, at, limit=kit.BUTTON_TEXT, plain=True)
        if len(element.get("value", "")) > kit.BUTTON_VALUE:
            yield f"must be at most {kit.BUTTON_VALUE} characters", f"{at}/value"
        if len(element.get("url", "")) > URL:
            yield f"must be at most {URL} characters", f"{at}/url"
        if element.get("style") not in (None, "primary", "danger"):
            yield "style must be primary or danger", f"{at}/style"
    if "placeholder" in element:
        yield from _text(element["placeholder"], f"{at}/placeholder", limit=PLACEHOLDER_TEXT, plain=True)
    if kind in _WITH_OPTIONS:
        yield from _options(element, at)


def _options(element: dict[str, Any], at: str) -> Found:
    options = element.get("options") or []
    if not options or len(options) > OPTIONS:
        yield f"between 1 and {OPTIONS} options allowed", f"{at}/options"
    plain = element.get("type") in ("static_select", "multi_static_select", "overflow")
    values = [option.get("value") for option in options if isinstance(option, dict)]
    for index, option in enumerate(options):
        here = f"{at}/options/{index}"
        if not isinstance(option, dict):
            yield "must be an object", here
            continue
        yield from _text(option.get("text"), f"{here}/text", limit=kit.OPTION_TEXT, plain=plain)
        if not option.get("value") or len(str(option["value"])) > kit.OPTION_VALUE:
            yield f"value must be 1 to {kit.OPTION_VALUE} characters", f"{here}/value"
    if len(set(values)) != len(values):
        yield "option values must be unique", f"{at}/options"
    chosen = element.get("initial_options") or ([element["initial_option"]] if "initial_option" in element else [])
    for option in chosen:
        if option not in options:
            yield "an initial option must be one of the options", f"{at}/initial_option"


def _unique_action_ids(block: dict[str, Any], at: str) -> Found:
    action_ids = [str(element["action_id"]) for element in _elements(block) if element.get("action_id")]
    for repeated in sorted({a for a in action_ids if action_ids.count(a) > 1}):
        yield f"action_id {repeated} is not unique within its block", at


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if block.get("type") == "actions":
        yield from (e for e in block.get("elements", []) if isinstance(e, dict))
    if isinstance(block.get("accessory"), dict):
        yield block["accessory"]
    if block.get("type") == "input" and isinstance(block.get("element"), dict):
        yield block["element"]
