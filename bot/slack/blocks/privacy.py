"""Block Kit for a person's data: what is stored, and the confirmation before deleting it."""

from __future__ import annotations

from collections.abc import Mapping

from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import plural

# What each table holds, in a person's words (a table not named here shows its own name).
WHAT_IT_HOLDS = {
    "people": ("your profile (name, title, time zone, role)", "profiles"),
    "searches": ("thing you asked me for", "things you asked me for"),
    "resource_opens": ("resource you opened", "resources you opened"),
    "resource_feedback": ("answer to “did it help?”", "answers to “did it help?”"),
    "resource_events": ("request or other action on a resource", "requests and other actions on resources"),
    "practice_subscriptions": ("practice you follow", "practices you follow"),
    "practice_days": ("practice day, with your answer or reflection", "practice days, with answers and reflections"),
    "ratings": ("rating of your skills", "ratings of your skills"),
    "deliveries": ("message I sent you or have queued", "messages I sent you or have queued"),
}


def summary_blocks(counts: Mapping[str, int]) -> list[kit.Block]:
    lines = "\n".join(f"• {_held(table, count)}" for table, count in sorted(counts.items()))
    text = f"*What I store about you*:\n{lines}\nAn admin can export all of it for you."
    return [kit.section(text), kit.context("`/learn forgetme` deletes all of it.")]


def _held(table: str, count: int) -> str:
    one, many = WHAT_IT_HOLDS.get(table, (table.replace("_", " "), table.replace("_", " ")))
    if table == "people":
        return one
    return plural(count, one, many)


def confirm_forget_blocks() -> list[kit.Block]:
    confirm = kit.button("Delete everything", "privacy_forget", value=value(confirm=True), style="danger")
    text = "This deletes your profile, searches, feedback, practice and reflections. It cannot be undone."
    return [kit.section(text), kit.actions(confirm, block_id="privacy")]


def forgotten_text(items: int) -> str:
    return f"Done: everything I stored about you is deleted ({plural(items, 'item')})."
