"""What Slack checks in a message or a view before it accepts it (the SDK does not check plain dicts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.slack.blocks import kit

_TEXT_LIMITS = {"section": kit.SECTION_TEXT, "header": kit.HEADER_TEXT}


def problems(blocks: list[dict[str, Any]], *, max_blocks: int = kit.MESSAGE_BLOCKS) -> list[str]:
    """Every limit the blocks break, as readable strings; empty when all is well."""
    found = [] if len(blocks) <= max_blocks else [f"{len(blocks)} blocks (limit {max_blocks})"]
    ids: set[str] = set()
    for index, block in enumerate(blocks):
        found.extend(f"[ERROR] {problem} [json-pointer:/blocks/{index}]" for problem in _block_problems(block))
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in ids:
                found.append(f"[ERROR] duplicate block_id {block_id} [json-pointer:/blocks/{index}/block_id]")
            ids.add(block_id)
    return found


def view_problems(view: dict[str, Any]) -> list[str]:
    found = problems(view.get("blocks", []), max_blocks=kit.VIEW_BLOCKS)
    for key in ("title", "submit", "close"):
        if key in view and len(view[key]["text"]) > kit.MODAL_TITLE:
            found.append(f"{key} longer than {kit.MODAL_TITLE}")
    if len(view.get("private_metadata", "")) > kit.PRIVATE_METADATA:
        found.append("private_metadata too long")
    return found


def _block_problems(block: dict[str, Any]) -> Iterator[str]:
    kind = block.get("type")
    text = (block.get("text") or {}).get("text", "")
    if kind == "header" and (block.get("text") or {}).get("type") != "plain_text":
        yield "header text must be plain_text"
    action_ids = [str(e["action_id"]) for e in _elements(block) if e.get("action_id")]
    for repeated in sorted({a for a in action_ids if action_ids.count(a) > 1}):
        yield f"action_id {repeated} is not unique within its block"
    limit = _TEXT_LIMITS.get(str(kind))
    if limit is not None and len(text) > limit:
        yield f"{kind} text {len(text)} > {limit}"
    if kind == "section" and not text and not block.get("fields"):
        yield "section without text"
    for element in _elements(block):
        yield from _element_problems(element)
    if kind == "actions" and len(block.get("elements", [])) > 25:
        yield "more than 25 elements"
    if kind == "context" and len(block.get("elements", [])) > 10:
        yield "more than 10 context elements"


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from block.get("elements", []) if block.get("type") == "actions" else []
    if "accessory" in block:
        yield block["accessory"]
    if block.get("type") == "input" and "element" in block:
        yield block["element"]


def _element_problems(element: dict[str, Any]) -> Iterator[str]:
    if len(element.get("action_id", "")) > kit.ACTION_ID:
        yield "action_id too long"
    if element.get("type") == "button":
        if (element.get("text") or {}).get("type") != "plain_text":
            yield "button text must be plain_text"
        if len(element["text"]["text"]) > kit.BUTTON_TEXT:
            yield "button text too long"
        if len(element.get("value", "")) > kit.BUTTON_VALUE:
            yield "button value too long"
        if len(element.get("url", "")) > 3000:
            yield "button url too long"
    for option in element.get("options", []):
        if len(option["text"]["text"]) > kit.OPTION_TEXT or len(option.get("value", "")) > kit.OPTION_VALUE:
            yield "option too long"
    if len(element.get("options", [])) > 100:
        yield "more than 100 options"
