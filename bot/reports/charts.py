"""The report's charts as inline SVG (matplotlib's object API, through `svg.render`). A suppressed figure is
drawn as a small hatched grey mark labelled "fewer than N", never as a bar of some size. Bars and cells
carry ids (`capability-bar-<skill>-<kind>`, `funnel-bar-<measure>`, `heatmap-cell-<day>-<hour>`, and
`…-hidden-…` for suppressed ones) so that they can be counted in the page."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.reports.svg import render, slug
from bot.reports.types import Change, Needs, SkillAdherence, SkillCapability
from bot.reports.values import Suppressed, Value

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
INK, MUTED, GRID = "#1f2328", "#57606a", "#d0d7de"
HIDDEN_FACE, HIDDEN_EDGE, HATCH = "#eaeef2", "#8c959f", "////"  # a suppressed figure
WIDTH = 4.2  # inches (302 CSS px at 1:1): a phone shows it a little larger, a laptop at most 32rem wide
PALETTE = ("#1f5f99", "#c05a00", "#3c7d22", "#8250df", "#bf3989", "#0a7d8c")


@dataclass(frozen=True)
class Kind:
    """One way of measuring a change: which "before" it starts from, and who rated the "after"."""

    key: str
    label: str
    colour: str


KINDS = (
    Kind("baseline", "before → after", PALETTE[0]),
    Kind("retrospective", "thinking back → after", PALETTE[1]),
    Kind("proposer", "observed by the proposer", PALETTE[2]),
)
FUNNEL = (
    ("proposed", "Proposed"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("finished", "Finished"),
    ("withdrawn", "Withdrawn"),
    ("checkins_sent", "Check-ins sent"),
    ("checkins_answered", "Check-ins answered"),
)


def changes_of(skill: SkillCapability) -> tuple[tuple[Kind, Change], ...]:
    """A skill's three changes, each with its kind, in the order they are shown."""
    return tuple(zip(KINDS, (skill.before_after, skill.retrospective_after, skill.proposer_observed), strict=True))


def capability(skills: Sequence[SkillCapability]) -> str | None:
    """Mean change per skill and kind of "before", with its 95% interval: a heading per skill and a row per
    kind with data. None when no change has data."""
    rows = [(skill, kind, change) for skill in skills for kind, change in changes_of(skill) if change.mean is not None]
    if not rows:
        return None
    ends = [abs(v) for _s, _k, c in rows for v in (_number(c.mean), _number(c.low), _number(c.high)) if v is not None]
    reach = min(4.0, float(int(max([2.0, *ends]) + 0.999)))

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        labels: list[tuple[float, str, bool]] = []  # (y, words, whether a skill's heading)
        y = 0.0
        for skill in skills:
            shown = [(kind, change) for kind, change in changes_of(skill) if change.mean is not None]
            if shown:
                labels.append((y, textwrap.shorten(skill.name, 34, placeholder="…"), True))
                for kind, change in shown:
                    y += 1.3
                    labels.append((y, _label(kind, change), False))
                    _change_bar(ax, y, change, kind, f"{slug(skill.skill)}-{kind.key}", reach)
                y += 1.1
        ax.axvline(0, color=INK, linewidth=0.8)
        ax.set_xlim(-reach, reach)
        ax.set_ylim(y - 0.7, -0.6)
        ax.set_yticks([at for at, _words, _head in labels], [words for _at, words, _head in labels])
        for tick, (_at, _words, head) in zip(ax.get_yticklabels(), labels, strict=True):
            tick.set_color(INK if head else MUTED)
            tick.set_fontweight("bold" if head else "normal")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("mean change (1-5 scale), 95% interval", loc="right")
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)

    height = 0.8 + 0.3 * (1.3 * len(rows) + 1.1 * len({skill.skill for skill, _k, _c in rows}))
    return render(prefix="capability", label="Mean change per skill", size=(WIDTH, height), draw=draw)


def _label(kind: Kind, change: Change) -> str:
    """A row's words: its kind, and under it the mean change and how many people (the bar's figures)."""
    mean, people = _number(change.mean), change.people
    if mean is None:
        return kind.label
    return f"{kind.label}\n{mean:+.2f}" + (f", n={people}" if isinstance(people, int) else "")


def _change_bar(ax: Axes, y: float, change: Change, kind: Kind, key: str, reach: float) -> None:
    if isinstance(change.mean, Suppressed):
        _hidden_mark(ax, y, reach * 0.08, f"hidden-{key}", str(change.mean))
        return
    mean = _number(change.mean) or 0.0
    (bar,) = ax.barh([y], [mean], height=0.8, color=kind.colour).patches
    bar.set_gid(f"bar-{key}")
    low, high = _number(change.low), _number(change.high)
    if low is not None and high is not None:
        # the interval; an end past the axis runs off its edge without a cap
        ax.hlines([y], max(low, -reach), min(high, reach), color=INK, linewidth=0.9)
        ends = [end for end in (low, high) if -reach <= end <= reach]
        ax.vlines(ends, y - 0.2, y + 0.2, color=INK, linewidth=0.9)


