"""Relevance of /learn search on the shipped content, and the kind of answer it gives, against the labelled
queries: bench/queries.yaml (the tuning set `content tune-search` fits on) and bench/queries_holdout.yaml
(held out: never read by the tuning). The goals are judged on the held-out part.

Per set: over the queries with fitting resources, MRR@10, hit@1, hit@3 and the share told "the closest we
have" or "nothing yet" instead of a good match; over the near misses labelled `related`, the share answered
with the closest (and with a related resource in the top 3); over the queries labelled `nothing`, the share
answered "nothing yet" and the share called a good match. The misjudged queries are listed.
It is small: --quick changes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, sqlite_with_content, table

NAME = "relevance"
DEPTH = 10  # results looked at per query
SETS = {
    "tuning": BENCH_DIR / "queries.yaml",
    "held out": BENCH_DIR / "queries_holdout.yaml",
    "fresh": BENCH_DIR / "queries_fresh.yaml",  # held out too, written blind to the decision (bench/README.md)
}
JUDGED = ("held out", "fresh")
GOALS = {
    "mrr": (">=", 0.9),
    "hit_at_1": (">=", 0.8),
    "covered_told_nothing": ("<=", 0.03),
    "covered_told_closest": ("<=", 0.10),
    "nothing_told_nothing": (">=", 0.95),
    "nothing_told_good": ("<=", 0.0),
}


@dataclass(frozen=True)
class Judged:
    query: str
    role: str | None
    label: str  # good, closest, nothing
    expected: tuple[str, ...]
    answer: str
    top: list[str]
    rank: int | None  # 1-based rank of the first expected key within DEPTH

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def judge(item: Any, index: Any) -> Judged:
    from bot.library.small_talk import small_talk

    if small_talk(item.query):  # "thanks!" is answered "you're welcome", never searched: nothing offered
        return Judged(item.query, item.role, str(item.kind), tuple(item.relevant or item.related), "nothing", [], None)
    found = index.search(item.query, role=item.role, limit=DEPTH)
    keys = [hit.key for hit in found.hits]
    expected = tuple(item.relevant or item.related)
    rank = next((position for position, key in enumerate(keys, start=1) if key in expected), None)
    return Judged(item.query, item.role, str(item.kind), expected, str(found.fit), keys, rank)


def summarise(judged: list[Judged]) -> dict[str, Any]:
    covered = [j for j in judged if j.label == "good"]
    related = [j for j in judged if j.label == "closest"]
    nothing = [j for j in judged if j.label == "nothing"]

    def share(items: list[Judged], answer: str) -> float:
        return sum(1 for j in items if j.answer == answer) / len(items) if items else 0.0

    return {
        "queries": len(judged),
        "covered": len(covered),
        "related": len(related),
        "nothing": len(nothing),
        "mrr": sum(j.reciprocal_rank for j in covered) / len(covered) if covered else 0.0,
        "hit_at_1": sum(1 for j in covered if j.rank == 1) / len(covered) if covered else 0.0,
        "hit_at_3": sum(1 for j in covered if j.rank and j.rank <= 3) / len(covered) if covered else 0.0,
        "covered_told_good": share(covered, "good"),
        "covered_told_closest": share(covered, "closest"),
        "covered_told_nothing": share(covered, "nothing"),
        "related_told_closest": share(related, "closest"),
        "related_told_good": share(related, "good"),
        "related_told_nothing": share(related, "nothing"),
        "related_in_top_3": sum(1 for j in related if j.rank and j.rank <= 3) / len(related) if related else 0.0,
        "nothing_told_nothing": share(nothing, "nothing"),
        "nothing_told_closest": share(nothing, "closest"),
        "nothing_told_good": share(nothing, "good"),
        "confusion": {f"{a} as {b}": n for (a, b), n in sorted(Counter((j.label, j.answer) for j in judged).items())},
    }


def run(*, quick: bool) -> dict[str, Any]:
    from bot.content.catalogue import Catalogue
    from bot.library.shelf import Shelf
    from bot.library.tuning import load_labels

    with sqlite_with_content() as database:
        started = time.perf_counter()
        state = Shelf(sessions=database.sessions, catalogue=Catalogue(database.sessions)).current()
        build_ms = (time.perf_counter() - started) * 1000
    known = set(state.catalogue.resources)
    print(
        f"{len(known)} shipped resources; catalogue built in {build_ms:.0f} ms; search.yaml: "
        f"{'fitted' if state.catalogue.search else 'absent (rule of thumb)'}\n"
    )
    results: dict[str, Any] = {"resources": len(known), "catalogue_build_ms": build_ms, "goals": GOALS}
    for name, path in SETS.items():
        judged = [judge(item, state.index) for item in load_labels(Path(path), known)]
        summary = summarise(judged)
        _print(name, summary, judged, judge_goals=name in JUDGED)
        results[name] = {**summary, "misjudged": [_row(j) for j in judged if j.answer != j.label or _missed(j)]}
    return results


def _missed(j: Judged) -> bool:
    return j.label == "good" and not (j.rank and j.rank <= 3)


def _row(j: Judged) -> dict[str, Any]:
    return {"query": j.query, "role": j.role, "label": j.label, "answer": j.answer, "rank": j.rank, "top3": j.top[:3]}


def _print(name: str, summary: dict[str, Any], judged: list[Judged], *, judge_goals: bool) -> None:
    def goal(metric: str) -> str:
        if metric not in GOALS:
            return ""
        sign, bound = GOALS[metric]
        met = summary[metric] >= bound if sign == ">=" else summary[metric] <= bound
        return f"{sign} {bound}" + ((" met" if met else " MISSED") if judge_goals else "")

    metrics = [
        "mrr", "hit_at_1", "hit_at_3", "covered_told_good", "covered_told_closest", "covered_told_nothing",
        "related_told_closest", "related_told_good", "related_told_nothing", "related_in_top_3",
        "nothing_told_nothing", "nothing_told_closest", "nothing_told_good",
    ]  # fmt: skip
    print(
        table(
            ["metric", "value", "goal"],
            [[metric, summary[metric], goal(metric)] for metric in metrics],
            title=(
                f"{name}: {summary['queries']} queries ({summary['covered']} with fitting resources, "
                f"{summary['related']} near misses, {summary['nothing']} off-topic)"
            ),
        )
    )
    wrong = [j for j in judged if j.answer != j.label or _missed(j)]
    print(f"\n{name}: misjudged or ranked wrong ({len(wrong)}):")
    for j in wrong:
        where = f"rank {j.rank}" if j.rank else "expected not in the top 10"
        print(f"  - {j.query!r} labelled {j.label}, answered {j.answer}, {where}; top: {', '.join(j.top[:3])}")
    print()
