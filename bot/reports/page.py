"""What the HTML page shows, as plain values: its tables, each cell one figure taken from `output.figures` by
(section, subject, measure), so the page, the JSON and the CSV show the same figures. The words of each
measure and the way its number reads (a signed change, a share, a count) are decided here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.reports.charts import FUNNEL, KINDS
from bot.reports.output import DAYS, figures
from bot.reports.types import CHANGES, Report, SkillCapability
from bot.reports.values import Suppressed, Value

SECTIONS = {  # the kind of change (charts.KINDS) -> its section in the figures
    "baseline": "capability: before to after",
    "retrospective": "capability: thinking back to after",
    "proposer": "capability: observed by the proposer",
}
MONTHLY, STICK = "capability: monthly self-rating", "capability: did it stick"
CHALLENGES, PRACTICE = "adherence: challenges", "adherence: practice"
NEEDS, TOPICS, HOURS = "moments of need", "moments of need: top topics", "moments of need: local weekday and hour"
LIBRARY, NEVER = "library", "library: never opened"
CHANGE_MEASURES = (("people", "People"), ("mean", "Mean change"), ("low", "95% from"), ("high", "95% to"))
PRACTICE_MEASURES = (
    ("practitioners", "Practitioners"),
    ("days_due", "Days due"),
    ("days_done", "Days done"),
    ("done_per_practitioner", "Done per practitioner"),
)
KIND_MEASURES = (
    ("searched", "Searched, nothing related"),
    ("closest", "Searched, only the closest"),
    ("requested", "Asked for a resource"),
    ("not_helpful", "Said “not helpful”"),
    ("stuck", "Said “I'm stuck”"),
)
RESOURCE_MEASURES = (
    ("helpful", "Helpful"),
    ("not_helpful", "Not helpful"),
    ("yes", "Tried it: yes"),
    ("not_yet", "not yet"),
    ("no", "no"),
    ("opened", "Opened"),
)


@dataclass(frozen=True)
class Shown:
    """One figure as it reads on the page, and which figure it is."""

    text: str
    state: str  # "number", "words", "hidden" (suppressed) or "none" (no data)
    section: str
    subject: str
    measure: str


@dataclass(frozen=True)
class Cell:
    label: str = ""  # a row's heading
    shown: tuple[Shown, ...] = ()  # its figures: one, or a list (phrasings)
    span: int = 1  # a heading over a group of rows spans the table


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class TopicView:
    rank: int
    label: Shown
    people: Shown
    moments: Shown
    kinds: Table
    phrasings: tuple[Shown, ...]
    offered: tuple[Shown, ...]


class Figures:
    """The report's figures by (section, subject, measure); asking for one it lacks is a bug, so it raises."""

    def __init__(self, report: Report) -> None:
        self._values = {(f.section, f.subject, f.measure): f.value for f in figures(report)}

    def __call__(self, section: str, subject: str, measure: str) -> Shown:
        value = self._values[(section, subject, measure)]
        return Shown(reading(measure, value), _state(value), section, subject, measure)

    def cells(self, section: str, subject: str, measures: Iterable[str]) -> tuple[Cell, ...]:
        return tuple(Cell(shown=(self(section, subject, measure),)) for measure in measures)

    def numbered(self, section: str, subject: str, prefix: str) -> tuple[Shown, ...]:
        """Figures named "<prefix> 1", "<prefix> 2", … (a topic's phrasings or titles)."""
        count = sum(1 for s, j, m in self._values if (s, j) == (section, subject) and m.startswith(f"{prefix} "))
        return tuple(self(section, subject, f"{prefix} {number}") for number in range(1, count + 1))


def reading(measure: str, value: Value) -> str:
    """How a figure reads: a change signed with two decimals, a share in per cent, a suppressed one as
    "fewer than N", no data as a dash."""
    if value is None:
        return "\N{EN DASH}"
    if isinstance(value, Suppressed | str):
        return str(value)
    if measure == "improved_share":
        return f"{value:.0%}"
    if measure in ("mean", "low", "high"):
        return f"{value:+.2f}"
    if measure.endswith(" mean"):
        return f"{value:.2f}"
    if measure == "done_per_practitioner":
        return f"{value:.1f}"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _state(value: Value) -> str:
    if value is None:
        return "none"
    if isinstance(value, Suppressed):
        return "hidden"
    return "words" if isinstance(value, str) else "number"


