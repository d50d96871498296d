"""Block Kit for challenges' messages: the invitation, the answers, the thread's card, its check-ins and
its close, sharing, "did it stick?", the list of mine and the help. The windows are in `challenge_windows`."""

from __future__ import annotations

from bot.challenges.proposal_types import Answer, Asking, ChangeAnswer, ChangeOutcome, Invitation, Outcome, Proposed
from bot.challenges.types import Card, ChallengeStatus, CheckIn, Paused, Stuck
from bot.localtime import day_text
from bot.slack.blocks import kit
from bot.slack.blocks.challenge_words import change_text, next_line, problem_line
from bot.slack.blocks.library import AI_LABEL, open_button, resource_line, value
from bot.slack.text import escape, plural, safe

C = ChallengeStatus
STATUS_WORDS = {C.ACTIVE: "", C.PAUSED: "Paused. ", C.FINISHED: "Finished. ", C.WITHDRAWN: "Stopped. "}


def proposed_blocks(outcomes: tuple[Proposed, ...]) -> list[kit.Block]:
    sent = [o.user_id for o in outcomes if o.problem is None]
    lines = []
    if sent:
        names = ", ".join(f"<@{user_id}>" for user_id in sent)
        each = "what each of them says" if len(sent) > 1 else "what they say"
        lines.append(f"Proposed to {names}. I'll tell you {each}.")
    lines += [problem_line(o) for o in outcomes if o.problem]
    blocks = [kit.section(line) for line in lines] or [kit.section("Nothing was proposed.")]
    proposal = next((o.proposal_id for o in outcomes if o.proposal_id is not None), None)
    if proposal is not None:
        cancel = kit.button("Cancel the proposal", "challenge_cancel", value=value(p=proposal))
        cancel["confirm"] = _confirm("Cancel it?", "Colleagues who haven't answered yet won't be asked any more.")
        blocks.append(kit.actions(cancel))
    return blocks


def _confirm(title: str, text: str) -> kit.Block:
    return {
        "title": kit.plain(title, 100),
        "text": kit.plain(text, 300),
        "confirm": kit.plain("Yes", 30),
        "deny": kit.plain("No", 30),
    }


def _terms_lines(terms_title: str, brief: str, target: str, days: int, start: str) -> list[str]:
    lines = [f"*{escape(terms_title)}*", escape(brief)]
    facts = [f"{days} days from {start}, or from the day you accept if later"]
    facts += [f"target: {escape(target)}"] if target else []
    lines.append(" · ".join(facts))
    return lines


def invitation_blocks(invitation: Invitation) -> list[kit.Block]:
    terms = invitation.terms
    who = f"<@{invitation.proposer_user_id}>" if invitation.proposer_user_id else "A colleague"
    intro = {
        Asking.FIRST: f"{who} proposes a challenge for you. Nothing starts unless you accept.",
        Asking.REMINDER: f"A reminder: {who} proposed this challenge to you. Would you like to take it on?",
        Asking.NUDGE: f"{who} wondered whether you'd seen this: would you like to take it on? No is a fine answer.",
        Asking.CHANGED: f"{who} agreed to your change. Here is the challenge as it is now:",
        Asking.KEPT: f"{who} would like to keep it as proposed. Here it is again:",
        Asking.EDITED: f"{who} changed this challenge before anyone answered. Here it is as it is now:",
    }[invitation.asking]
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
        Outcome.ACCEPTED: f"{who} accepted {title}.",
        Outcome.DECLINED: f"{who} declined {title}.",
        Outcome.EXPIRED: f"{who} didn't answer {title}, so the proposal has expired.",
        Outcome.CHANGE: f"{who} would take on {title} with {change_text(answer)}.",
        Outcome.CHANGE_REMINDER: f"A reminder: {who} asked for a change to {title} and is waiting for your answer.",
        Outcome.CHANGE_EXPIRED: f"You didn't answer the change {who} asked for in {title}, so the proposal has "
        "expired. I've told them. You can propose it again.",
        Outcome.WITHDRAWN: f"{who} stopped {title}.",
    }[answer.outcome]
    blocks = [kit.section(said)]
    if answer.outcome in (Outcome.CHANGE, Outcome.CHANGE_REMINDER):
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
    title = f"*{escape(answer.title)}*"
    if answer.outcome is ChangeOutcome.EXPIRED:
        return [kit.section(f"{who} didn't answer the change you asked for in {title}, so the proposal has expired.")]
    did = "agreed to your change" if answer.outcome is ChangeOutcome.AGREED else "would like to keep it as proposed"
    return [kit.section(f"{who} {did} for {title}. Accept or decline it below.")]


