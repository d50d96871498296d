"""The challenges part of the Home tab: mine going on (with their buttons), proposals waiting for me, the
ones I proposed (status and counts, ratings only where allowed), and my finished ones with my summaries."""

from __future__ import annotations

from bot.challenges.types import Overview, ProposalView
from bot.localtime import day_text
from bot.slack.blocks import kit
from bot.slack.blocks.challenges import card_line, controls
from bot.slack.blocks.library import value
from bot.slack.text import escape, safe

STATUS = {
    "proposed": "not answered yet",
    "change_asked": "asked for a change",
    "active": "going",
    "paused": "paused",
    "declined": "declined",
    "expired": "didn't answer",
    "cancelled": "cancelled",
    "withdrawn": "stopped",
    "finished": "finished",
}


def home_section(overview: Overview) -> list[kit.Block]:
    blocks: list[kit.Block] = [kit.divider(), kit.section("*Challenges*: two weeks of doing something on the job.")]
    for card in overview.mine:
        next_checkin = f"\nNext check-in: {card.next_checkin}" if card.next_checkin else ""
        blocks.append(kit.section(card_line(card) + next_checkin))
        blocks.append(kit.actions(*controls(card), block_id=f"home_challenge:{card.challenge_id}"))
    for waiting in overview.waiting:
        who = f"<@{waiting.proposer_user_id}>" if waiting.proposer_user_id else "You"
        data = value(c=waiting.challenge_id)
        blocks.append(
            kit.section(f"*{escape(waiting.title)}*: proposed by {who}, from {day_text(waiting.start)}. Take it on?")
        )
        blocks.append(
            kit.actions(
                kit.button("Accept", "challenge_accept", value=data, style="primary"),
                kit.button("Suggest a change", "challenge_change", value=data),
                kit.button("Decline", "challenge_decline", value=data),
                block_id=f"home_waiting:{waiting.challenge_id}",
            )
        )
    if not overview.mine and not overview.waiting:
        blocks.append(kit.context("None going on. `/challenge @colleague` proposes one; `/challenge help` explains."))
    for proposal in overview.proposed:
        blocks += _proposed(proposal)
    if overview.history:
        lines = []
        for card in overview.history:
            summary = f"\n>{safe(card.summary, 300)}" if card.summary else ""
            lines.append(f"• *{escape(card.terms.title)}*, ended {day_text(card.last_day)}{summary}")
        blocks.append(kit.section("*Finished* (your summaries are yours)\n" + "\n".join(lines)))
    return blocks


def _proposed(proposal: ProposalView) -> list[kit.Block]:
    people = []
    for member in proposal.members:
        facts = [STATUS.get(member.status, member.status)]
        if member.progress_text and member.status in ("active", "paused", "finished"):
            facts.append(escape(member.progress_text))
        if member.ratings:
            facts.append(f"rates themselves {escape(member.ratings)}")
        people.append(f"<@{member.user_id}>: {', '.join(facts)}")
    text = f"*You proposed {escape(proposal.title)}*\n" + "\n".join(people[:10])
    accessory = None
    if proposal.waiting:
        accessory = kit.button("Cancel", "challenge_cancel", value=value(p=proposal.proposal_id))
    return [kit.section(text, accessory=accessory)]
