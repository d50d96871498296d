"""Block Kit for a challenge's end: the close in the thread, the summary and its sharing, the proposer's
rating, "did it stick?" and what to do next."""

from __future__ import annotations

from bot.challenges.end_types import Closing, FollowOn, ObserveAsk, Shared, SharedTo, StickQuestion, Summary
from bot.slack.blocks import kit
from bot.slack.blocks.challenge_words import last_day_words, place_where
from bot.slack.blocks.library import AI_LABEL, value
from bot.slack.text import escape, safe

STICK_LEVELS = {1: "Not at all", 2: "Once or twice", 3: "Now and then", 4: "Most weeks", 5: "It's a habit"}


def closing_blocks(closing: Closing) -> list[kit.Block]:
    progress = f" You got to {escape(closing.progress_text)}." if closing.progress_text else ""
    return [
        kit.section(
            f"{last_day_words(closing.last_day, closing.arrives)} *{escape(closing.title)}*.{progress} Two quick "
            "ratings, then a draft of what you learned: yours to edit, and to share or keep."
        ),
        kit.actions(
            kit.button("Rate and sum up", "challenge_close", value=value(c=closing.challenge_id), style="primary")
        ),
    ]


def summary_blocks(summary: Summary) -> list[kit.Block]:
    """The draft in the thread: private; editing comes first, sharing shows a preview before anything goes."""
    data = value(c=summary.challenge_id)
    blocks = [
        kit.section("*A draft of what you learned.* Only you see it until you choose to share it."),
        kit.section(safe(summary.text, 2500)),
        kit.actions(
            kit.button("Edit", "challenge_summary", value=data, style="primary"),
            kit.button("Share…", "challenge_share", value=data),
            kit.button("Keep it to myself", "challenge_keep_private", value=data),
        ),
    ]
    if summary.ai:
        blocks.insert(2, kit.context(AI_LABEL))
    return blocks


def shared_line(shared: SharedTo) -> str:
    if not shared.queued:
        return "That's on its way already."
    return f"Shared in {place_where(shared.place)}, under your name. Thank you for passing it on."


SHARE_PROBLEMS = {
    "not_in_channel": "I'm not a member of that private channel. Invite me there (`/invite @Learnbot`) and share "
    "it again, or pick another place.",
    "is_archived": "That channel has been archived. Pick another place.",
}


def share_failed_blocks(summary: Summary, code: str) -> list[kit.Block]:
    problem = SHARE_PROBLEMS.get(code, "That channel can't be reached. Pick another place.")
    return [
        kit.section(f"I couldn't post your summary of *{escape(summary.title)}*. {problem}"),
        kit.actions(kit.button("Share it again", "challenge_share", value=value(c=summary.challenge_id))),
    ]


def shared_blocks(shared: Shared) -> list[kit.Block]:
    return [
        kit.section(f"<@{shared.person_user_id}> shares what they learned from *{escape(shared.title)}*:"),
        kit.section(safe(shared.text, 2500)),
        kit.context(f"A challenge on {escape(shared.skill_name)}. `/challenge help` says how they work."),
    ]


def observe_blocks(ask: ObserveAsk) -> list[kit.Block]:
    ratings = [f"{label}: {rating}" for label, rating in (("at the start", ask.baseline), ("now", ask.after)) if rating]
    if ask.retrospective:
        ratings.append(f"thinking back, before: {ask.retrospective}")
    said = f" They rate themselves {', '.join(ratings)}." if ratings else ""
    levels = sorted(ask.rubric) or list(range(1, 6))
    options = [
        kit.option(
            f"{level}: {ask.rubric[level]}" if level in ask.rubric else f"Level {level}",
            value(c=ask.challenge_id, v=level),
        )
        for level in levels
    ]
    picker = {
        "type": "static_select",
        "action_id": "challenge_observe",
        "options": options,
        "placeholder": kit.plain("Your rating", 150),
    }
    return [
        kit.section(
            f"<@{ask.person_user_id}> finished *{escape(ask.title)}* and lets you see their ratings on "
            f"*{escape(ask.skill_name)}*.{said} From what you observed, where are they now?",
            accessory=picker,
        )
    ]


def stick_blocks(question: StickQuestion) -> list[kit.Block]:
    buttons = [
        kit.button(label, f"challenge_stick:{level}", value=value(c=question.challenge_id, v=level))
        for level, label in STICK_LEVELS.items()
    ]
    return [
        kit.section(
            f"A week ago you finished *{escape(question.title)}*. Did it stick? "
            f"How often do you still do it? (Only you and the {escape(question.skill_name)} totals see this.)"
        ),
        kit.actions(*buttons),
    ]


def follow_on_blocks(follow: FollowOn) -> list[kit.Block]:
    blocks = [kit.section("Thanks for answering. Want to keep it going?")]
    buttons = []
    if follow.template_key:
        data = value(c=follow.challenge_id, t=follow.template_key)
        buttons.append(
            kit.button(f"Start: {follow.template_title}", "challenge_follow_on", value=data, style="primary")
        )
    if follow.technique_key:
        buttons.append(
            kit.button(
                f"Practise daily: {follow.technique_title}", "challenge_practise", value=value(t=follow.technique_key)
            )
        )
    if buttons:
        blocks.append(kit.actions(*buttons))
    return blocks