def card_blocks(card: Card) -> list[kit.Block]:
    terms = card.terms
    lines = [f"{STATUS_WORDS.get(card.status, '')}*{escape(terms.title)}*", escape(terms.brief)]
    facts = []
    if card.progress_text:
        facts.append(f"*Progress:* {escape(card.progress_text)}")
    if card.status in (C.ACTIVE, C.PAUSED):
        facts.append(f"*Days left:* {card.days_left} (last day {day_text(card.last_day)})")
    if next_line(card):
        facts.append(next_line(card))
    if card.cohort is not None:
        cohort = card.cohort
        facts.append(f"*Cohort:* {cohort.on_track} of {cohort.size} on track")
        if cohort.shared:
            facts.append("Shared what they learned: " + ", ".join(f"<@{user_id}>" for user_id in cohort.shared))
    blocks = [kit.section("\n".join(lines)), kit.section("\n".join(facts) or " ")]
    if card.summary:
        blocks.append(kit.section(f"*What I learned*\n{safe(card.summary, 2500)}"))
    if card.proposer_user_id:
        blocks.append(
            kit.context(
                f"Proposed by <@{card.proposer_user_id}>. Reply in this thread to note what you learn: only you see it."
            )
        )
    if card.status in (C.ACTIVE, C.PAUSED):
        blocks.append(kit.actions(*controls(card)))
    return blocks


def controls(card: Card) -> list[kit.Block]:
    """The buttons of a challenge going on (on its card and in the Home tab)."""
    data = value(c=card.challenge_id)
    withdraw = kit.button("Withdraw", "challenge_withdraw", value=data, style="danger")
    withdraw["confirm"] = _confirm("Stop this challenge?", "Check-ins stop. Your reflections stay yours.")
    if card.status is C.PAUSED:
        return [kit.button("Resume", "challenge_resume", value=data, style="primary"), withdraw]
    buttons = (
        [kit.button("Log progress", "challenge_log", value=data, style="primary")] if card.terms.target_count else []
    )
    buttons += [
        kit.button("Add a reflection", "challenge_reflect", value=data),
        kit.button("My reflections", "challenge_reflections", value=data),
        kit.button("I'm stuck", "challenge_stuck", value=data),
        kit.button("Pause", "challenge_pause", value=data),
        kit.button("Extend a week", "challenge_extend", value=data),
        withdraw,
    ]
    return buttons


def checkin_blocks(checkin: CheckIn) -> list[kit.Block]:
    data = value(c=checkin.challenge_id)
    blocks = [kit.section(escape(checkin.question))]
    if checkin.ai:
        blocks.append(kit.context(AI_LABEL))
    if checkin.progress_text:
        blocks.append(kit.context(f"So far: {escape(checkin.progress_text)}. Reply here, or:"))
    blocks.append(
        kit.actions(
            kit.button("Log progress", "challenge_log", value=data),
            kit.button("Add a reflection", "challenge_reflect", value=data),
            kit.button("Not yet / I'm stuck", "challenge_stuck", value=data),
            kit.button("Ask me tomorrow", "challenge_snooze", value=value(c=checkin.challenge_id, d=checkin.day)),
        )
    )
    if checkin.ask_pause:
        last = "The last check-in" if checkin.unanswered == 1 else f"The last {checkin.unanswered} check-ins"
        blocks.append(kit.section(f"{last} went unanswered. Would a pause help? Nothing is lost."))
        blocks.append(
            kit.actions(
                kit.button("Pause it", "challenge_pause", value=data),
                kit.button("Keep going", "challenge_keep_going", value=data),
                block_id="cadence",
            )
        )
    return blocks


