"""Search latency over a synthetic library of 10,000 resources with the real synonyms.

Times `SearchIndex.search` the way /learn calls it (limit 3) for 2,000 queries: the labelled ones from
bench/queries.yaml and generated ones, half of those with typos. Goal: p99 <= 10 ms.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from typing import Any

from bench.common import latency_summary, load_queries, peak_rss_mb, table
from bench.synthetic import Query, as_document, load_vocabulary, make_library, make_queries

NAME = "search"
SEED = 20261124
FULL = {"resources": 10_000, "queries": 2_000}
QUICK = {"resources": 1_000, "queries": 200}
LIMIT = 3  # what /learn asks for (bot/services/library.py PAGE)
GOAL_P99_MS = 10.0
SLOWEST = 10


def time_queries(index: Any, queries: list[Query]) -> list[tuple[Query, float, int]]:
    """(query, milliseconds, total matches) for each query, timed with perf_counter_ns."""
    timed = []
    for query in queries:
        started = time.perf_counter_ns()
        found = index.search(query.text, role=query.role, limit=LIMIT)
        elapsed = time.perf_counter_ns() - started
        timed.append((query, elapsed / 1e6, found.total))
    return timed


class CollectionLog:
    """Garbage collections during a block: how many of each generation and how long they took."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = defaultdict(list)
        self._started = 0

    def __enter__(self) -> CollectionLog:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter_ns()
        else:
            self.pauses[info["generation"]].append((time.perf_counter_ns() - self._started) / 1e6)

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            f"gen{generation}": {"count": len(pauses), "total_ms": sum(pauses), "max_ms": max(pauses)}
            for generation, pauses in sorted(self.pauses.items())
        }


def time_frozen(index: Any, queries: list[Query]) -> dict[str, float]:
    """Diagnostic: the same queries with the index moved out of the collector's reach by gc.freeze().

    The difference from the main figures is what full garbage collections over the index's objects cost.
    """
    gc.collect()
    gc.freeze()
    try:
        return latency_summary([ms for _q, ms, _n in time_queries(index, queries)])
    finally:
        gc.unfreeze()


def shipped_decision() -> tuple[Any, Any]:
    """The shipped search.yaml and elsewhere.yaml as the bot reads them: each query is decided as in Slack."""
    from bench.common import sqlite_with_content
    from bot.content.catalogue import Catalogue

    with sqlite_with_content() as database:
        state = Catalogue(database.sessions).current()
    return state.search, state.elsewhere


def run(*, quick: bool) -> dict[str, Any]:
    from bot.library.analyzer import Analyzer
    from bot.library.index import SearchIndex

    size = QUICK if quick else FULL
    rss_start = peak_rss_mb()
    vocabulary = load_vocabulary()
    started = time.perf_counter()
    library = make_library(vocabulary, size["resources"], seed=SEED)
    documents = [as_document(resource, vocabulary.skill_names) for resource in library]
    generate_seconds = time.perf_counter() - started
    queries = make_queries(vocabulary, load_queries(), size["queries"], seed=SEED)
    rss_library = peak_rss_mb()

    tuning, elsewhere = shipped_decision()
    gc.collect()
    started = time.perf_counter()
    index = SearchIndex(documents, Analyzer(vocabulary.synonyms), vocabulary.skill_names, tuning, elsewhere)
    build_seconds = time.perf_counter() - started
    rss_index = peak_rss_mb()

    with CollectionLog() as collections:
        timed = time_queries(index, queries)
    frozen = time_frozen(index, queries)
    overall = latency_summary([ms for _q, ms, _n in timed])
    by_kind: dict[str, list[float]] = defaultdict(list)
    for query, ms, _total in timed:
        by_kind[query.kind].append(ms)
    slowest = sorted(timed, key=lambda row: -row[1])[:SLOWEST]
    words = [len(r.body.split()) for r in library]
    results = {
        "resources": len(documents),
        "queries": len(queries),
        "limit": LIMIT,
        "seed": SEED,
        "goal_p99_ms": GOAL_P99_MS,
        "body_words_mean": sum(words) / len(words),
        "indexed_terms": index.term_count,
        "postings": index.posting_count,
        "generate_seconds": generate_seconds,
        "index_build_seconds": build_seconds,
        "latency": overall,
        "latency_by_kind": {kind: latency_summary(values) for kind, values in sorted(by_kind.items())},
        "latency_gc_frozen": frozen,
        "gc_tracked_objects": len(gc.get_objects()),
        "gc_during_queries": collections.summary(),
        "mean_matches_per_query": sum(n for _q, _ms, n in timed) / len(timed),
        "mean_matched_share": sum(n for _q, _ms, n in timed) / len(timed) / len(documents),
        "peak_rss_mb": {"at_start": rss_start, "after_library": rss_library, "after_index": rss_index},
        "slowest": [{"query": q.text, "kind": q.kind, "ms": ms, "matches": n} for q, ms, n in slowest],
    }
    print_report(results)
    return results


def print_report(r: dict[str, Any]) -> None:
    print(
        f"{r['resources']:,} synthetic resources (mean body {r['body_words_mean']:.0f} words), "
        f"{r['indexed_terms']:,} indexed terms, {r['postings']:,} postings; "
        f"{r['queries']:,} queries, limit {r['limit']}\n"
    )
    rows = [["all", *_figures(r["latency"])]]
    rows += [[kind, *_figures(figures)] for kind, figures in r["latency_by_kind"].items()]
    rows += [["all, gc.freeze() (diagnostic)", *_figures(r["latency_gc_frozen"])]]
    print(table(["queries", "count", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms"], rows, title="Search latency"))
    print()
    rss = r["peak_rss_mb"]
    print(
        table(
            ["figure", "value"],
            [
                ["p99 latency, ms (goal <= 10)", r["latency"]["p99_ms"]],
                ["index build, s", r["index_build_seconds"]],
                ["library generation, s", r["generate_seconds"]],
                ["mean matching documents per query", r["mean_matches_per_query"]],
                ["mean share of the library matched", r["mean_matched_share"]],
                ["objects tracked by the garbage collector", r["gc_tracked_objects"]],
                *[
                    [f"{name} collections during the queries: count / total ms / max ms", _collections(figures)]
                    for name, figures in r["gc_during_queries"].items()
                ],
                ["peak RSS at start, MB", rss["at_start"]],
                ["peak RSS after library, MB", rss["after_library"]],
                ["peak RSS after index (process peak), MB", rss["after_index"]],
            ],
        )
    )
    print()
    print(
        table(
            ["ms", "kind", "matches", "query"],
            [[row["ms"], row["kind"], row["matches"], row["query"]] for row in r["slowest"]],
            title=f"The {SLOWEST} slowest queries:",
        )
    )


def _collections(figures: dict[str, float]) -> str:
    return f"{figures['count']:.0f} / {figures['total_ms']:.0f} / {figures['max_ms']:.1f}"


def _figures(summary: dict[str, float]) -> list[Any]:
    return [
        summary["count"],
        summary["p50_ms"],
        summary["p90_ms"],
        summary["p99_ms"],
        summary["max_ms"],
        summary["mean_ms"],
    ]
