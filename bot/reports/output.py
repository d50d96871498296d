"""A report as figures (section, subject, measure, value), and those as JSON (stable keys) or CSV (one row
per figure). Both come from the same list, so they always agree."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.reports.types import Change, Report
from bot.reports.values import Suppressed, Value

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COLUMNS = ("section", "subject", "measure", "value")


@dataclass(frozen=True)
class Figure:
    section: str
    subject: str  # a skill, a topic, a technique, a resource, a day
    measure: str
    value: Value


def _change(section: str, subject: str, change: Change) -> Iterator[Figure]:
    for measure in ("people", "mean", "low", "high", "improved_share"):
        yield Figure(section, subject, measure, getattr(change, measure))
    for value, people in change.distribution.items():
        yield Figure(section, subject, f"change {value:+d}", people)


def figures(report: Report) -> Iterator[Figure]:
    for skill in report.capability:
        yield from _change("capability: before to after", skill.name, skill.before_after)
        yield from _change("capability: thinking back to after", skill.name, skill.retrospective_after)
        yield from _change("capability: observed by the proposer", skill.name, skill.proposer_observed)
        for trend in skill.monthly:
            yield Figure("capability: monthly self-rating", skill.name, f"{trend.month} mean", trend.mean)
            yield Figure("capability: monthly self-rating", skill.name, f"{trend.month} people", trend.people)
        yield Figure("capability: did it stick", skill.name, "people", skill.stuck_people)
        for answer, people in skill.stuck.items():
            yield Figure("capability: did it stick", skill.name, f"answer {answer}", people)
    for row in report.adherence:
        for measure, value in row.measures.items():
            yield Figure("adherence: challenges", row.name, measure, value)
    for technique in report.practice:
        for measure in ("practitioners", "days_due", "days_done", "done_per_practitioner"):
            yield Figure("adherence: practice", technique.name, measure, getattr(technique, measure))
    yield Figure("moments of need", "all", "people", report.needs.people)
    yield Figure("moments of need", "all", "moments", report.needs.moments)
    for topic in report.needs.topics:
        subject = f"top {topic.rank}"
        yield Figure("moments of need: top topics", subject, "topic", topic.label)
        yield Figure("moments of need: top topics", subject, "people", topic.people)
        yield Figure("moments of need: top topics", subject, "moments", topic.moments)
        for kind, people in topic.kinds.items():
            yield Figure("moments of need: top topics", subject, f"{kind} people", people)
        for number, phrasing in enumerate(topic.phrasings, start=1):
            yield Figure("moments of need: top topics", subject, f"phrasing {number}", phrasing)
        for number, title in enumerate(topic.offered, start=1):
            yield Figure("moments of need: top topics", subject, f"offered {number}", title)
    for day, hours in zip(DAYS, report.needs.heatmap, strict=True):
        for hour, people in enumerate(hours):
            yield Figure("moments of need: local weekday and hour", day, f"{hour:02d}:00 people", people)
    for resource in report.library.resources:
        for measure, value in resource.measures.items():
            yield Figure("library", resource.title, measure, value)
    for key in report.library.never_opened:
        yield Figure("library: never opened", key, "opened", 0)


def text_of(value: Value) -> str:
    """How a value reads in CSV: a suppressed one as "fewer than N", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def json_value(value: Value) -> Any:
    if isinstance(value, Suppressed):
        return {"suppressed": str(value)}
    return round(value, 4) if isinstance(value, float) else value


def to_json(report: Report) -> str:
    """{"scope", "since", "until", "min_group", "figures": {section: {subject: {measure: value}}}}; a
    suppressed value is {"suppressed": "fewer than N"}."""
    nested: dict[str, dict[str, dict[str, Any]]] = {}
    for figure in figures(report):
        nested.setdefault(figure.section, {}).setdefault(figure.subject, {})[figure.measure] = json_value(figure.value)
    document = {
        "scope": report.scope,
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "min_group": report.min_group,
        "figures": nested,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for figure in figures(report):
        writer.writerow((figure.section, figure.subject, figure.measure, text_of(figure.value)))
    return out.getvalue()
