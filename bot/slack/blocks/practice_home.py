"""The practice part of the Home tab: what is running, streaks, next reminder, controls, a way to start,
and the person's own latest reflections (the Home tab is theirs alone)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.localtime import day_text
from bot.practice.types import STREAK_RULE, PracticeView, Reflection, Technique
from bot.slack.blocks import kit
from bot.slack.blocks.library import value
from bot.slack.blocks.practice import streak_line
from bot.slack.text import escape, safe


def home_section(
    views: list[PracticeView], techniques: Sequence[Technique], reflections: Sequence[Reflection] = ()
) -> list[kit.Block]:
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
    if views:
        blocks.append(kit.context(STREAK_RULE))
    running = {view.technique_key for view in views}
    options = [kit.option(t.title, t.key) for t in techniques if t.key not in running][:100]
    if options:
        picker = {
            "type": "static_select",
            "action_id": "practice_start",
            "options": options,
            "placeholder": kit.plain("Start practising…", kit.OPTION_TEXT),
        }
        blocks.append(kit.section("Pick a technique to practise on working days at 09:00:", accessory=picker))
    if reflections:
        lines = "\n".join(_reflection_line(reflection) for reflection in reflections)
        blocks.append(kit.section(f"*Your latest reflections* (only you see these)\n{lines}"))
    return blocks


def _reflection_line(reflection: Reflection) -> str:
    return f"• _{day_text(reflection.day)}_, {escape(reflection.technique_title)}: {safe(reflection.text, 300)}"
