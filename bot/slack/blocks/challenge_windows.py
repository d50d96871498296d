"""Block Kit for challenges' windows: proposing, accepting with a baseline, asking for a change, logging
progress, writing a reflection, and at the end rating, editing the summary and sharing it."""

from __future__ import annotations

from typing import Any

from bot.challenges.types import BaselineForm, Card, ProposalDraft, Summary
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import escape

CUSTOM = "custom"
LENGTHS = (7, 10, 14, 21, 28)


def _whole(*, initial: str | None = None) -> dict[str, Any]:
    """A whole number from 1 to 20 (a target, a count)."""
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": "value",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": "20",
    }
    if initial is not None:
        element["initial_value"] = initial
    return element


def propose_modal(draft: ProposalDraft, skills: list[tuple[str, str]]) -> kit.Block:
    templates = [kit.option(f"{t.title} ({t.skill_name})", t.key) for t in draft.templates][:99]
    templates.append(kit.option("Write my own (below)", CUSTOM))
    template: dict[str, Any] = {
        "type": "static_select",
        "action_id": "value",
        "options": templates,
        "placeholder": kit.plain("Pick a challenge", 150),
    }
    chosen = next((o for o in templates if o["value"] == draft.template_key), None)
    if chosen is not None:
        template["initial_option"] = chosen
    colleagues: dict[str, Any] = {"type": "multi_users_select", "action_id": "value", "max_selected_items": 10}
    if draft.colleagues:
        colleagues["initial_users"] = list(draft.colleagues)
    lengths = [kit.option(f"{days} days", str(days)) for days in LENGTHS]
    blocks = [
        kit.input_block(
            "colleagues", "Colleagues", colleagues, hint="Several people make a cohort: each gets their own thread."
        ),
        kit.input_block("template", "Challenge", template, optional=True),
        kit.input_block(
            "title",
            "Or your own: title",
            {"type": "plain_text_input", "action_id": "value", "max_length": 100},
            optional=True,
        ),
        kit.input_block(
            "brief",
            "What it asks",
            {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 1000},
            optional=True,
        ),
        kit.input_block(
            "skill",
            "The skill it grows",
            {"type": "static_select", "action_id": "value", "options": [kit.option(n, k) for k, n in skills]},
            optional=True,
        ),
        kit.input_block(
            "target",
            "Target (how many)",
            _whole(),
            optional=True,
        ),
        kit.input_block(
            "target_unit",
            "Of what",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "max_length": 40,
                "placeholder": kit.plain("conversation", 150),
            },
            optional=True,
        ),
        kit.input_block(
            "start", "Start", {"type": "datepicker", "action_id": "value", "initial_date": draft.today.isoformat()}
        ),
        kit.input_block(
            "days",
            "Length",
            {"type": "static_select", "action_id": "value", "options": lengths},
            optional=True,
            hint="The challenge's own length unless you pick one.",
        ),
        kit.input_block(
            "note",
            "Why them, why now (optional)",
            {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 500},
            optional=True,
        ),
        kit.input_block(
            "channel",
            "Peer channel for sharing (optional)",
            {"type": "conversations_select", "action_id": "value", "filter": {"include": ["public", "private"]}},
            optional=True,
        ),
    ]
    return kit.modal(
        "Propose a challenge",
        blocks,
        callback_id="challenge_propose",
        submit="Propose",
        private_metadata=value(a=draft.anchor_link) if draft.anchor_link else "",
    )


def _rubric(form: BaselineForm, heading: str) -> tuple[list[kit.Block], kit.Block]:
    """The heading and the skill's levels spelled out, and a radio field's element for picking one."""
    levels = "\n".join(f"*{level}*: {escape(text)}" for level, text in sorted(form.rubric.items()))
    options = [kit.option(f"Level {level}", str(level)) for level in sorted(form.rubric) or range(1, 6)]
    blocks = [kit.section(heading)] + ([kit.section(levels)] if levels else [])
    return blocks, {"type": "radio_buttons", "action_id": "value", "options": options}


