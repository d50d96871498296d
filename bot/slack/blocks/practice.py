"""Block Kit for daily practice: the reminder, its answers, the suggestion, the monthly review, settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.practice.rhythm import WEEKDAY_NAMES
from bot.practice.types import (
    STREAK_RULE,
    DayAnswer,
    PauseForm,
    PracticeView,
    Rating,
    ReflectionPrompt,
    Reminder,
    Review,
    Suggested,
    Suggestion,
    SuggestionAnswer,
    Technique,
)
from bot.slack.blocks import kit
from bot.slack.blocks.library import AI_LABEL, value
from bot.slack.text import escape, safe

DURATIONS = (("until", "Until I stop"), ("2", "2 weeks"), ("4", "4 weeks"), ("8", "8 weeks"), ("12", "12 weeks"))


def streak_line(streak: int) -> str:
    days = "day" if streak == 1 else "days"
    return f"Streak: *{streak}* practice {days}. {STREAK_RULE}"


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
    return blocks


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
        until = answer.until.strftime("%H:%M UTC") if answer.until else "in an hour"
        text = f"*{escape(answer.technique_title)}*: snoozed. I'll remind you again at {until}."
    return [kit.section(text), kit.context(streak_line(answer.streak))]


def reflection_modal(prompt: ReflectionPrompt) -> kit.Block:
    field = {
        "type": "input",
        "block_id": "reflection",
        "label": kit.plain(prompt.question, 2000),
        "element": {"type": "plain_text_input", "action_id": "text", "max_length": 300},
    }
    intro = f"*{escape(prompt.technique_title)}*. One line is plenty. Only you see it."
    return kit.modal(
        "Reflection",
        [kit.section(intro), field],
        callback_id="practice_reflection",
        submit="Save",
        private_metadata=value(d=prompt.day_id),
    )


def pause_modal(form: PauseForm) -> kit.Block:
    field = {
        "type": "input",
        "block_id": "until",
        "label": kit.plain("Start again on", 75),
        "element": {
            "type": "datepicker",
            "action_id": "date",
            "initial_date": (form.today + timedelta(days=7)).isoformat(),
        },
    }
    blocks = [kit.section("No reminders until then (holidays, leave). Practice starts again by itself."), field]
    return kit.modal(
        "Pause practice",
        blocks,
        callback_id="practice_pause",
        submit="Pause",
        private_metadata=value(s=form.subscription_id),
    )


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


def review_blocks(review: Review) -> list[kit.Block]:
    rubric = "\n".join(f"*{level}*: {safe(text, 300)}" for level, text in sorted(review.rubric.items()))
    ratings = [  # an action id each: Slack refuses two equal action ids in one block
        kit.button(
            str(level), f"practice_rate:{level}", value=value(s=review.subscription_id, o=review.occasion, r=level)
        )
        for level in range(1, 6)
    ]
    blocks = [kit.header(f"Your {review.month} review"), kit.section(safe(review.text, 2900))]
    if review.ai:
        blocks.append(kit.context(AI_LABEL))
    blocks += [
        kit.section(f"*How would you rate your {escape(review.skill_name)} today?*\n{rubric}"),
        kit.actions(*ratings, block_id=f"review_rating:{review.subscription_id}"),
        kit.actions(
            kit.button("Keep this focus", "practice_keep", value=value(s=review.subscription_id)),
            kit.button("Change focus", "practice_change_focus", value=value(s=review.subscription_id)),
            block_id=f"review_focus:{review.subscription_id}",
        ),
    ]
    return blocks


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


def _option(label: str, key: str) -> dict[str, object]:
    return {"text": kit.plain(label, kit.OPTION_TEXT), "value": key}


def settings_modal(view: PracticeView) -> kit.Block:
    times = [_option(f"{m // 60:02d}:{m % 60:02d}", str(m)) for m in range(6 * 60, 21 * 60 + 1, 30)]
    chosen_time = next((o for o in times if o["value"] == str(view.minute_of_day)), times[6])
    days = [_option(name, str(index)) for index, name in enumerate(WEEKDAY_NAMES)]
    chosen_days = [o for o in days if int(str(o["value"])) in view.weekdays]
    durations = [_option(label, key) for key, label in DURATIONS]
    blocks = [
        kit.section(f"*{escape(view.technique_title)}*, in your time zone ({escape(view.zone)})."),
        _input(
            "time",
            "Time",
            {"type": "static_select", "action_id": "value", "options": times, "initial_option": chosen_time},
        ),
        _input(
            "days",
            "Days",
            {"type": "checkboxes", "action_id": "value", "options": days, "initial_options": chosen_days},
        ),
        _input(
            "weeks",
            "For how long",
            {"type": "static_select", "action_id": "value", "options": durations, "initial_option": durations[0]},
        ),
    ]
    return kit.modal(
        "Practice settings",
        blocks,
        callback_id="practice_settings",
        submit="Save",
        private_metadata=value(s=view.subscription_id),
    )


def _input(block_id: str, label: str, element: dict[str, object]) -> kit.Block:
    return {"type": "input", "block_id": block_id, "label": kit.plain(label, 75), "element": element}


def home_section(views: list[PracticeView], techniques: Sequence[Technique]) -> list[kit.Block]:
    """The practice part of the Home tab: what is running, streaks, next reminder, controls, and a way to start."""
    blocks: list[kit.Block] = [kit.divider(), kit.section("*Daily practice*: two minutes a day, at your local time.")]
    for view in views:
        status = {
            "paused": f"paused until {view.paused_until}" if view.paused_until else "paused",
            "suggested": "suggested to you",
        }.get(view.status, "")
        when = (
            f"next: {view.next_local} ({escape(view.zone)})" if view.next_local and view.status == "active" else status
        )
        data = value(s=view.subscription_id)
        controls = [kit.button("Change time or days", "practice_settings", value=data)]
        controls.append(
            kit.button("Resume", "practice_resume", value=data)
            if view.status == "paused"
            else kit.button("Pause…", "practice_pause", value=data)
        )
        controls.append(kit.button("Stop", "practice_stop", value=data, style="danger"))
        blocks += [
            kit.section(f"*{escape(view.technique_title)}*: {view.rhythm}, {when}\n{streak_line(view.streak)}"),
            kit.actions(*controls, block_id=f"home_practice:{view.subscription_id}"),
        ]
    running = {view.technique_key for view in views}
    options = [_option(t.title, t.key) for t in techniques if t.key not in running][:100]
    if options:
        picker = {
            "type": "static_select",
            "action_id": "practice_start",
            "options": options,
            "placeholder": kit.plain("Start practising…", kit.OPTION_TEXT),
        }
        blocks.append(kit.section("Pick a technique to practise on working days at 09:00:", accessory=picker))
    return blocks


def techniques_blocks(techniques: Sequence[Technique]) -> list[kit.Block]:
    listing = "\n".join(f"• `{t.key}`: {escape(t.title)}" for t in techniques)
    return [kit.section(f"*Pick a technique*, e.g. `/learn practice active-listening`:\n{listing}")]


def suggested_blocks(suggested: Sequence[Suggested]) -> list[kit.Block]:
    """One line a colleague: sent (they can accept or decline; the suggester hears which), or why not."""
    lines = [
        s.problem
        if s.problem
        else f"I've suggested *{escape(s.technique_title)}* to <@{s.colleague_user_id}>. "
        "I'll tell you when they accept or decline."
        for s in suggested
    ]
    return [kit.section("\n".join(lines))]


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


def change_focus_blocks(techniques: Sequence[Technique]) -> list[kit.Block]:
    listing = ", ".join(f"`{t.key}`" for t in techniques)
    return [
        kit.section(
            f"Stop this one with its *Stop* button, then start another with `/learn practice <technique>`: {listing}."
        )
    ]
