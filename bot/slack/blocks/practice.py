"""Block Kit for daily practice: the reminder, its answers, the suggestion, the monthly review, settings."""

from __future__ import annotations

from collections.abc import Sequence

from bot.localtime import day_text
from bot.practice.types import (
    STREAK_RULE,
    DayAnswer,
    PracticePaused,
    PracticeView,
    Rating,
    Refusal,
    Reminder,
    Review,
    ReviewedPractice,
    SkillToRate,
    Suggested,
    Suggestion,
    SuggestionAnswer,
    Technique,
)
from bot.slack.blocks import kit
from bot.slack.blocks.library import AI_LABEL, value
from bot.slack.text import escape, plural, safe


def streak_line(streak: int) -> str:
    """The streak, without its rule: the rule is said when practice starts and in the Home tab."""
    if streak == 0:
        return "No streak yet: today's answer starts one."
    count, noun = plural(streak, "practice day").split(" ", 1)
    return f"Streak: *{count}* {noun}."


def reminder_blocks(reminder: Reminder) -> list[kit.Block]:
    title = f"Today's practice: {reminder.technique_title}" + (" (snoozed)" if reminder.snoozed else "")
    day = value(d=reminder.day_id)
    blocks = [kit.header(title), kit.section(safe(reminder.text, 2900))]
    if reminder.ai:
        blocks.append(kit.context(AI_LABEL))
    blocks += [
        kit.context(f"Why: {safe(reminder.why, 300)}", streak_line(reminder.streak)),
        kit.actions(
            kit.button("Done", "practice_done", value=day, style="primary"),
            kit.button("Snooze 1 h", "practice_snooze", value=day),
            kit.button("Skip today", "practice_skip", value=day),
            kit.button("Pause…", "practice_pause", value=value(s=reminder.subscription_id)),
            kit.button("Stop", "practice_stop", value=value(s=reminder.subscription_id), style="danger"),
            block_id=f"practice:{reminder.day_id}",
        ),
    ]
    if reminder.ask_pause:
        data = value(s=reminder.subscription_id)
        blocks += [
            kit.section("The last few reminders went unanswered. Would a pause help? Nothing is lost."),
            kit.actions(
                kit.button("Pause…", "practice_pause", value=data),
                kit.button("Keep going", "practice_keep_going", value=data),
                block_id=f"cadence:{reminder.day_id}",
            ),
        ]
    return blocks


def paused_blocks(paused: PracticePaused) -> list[kit.Block]:
    return [
        kit.section(
            f"The last {paused.unanswered} reminders of *{escape(paused.technique_title)}* went unanswered, so I've "
            "paused them. Your streak and reflections are kept; resume whenever you like."
        ),
        kit.actions(kit.button("Resume", "practice_resume", value=value(s=paused.subscription_id), style="primary")),
    ]


def answered_blocks(answer: DayAnswer) -> list[kit.Block]:
    """What the reminder turns into once answered."""
    if answer.status == "done":
        text = f":white_check_mark: *{escape(answer.technique_title)}*: done. Nice work."
        extra = kit.actions(
            kit.button("Add a one-line reflection", "practice_reflect", value=value(d=answer.day_id)),
            block_id=f"practice:{answer.day_id}",
        )
        return [kit.section(text), kit.context(streak_line(answer.streak)), extra]
    if answer.status == "skipped":
        text = f"*{escape(answer.technique_title)}*: skipped today. Your streak is safe."
    else:
        until = f"at {answer.until:%H:%M} your time" if answer.until else "in an hour"
        text = f"*{escape(answer.technique_title)}*: snoozed. I'll remind you again {until}."
    return [kit.section(text), kit.context(streak_line(answer.streak))]


def suggestion_blocks(suggestion: Suggestion) -> list[kit.Block]:
    data = value(s=suggestion.subscription_id)
    return [
        kit.section(
            f"<@{suggestion.from_user_id}> suggests you practise *{escape(suggestion.technique_title)}*: "
            "a two-minute exercise on working days, at 09:00 your time."
        ),
        kit.context(f"Why: {safe(suggestion.why, 300)}"),
        kit.actions(
            kit.button("Accept", "practice_accept", value=data, style="primary"),
            kit.button("No thanks", "practice_decline", value=data),
            block_id=f"suggestion:{suggestion.subscription_id}",
        ),
    ]


REVIEW_SHOWN = 12  # practices, and skills: 4 + 12 + 2 * 12 blocks stay within Slack's 50 a message


def review_blocks(review: Review) -> list[kit.Block]:
    """The person's month: each practice (days, streak, Change focus), one rating per skill, Keep my focus."""
    blocks = [kit.header(f"Your {review.month} review"), kit.section(safe(review.text, 2900))]
    if review.ai:
        blocks.append(kit.context(AI_LABEL))
    blocks += [_reviewed(practice, review.month) for practice in review.practices[:REVIEW_SHOWN]]
    for skill in review.skills[:REVIEW_SHOWN]:
        blocks += _rating(skill, review.occasion)
    if any(practice.live for practice in review.practices):
        keep = kit.button("Keep my focus", "practice_keep", value=value(o=review.occasion))
        blocks.append(kit.actions(keep, block_id="review_focus"))
    return blocks


