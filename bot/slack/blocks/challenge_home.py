"""Challenges on the Home tab and in `/challenge`: mine going on (with their buttons), proposals waiting for
me, my finished ones with my summaries, and the ones I proposed, page by page (who, what, since when, how
it stands, with Nudge, Edit and Cancel where they apply)."""

from __future__ import annotations

from bot.challenges.types import ChallengeStatus, Member, Overview, ProposalPage, ProposalView
from bot.localtime import day_text
from bot.slack.blocks import kit
from bot.slack.blocks.challenge_words import PROPOSER_SILENT, STATUS, next_line
from bot.slack.blocks.challenges import card_line, controls
from bot.slack.blocks.library import value
from bot.slack.text import escape, plural, quoted, safe

SEE_ALL = "challenge_proposed"
STARTED = (ChallengeStatus.ACTIVE, ChallengeStatus.PAUSED, ChallengeStatus.FINISHED)


def home_section(overview: Overview) -> list[kit.Block]:
    blocks: list[kit.Block] = [kit.divider(), kit.section("*Challenges*: two weeks of doing something on the job.")]
    for card in overview.mine:
        blocks.append(kit.section("\n".join(filter(None, (card_line(card), next_line(card))))))
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
        blocks.append(kit.context("None going on for you. `/challenge @colleague` proposes one; `/challenge help`."))
    blocks += proposed_summary(overview.proposed, limit=2)
    if overview.history:
        lines = []
        for card in overview.history:
            summary = f"\n>{safe(card.summary, 300)}" if card.summary else ""
            lines.append(f"• *{escape(card.terms.title)}*, ended {day_text(card.last_day)}{summary}")
        blocks.append(kit.section("*Finished* (your summaries are yours)\n" + "\n".join(lines)))
    return blocks


def proposed_summary(page: ProposalPage, *, limit: int) -> list[kit.Block]:
    """The newest proposals a person made (at most `limit`), and a button to see them all, page by page."""
    if not page.total:
        return []
    heading = f"*You proposed {plural(page.total, 'challenge')}*"
    blocks = [kit.section(heading, accessory=kit.button("See them all", SEE_ALL, value=value(p=0)))]
    for proposal in page.proposals[:limit]:
        blocks += proposal_blocks(proposal)
    return blocks


def proposed_modal(page: ProposalPage) -> kit.Block:
    """Every challenge the person proposed, a page at a time."""
    blocks: list[kit.Block] = []
    for proposal in page.proposals:
        blocks += [*proposal_blocks(proposal), kit.divider()]
    if not blocks:
        blocks.append(kit.section("You haven't proposed a challenge yet. `/challenge @colleague` proposes one."))
    paging = []
    if page.page > 0:
        paging.append(kit.button("Newer", SEE_ALL, value=value(p=page.page - 1)))
    if page.page + 1 < page.pages:
        paging.append(kit.button("Older", SEE_ALL, value=value(p=page.page + 1)))
    if paging:
        blocks.append(kit.context(f"Page {page.page + 1} of {page.pages}"))
        blocks.append(kit.actions(*paging, block_id="paging"))
    return kit.modal(
        "Challenges you proposed", blocks, callback_id="challenge_proposed", private_metadata=value(p=page.page)
    )


def proposal_blocks(proposal: ProposalView) -> list[kit.Block]:
    """One proposal: what, since when, and each person's status and latest activity."""
    lines = [f"*{escape(proposal.title)}* · proposed {day_text(proposal.proposed_at.date())}"]
    lines += [_member_line(member) for member in proposal.members[:10] if not member.can_nudge]
    blocks = [kit.section("\n".join(lines))]
    for member in proposal.members[:10]:
        if member.can_nudge:  # one polite nudge each, instead of the reminder
            nudge = kit.button("Nudge", "challenge_nudge", value=value(c=member.challenge_id))
            blocks.append(kit.section(_member_line(member), accessory=nudge))
        if member.summary:
            blocks.append(kit.context(f"<@{member.user_id}> shared: {quoted(member.summary, 1500)}"))
    buttons = []
    if proposal.editable:
        buttons.append(kit.button("Edit", "challenge_edit", value=value(p=proposal.proposal_id)))
    if proposal.waiting:
        buttons.append(kit.button("Cancel", "challenge_cancel", value=value(p=proposal.proposal_id)))
    if buttons:
        blocks.append(kit.actions(*buttons, block_id=f"proposal:{proposal.proposal_id}"))
    return blocks


def _member_line(member: Member) -> str:
    silent = member.proposer_silent and member.status is ChallengeStatus.EXPIRED
    facts = [PROPOSER_SILENT if silent else STATUS[member.status]]
    if member.progress_text and member.status in STARTED:
        facts.append(escape(member.progress_text))
    if member.ratings is not None:
        start, end = member.ratings
        facts.append(
            f"rates themselves {start} → {end}" if end is not None else f"rated themselves {start} at the start"
        )
    facts.append(f"latest {day_text(member.since.date())}")
    return f"• <@{member.user_id}>: {' · '.join(facts)}"
