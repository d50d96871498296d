"""Block Kit rendered as readable terminal text, with every button numbered so `:click N` can press it."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

WIDTH = 78
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^|>]+)>")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")


@dataclass(frozen=True)
class Clickable:
    label: str
    element: dict[str, Any]
    block_id: str
    container: dict[str, Any]
    choice: dict[str, Any] | None = None  # an option inside a form field: clicking it fills the form


@dataclass
class Rendering:
    lines: list[str] = field(default_factory=list)
    clickables: list[Clickable] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def mrkdwn_to_text(text: str) -> str:
    """Show mrkdwn as a person would read it: links as `label (url)`, entities decoded."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _BARE_LINK.sub(lambda m: m.group(1), text)
    text = _MENTION.sub(lambda m: f"@{m.group(1)}", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _wrap(text: str, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for paragraph in mrkdwn_to_text(text).split("\n"):
        wrapped = textwrap.wrap(paragraph, WIDTH - len(indent)) or [""]
        lines.extend(indent + line for line in wrapped)
    return lines


def render_blocks(
    blocks: list[dict[str, Any]], *, container: dict[str, Any], fallback: str, first_number: int
) -> Rendering:
    out = Rendering()
    if not blocks:
        out.lines.extend(_wrap(fallback))
        return out
    for index, block in enumerate(blocks):
        _render_block(block, index, container, first_number, out)
    return out


def _button_label(element: dict[str, Any], number: int) -> str:
    text = (element.get("text") or {}).get("text", element.get("action_id", "?"))
    url = f" -> {element['url']}" if element.get("url") else ""
    return f"[{number}] {text}{url}"


def _add_clickable(
    element: dict[str, Any], block_id: str, container: dict[str, Any], first: int, out: Rendering
) -> str:
    number = first + len(out.clickables)
    out.clickables.append(Clickable(_button_label(element, number), element, block_id, container))
    return _button_label(element, number)


def _render_block(block: dict[str, Any], index: int, container: dict[str, Any], first: int, out: Rendering) -> None:
    kind = block.get("type")
    block_id = block.get("block_id", f"b{index}")
    text = (block.get("text") or {}).get("text", "")
    if kind == "header":
        out.lines.append(f"  == {text} ==")
    elif kind == "section":
        if text:
            out.lines.extend(_wrap(text))
        for item in block.get("fields") or []:
            out.lines.extend(_wrap(item.get("text", ""), "    "))
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            out.lines.append("    " + _add_clickable(accessory, block_id, container, first, out))
        elif accessory:
            _render_select(accessory, block_id, container, first, out)
    elif kind == "context":
        parts = [element.get("text", element.get("alt_text", "")) for element in block.get("elements", [])]
        out.lines.extend(_wrap(" | ".join(parts), "    "))
    elif kind == "divider":
        out.lines.append("  " + "-" * 40)
    elif kind == "actions":
        labels = []
        for element in block.get("elements", []):
            if element.get("type") == "button":
                labels.append(_add_clickable(element, block_id, container, first, out))
            else:
                _render_select(element, block_id, container, first, out)
        if labels:
            out.lines.append("  " + "  ".join(labels))
    elif kind == "input":
        _render_input(block, block_id, container, first, out)
    elif kind == "image":
        out.lines.append(f"  [image: {block.get('alt_text', '')}]")
    elif kind == "rich_text":
        out.lines.extend(_wrap(_rich_text(block)))


def _render_select(
    element: dict[str, Any], block_id: str, container: dict[str, Any], first: int, out: Rendering
) -> None:
    placeholder = (element.get("placeholder") or {}).get("text", "choose")
    many = element.get("type") == "multi_static_select"
    current = _chosen(element)
    shown = ", ".join(option["text"]["text"] for option in current)
    out.lines.append(f"  {placeholder}: {shown}" if shown else f"  {placeholder}:")
    marks = {option.get("value") for option in current}
    for option in element.get("options", []):
        picked = (
            {"selected_options": [*element.get("initial_options", []), option]} if many else {"selected_option": option}
        )
        chosen = {**element, **picked}
        label = _add_clickable({**chosen, "text": option["text"]}, block_id, container, first, out)
        out.lines.append(f"    {label}" + ("  (current)" if option.get("value") in marks else ""))


def _chosen(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The options a select or choice shows as chosen (Slack shows the initial option in the field)."""
    return list(element.get("initial_options") or ([element["initial_option"]] if "initial_option" in element else []))


def _render_input(block: dict[str, Any], block_id: str, container: dict[str, Any], first: int, out: Rendering) -> None:
    """A form field in a window: options become numbered choices, text and dates are set with :type."""
    label = (block.get("label") or {}).get("text", "")
    element = block.get("element") or {}
    kind = element.get("type")
    if kind in ("static_select", "checkboxes", "radio_buttons"):
        marks = {option.get("value") for option in _chosen(element)}
        out.lines.append(f"  {label}:")
        for option in element.get("options", []):
            number = first + len(out.clickables)
            mark = "x" if option.get("value") in marks else " "
            text = option["text"]["text"]
            out.clickables.append(Clickable(f"[{number}] {text}", element, block_id, container, choice=option))
            out.lines.append(f"    [{number}] ({mark}) {text}")
        return
    initial = element.get("initial_date") or element.get("initial_time") or element.get("initial_value") or ""
    hint = f" (now {initial})" if initial else ""
    out.lines.append(f"  {label}: ____{hint}  (:type {block_id} ...)")


def _rich_text(block: dict[str, Any]) -> str:
    parts: list[str] = []
    for element in block.get("elements", []):
        for inner in element.get("elements", []):
            parts.append(inner.get("text", ""))
    return "".join(parts)
