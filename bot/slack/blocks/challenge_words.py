"""The words people read about challenges, from the values the engine returns: what a change did, why a
colleague cannot be asked, what a change of terms asks for. Text from people is escaped here, once."""

from __future__ import annotations

from datetime import date

from bot.challenges.end_types import Place
from bot.challenges.proposal_types import Answer, ChangeOutcome, Problem, Proposed
from bot.challenges.types import Card, ChallengeStatus, Done, NextStep, SharePlace
from bot.localtime import day_text
from bot.slack.text import escape

C = ChallengeStatus

DONE = {
    Done.REFLECTED: "Saved as a private reflection: only you can see it.",
    Done.STUCK: "Noted.",
    Done.PAUSED: "Paused: no check-ins until you resume, and the end moves by the days you pause.",
    Done.ALREADY_PAUSED: "It's already paused.",
    Done.RESUMED: "Resumed. Welcome back.",
    Done.ALREADY_RUNNING: "It's running.",
    Done.WITHDRAWN: "Stopped. Your reflections stay yours.",
}

# What a colleague's status means to the person who proposed it.
STATUS = {
    C.PROPOSED: "not answered yet",
    C.CHANGE_ASKED: "asked for a change: waiting for your answer",
    C.ACTIVE: "going",
    C.PAUSED: "paused",
    C.DECLINED: "declined",
    C.EXPIRED: "didn't answer",
    C.CANCELLED: "cancelled",
    C.WITHDRAWN: "stopped",
    C.FINISHED: "finished",
}
PROPOSER_SILENT = "expired: you didn't answer the change they asked for"


def done_line(done: Done, card: Card) -> str:
    """What a person's own change did, as the line next to the button or in the window."""
    if done is Done.LOGGED:
        progress = escape(card.progress_text)  # a unit's own capitals stay: only the first letter is raised
        return f"Logged. {progress[:1].upper()}{progress[1:]}." if progress else "Logged."
    if done is Done.EXTENDED:
        return f"Extended by a week: {card.terms.days} days in all."
    return DONE[done]


def problem_line(proposed: Proposed, name: str = "") -> str:
    """Why a colleague could not be asked: `<@U…>` in a message; `name` (plain) under a window's field."""
    who = escape(name) if name else f"<@{proposed.user_id}>"
    again = day_text(proposed.again) if proposed.again else "later"
    return {
        Problem.SELF: "You can't propose a challenge to yourself; ask a colleague to propose one to you.",
        Problem.UNREACHABLE: f"I can't send challenges to {who}.",
        Problem.UNKNOWN: f"I can't find {who} in this workspace.",
        Problem.ALREADY: f"{who} is already doing this challenge, or has it waiting for an answer.",
        Problem.DECLINED: f"{who} said no to this challenge recently; you can propose it again from {again}.",
        Problem.CAP: f"{who} wasn't asked: that's as many invitations as a day allows. Try again from {again}.",
    }[proposed.problem or Problem.UNKNOWN]


def field_problem(problem: Problem, name: str, again: date | None = None) -> str:
    """The same, under the colleagues field of the proposal window (plain text: no mentions there)."""
    return problem_line(Proposed("", problem, again=again), name or "One of them")


def change_text(answer: Answer) -> str:
    """ "21 days instead of 14 and starting Mon 07 Dec": the change a person asked for."""
    change, terms, parts = answer.change, answer.terms, []
    if change is None:
        return "a change"
    if change.days is not None:
        parts.append(f"{change.days} days instead of {terms.days}")
    if change.target is not None:
        was = f" instead of {terms.target_count}" if terms.target_count is not None else ""
        parts.append(f"a target of {change.target}{was}")
    if change.start is not None:
        parts.append(f"starting {day_text(change.start)}")
    return " and ".join(parts) or "a change"


def change_decided_line(person_user_id: str, outcome: ChangeOutcome | None) -> str:
    if outcome is None:
        return "That has already been settled."
    said = "agreed to the change" if outcome is ChangeOutcome.AGREED else "kept it as proposed"
    return f"You {said}. I've asked <@{person_user_id}> again."


def cancelled_line(count: int) -> str:
    if not count:
        return "Everyone has answered already, so there was nothing to cancel."
    return f"Cancelled for the {count} who had not answered yet." if count > 1 else "Cancelled."


def place_label(place: Place) -> str:
    """Where a summary may go, as the share window offers it."""
    if place.place is SharePlace.PEERS:
        return f"<#{place.channel}>, the peer channel"
    if place.place is SharePlace.PROPOSER:
        return f"<@{place.user_id}>, who proposed it"
    if place.place is SharePlace.COHORT:
        return (
            "the other person in your cohort, in a DM"
            if place.others == 1
            else (f"the {place.others} others in your cohort, each in a DM")
        )
    return f"<#{place.channel}>" if place.channel else "another channel or conversation"


def place_where(place: Place) -> str:
    """Where it goes, said plainly in the preview and after: a channel's post, or DMs."""
    if place.place is SharePlace.PROPOSER:
        return f"a DM to <@{place.user_id}>"
    if place.place is SharePlace.COHORT:
        if place.others == 1:
            return "a DM to the other person in your cohort"
        return f"a DM to each of the {place.others} others in your cohort"
    return f"<#{place.channel}>, for everyone in it to see"


def next_line(card: Card) -> str:
    """When the next check-in (or the last day's wrap-up) arrives, in the person's time."""
    if card.next_at is None or card.next_step is None:
        return ""
    what = "Last day's wrap-up" if card.next_step is NextStep.CLOSE else "Next check-in"
    return f"*{what}:* {card.next_at:%a %d %b %H:%M}"


def last_day_words(last_day: date, arrives: date) -> str:
    """ "Today is the last day" only when it is; a wrap-up that comes after a weekend says when it ended."""
    if arrives == last_day:
        return "Today is the last day of"
    if (arrives - last_day).days == 1:
        return "Yesterday was the last day of"
    return f"{last_day:%A} ({day_text(last_day)}) was the last day of"
