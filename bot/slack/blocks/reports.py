"""The report in Slack: the headline figures as a short message (within Block Kit's limits), the full
report as an HTML file beside it. Capability change leads; adherence is one line of context."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.reports.types import Change, Report, SkillCapability, Topic
from bot.reports.values import Suppressed, Value
from bot.slack.blocks.kit import Block, button, context, divider, header, section
from bot.slack.text import escape, plural, quoted

DRAFT = "report_draft"
SKILLS_SHOWN = 8  # the rest are in the file
BEFORES = (
    "_Before_ is the rating people gave when they started; _thinking back_ is how they rate where they started "
    "once they have finished: people often rate their past self lower once they know more, so both are shown."
)
FUNNEL = (("proposed", "proposed"), ("accepted", "accepted"), ("declined", "declined"), ("finished", "finished"))


def shown(value: Value, *, signed: bool = False, share: bool = False) -> str:
    """A figure as a person reads it: "fewer than 5" when its group is too small, "-" when there is none."""
    if value is None:
        return "-"
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, str):
        return value
    if share:
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:+.1f}" if signed else f"{value:.1f}"
    return f"{value:+d}" if signed else str(value)


def report_text(report: Report) -> str:
    return f"Learning report: {report.scope}"


def _period(report: Report) -> str:
    last = report.until - timedelta(seconds=1)
    return f"{report.since:%d %b %Y} to {last:%d %b %Y}"


def _change(change: Change) -> str:
    if change.people is None or change.people == 0:
        return "no ratings yet"
    if isinstance(change.mean, Suppressed) or change.mean is None:
        return f"{shown(change.people)} people"
    interval = (
        f" (95% interval {shown(change.low, signed=True)} to {shown(change.high, signed=True)})"
        if change.low is not None
        else ""
    )
    return (
        f"*{shown(change.mean, signed=True)}*{interval}, {shown(change.people)} people, "
        f"{shown(change.improved_share, share=True)} improved"
    )


def _skill(skill: SkillCapability) -> str:
    lines = [f"*{escape(skill.name)}*", f"before → after: {_change(skill.before_after)}"]
    if skill.retrospective_after.people:
        lines.append(f"thinking back → after: {_change(skill.retrospective_after)}")
    if skill.proposer_observed.people:
        lines.append(f"seen by the person who proposed it: {_change(skill.proposer_observed)}")
    return "\n".join(lines)


def _adherence(report: Report) -> str:
    overall = next((row for row in report.adherence if not row.skill), None)
    parts = []
    if overall is not None:
        parts.append("Challenges: " + ", ".join(f"{shown(overall.measures[m])} {w}" for m, w in FUNNEL))
        answered, sent = overall.measures["checkins_answered"], overall.measures["checkins_sent"]
        parts.append(f"check-ins answered: {shown(answered)} of {shown(sent)}")
    days = [t.done_per_practitioner for t in report.practice if isinstance(t.done_per_practitioner, float)]
    if days:
        parts.append(f"practice: {len(days)} {'technique' if len(days) == 1 else 'techniques'} in use")
    return "Context, not the goal: " + ("; ".join(parts) if parts else "no challenges or practice in the period.")


def _topic(topic: Topic, *, draftable: bool, value: str) -> Block:
    if isinstance(topic.label, Suppressed):
        return section(f"*{topic.rank}.* a moment of need of {topic.label} people: hidden")
    label = shown(topic.label)
    lines = [f"*{topic.rank}. {escape(label)}*: {shown(topic.people)} people"]
    if topic.phrasings:
        lines.append("asked as " + ", ".join(quoted(p, 80) for p in topic.phrasings))
    offered = ", ".join(escape(title) for title in topic.offered[:3])
    lines.append(f"the library offers: {offered}" if offered else "the library offers nothing for it yet")
    accessory = button("Draft a resource", f"{DRAFT}:{topic.rank}", value=value) if draftable else None
    return section("\n".join(lines), accessory=accessory)


def _most_rated(skill: SkillCapability) -> int:
    people = skill.before_after.people
    return -people if isinstance(people, int) else 0  # a hidden count goes after every shown one


def draft_value(team: str | None, since: datetime, until: datetime, rank: int) -> str:
    return json.dumps({"team": team, "since": since.isoformat(), "until": until.isoformat(), "rank": rank})


def report_blocks(report: Report, *, team: str | None, admin: bool) -> list[Block]:
    """At most 8 skills, 3 moments of need: about 20 blocks, far from the 50 a message may hold."""
    blocks: list[Block] = [
        header(f"Learning report: {report.scope}"),
        context(
            f"{_period(report)}. Any figure from fewer than {report.min_group} people is hidden. "
            "The full report, with charts, is the file below: open it in a browser."
        ),
        section("*Did capability improve?* Mean change in people's own ratings (1 to 5), per skill."),
    ]
    skills = sorted(report.capability, key=_most_rated)
    blocks += [section(_skill(skill)) for skill in skills[:SKILLS_SHOWN]] or [section("No ratings in the period yet.")]
    if len(skills) > SKILLS_SHOWN:
        blocks.append(context(f"{plural(len(skills) - SKILLS_SHOWN, 'more skill')} in the file."))
    blocks += [context(BEFORES), divider(), context(_adherence(report)), divider()]
    topics = report.needs.topics
    blocks.append(
        section(
            f"*The top moments of need*: what people looked for and did not find, by how many of them "
            f"({shown(report.needs.people)} people in all)."
        )
    )
    for topic in topics:
        value = draft_value(team, report.since, report.until, topic.rank)
        blocks.append(_topic(topic, draftable=admin and not isinstance(topic.label, Suppressed), value=value))
    if not topics:
        blocks.append(context("Nobody searched without a good answer in the period."))
    return blocks


def drafted_text(title: str, path: str) -> str:
    return (
        f"I wrote a draft resource, {quoted(title, 150)}, to `{escape(path)}`, and sent you the file in our DM. "
        "Nothing is published: review it, then move it into content/resources/ to add it to the library."
    )


def draft_comment(ai: bool) -> str:
    """Plain text: the line the draft's file comes with."""
    check = "A model wrote its guide: check every line." if ai else "Its guide is a template: make it specific."
    return f"A draft resource for a top moment of need. {check} It reaches the library only when an admin adds it."
