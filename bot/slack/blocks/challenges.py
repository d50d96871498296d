"""Block Kit for challenges' messages: the invitation, the answers, the thread's card and its check-ins,
the list of mine and the help. The windows are in `challenge_windows`."""

from __future__ import annotations

from bot.challenges.types import Answer, Card, ChangeAnswer, CheckIn, Invitation, Proposed
from bot.localtime import day_text
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import escape, plural

STATUS_WORDS = {"active": "", "paused": "Paused. ", "finished": "Finished. ", "withdrawn": "Stopped. "}


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
