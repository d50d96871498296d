"""The HTML report on the crafted dataset, read as a person would read its text: every figure of the JSON is
in the page with the same value, suppressed ones say "fewer than N", the page asks for nothing from any
address, escapes what it shows, and is the same bytes each time. Its look is checked in Chromium
(tests/test_report_browser.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.practice.models import PracticeDay, PracticeSubscription
from bot.reports.html import to_html
from bot.reports.output import to_json
from bot.reports.types import Report
from tests.harness import ROOT
from tests.report_seed import FEEDBACK, Seed, adherence_data, at, crafted, needs_data

Key = tuple[str, str, str]


class Shown(HTMLParser):
    """What the page shows for each figure: the text of every element that names one (data-section,
    data-subject, data-measure), and its class."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[Key, tuple[str, str]] = {}
        self._open: list[tuple[str, Key | None, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "meta"):
            return
        a = dict(attrs)
        key = (
            (a["data-section"] or "", a["data-subject"] or "", a["data-measure"] or "") if "data-measure" in a else None
        )
        self._open.append((tag, key, a.get("class") or "", []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "meta"):
            return
        opened, key, css, text = self._open.pop()
        assert opened == tag, f"<{opened}> closed by </{tag}>"
        if key is not None:
            assert key not in self.figures, f"shown twice: {key}"
            self.figures[key] = ("".join(text).strip(), css)
        elif self._open:
            self._open[-1][3].extend(text)

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][3].append(data)


def shown(page: str) -> dict[Key, tuple[str, str]]:
    parser = Shown()
    parser.feed(page)
    parser.close()
    return parser.figures


def agrees(text: str, value: Any) -> bool:
    """Whether what a person reads is the JSON's value, to the precision shown ("+1.00", "60%", "3")."""
    if isinstance(value, dict):
        return text == value["suppressed"]
    if value is None:
        return text == "\N{EN DASH}"
    if isinstance(value, str):
        return text == value
    number = re.fullmatch(r"([+-]?\d+(?:\.(\d+))?)(%?)", text)
    if number is None:
        return False
    decimals = len(number.group(2) or "")
    read = float(number.group(1)) / (100 if number.group(3) else 1)
    step = 10.0**-decimals / (100 if number.group(3) else 1)
    return abs(read - value) <= step / 2 + 1e-9


def practice_data(seed: Seed) -> None:
    """Three people practise active listening: 3, 2 and 1 days done of 7 due."""
    with transaction(seed.sessions) as session:
        for n, statuses in ((1, ["done"] * 3), (2, ["done", "done", "skipped"]), (3, ["done", "missed"])):
            sub = PracticeSubscription(
                workspace_id=seed.ws, person_id=seed.p[n], technique_key="active-listening", status="active",
                weekdays=[0, 1, 2, 3, 4], created_at=at(1), updated_at=at(1),
            )  # fmt: skip
            session.add(sub)
            session.flush()
            for i, status in enumerate(statuses):
                day = PracticeDay(
                    subscription_id=sub.id, local_date=date(2026, 11, 10 + i), variation=0, status=status,
                    delivery_key=f"practice:{sub.id}:{i}",
                )  # fmt: skip
                session.add(day)


@pytest.fixture
def full(sessions: sessionmaker[Session]) -> Report:
    seed = Seed(sessions)
    crafted(seed)
    adherence_data(seed)
    needs_data(seed)
    practice_data(seed)
    return seed.report()


def test_every_figure_of_the_json_reads_the_same_in_the_page(full: Report) -> None:
    document = json.loads(to_json(full))
    expected = {
        (section, subject, measure): value
        for section, subjects in document["figures"].items()
        for subject, measures in subjects.items()
        for measure, value in measures.items()
    }
    page = shown(to_html(full))
    assert set(page) == set(expected)
    wrong = {key: (page[key][0], value) for key, value in expected.items() if not agrees(page[key][0], value)}
    assert wrong == {}
    assert page[("capability: before to after", "Giving feedback", "mean")] == ("+1.00", "number")
    assert page[("capability: before to after", "Giving feedback", "improved_share")][0] == "60%"
    assert page[("moments of need: top topics", "top 1", "phrasing 1")][0] == "giving feedback to my boss"
    assert page[("adherence: practice", "Active listening", "done_per_practitioner")] == ("2.0", "number")


def test_suppressed_figures_read_fewer_than_n_in_tables_and_are_marked_in_charts(full: Report) -> None:
    html = to_html(full)
    page = shown(html)
    hidden = {key for key, (_text, css) in page.items() if css == "hidden"}
    assert hidden and all(page[key][0] == "fewer than 3" for key in hidden)
    assert page[("capability: before to after", "Giving feedback", "change +3")] == ("fewer than 3", "hidden")
    assert page[("capability: observed by the proposer", "Giving feedback", "mean")] == ("fewer than 3", "hidden")
    assert page[("adherence: challenges", "all skills", "withdrawn")] == ("fewer than 3", "hidden")
    # two proposer ratings: a hatched mark, not a bar; one withdrawn challenge: the same in the funnel
    assert f'id="capability-hidden-{FEEDBACK}-proposer"' in html
    assert f'id="capability-bar-{FEEDBACK}-proposer"' not in html
    assert 'id="funnel-hidden-withdrawn"' in html and 'id="funnel-bar-withdrawn"' not in html
    assert html.count("fewer than 3") > len(hidden)  # the charts say it too


def test_a_period_with_nothing_in_it_still_gets_a_page_that_says_so(sessions: sessionmaker[Session]) -> None:
    report = Seed(sessions).report()
    html = to_html(report)
    assert "No ratings before and after a challenge in this period." in html
    assert "No challenges in this period." in html and "No moments of need in this period." in html
    assert html.count('id="heatmap-cell-') == 7 * 24 and 'id="heatmap-hidden-' not in html
    figures = json.loads(to_json(report))["figures"]
    assert len(shown(html)) == sum(len(measures) for subjects in figures.values() for measures in subjects.values())


def test_the_same_report_gives_the_same_bytes(full: Report) -> None:
    assert to_html(full) == to_html(full)


def test_the_page_asks_for_nothing_from_anywhere(full: Report) -> None:
    html = to_html(full)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.IGNORECASE)
    assert not re.search(r"@import|@font-face|\bsrc\s*=", html, re.IGNORECASE)
    assert re.findall(r"url\(([^)]*)\)", html) and all(
        target.startswith("#") for target in re.findall(r"url\(([^)]*)\)", html)
    )  # only the charts' own patterns and clip paths
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # four SVGs in one page, no id twice


def test_text_is_escaped(full: Report) -> None:
    evil = "<script>alert(1)</script>"
    resources = tuple(replace(r, title=f"{evil} {r.title}") for r in full.library.resources)
    skills = tuple(replace(s, name=f"{evil}{s.name}") for s in full.capability)
    report = replace(
        full, scope=evil, library=replace(full.library, resources=resources, never_opened=(evil,)), capability=skills
    )
    html = to_html(report)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_bot_starts_without_matplotlib() -> None:
    code = "import sys, bot.reports.html, bot.cli; assert 'matplotlib' not in sys.modules, 'imported at start'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_report_command_writes_html(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    crafted(Seed(sessions))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REPORT_MIN_GROUP", "3")
    monkeypatch.setenv("CONTENT_DIR", "tests/fixtures/content")
    out = tmp_path / "report.html"
    args = ["report", "--workspace", "T1", "--since", "2026-11-01", "--until", "2026-12-01", "--format", "html"]
    assert main([*args, "--out", str(out)]) == 0
    page = shown(out.read_text(encoding="utf-8"))
    assert page[("capability: before to after", "Giving feedback", "people")] == ("5", "number")
    assert "1 November 2026 to 30 November 2026" in out.read_text(encoding="utf-8")
