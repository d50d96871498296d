"""Block Kit for the windows of a challenge's end: the two ratings, editing the summary, choosing where to
share it, and the preview that shows exactly what will be posted and where before anything is."""

from __future__ import annotations

from typing import Any

from bot.challenges.end_types import Preview, Summary
from bot.challenges.proposal_types import BaselineForm
from bot.challenges.types import SharePlace
from bot.slack.blocks import kit
from bot.slack.blocks.challenge_endings import shared_blocks
from bot.slack.blocks.challenge_windows import rubric
from bot.slack.blocks.challenge_words import place_label, place_where
from bot.slack.blocks.library import value
from bot.slack.text import escape

SUMMARY_LIMIT = 2500


def closing_modal(form: BaselineForm) -> kit.Block:
    """The last day's two ratings on the skill's rubric: now, and thinking back to before."""
    blocks, levels = rubric(form, f"*{escape(form.title)}*: *{escape(form.skill_name)}*")
    blocks += [
        kit.input_block("after", "Where I am now", levels),
        kit.input_block(
            "before",
            "Thinking back: where was I before this challenge?",
            levels,
            hint="Looking back often changes how we see where we started; both answers count.",
        ),
    ]
    return kit.modal(
        "How did it go?",
        blocks,
        callback_id="challenge_rate",
        submit="Next",
        private_metadata=value(c=form.challenge_id),
    )


def _summary_field(summary: Summary) -> kit.Block:
    text: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": SUMMARY_LIMIT,
    }
    if summary.text:
        text["initial_value"] = summary.text
    hint = summary.prompt or "What would you tell a peer who is about to try this?"
    return kit.input_block("summary", "What I learned", text, hint=hint)


def summary_modal(summary: Summary) -> kit.Block:
    """Edit the summary: it stays private."""
    return kit.modal(
        "What I learned",
        [_summary_field(summary), kit.context("Only you see this. Nothing is shared until you choose where.")],
        callback_id="challenge_summary",
        submit="Save",
        private_metadata=value(c=summary.challenge_id),
    )


def share_modal(summary: Summary) -> kit.Block:
    """The summary to edit and the place to share it; the next step shows exactly what would be posted."""
    places = [{"text": {"type": "mrkdwn", "text": place_label(p)}, "value": p.place.value} for p in summary.places]
    blocks: list[kit.Block] = [
        _summary_field(summary),
        kit.input_block("place", "Share with", {"type": "radio_buttons", "action_id": "value", "options": places}),
    ]
    if any(place.place is SharePlace.ELSEWHERE for place in summary.places):
        blocks.append(
            kit.input_block(
                "elsewhere",
                "Another channel or conversation",
                {"type": "conversations_select", "action_id": "value", "filter": {"exclude_bot_users": True}},
                optional=True,
                hint="Only for 'another channel or conversation'. The bot must be able to post there.",
            )
        )
    blocks.append(kit.context("Next, you'll see exactly what will be posted and where. Nothing is posted yet."))
    return kit.modal(
        "Share what you learned",
        blocks,
        callback_id="challenge_share",
        submit="Preview",
        private_metadata=value(c=summary.challenge_id),
    )


def preview_modal(preview: Preview) -> kit.Block:
    """Exactly what will be posted, where, under whose name: posted only when they press Post it."""
    place = preview.place
    blocks = [
        kit.section(f"This will be posted in {place_where(place)}, under your name:"),
        kit.divider(),
        *shared_blocks(preview.shared),
        kit.divider(),
        kit.context("Not quite right? Close this window: your text is kept, and Share opens it again."),
    ]
    metadata = value(c=preview.summary.challenge_id, w=place.place.value, ch=place.channel, d=preview.digest)
    return kit.modal(
        "Check before sharing",
        blocks,
        callback_id="challenge_share_confirm",
        submit="Post it",
        close="Not now",
        private_metadata=metadata,
    )