def _reviewed(practice: ReviewedPractice, month: str) -> kit.Block:
    line = (
        f"*{escape(practice.technique_title)}*: {plural(practice.practice_days, 'day')} practised in {month}. "
        + streak_line(practice.streak)
    )
    change = value(s=practice.subscription_id)
    button = kit.button("Change focus", "practice_change_focus", value=change) if practice.live else None
    return kit.section(line, accessory=button, block_id=f"review_practice:{practice.subscription_id}")


def _rating(skill: SkillToRate, occasion: str) -> list[kit.Block]:
    rubric = "\n".join(f"*{level}*: {safe(text, 300)}" for level, text in sorted(skill.rubric.items()))
    ratings = [  # an action id each: Slack refuses two equal action ids in one block
        kit.button(str(level), f"practice_rate:{level}", value=value(s=skill.subscription_id, o=occasion, r=level))
        for level in range(1, 6)
    ]
    return [
        kit.section(f"*How would you rate your {escape(skill.skill_name)} today?*\n{rubric}"),
        kit.actions(*ratings, block_id=f"review_rating:{skill.subscription_id}"),
    ]


def started_blocks(view: PracticeView, *, already: bool, notice: str | None) -> list[kit.Block]:
    head = "You already practise" if already else "You're practising"
    when = (
        f"Next reminder: *{view.next_local}* ({escape(view.zone)})." if view.next_local else "No reminder is planned."
    )
    blocks = [
        kit.section(f"{head} *{escape(view.technique_title)}*: {view.rhythm}. {when}"),
        kit.context(f"Why: {safe(view.why, 300)}", STREAK_RULE),
    ]
    if notice:
        blocks.append(kit.context(escape(notice)))
    blocks.append(
        kit.actions(
            kit.button("Change time or days", "practice_settings", value=value(s=view.subscription_id)),
            block_id=f"started:{view.subscription_id}",
        )
    )
    return blocks


def techniques_blocks(techniques: Sequence[Technique]) -> list[kit.Block]:
    listing = "\n".join(f"• `{t.key}`: {escape(t.title)}" for t in techniques)
    return [kit.section(f"*Pick a technique*, e.g. `/learn practice active-listening`:\n{listing}")]


def suggested_blocks(suggested: Sequence[Suggested]) -> list[kit.Block]:
    """One line a colleague: sent (they can accept or decline; the suggester hears which), or why not."""
    return [kit.section("\n".join(_suggested_line(s) for s in suggested))]


def _suggested_line(suggested: Suggested) -> str:
    who = f"<@{suggested.colleague_user_id}>"
    again = day_text(suggested.again) if suggested.again else "later"
    return {
        None: f"I've suggested *{escape(suggested.technique_title)}* to {who}. "
        "I'll tell you when they accept or decline.",
        Refusal.SELF: "To practise yourself, use `/learn practice <technique>`.",
        Refusal.UNKNOWN: f"I can't find {who} in this workspace.",
        Refusal.UNREACHABLE: f"I can't send suggestions to {who}.",
        Refusal.ALREADY: f"{who} already practises it, or has a suggestion for it waiting.",
        Refusal.DECLINED: f"{who} said no to it recently; you can suggest it again from {again}.",
    }[suggested.problem]


def suggestion_answered_blocks(answer: SuggestionAnswer) -> list[kit.Block]:
    said = "accepted" if answer.accepted else "declined"
    return [
        kit.section(
            f"<@{answer.colleague_user_id}> {said} your suggestion to practise *{escape(answer.technique_title)}*."
        )
    ]


def stopped_blocks(title: str) -> list[kit.Block]:
    return [kit.section(f"Stopped *{escape(title)}*. Start again any time with `/learn practice`.")]


def declined_blocks(title: str) -> list[kit.Block]:
    return [kit.section(f"No problem: you won't practise *{escape(title)}*.")]


def rated_blocks(rating: Rating) -> list[kit.Block]:
    return [kit.section(f"Noted: you rate your {escape(rating.skill_name)} at *{rating.rating}* of 5 this month.")]


KEEPING = "Keeping your focus"


def change_focus_blocks(view: PracticeView, techniques: Sequence[Technique]) -> list[kit.Block]:
    """The next focus, picked right here: it takes this practice's time and days, and this one stops."""
    options = [
        {"text": kit.plain(t.title, kit.OPTION_TEXT), "value": value(s=view.subscription_id, k=t.key)}
        for t in techniques
        if t.key != view.technique_key and len(t.key) <= 120
    ][:100]
    if not options:
        return [kit.section(f"There is no other technique to switch to yet: *{escape(view.technique_title)}* goes on.")]
    picker = {
        "type": "static_select",
        "action_id": "practice_switch",
        "placeholder": kit.plain("Choose the next focus", kit.OPTION_TEXT),
        "options": options,
    }
    title = escape(view.technique_title)
    text = f"Pick your next focus. It keeps the time and days of *{title}* ({view.rhythm}), which stops."
    return [kit.section(text, accessory=picker, block_id=f"change_focus:{view.subscription_id}")]
