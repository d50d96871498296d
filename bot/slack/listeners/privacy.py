"""/learn mydata and /learn forgetme: what the bot stores about you, and deleting it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.services.people import PersonRef
from bot.slack.blocks import kit
from bot.slack.deps import AppDeps
from bot.slack.listeners.errors import guarded
from bot.slack.listeners.learn import Answer, router


@router.subcommand("mydata", "/learn mydata", "what I store about you")
def my_data(_rest: str, *, answer: Answer, deps: AppDeps, person: PersonRef, **_: Any) -> None:
    counts = deps.privacy.summary(team_id=person.team_id, user_id=person.slack_user_id)
    lines = "\n".join(f"• {table.replace('_', ' ')}: {count}" for table, count in sorted(counts.items()))
    text = f"*What I store about you* (rows per table):\n{lines}\nAn admin can export all of it for you."
    answer(text="Your data", blocks=[kit.section(text), kit.context("`/learn forgetme` deletes all of it.")])


@router.subcommand("forgetme", "/learn forgetme", "delete everything I store about you")
def forget_me(_rest: str, *, answer: Answer, **_: Any) -> None:
    confirm = kit.button("Delete everything", "privacy_forget", value="yes", style="danger")
    text = "This deletes your profile, searches, feedback, practice and reflections. It cannot be undone."
    answer(text="Delete your data?", blocks=[kit.section(text), kit.actions(confirm, block_id="privacy")])


def register(app: App, deps: AppDeps) -> None:
    @app.action("privacy_forget")
    @guarded
    def forget(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
        rows = deps.privacy.forget(team_id=str(team), user_id=str(body["user"]["id"]))
        respond(text=f"Done: {rows} rows about you were deleted.", replace_original=True)
