"""Block Kit for the windows (modals) of daily practice: a reflection, a pause, settings; and what each says
once saved."""

from __future__ import annotations

from datetime import timedelta

from bot.localtime import day_text
from bot.practice.rhythm import WEEKDAY_NAMES
from bot.practice.types import PauseForm, PracticeView, ReflectionPrompt
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import escape

DURATIONS = (("until", "Until I stop"), ("2", "2 weeks"), ("4", "4 weeks"), ("8", "8 weeks"), ("12", "12 weeks"))


def reflection_modal(prompt: ReflectionPrompt) -> kit.Block:
    field = kit.input_block(
        "reflection",
        prompt.question,
        {"type": "plain_text_input", "action_id": "text", "max_length": 300},
        label_limit=2000,
    )
    intro = f"*{escape(prompt.technique_title)}*. One line is plenty. Only you see it."
    return kit.modal(
        "Reflection",
        [kit.section(intro), field],
        callback_id="practice_reflection",
        submit="Save",
        private_metadata=value(d=prompt.day_id),
    )


def pause_modal(form: PauseForm) -> kit.Block:
    field = kit.input_block(
        "until",
        "Start again on",
        {"type": "datepicker", "action_id": "date", "initial_date": (form.today + timedelta(days=7)).isoformat()},
    )
    blocks = [kit.section("No reminders until then (holidays, leave). Practice starts again by itself."), field]
    return kit.modal(
        "Pause practice",
        blocks,
        callback_id="practice_pause",
        submit="Pause",
        private_metadata=value(s=form.subscription_id),
    )


def settings_modal(view: PracticeView) -> kit.Block:
    times = [kit.option(f"{m // 60:02d}:{m % 60:02d}", str(m)) for m in range(6 * 60, 21 * 60 + 1, 30)]
    chosen_time = next((o for o in times if o["value"] == str(view.minute_of_day)), times[6])
    days = [kit.option(name, str(index)) for index, name in enumerate(WEEKDAY_NAMES)]
    chosen_days = [o for o in days if int(str(o["value"])) in view.weekdays]
    durations = [kit.option(label, key) for key, label in DURATIONS]
    blocks = [
        kit.section(f"*{escape(view.technique_title)}*, in your time zone ({escape(view.zone)})."),
        kit.input_block(
            "time",
            "Time",
            {"type": "static_select", "action_id": "value", "options": times, "initial_option": chosen_time},
        ),
        kit.input_block(
            "days",
            "Days",
            {"type": "checkboxes", "action_id": "value", "options": days, "initial_options": chosen_days},
        ),
        kit.input_block(
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


def saved_modal(title: str, lines: list[str]) -> kit.Block:
    """What a window turns into once its submission is saved: what changed, and a Close button."""
    return kit.modal(title, [kit.section(line) for line in lines], callback_id="saved")


def settings_saved_modal(view: PracticeView) -> kit.Block:
    when = f"Next reminder: *{view.next_local}*." if view.next_local else "No reminder is planned."
    return saved_modal("Saved", [f"*{escape(view.technique_title)}*: {view.rhythm} ({escape(view.zone)}).", when])


def paused_modal(view: PracticeView) -> kit.Block:
    back = day_text(view.paused_until) if view.paused_until else "when you resume"
    return saved_modal(
        "Paused", [f"*{escape(view.technique_title)}*: no reminders until {back}; it starts again by itself."]
    )


def reflection_saved_modal() -> kit.Block:
    return saved_modal("Saved", ["Saved. Only you can see it: your latest reflections are in my *Home* tab."])
