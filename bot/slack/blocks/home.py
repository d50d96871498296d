"""The Home tab: welcome, profile (role, skills to grow, follow-up questions), and ways in."""

from __future__ import annotations

from bot.library.types import Choice, ProfileModel
from bot.measurement.history import SkillHistory
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.text import escape, plural


def _option(choice: Choice) -> dict[str, object]:
    return kit.option(choice.label, choice.key[: kit.OPTION_VALUE])


def _role_select(model: ProfileModel) -> kit.Block:
    if not model.roles:  # Slack refuses a select without options: no roles in the content yet
        return kit.section("*Your role*\nNo roles are set up yet: resources are not tailored to one.")
    element: kit.Block = {
        "type": "static_select",
        "action_id": "profile_role",
        "placeholder": kit.plain("Choose your role", kit.OPTION_TEXT),
        "options": [_option(choice) for choice in model.roles][:100],
    }
    chosen = [choice for choice in model.roles if choice.key == model.role]
    if chosen:
        element["initial_option"] = _option(chosen[0])
    guessed = " (guessed from your Slack title: change it if it is wrong)" if model.role_guessed else ""
    return kit.section(f"*Your role*{guessed}\nI use it to pick and tailor resources.", accessory=element)


def _skills_select(model: ProfileModel) -> kit.Block:
    if not model.skills:
        return kit.section("*Skills you want to grow*\nNo skills are set up yet.")
    element: kit.Block = {
        "type": "multi_static_select",
        "action_id": "profile_skills",
        "placeholder": kit.plain("Choose up to 5", kit.OPTION_TEXT),
        "max_selected_items": 5,
        "options": [_option(choice) for choice in model.skills][:100],
    }
    chosen = [_option(choice) for choice in model.skills if choice.key in model.chosen_skills]
    if chosen:
        element["initial_options"] = chosen
    return kit.section("*Skills you want to grow*\nResources for these come first.", accessory=element)


def home_view(model: ProfileModel, extra: list[kit.Block] | None = None) -> kit.Block:
    greeting = f"Welcome, {escape(model.name)}!" if model.name else "Welcome!"
    followups = "On" if model.followups_enabled else "Off"
    toggle = "Turn off" if model.followups_enabled else "Turn on"
    blocks = [
        kit.header("Learning in the flow of work"),
        kit.section(f"{greeting} I help you learn on the job, at the moment you need it."),
        kit.section(
            "*Find help now*: type `/learn` and what you need, for example `/learn giving feedback`, in any channel."
        ),
        kit.divider(),
        _role_select(model),
        _skills_select(model),
        kit.section(
            f'*"Did it help?" questions: {followups}*\n'
            "Two days after you open a resource I may ask once whether it helped.",
            accessory=kit.button(toggle, "followups_toggle", value=value(on=not model.followups_enabled)),
        ),
        *(extra or []),
        kit.divider(),
        kit.context(
            "Type `/learn help` for everything I can do. What you write to me stays private unless you share it."
        ),
    ]
    return kit.home(blocks)


SPARK = {1: "▁", 2: "▃", 3: "▄", 4: "▆", 5: "█"}  # a level of 1-5, as a bar of its height


def sparkline(values: list[int]) -> str:
    return "".join(SPARK.get(value, "") for value in values)


def ratings_section(histories: tuple[SkillHistory, ...]) -> list[kit.Block]:
    """Your own ratings over time, per skill: a sparkline of the levels and where you started and stand."""
    if not histories:
        return []
    lines = []
    for history in histories[:10]:
        values = [point.value for point in history.points]
        first = history.points[0]
        since = f"{plural(history.count, 'rating')} since {first.on:%-d %b %Y}"
        change = f"{values[0]} → {values[-1]}" if len(values) > 1 else f"{values[-1]}"
        lines.append(f"*{escape(history.skill_name)}*  `{sparkline(values)}`  {change} · {since}")
    return [
        kit.divider(),
        kit.section("*Your ratings over time*\n" + "\n".join(lines)),
        kit.context(
            "Where you rated yourself, 1-5 on each skill's rubric: starting and ending a challenge, and in each"
            " monthly review. Only you see this."
        ),
    ]
