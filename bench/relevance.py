"""Relevance of /learn search on the shipped content, against the labelled queries in bench/queries.yaml.

Figures, over the queries with relevant resources: MRR (reciprocal rank of the first relevant key in the top
10), hit@1, hit@3, and the share the search itself calls a good match (the rest would be told "nothing fitting
yet"). Over the queries labelled `nothing`: the honest-no-match rate, the share the search does not call a good
match. Queries whose first relevant result is not in the top 3 are listed with what came first instead, and so
are the misjudged ones both ways. Goal: MRR >= 0.85. It is small: --quick changes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.common import LabelledQuery, load_queries, sqlite_with_content, table

NAME = "relevance"
DEPTH = 10  # results looked at per query
GOAL_MRR = 0.85


@dataclass(frozen=True)
class Judged:
    item: LabelledQuery
    top: list[tuple[str, float]]  # (key, score), best first
    rank: int | None  # 1-based rank of the first relevant key within DEPTH
    good: bool
    terms: list[str]
    total: int  # documents that matched at all

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def judge(item: LabelledQuery, index: Any, *, use_role: bool = True) -> Judged:
    found = index.search(item.query, role=item.role if use_role else None, limit=DEPTH)
    keys = [hit.key for hit in found.hits]
    rank = next((position for position, key in enumerate(keys, start=1) if key in item.relevant), None)
    return Judged(item, [(h.key, h.score) for h in found.hits], rank, found.good, list(found.terms), found.total)


def label_problems(queries: list[LabelledQuery], known: set[str]) -> list[str]:
    """Labels no ranking can satisfy: unknown keys, and the same query and role labelled twice differently."""
    problems = [f"{q.query!r}: unknown resource {key!r}" for q in queries for key in q.relevant if key not in known]
    seen: dict[tuple[str, str | None], LabelledQuery] = {}
    for q in queries:
        earlier = seen.setdefault((q.query.lower(), q.role), q)
        if earlier is not q and set(earlier.relevant) != set(q.relevant):
            problems.append(
                f"{q.query!r} (role {q.role}) is labelled twice with different answers: "
                f"{list(earlier.relevant)} and {list(q.relevant)}; both cannot rank first"
            )
    return problems


def summarise(judged: list[Judged], resources: int) -> dict[str, Any]:
    count = len(judged)
    return {
        "mean_matched_share": sum(j.total for j in judged) / count / resources,
        "queries": count,
        "mrr": sum(j.reciprocal_rank for j in judged) / count,
        "hit_at_1": sum(1 for j in judged if j.rank == 1) / count,
        "hit_at_3": sum(1 for j in judged if j.rank is not None and j.rank <= 3) / count,
        "hit_at_10": sum(1 for j in judged if j.rank is not None) / count,
        "good_share": sum(1 for j in judged if j.good) / count,
        "good_but_miss_at_3": sum(1 for j in judged if j.good and not (j.rank and j.rank <= 3)),
        "rank_histogram": {str(k): v for k, v in sorted(Counter(j.rank or 0 for j in judged).items())},
    }


def run(*, quick: bool) -> dict[str, Any]:
    from bot.content.catalogue import Catalogue
    from bot.library.shelf import Shelf

    labelled = load_queries()
    queries = [item for item in labelled if item.relevant]
    nothing = [item for item in labelled if not item.relevant]
    with sqlite_with_content() as database:
        started = time.perf_counter()
        state = Shelf(sessions=database.sessions, catalogue=Catalogue(database.sessions)).current()
        build_ms = (time.perf_counter() - started) * 1000
    judged = [judge(item, state.index) for item in queries]
    summary = summarise(judged, len(state.catalogue.resources))
    without_role = summarise(
        [judge(item, state.index, use_role=False) for item in queries], len(state.catalogue.resources)
    )
    offered = [j for j in (judge(item, state.index) for item in nothing) if j.good]
    summary["nothing_queries"] = len(nothing)
    summary["honest_no_match"] = 1 - len(offered) / len(nothing) if nothing else 1.0
    misses = [j for j in judged if j.rank is None or j.rank > 3]
    problems = label_problems(queries, set(state.catalogue.resources))
    print_report(summary, without_role, misses, problems, resources=len(state.catalogue.resources), build_ms=build_ms)
    refused = [j for j in judged if not j.good]
    _print_misjudged(refused, offered)
    return {
        "resources": len(state.catalogue.resources),
        "catalogue_build_ms": build_ms,
        "goal_mrr": GOAL_MRR,
        **summary,
        "without_role": {key: without_role[key] for key in ("mrr", "hit_at_1", "hit_at_3", "good_share")},
        "label_problems": problems,
        "on_topic_told_nothing": [j.item.query for j in refused],
        "off_topic_offered": [{"query": j.item.query, "top": j.top[0][0] if j.top else None} for j in offered],
        "misses_outside_top3": [_miss(j) for j in misses],
        "per_query": [_row(j) for j in judged],
    }


def _miss(j: Judged) -> dict[str, Any]:
    return {
        "query": j.item.query,
        "role": j.item.role,
        "expected": list(j.item.relevant),
        "first_relevant_rank": j.rank,
        "top3": [{"key": key, "score": round(score, 3)} for key, score in j.top[:3]],
        "good": j.good,
        "terms": j.terms,
    }


def _row(j: Judged) -> dict[str, Any]:
    return {
        "query": j.item.query,
        "role": j.item.role,
        "rank": j.rank,
        "good": j.good,
        "top": j.top[0][0] if j.top else None,
    }


def print_report(
    summary: dict[str, Any],
    without_role: dict[str, Any],
    misses: list[Judged],
    problems: list[str],
    *,
    resources: int,
    build_ms: float,
) -> None:
    print(
        f"{summary['queries']} labelled queries over {resources} shipped resources (top {DEPTH} searched); "
        f"catalogue built in {build_ms:.0f} ms\n"
    )
    print(
        table(
            ["metric", "value", "goal", "role ignored"],
            [
                ["MRR@10", summary["mrr"], f">= {GOAL_MRR}", without_role["mrr"]],
                ["hit@1", summary["hit_at_1"], "", without_role["hit_at_1"]],
                ["hit@3", summary["hit_at_3"], "", without_role["hit_at_3"]],
                ["hit@10", summary["hit_at_10"], "", without_role["hit_at_10"]],
                ["judged good by search", summary["good_share"], "", without_role["good_share"]],
                [
                    "good, yet no relevant in top 3",
                    summary["good_but_miss_at_3"],
                    "",
                    without_role["good_but_miss_at_3"],
                ],
                ["mean share of the library matched", summary["mean_matched_share"], "", ""],
                [f"honest no-match ({summary['nothing_queries']} off-topic)", summary["honest_no_match"], "", ""],
            ],
        )
    )
    rows = [
        [
            j.item.query,
            j.item.role or "",
            ", ".join(j.item.relevant),
            str(j.rank or f">{DEPTH}"),
            "yes" if j.good else "no",
            " | ".join(f"{key} {score:.2f}" for key, score in j.top[:3]) or "(nothing)",
        ]
        for j in misses
    ]
    print()
    print(
        table(
            ["query", "role", "expected", "rank", "good", "top 3 (score)"],
            rows,
            title="First relevant result not in the top 3:",
        )
    )
    if problems:
        print("\nLabel problems (no ranking can satisfy these):")
        for problem in problems:
            print(f"  - {problem}")


def _print_misjudged(refused: list[Judged], offered: list[Judged]) -> None:
    print(f'\nOn-topic, yet told "nothing fitting yet" ({len(refused)}):')
    for j in refused:
        print(f"  - {j.item.query!r} (first: {j.top[0][0] if j.top else 'nothing'})")
    print(f"Off-topic, yet offered as a good match ({len(offered)}):")
    for j in offered:
        print(f"  - {j.item.query!r} -> {', '.join(key for key, _score in j.top[:3])}")