def funnel(row: SkillAdherence | None) -> str | None:
    """Challenges proposed → withdrawn and check-ins sent → answered, all skills together (muted: context)."""
    if row is None or all(row.measures.get(measure) is None for measure, _label in FUNNEL):
        return None
    values = [row.measures.get(measure) for measure, _label in FUNNEL]
    top = max([1, *(v for v in values if isinstance(v, int))])

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        positions = [0, 1, 2, 3, 4, 5.5, 6.5]  # a gap between challenges and check-ins
        for at, (measure, _label), value in zip(positions, FUNNEL, values, strict=True):
            if isinstance(value, Suppressed):
                _hidden_mark(ax, at, top * 0.04, f"hidden-{slug(measure)}", str(value))
            elif isinstance(value, int):
                (bar,) = ax.barh([at], [value], height=0.7, color="#8c959f").patches
                bar.set_gid(f"bar-{slug(measure)}")
                ax.annotate(f"{value}", (value, at), xytext=(4, 0), textcoords="offset points", va="center")
        ax.set_yticks(positions, [label for _measure, label in FUNNEL])
        ax.set_ylim(positions[-1] + 0.6, -0.6)
        ax.set_xlim(-top * 0.05, top * 1.15)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("how many, all skills")

    return render(prefix="funnel", label="Challenges and check-ins", size=(WIDTH, 2.5), draw=draw)


def heatmap(needs: Needs, min_group: int) -> str:
    """People with a moment of need by local weekday (rows) and hour (columns): none white, a shown count
    light to dark blue, a suppressed one hatched grey."""
    top = max([min_group, *(cell for row in needs.heatmap for cell in row if isinstance(cell, int))])

    def draw(figure: Figure) -> None:
        import matplotlib
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import LinearSegmentedColormap, Normalize
        from matplotlib.ticker import MaxNLocator

        blues = matplotlib.colormaps["Blues"]
        colours = LinearSegmentedColormap.from_list("needs", [blues(0.05), blues(1.0)])
        scale = Normalize(0, top)
        ax = figure.add_subplot()
        for y, (day, hours) in enumerate(zip(DAYS, needs.heatmap, strict=True)):
            for hour, value in enumerate(hours):
                face = colours(scale(value)) if isinstance(value, int) and value else None
                ax.add_patch(_cell(hour, y, day, value, face))
        ax.set_xlim(0, 24)
        ax.set_ylim(7, 0)
        ax.set_xticks([h + 0.5 for h in range(0, 24, 3)], [f"{h:02d}" for h in range(0, 24, 3)])
        ax.set_yticks([d + 0.5 for d in range(7)], DAYS)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("local hour")
        bar = figure.colorbar(ScalarMappable(scale, colours), ax=ax, shrink=0.9, aspect=10, pad=0.02)
        bar.set_label("people")
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
        bar.outline.set_visible(False)

    return render(prefix="heatmap", label="Moments of need by weekday and hour", size=(WIDTH, 2.3), draw=draw)


def _cell(hour: int, y: int, day: str, value: Value, face: tuple[float, float, float, float] | None) -> Rectangle:
    from matplotlib.patches import Rectangle

    if isinstance(value, Suppressed):
        return _hidden((hour, y), 1, 1, f"hidden-{day.lower()}-{hour:02d}")
    cell = Rectangle((hour, y), 1, 1, facecolor=face or "#ffffff", edgecolor="#ffffff" if face else GRID, linewidth=0.5)
    cell.set_gid(f"cell-{day.lower()}-{hour:02d}")
    return cell


def trend(skills: Sequence[SkillCapability], min_group: int) -> str | None:
    """Practitioners' mean monthly self-rating per skill; None when no month has a figure to show."""
    series = [skill for skill in skills if any(_number(month.mean) is not None for month in skill.monthly)]
    if not series:
        return None
    months = sorted({month.month for skill in series for month in skill.monthly})

    def draw(figure: Figure) -> None:
        from matplotlib.patches import Patch

        ax = figure.add_subplot()
        hidden = False
        for number, skill in enumerate(series):
            points = [(months.index(m.month), y) for m in skill.monthly if (y := _number(m.mean)) is not None]
            (line,) = ax.plot([x for x, _y in points], [y for _x, y in points], marker="o", color=PALETTE[number % 6])
            line.set_gid(f"line-{slug(skill.skill)}")
            line.set_label(textwrap.shorten(skill.name, 34, placeholder="…"))
            for month in skill.monthly:
                if isinstance(month.mean, Suppressed):
                    x = months.index(month.month) + (number - (len(series) - 1) / 2) * 0.2
                    ax.add_patch(_hidden((x - 0.08, 1.08), 0.16, 0.32, f"hidden-{slug(skill.skill)}-{month.month}"))
                    hidden = True
        handles, _labels = ax.get_legend_handles_labels()
        if hidden:
            handles.append(
                Patch(facecolor=HIDDEN_FACE, edgecolor=HIDDEN_EDGE, hatch=HATCH, label=f"fewer than {min_group}")
            )
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(2, len(handles)), fontsize=9)
        ax.set_xticks(range(len(months)), months)
        ax.set_xlim(-0.5, len(months) - 0.5)
        ax.set_ylim(1, 5)
        ax.set_ylabel("mean self-rating (1-5)")
        ax.grid(axis="y", color=GRID, linewidth=0.6)

    return render(prefix="trend", label="Monthly self-rating per skill", size=(WIDTH, 2.4), draw=draw)


def _hidden_mark(ax: Axes, y: float, width: float, gid: str, text: str) -> None:
    """A suppressed figure: a small hatched grey square at zero and the words, not a bar of any length."""
    ax.add_patch(_hidden((-width / 2, y - 0.3), width, 0.6, gid))
    ax.annotate(text, (width / 2, y), xytext=(4, 0), textcoords="offset points", va="center", color=MUTED, fontsize=9)


def _hidden(xy: tuple[float, float], width: float, height: float, gid: str) -> Rectangle:
    from matplotlib.patches import Rectangle

    mark = Rectangle(xy, width, height, facecolor=HIDDEN_FACE, edgecolor=HIDDEN_EDGE, hatch=HATCH, linewidth=0.8)
    mark.set_gid(gid)
    return mark


def _number(value: Value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
