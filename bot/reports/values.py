"""What a report's figures are made of: a scope, the `Suppressed` marker, the rule that applies the minimum
group (with complementary suppression), and the 95% confidence interval of a mean change."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class Scope:
    """Whom a report covers: a workspace, or a team in it (`person_ids`; None: everyone in the workspace)."""

    workspace_id: int
    name: str
    person_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class Suppressed:
    """A figure drawn from fewer distinct people than the minimum group (or one that would reveal one)."""

    below: int

    def __str__(self) -> str:
        return f"fewer than {self.below}"


Value = int | float | str | Suppressed | None  # None: nothing to show (no data)


# Two-sided 95% critical values of Student's t by degrees of freedom; between rows, the smaller df's value
# (a slightly wider interval, never a narrower one).
T95 = {
    **dict(enumerate((12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228), start=1)),
    **dict(enumerate((2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086), start=11)),
    **dict(enumerate((2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042), start=21)),
    40: 2.021,
    50: 2.009,
    60: 2.000,
    80: 1.990,
    100: 1.984,
    120: 1.980,
}
Z95 = 1.960


def t95(df: int) -> float:
    if df > max(T95):
        return Z95
    return T95[max(d for d in T95 if d <= df)]


def interval(mean: float, variance: float, n: int) -> tuple[float, float] | None:
    """The 95% confidence interval of a mean from its sample variance and n (None below two values)."""
    if n < 2:
        return None
    half = t95(n - 1) * math.sqrt(variance / n)
    return mean - half, mean + half


@dataclass(frozen=True)
class Rule:
    """The minimum group: no figure from fewer distinct people, none that subtraction would reveal."""

    min_group: int

    @property
    def marker(self) -> Suppressed:
        return Suppressed(self.min_group)

    def small(self, people: int) -> bool:
        return 0 < people < self.min_group

    def shown(self, value: int | float | None, people: int) -> Value:
        """`value` when enough people are behind it (a zero count hides nobody), else the marker."""
        return self.marker if self.small(people) else value

    def parts(self, parts: Mapping[K, tuple[int, int]]) -> dict[K, Value]:
        """Parts of a total that is shown, each (count, people): small ones suppressed; when exactly one is,
        the smallest other too (zeros included), so the total minus the rest cannot reveal it."""
        shown: dict[K, Value] = {key: self.shown(count, people) for key, (count, people) in parts.items()}
        hidden = [key for key, value in shown.items() if isinstance(value, Suppressed)]
        others = [key for key in parts if key not in hidden]
        if len(hidden) == 1 and others:
            smallest = min(others, key=lambda key: parts[key][0])
            shown[smallest] = self.marker
        return shown
