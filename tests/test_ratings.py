"""One ratings model: a challenge's ratings and the practice's monthly review land in `ratings`, and a person
sees their own history per skill in the Home tab (nobody else's); export and forget-me include it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.measurement.history import ON_THE_LINE
from bot.measurement.models import Rating
from bot.measurement.types import Moment, Rater
from bot.sandbox.session import Sandbox
from bot.slack.blocks.home import sparkline
from tests.harness import Person, rows, shown
from tests.test_challenge_course import finished
from tests.test_practice_review import into_december, practising, reviews


def history_shown(person: Person) -> str:
    home = shown(person.home()["blocks"])
    return home[home.index("Your ratings over time") :] if "Your ratings over time" in home else ""


def test_a_challenge_and_a_monthly_review_make_one_history_per_skill_seen_by_its_owner_alone(
    shipped: Sandbox, manager: Person, report: Person
) -> None:
    assert history_shown(report) == "", "no ratings, no section"
    finished(shipped, manager, report)  # baseline 3, then after 4 and thinking back 2
    kinds = sorted((r.rater, r.moment, r.value) for r in rows(shipped, Rating, person_id=report.ref.person_id))
    assert kinds == [
        (Rater.SELF, Moment.AFTER, 4),
        (Rater.SELF, Moment.BASELINE, 3),
        (Rater.SELF, Moment.RETROSPECTIVE, 2),
    ]
    mine = history_shown(report)
    assert "*Remote collaboration*  `▄▆`  3 → 4 · 2 ratings since 24 Nov 2026" in mine, mine
    assert "Only you see this" in mine
    assert history_shown(manager) == "", "the proposer does not see them in their Home tab"


def test_the_monthly_review_rating_joins_the_same_line(shipped: Sandbox) -> None:
    alex = Person(shipped, "U0ALEX")
    practising(alex, "active-listening")
    into_december(shipped, alex)
    [review] = reviews(alex)
    alex.press(review, "practice_rate:2")
    [monthly] = rows(shipped, Rating, person_id=alex.ref.person_id)
    assert (monthly.rater, monthly.moment, monthly.source, monthly.value) == (
        Rater.SELF,
        Moment.MONTHLY,
        "review:2026-11",
        2,
    )
    assert "*Listening*  `▃`  2 · 1 rating since 1 Dec 2026" in history_shown(alex)


def test_what_is_on_the_line_and_how_it_is_drawn() -> None:
    assert sparkline([1, 2, 3, 4, 5]) == "▁▃▄▆█"
    assert Moment.RETROSPECTIVE not in ON_THE_LINE and Moment.DID_IT_STICK not in ON_THE_LINE


def test_export_counts_and_forget_me_removes_the_ratings(shipped: Sandbox, manager: Person, report: Person) -> None:
    finished(shipped, manager, report)
    report.learn("mydata")
    assert "3 ratings of your skills" in shown(report.last_line().blocks)
    shipped.clock.set(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))
    report.learn("forgetme")
    confirm = report.last_line()
    report.press(confirm, "privacy_forget")
    assert not rows(shipped, Rating, person_id=report.ref.person_id)
