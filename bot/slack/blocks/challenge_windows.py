"""Block Kit for challenges' windows while they run: proposing (with what the chosen challenge asks, and
whom it does not fit), editing a proposal nobody has answered, accepting with a baseline, asking for a
change, logging progress, writing a reflection and reading one's reflections. The end's windows are in
`challenge_end_windows`."""

from __future__ import annotations

from typing import Any

from bot.challenges.proposal_types import BaselineForm, ProposalDraft
from bot.challenges.types import Card, Reflections
from bot.content.challenge_limits import DAYS, LENGTHS, MAX_COLLEAGUES, TARGET
from bot.content.types import ChallengeView
from bot.localtime import day_text
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import escape, plural, quoted

CUSTOM = "custom"
PICK = "challenge_pick"  # the fields whose choice redraws the proposal window: the challenge, the colleagues


def whole(*, initial: str | None = None) -> dict[str, Any]:
    """A whole number within a target's limits (a target, a count)."""
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": "value",
        "is_decimal_allowed": False,
        "min_value": str(TARGET.low),
        "max_value": str(TARGET.high),
    }
    if initial is not None:
        element["initial_value"] = initial
    return element


def lengths(*, optional_hint: str = "") -> kit.Block:
    options = [kit.option(f"{days} days", str(days)) for days in LENGTHS if days in DAYS]
    return kit.input_block(
        "days",
        "Length",
        {"type": "static_select", "action_id": "value", "options": options},
        optional=True,
        hint=optional_hint,
    )


def _text(block_id: str, label: str, limit: int, *, multiline: bool = False, placeholder: str = "") -> kit.Block:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": limit}
    if multiline:
        element["multiline"] = True
    if placeholder:
        element["placeholder"] = kit.plain(placeholder, 150)
    return kit.input_block(block_id, label, element, optional=True)


def propose_modal(draft: ProposalDraft, skills: list[tuple[str, str]]) -> kit.Block:
    templates = [kit.option(f"{t.title} ({t.skill_name})", t.key) for t in draft.templates][:99]
    templates.append(kit.option("Write my own (below)", CUSTOM))
    template: dict[str, Any] = {
        "type": "static_select",
        "action_id": PICK,
        "options": templates,
        "placeholder": kit.plain("Pick a challenge", 150),
    }
    chosen = next((o for o in templates if o["value"] == draft.template_key), None)
    if chosen is not None:
        template["initial_option"] = chosen
    colleagues: dict[str, Any] = {"type": "multi_users_select", "action_id": PICK, "max_selected_items": MAX_COLLEAGUES}
    if draft.colleagues:
        colleagues["initial_users"] = list(draft.colleagues)
    hint = "Several people make a cohort: each gets their own thread."
    blocks = [
        {**kit.input_block("colleagues", "Colleagues", colleagues, hint=hint), "dispatch_action": True},
        {**kit.input_block("template", "Challenge", template, optional=True), "dispatch_action": True},
        *about(draft),
        _text("title", "Or your own: title", 100),
        _text("brief", "What it asks", 1000, multiline=True),
        *_skill_field(skills),
        kit.input_block("target", "Target (how many)", whole(), optional=True),
        _text("target_unit", "Of what", 40, placeholder="conversation"),
        kit.input_block(
            "start", "Start", {"type": "datepicker", "action_id": "value", "initial_date": draft.today.isoformat()}
        ),
        lengths(optional_hint="The challenge's own length unless you pick one."),
        _text("note", "Why them, why now (optional)", 500, multiline=True),
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


def _skill_field(skills: list[tuple[str, str]]) -> list[kit.Block]:
    """The skill a challenge of one's own grows (none without content: Slack refuses a select with no options)."""
    if not skills:
        return []
    options = [kit.option(name, key) for key, name in skills][:100]
    select = {"type": "static_select", "action_id": "value", "options": options}
    return [kit.input_block("skill", "The skill it grows", select, optional=True)]


def about(draft: ProposalDraft) -> list[kit.Block]:
    """What the chosen challenge asks, before anything is sent, and whom it may not fit."""
    template = draft.template
    if template is None:
        return []
    blocks = [kit.section(_asks(template), block_id="about")]
    for misfit in draft.misfits:
        title = f" ({escape(misfit.title)})" if misfit.title else ""
        blocks.append(
            kit.context(
                f":warning: {escape(misfit.name or 'One of them')}{title} may not be the right person for this: "
                f"{escape(misfit.because)}. You can still propose it."
            )
        )
    return blocks


def _asks(template: ChallengeView) -> str:
    days = ", ".join(str(checkin.day) for checkin in template.checkins)
    unit = template.target_unit if template.target_count == 1 else template.target_units
    target = f" · target: {template.target_count} {escape(unit)}" if template.target_count else ""
    lines = [
        f"*What it asks:* {escape(template.brief)}",
        *(f"• {escape(step)}" for step in template.steps),
        f"{template.days} days{target} · check-ins on days {days}, at 10:00 their time",
    ]
    return "\n".join(lines)


def edit_proposal_modal(proposal_id: int, title: str, note: str) -> kit.Block:
    """Change a proposal nobody has answered yet: length, target, start and the note."""
    note_field: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": 500,
    }
    if note:
        note_field["initial_value"] = note
    blocks = [
        kit.section(
            f"*{escape(title)}*: nobody has answered yet, so it can still change. They'll see the new version."
        ),
        lengths(),
        kit.input_block("target", "Target", whole(), optional=True),
        kit.input_block("start", "Start", {"type": "datepicker", "action_id": "value"}, optional=True),
        kit.input_block("note", "Why them, why now", note_field, optional=True),
    ]
    return kit.modal(
        "Edit the proposal", blocks, callback_id="challenge_edit", submit="Save", private_metadata=value(p=proposal_id)
    )