def baseline_modal(form: BaselineForm) -> kit.Block:
    heading = f"*{escape(form.title)}* grows *{escape(form.skill_name)}*. Where are you today?"
    blocks, levels = _rubric(form, heading)
    blocks.append(kit.input_block("baseline", "Today I'm at", levels))
    if form.proposer_user_id:
        share = {"text": {"type": "mrkdwn", "text": f"Let <@{form.proposer_user_id}> see my ratings"}, "value": "yes"}
        blocks.append(
            kit.input_block(
                "share",
                "Ratings",
                {"type": "checkboxes", "action_id": "value", "options": [share]},
                optional=True,
                hint="They always see your progress counts; your reflections stay yours alone.",
            )
        )
    return kit.modal(
        "Accept the challenge",
        blocks,
        callback_id="challenge_baseline",
        submit="Start",
        private_metadata=value(c=form.challenge_id),
    )


def change_modal(challenge_id: int, title: str) -> kit.Block:
    lengths = [kit.option(f"{days} days", str(days)) for days in LENGTHS]
    blocks = [
        kit.section(f"What would make *{escape(title)}* work for you? It goes back to them to agree."),
        kit.input_block(
            "days", "Length", {"type": "static_select", "action_id": "value", "options": lengths}, optional=True
        ),
        kit.input_block(
            "target",
            "Target",
            _whole(),
            optional=True,
        ),
        kit.input_block("start", "Start", {"type": "datepicker", "action_id": "value"}, optional=True),
    ]
    return kit.modal(
        "Suggest a change",
        blocks,
        callback_id="challenge_change",
        submit="Send",
        private_metadata=value(c=challenge_id),
    )


def log_modal(card: Card) -> kit.Block:
    unit = card.terms.target_units or "steps"
    blocks = [
        kit.section(f"*{escape(card.terms.title)}*: {escape(card.progress_text) or 'no target'} so far."),
        kit.input_block(
            "count",
            f"How many more {unit}",
            _whole(initial="1"),
        ),
        kit.input_block(
            "note",
            "A note (only you see it)",
            {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 2000},
            optional=True,
        ),
    ]
    return kit.modal(
        "Log progress", blocks, callback_id="challenge_log", submit="Log", private_metadata=value(c=card.challenge_id)
    )


def reflect_modal(card: Card, question: str) -> kit.Block:
    blocks = [
        kit.section(f"*{escape(card.terms.title)}*. Only you can see what you write here."),
        kit.input_block(
            "text", question, {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 2000}
        ),
    ]
    return kit.modal(
        "Reflection",
        blocks,
        callback_id="challenge_reflect",
        submit="Save",
        private_metadata=value(c=card.challenge_id),
    )


def closing_modal(form: BaselineForm) -> kit.Block:
    """The last day's two ratings on the skill's rubric: now, and thinking back to before."""
    blocks, levels = _rubric(form, f"*{escape(form.title)}*: *{escape(form.skill_name)}*")
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


def summary_modal(summary: Summary, *, share: bool) -> kit.Block:
    """Edit the summary; with `share`, also choose where it goes (posted under the person's name)."""
    text: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": 2500,
    }
    if summary.text:
        text["initial_value"] = summary.text
    hint = summary.prompt or "What would you tell a peer who is about to try this?"
    blocks: list[kit.Block] = [kit.input_block("summary", "What I learned", text, hint=hint)]
    if share:
        places = [{"text": {"type": "mrkdwn", "text": label}, "value": place} for place, label in summary.places]
        blocks.append(
            kit.input_block("place", "Share with", {"type": "radio_buttons", "action_id": "value", "options": places})
        )
        blocks.append(
            kit.input_block(
                "elsewhere",
                "Another channel or conversation",
                {"type": "conversations_select", "action_id": "value", "filter": {"exclude_bot_users": True}},
                optional=True,
                hint="Only for 'another channel or conversation'. The bot must be able to post there.",
            )
        )
    return kit.modal(
        "Share what you learned" if share else "What I learned",
        blocks,
        callback_id="challenge_share" if share else "challenge_summary",
        submit="Share" if share else "Save",
        private_metadata=value(c=summary.challenge_id),
    )
