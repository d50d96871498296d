"""The report as ONE self-contained HTML page: inline CSS and SVG charts, no script, no address to fetch, so
it opens offline from a Slack download, on a laptop or a phone. Every chart has its figures in a table
beside it; all text is escaped by the template (jinja2, autoescape)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from bot.reports import charts, page
from bot.reports.types import Report


def to_html(report: Report) -> str:
    """The page for `report`; the same report gives the same bytes."""
    f = page.Figures(report)
    changes, spread = page.capability_tables(report.capability, f)
    used, never = page.library_tables(report, f)
    overall = report.adherence[0] if report.adherence and report.adherence[0].skill == "" else None
    return _template().render(
        report=report,
        period=_period(report.since, report.until),
        charts={
            "capability": _svg(charts.capability(report.capability)),
            "trend": _svg(charts.trend(report.capability, report.min_group)),
            "funnel": _svg(charts.funnel(overall)),
            "heatmap": _svg(charts.heatmap(report.needs, report.min_group)),
        },
        changes=changes,
        spread=spread,
        monthly=page.monthly_table(report.capability, f),
        stick=page.stick_table(report.capability, f),
        adherence=page.adherence_table(report, f),
        practice=page.practice_table(report, f),
        needs={"people": f(page.NEEDS, "all", "people"), "moments": f(page.NEEDS, "all", "moments")},
        topics=page.topics(report, f),
        hours=page.heatmap_table(f),
        used=used,
        never=never,
    )


def _period(since: datetime, until: datetime) -> str:
    """The days covered, both included (`until` is the first moment after the period)."""
    last = (until - timedelta(microseconds=1)).date()
    return f"{since.day} {since:%B %Y} to {last.day} {last:%B %Y} (UTC)"


def _svg(svg: str | None) -> Markup | None:
    # Matplotlib writes the SVG and escapes the text in it (skill names); the page takes it as it is.
    return Markup(svg) if svg is not None else None  # noqa: S704


@cache
def _template() -> jinja2.Template:
    source = resources.files("bot.reports").joinpath("report.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return environment.from_string(source)