def capability_tables(skills: Sequence[SkillCapability], f: Figures) -> tuple[Table, Table]:
    """The change per skill and kind (beside the chart), and how many people moved by how much; a heading
    row per skill keeps both narrow enough for a phone."""
    measures = [m for m, _label in CHANGE_MEASURES] + ["improved_share"]
    head = ("Compared", *(label for _m, label in CHANGE_MEASURES), "Improved")
    spread_head = ("Compared", *map(_signed, CHANGES))
    changes: list[tuple[Cell, ...]] = []
    spread: list[tuple[Cell, ...]] = []
    for skill in skills:
        changes.append((Cell(skill.name, span=len(head)),))
        spread.append((Cell(skill.name, span=len(spread_head)),))
        for kind in KINDS:
            section = SECTIONS[kind.key]
            changes.append((Cell(kind.label), *f.cells(section, skill.name, measures)))
            spread.append((Cell(kind.label), *f.cells(section, skill.name, [f"change {v:+d}" for v in CHANGES])))
    return (
        Table("Mean change per skill, with its 95% interval", head, tuple(changes)),
        Table("People by change (points on the 1-5 scale)", spread_head, tuple(spread)),
    )


def monthly_table(skills: Sequence[SkillCapability], f: Figures) -> Table:
    rows = tuple(
        (
            Cell(skill.name),
            Cell(trend.month),
            *f.cells(MONTHLY, skill.name, [f"{trend.month} mean", f"{trend.month} people"]),
        )
        for skill in skills
        for trend in skill.monthly
    )
    return Table("Practitioners' monthly self-rating", ("Skill", "Month", "Mean (1-5)", "People"), rows)


def stick_table(skills: Sequence[SkillCapability], f: Figures) -> Table:
    measures = ["people", *(f"answer {answer}" for answer in range(1, 6))]
    rows = tuple((Cell(skill.name), *f.cells(STICK, skill.name, measures)) for skill in skills)
    head = ("Skill", "People", "1", "2", "3", "4", "5")
    return Table("People by answer a week after a challenge (1: not at all, 5: fully)", head, rows)


def adherence_table(report: Report, f: Figures) -> Table:
    """A row per measure, as in the chart; a column per skill, all skills first."""
    rows = tuple(
        (Cell(label), *(Cell(shown=(f(CHALLENGES, row.name, measure),)) for row in report.adherence))
        for measure, label in FUNNEL
    )
    return Table(
        "Challenges and check-ins", ("", *(row.name for row in report.adherence)), rows if report.adherence else ()
    )


def practice_table(report: Report, f: Figures) -> Table:
    measures = [m for m, _label in PRACTICE_MEASURES]
    rows = tuple((Cell(t.name), *f.cells(PRACTICE, t.name, measures)) for t in report.practice)
    return Table("Practice per technique", ("Technique", *(label for _m, label in PRACTICE_MEASURES)), rows)


def topics(report: Report, f: Figures) -> tuple[TopicView, ...]:
    views = []
    for topic in report.needs.topics:
        subject = f"top {topic.rank}"
        kinds = tuple(
            (Cell(label), Cell(shown=(f(TOPICS, subject, f"{kind} people"),))) for kind, label in KIND_MEASURES
        )
        views.append(
            TopicView(
                rank=topic.rank,
                label=f(TOPICS, subject, "topic"),
                people=f(TOPICS, subject, "people"),
                moments=f(TOPICS, subject, "moments"),
                kinds=Table("People by kind of moment", ("", "People"), kinds),
                phrasings=f.numbered(TOPICS, subject, "phrasing"),
                offered=f.numbered(TOPICS, subject, "offered"),
            )
        )
    return tuple(views)


def heatmap_table(f: Figures) -> Table:
    rows = tuple((Cell(day), *f.cells(HOURS, day, [f"{hour:02d}:00 people" for hour in range(24)])) for day in DAYS)
    return Table("People by local weekday and hour", ("Day", *(f"{hour:02d}" for hour in range(24))), rows)


def library_tables(report: Report, f: Figures) -> tuple[Table, Table]:
    measures = [m for m, _label in RESOURCE_MEASURES]
    used = tuple((Cell(r.title), *f.cells(LIBRARY, r.title, measures)) for r in report.library.resources)
    never = tuple((Cell(key), *f.cells(NEVER, key, ["opened"])) for key in report.library.never_opened)
    return (
        Table("Resources people used", ("Resource", *(label for _m, label in RESOURCE_MEASURES)), used),
        Table("Resources nobody opened", ("Resource", "Opened"), never),
    )


def _signed(change: int) -> str:
    return f"{change:+d}" if change else "0"
