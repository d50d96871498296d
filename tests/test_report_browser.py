"""The HTML report as a person opens it: a file in headless Chromium (Debian's, driven by Playwright; CHROMIUM
names another binary) on a phone and on a laptop. It draws a bar per figure shown and a hatched mark per
suppressed one, 7 x 24 heatmap cells, logs no error, asks for nothing over the network, and fits a phone's
width. Screenshots are written under the test's tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.reports.html import to_html
from bot.reports.types import Report
from bot.reports.values import Suppressed
from tests.report_seed import FEEDBACK, LISTENING, Seed, adherence_data, at, crafted, needs_data

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def launch(playwright: Any) -> Any:
    """The system's Chromium (Playwright's own browsers are never downloaded); no Chromium fails the test."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's (`make browser`, or apt-get install -y chromium) or set "
            "CHROMIUM to a Chromium binary. The report's page is tested in a real browser.",
            pytrace=False,
        )
    return playwright.chromium.launch(executable_path=CHROMIUM)


@pytest.fixture
def page_file(sessions: sessionmaker[Session], tmp_path: Path) -> tuple[Path, Report]:
    seed = Seed(sessions)
    crafted(seed)
    adherence_data(seed)
    needs_data(seed)
    p = seed.p
    for person in (p[1], p[3], p[5]):  # London: Thursday 09:30
        seed.add(seed.search(person, "delegation", at(12, 9)))
    for person in (p[2], p[4], p[6]):  # New York: Tuesday 22:30
        seed.add(seed.search(person, "delegation", at(11, 3)))
    report = seed.report()
    path = tmp_path / "report.html"
    path.write_text(to_html(report), encoding="utf-8")
    return path, report


class Visit:
    """A page opened in a Chromium of its own: what it logged as errors and every request it made."""

    def __init__(self, playwright: Any, path: Path, viewport: dict[str, int]) -> None:
        self.browser = launch(playwright)
        self.context = self.browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
        )
        self.page.goto(path.as_uri(), wait_until="load")

    def ids(self, prefix: str) -> set[str]:
        return set(self.page.eval_on_selector_all(f'[id^="{prefix}"]', "els => els.map(e => e.id)"))

    def offsite(self) -> list[str]:
        return [url for url in self.requests if url != self.page.url]

    def close(self) -> None:
        self.context.close()
        self.browser.close()


def test_the_report_on_a_phone(playwright: Any, page_file: tuple[Path, Report], tmp_path: Path) -> None:
    path, report = page_file
    visit = Visit(playwright, path, PHONE)
    try:
        # giving feedback: five before/after pairs, three "thinking back", two proposer ratings (fewer than 3);
        # listening: four pairs, nothing else
        assert visit.ids("capability-bar-") == {
            f"capability-bar-{FEEDBACK}-baseline",
            f"capability-bar-{FEEDBACK}-retrospective",
            f"capability-bar-{LISTENING}-baseline",
        }
        assert visit.ids("capability-hidden-") == {f"capability-hidden-{FEEDBACK}-proposer"}
        # five challenges: four accepted, three finished, one declined and one withdrawn (one person each)
        bars = {"proposed", "accepted", "finished", "checkins_sent", "checkins_answered"}
        assert visit.ids("funnel-bar-") == {f"funnel-bar-{measure.replace('_', '-')}" for measure in bars}
        assert visit.ids("funnel-hidden-") == {"funnel-hidden-declined", "funnel-hidden-withdrawn"}
        cells, hidden = visit.ids("heatmap-cell-"), visit.ids("heatmap-hidden-")
        assert len(cells) + len(hidden) == 7 * 24 and not cells & hidden
        assert {"heatmap-cell-thu-09", "heatmap-cell-tue-22"} <= cells  # three people each
        suppressed = sum(1 for row in report.needs.heatmap for cell in row if isinstance(cell, Suppressed))
        assert len(hidden) == suppressed > 0
        # October's listening self-ratings came from two people
        assert visit.ids("trend-hidden-") == {f"trend-hidden-{LISTENING}-2026-10"}

        assert visit.errors == [] and visit.offsite() == []
        width = visit.page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth]")
        assert max(width) <= PHONE["width"], f"the page scrolls sideways on a phone: {width}"
        charts = visit.page.eval_on_selector_all("svg.chart", "els => els.map(e => e.getBoundingClientRect().width)")
        assert len(charts) == 4 and all(0 < w <= PHONE["width"] for w in charts)
        shot = visit.page.screenshot(path=tmp_path / "report-phone.png", full_page=True)
        assert shot.startswith(b"\x89PNG") and (tmp_path / "report-phone.png").stat().st_size > 10_000
    finally:
        visit.close()


def test_the_report_on_a_laptop(playwright: Any, page_file: tuple[Path, Report], tmp_path: Path) -> None:
    path, _report = page_file
    visit = Visit(playwright, path, LAPTOP)
    try:
        assert visit.errors == [] and visit.offsite() == []
        headings = visit.page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        assert headings == ["Capability change", "Adherence, as context", "Moments of need", "The library"]
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"]
        visit.page.screenshot(path=tmp_path / "report-laptop.png", full_page=True)
    finally:
        visit.close()
