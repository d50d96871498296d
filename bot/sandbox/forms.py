"""Windows (modals) as a person fills them in: what each field holds, and Slack's view.state.values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

Element = dict[str, Any]
_TYPED = ("plain_text_input", "number_input", "email_text_input", "url_text_input")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def initial_value(element: Element) -> dict[str, Any]:
    """What a form field holds before anyone touches it, in view.state.values' shape."""
    kind = element.get("type")
    if kind == "datepicker":
        return {"type": kind, "selected_date": element.get("initial_date")}
    if kind == "timepicker":
        return {"type": kind, "selected_time": element.get("initial_time")}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": list(element.get("initial_options") or [])}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(element.get("initial_users") or [])}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": element.get("initial_conversation")}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": element.get("initial_option")}
    return {"type": kind, "value": element.get("initial_value")}


def state_values(view: dict[str, Any], entered: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """view.state.values for a window: what was entered by block id, the initial value elsewhere."""
    values = {}
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            element = block["element"]
            values[block["block_id"]] = {
                element.get("action_id", "value"): entered.get(block["block_id"]) or initial_value(element)
            }
    return values


class FormError(ValueError):
    """Something typed into a window that cannot go there; the message is shown as is."""


@dataclass
class Forms:
    """What has been entered in each open window, by window id and block id."""

    entered: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def choose(self, window_id: str, block_id: str, element: Element, option: dict[str, Any]) -> str:
        """Pick an option (a checkbox toggles); returns what is now chosen, for the person to read."""
        values = self.entered.setdefault(window_id, {})
        if element.get("type") == "checkboxes":
            current = values.get(block_id, {}).get("selected_options")
            if current is None:
                current = list(element.get("initial_options") or [])
            picked = [o for o in current if o.get("value") != option.get("value")]
            if len(picked) == len(current):
                picked.append(option)
            values[block_id] = {"type": "checkboxes", "selected_options": picked}
            return ", ".join(o["text"]["text"] for o in picked) or "nothing"
        values[block_id] = {"type": element.get("type"), "selected_option": option}
        return str(option["text"]["text"])

    def type(self, window_id: str, view: dict[str, Any], block_id: str, text: str) -> None:
        """Type into a field as Slack's own pickers allow: text anywhere text goes, a real date or time in a
        picker, and nothing into a choice (its options are pressed instead)."""
        field_block = next((b for b in view.get("blocks", []) if b.get("block_id") == block_id), None)
        if field_block is None or field_block.get("type") != "input":
            raise FormError(f"The window has no field {block_id!r}.")
        kind = field_block["element"].get("type")
        if kind == "datepicker":
            if not _DATE.fullmatch(text) or not _is_date(text):
                raise FormError(f"{block_id} is a date picker: type a date like 2026-12-24.")
            entry = {"type": kind, "selected_date": text}
        elif kind == "timepicker":
            if not _TIME.fullmatch(text):
                raise FormError(f"{block_id} is a time picker: type a time from 00:00 to 23:59.")
            entry = {"type": kind, "selected_time": text}
        elif kind in _TYPED:
            entry = {"type": kind, "value": text}
        else:
            raise FormError(f"{block_id} is a choice: press the number of one of its options.")
        self.entered.setdefault(window_id, {})[block_id] = entry

    def pick(self, window_id: str, view: dict[str, Any], block_id: str, picked: dict[str, Any]) -> None:
        """Set a people or conversation picker (`picked` as Slack reports it: selected_users, ...)."""
        field_block = next((b for b in view.get("blocks", []) if b.get("block_id") == block_id), None)
        if field_block is None or field_block.get("type") != "input":
            raise FormError(f"The window has no field {block_id!r}.")
        self.entered.setdefault(window_id, {})[block_id] = {"type": field_block["element"].get("type"), **picked}

    def values(self, window_id: str, view: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return state_values(view, self.entered.get(window_id, {}))
