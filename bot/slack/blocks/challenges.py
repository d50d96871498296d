"""Block Kit for challenges: the proposal window, the invitation, the answers, the thread's card and its
check-ins, and the windows that accept, change, log and reflect."""

from __future__ import annotations

from typing import Any

from bot.challenges.types import (
    Answer,
    BaselineForm,
    Card,
    ChangeAnswer,
    CheckIn,
    Invitation,
    ProposalDraft,
    Proposed,
)
from bot.localtime import day_text
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import escape, plural

CUSTOM = "custom"
LENGTHS = (7, 10, 14, 21, 28)
STATUS_WORDS = {"active": "", "paused": "Paused. ", "finished": "Finished. ", "withdrawn": "Stopped. "}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = "") -> kit.Block:
    block: kit.Block = {"type": "input", "block_id": block_id, "label": kit.plain(label, 75), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = kit.plain(hint, 150)
    return block


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


def _option(label: str, key: str) -> dict[str, Any]:
    return {"text": kit.plain(label, kit.OPTION_TEXT), "value": key}


def propose_modal(draft: ProposalDraft, skills: list[tuple[str, str]]) -> kit.Block:
    templates = [_option(f"{t.title} ({t.skill_name})", t.key) for t in draft.templates][:99]
    templates.append(_option("Write my own (below)", CUSTOM))
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
    lengths = [_option(f"{days} days", str(days)) for days in LENGTHS]
    blocks = [
        _input(
            "colleagues", "Colleagues", colleagues, hint="Several people make a cohort: each gets their own thread."
        ),
        _input("template", "Challenge", template, optional=True),
        _input(
            "title",
            "Or your own: title",
            {"type": "plain_text_input", "action_id": "value", "max_length": 100},
            optional=True,
        ),
        _input(
            "brief",
            "What it asks",
            {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 1000},
            optional=True,
        ),
        _input(
            "skill",
            "The skill it grows",
            {"type": "static_select", "action_id": "value", "options": [_option(n, k) for k, n in skills]},
            optional=True,
        ),
        _input(
            "target",
            "Target (how many)",
            _whole(),
            optional=True,
        ),
        _input(
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
        _input("start", "Start", {"type": "datepicker", "action_id": "value", "initial_date": draft.today.isoformat()}),
        _input(
            "days",
            "Length",
            {"type": "static_select", "action_id": "value", "options": lengths},
            optional=True,
            hint="The challenge's own length unless you pick one.",
        ),
        _input(
            "note",
            "Why them, why now (optional)",
            {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 500},
            optional=True,
        ),
        _input(
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


def proposed_blocks(outcomes: list[Proposed]) -> list[kit.Block]:
    sent = [o.user_id for o in outcomes if o.problem is None]
    lines = []
    if sent:
        names = ", ".join(f"<@{user_id}>" for user_id in sent)
        lines.append(f"Proposed to {names}. I'll tell you what each of them says.")
    lines += [o.problem for o in outcomes if o.problem]  # the bot's own words, naming people with <@…>
    return [kit.section(line) for line in lines] or [kit.section("Nothing was proposed.")]


def _terms_lines(terms_title: str, brief: str, target: str, days: int, start: str) -> list[str]:
    lines = [f"*{escape(terms_title)}*", escape(brief)]
    facts = [f"{days} days from {start}"] + ([f"target: {escape(target)}"] if target else [])
    lines.append(" · ".join(facts))
    return lines


def invitation_blocks(invitation: Invitation) -> list[kit.Block]:
    terms = invitation.terms
    who = f"<@{invitation.proposer_user_id}>" if invitation.proposer_user_id else "A colleague"
    if invitation.reminder:
        intro = f"A reminder: {who} proposed this challenge to you. Would you like to take it on?"
    elif invitation.changed:
        intro = f"{who} agreed to your change. Here is the challenge as it is now:"
    else:
        intro = f"{who} proposes a challenge for you. Nothing starts unless you accept."
    blocks = [kit.section(intro)]
    lines = _terms_lines(terms.title, terms.brief, terms.target_text(), terms.days, day_text(invitation.start))
    blocks.append(kit.section("\n".join(lines)))
    if invitation.steps:
        blocks.append(kit.section("\n".join(f"• {escape(step)}" for step in invitation.steps)))
    if invitation.note:
        blocks.append(kit.context(f"Why: {escape(invitation.note)}"))
    if invitation.anchor_link:
        blocks.append(kit.context(f"<{invitation.anchor_link}|The message it started from>"))
    data = value(c=invitation.challenge_id)
    blocks.append(
        kit.actions(
            kit.button("Accept", "challenge_accept", value=data, style="primary"),
            kit.button("Suggest a change", "challenge_change", value=data),
            kit.button("Decline", "challenge_decline", value=data),
        )
    )
    return blocks


def answer_blocks(answer: Answer) -> list[kit.Block]:
    who, title = f"<@{answer.person_user_id}>", f"*{escape(answer.title)}*"
    said = {
        "accepted": f"{who} accepted {title}.",
        "declined": f"{who} declined {title}.",
        "expired": f"{who} didn't answer {title}, so the proposal has expired.",
        "change": f"{who} would take on {title} with {escape(answer.change)}.",
    }[answer.outcome]
    blocks = [kit.section(said)]
    if answer.outcome == "change":
        data = value(c=answer.challenge_id)
        blocks.append(
            kit.actions(
                kit.button("Agree to the change", "challenge_agree", value=data, style="primary"),
                kit.button("Keep it as proposed", "challenge_keep", value=data),
            )
        )
    return blocks


def change_answer_blocks(answer: ChangeAnswer) -> list[kit.Block]:
    who = f"<@{answer.proposer_user_id}>" if answer.proposer_user_id else "They"
    did = "agreed to your change" if answer.agreed else "would like to keep it as proposed"
    return [kit.section(f"{who} {did} for *{escape(answer.title)}*. Accept or decline it below.")]


def baseline_modal(form: BaselineForm) -> kit.Block:
    levels = "\n".join(f"*{level}*: {escape(text)}" for level, text in sorted(form.rubric.items()))
    options = [_option(f"Level {level}", str(level)) for level in sorted(form.rubric) or range(1, 6)]
    blocks: list[kit.Block] = [
        kit.section(f"*{escape(form.title)}* grows *{escape(form.skill_name)}*. Where are you today?"),
    ]
    if levels:
        blocks.append(kit.section(levels))
    blocks.append(
        _input("baseline", "Today I'm at", {"type": "radio_buttons", "action_id": "value", "options": options})
    )
    if form.proposer_user_id:
        share = {"text": {"type": "mrkdwn", "text": f"Let <@{form.proposer_user_id}> see my ratings"}, "value": "yes"}
        blocks.append(
            _input(
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
    lengths = [_option(f"{days} days", str(days)) for days in LENGTHS]
    blocks = [
        kit.section(f"What would make *{escape(title)}* work for you? It goes back to them to agree."),
        _input("days", "Length", {"type": "static_select", "action_id": "value", "options": lengths}, optional=True),
        _input(
            "target",
            "Target",
            _whole(),
            optional=True,
        ),
        _input("start", "Start", {"type": "datepicker", "action_id": "value"}, optional=True),
    ]
    return kit.modal(
        "Suggest a change",
        blocks,
        callback_id="challenge_change",
        submit="Send",
        private_metadata=value(c=challenge_id),
    )


def card_blocks(card: Card) -> list[kit.Block]:
    terms = card.terms
    lines = [f"{STATUS_WORDS.get(card.status, '')}*{escape(terms.title)}*", escape(terms.brief)]
    facts = []
    if card.progress_text:
        facts.append(f"*Progress:* {escape(card.progress_text)}")
    if card.status in ("active", "paused"):
        facts.append(f"*Days left:* {card.days_left} (last day {day_text(card.last_day)})")
    if card.next_checkin:
        facts.append(f"*Next check-in:* {card.next_checkin}")
    blocks = [kit.section("\n".join(lines)), kit.section("\n".join(facts) or " ")]
    if card.proposer_user_id:
        blocks.append(
            kit.context(
                f"Proposed by <@{card.proposer_user_id}>. Reply in this thread to note what you learn: only you see it."
            )
        )
    if card.status == "active":
        data = value(c=card.challenge_id)
        buttons = (
            [kit.button("Log progress", "challenge_log", value=data, style="primary")] if terms.target_count else []
        )
        buttons.append(kit.button("Add a reflection", "challenge_reflect", value=data))
        blocks.append(kit.actions(*buttons))
    elif card.status == "paused":
        blocks.append(kit.actions(kit.button("Resume", "challenge_resume", value=value(c=card.challenge_id))))
    return blocks


def checkin_blocks(checkin: CheckIn) -> list[kit.Block]:
    data = value(c=checkin.challenge_id)
    blocks = [kit.section(escape(checkin.question))]
    if checkin.progress_text:
        blocks.append(kit.context(f"So far: {escape(checkin.progress_text)}. Reply here, or:"))
    blocks.append(
        kit.actions(
            kit.button("Log progress", "challenge_log", value=data),
            kit.button("Add a reflection", "challenge_reflect", value=data),
        )
    )
    return blocks


def log_modal(card: Card) -> kit.Block:
    unit = card.terms.target_units or "steps"
    blocks = [
        kit.section(f"*{escape(card.terms.title)}*: {escape(card.progress_text) or 'no target'} so far."),
        _input(
            "count",
            f"How many more {unit}",
            _whole(initial="1"),
        ),
        _input(
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
        _input(
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


def mine_blocks(cards: list[Card]) -> list[kit.Block]:
    if not cards:
        return [kit.section("You have no challenge going on. `/challenge @colleague` proposes one to a colleague.")]
    blocks = [kit.section(f"Your {plural(len(cards), 'challenge')} going on:")]
    for card in cards[:10]:
        progress = f" · {escape(card.progress_text)}" if card.progress_text else ""
        blocks.append(kit.section(f"*{escape(card.terms.title)}*{progress} · {card.days_left} days left"))
    return blocks


def help_blocks() -> list[kit.Block]:
    return [
        kit.section(
            "*Challenges*: two weeks of doing something on the job, with check-ins in a thread.\n"
            "• `/challenge @colleague` proposes one (from the list, or your own); several colleagues make a cohort.\n"
            "• `/challenge @colleague leading-change-resistance` opens it with that challenge picked.\n"
            "• `/challenge` alone lists yours. Nothing starts until the colleague accepts; reflections stay private."
        )
    ]
