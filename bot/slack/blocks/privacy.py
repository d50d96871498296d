"""Block Kit for a person's data: what is stored, and the confirmation before deleting it."""

from __future__ import annotations

from collections.abc import Mapping

from bot.slack.blocks import kit
from bot.slack.blocks.library import value


def summary_blocks(counts: Mapping[str, int]) -> list[kit.Block]:
    lines = "\n".join(f"• {table.replace('_', ' ')}: {count}" for table, count in sorted(counts.items()))
    text = f"*What I store about you* (rows per table):\n{lines}\nAn admin can export all of it for you."
    return [kit.section(text), kit.context("`/learn forgetme` deletes all of it.")]


def confirm_forget_blocks() -> list[kit.Block]:
    confirm = kit.button("Delete everything", "privacy_forget", value=value(confirm=True), style="danger")
    text = "This deletes your profile, searches, feedback, practice and reflections. It cannot be undone."
    return [kit.section(text), kit.actions(confirm, block_id="privacy")]


def forgotten_text(rows: int) -> str:
    return f"Done: {rows} rows about you were deleted."