def rubric(form: BaselineForm, heading: str) -> tuple[list[kit.Block], kit.Block]:
    """The heading and the skill's levels spelled out, and a radio field's element for picking one."""
    levels = "\n".join(f"*{level}*: {escape(text)}" for level, text in sorted(form.rubric.items()))
    options = [kit.option(f"Level {level}", str(level)) for level in sorted(form.rubric) or range(1, 6)]
    blocks = [kit.section(heading)] + ([kit.section(levels)] if levels else [])
    return blocks, {"type": "radio_buttons", "action_id": "value", "options": options}


def baseline_modal(form: BaselineForm) -> kit.Block:
    heading = f"*{escape(form.title)}* grows *{escape(form.skill_name)}*. Where are you today?"
    blocks, levels = rubric(form, heading)
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
    blocks = [
        kit.section(f"What would make *{escape(title)}* work for you? It goes back to them to agree."),
        lengths(),
        kit.input_block("target", "Target", whole(), optional=True),
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
    so_far = escape(card.progress_text) or "no target"
    blocks = [
        kit.section(f"*{escape(card.terms.title)}*: {so_far} so far."),
        kit.input_block("count", f"How many more {unit}", whole(initial="1")),
        _text("note", "A note (only you see it)", 2000, multiline=True),
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


def reflections_modal(reflections: Reflections) -> kit.Block:
    """What the person wrote in their challenge so far: theirs alone."""
    lines = [f"*{day_text(entry.on)}*  {quoted(entry.text, 2500)}" for entry in reflections.entries] or [
        "Nothing yet. Reply in the challenge's thread, or press Add a reflection."
    ]
    heading = f"*{escape(reflections.title)}*: {plural(len(reflections.entries), 'reflection')}. Only you see these."
    blocks = [kit.section(heading)] + [kit.section(line) for line in lines[-40:]]
    return kit.modal("My reflections", blocks, callback_id="challenge_reflections")