def paused_blocks(paused: Paused) -> list[kit.Block]:
    return [
        kit.section(
            f"The last {plural(paused.unanswered, 'check-in')} went unanswered, so I've paused "
            f"*{escape(paused.title)}*: "
            "no more check-ins until you resume, and the end moves by the days it is paused."
        ),
        kit.actions(kit.button("Resume", "challenge_resume", value=value(c=paused.challenge_id), style="primary")),
    ]


def stuck_line(stuck: Stuck) -> str:
    return "That's normal, and worth knowing. A few things that may help:" if stuck.resources else "That's normal."


def stuck_blocks(stuck: Stuck) -> list[kit.Block]:
    blocks = [kit.section(stuck_line(stuck))]
    for view in stuck.resources:
        blocks.append(kit.section(resource_line(view), accessory=open_button(view, None)))
    blocks.append(
        kit.actions(kit.button("A tip for my next step", "challenge_tip", value=value(c=stuck.card.challenge_id)))
    )
    return blocks


VALUE_TEXT = 1800  # what a button may carry of a person's message (its value holds 2000 characters in all)


def triage_blocks(cards: tuple[Card, ...], text: str) -> list[kit.Block]:
    """A DM written outside a challenge's thread: one press says where it belongs."""
    fits = len(text) <= VALUE_TEXT
    which = f"your challenge *{escape(cards[0].terms.title)}*" if len(cards) == 1 else "one of your challenges"
    blocks = [kit.section(f"Is this about {which}, or a question for the library?")]
    buttons = []
    for number, card in enumerate(cards[:3] if fits else ()):
        data = value(c=card.challenge_id, t=text)
        name = "" if len(cards) == 1 else f": {card.terms.title}"
        buttons.append(kit.button(f"Save as a reflection{name}", f"challenge_dm_reflect:{number}", value=data))
        if card.terms.target_count is not None:
            unit = card.terms.target_unit or "step"
            buttons.append(kit.button(f"Log 1 {unit}{name}", f"challenge_dm_log:{number}", value=data))
    buttons.append(kit.button("Search the library", "challenge_dm_search", value=value(t=text[:VALUE_TEXT])))
    blocks.append(kit.actions(*buttons, block_id="triage"))
    note = "Only you see what you save." if fits else "That's long: reply in your challenge's thread to keep it whole."
    blocks.append(kit.context(f"{note} Replies in a challenge's thread are saved there without asking."))
    return blocks


def mine_blocks(cards: list[Card]) -> list[kit.Block]:
    if not cards:
        return [kit.section("You have no challenge going on. `/challenge @colleague` proposes one to a colleague.")]
    heading = "Your challenge going on:" if len(cards) == 1 else f"Your {len(cards)} challenges going on:"
    blocks = [kit.section(heading)]
    for card in cards[:10]:
        blocks.append(kit.section(card_line(card)))
    return blocks


def card_line(card: Card) -> str:
    progress = f" · {escape(card.progress_text)}" if card.progress_text else ""
    paused = " · paused" if card.status is C.PAUSED else ""
    return f"*{escape(card.terms.title)}*{progress} · {card.days_left} days left{paused}"


def help_blocks() -> list[kit.Block]:
    return [
        kit.section(
            "*Challenges*: two weeks of doing something on the job, with check-ins in a thread.\n"
            "• `/challenge @colleague` proposes one (from the list, or your own); several colleagues make a cohort.\n"
            "• `/challenge @colleague leading-change-resistance` opens it with that challenge picked.\n"
            "• `/challenge` alone lists yours. Nothing starts until the colleague accepts; reflections stay private.\n"
            "• In the challenge's thread: reply to note what you learn, log progress, say you're stuck, pause, "
            "extend a week or withdraw. On the last day you rate yourself again and may share a summary.\n"
            "• Your Home tab shows your challenges, proposals waiting for you, and the ones you proposed."
        )
    ]
