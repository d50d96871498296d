"""The best few of many scored matches, after a fit that can raise a raw score only so far.

Ranking every match of a long query means weighing thousands of resources for the person; only the leaders can
end first. The leaders by raw score are weighed first; the rest are walked best first only while one of them,
raised by the most the fit allows (`ceiling`), could still pass the last of the best.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

POOL_EXTRA = 20  # leaders weighed at once: four times what is wanted, and this many more


@dataclass(frozen=True)
class Hit:
    key: str
    score: float
    coverage: float  # share of the query's terms it matched


def rank(hit: Hit) -> tuple[float, str]:
    """Best score first; among equals, by key."""
    return -hit.score, hit.key


def best_hits(scores: dict[int, float], wanted: int, hit_of: Callable[[int, float], Hit], ceiling: float) -> list[Hit]:
    """The best `wanted` hits of documents with raw `scores`, `hit_of` weighing one for the person (never raising
    its raw score more than `ceiling` times): exactly those of weighing every one."""
    pool_size = wanted * 4 + POOL_EXTRA
    if len(scores) <= pool_size:
        return sorted((hit_of(doc, raw) for doc, raw in scores.items()), key=rank)[:wanted]
    pool = heapq.nlargest(pool_size, scores.items(), key=itemgetter(1))
    hits = sorted((hit_of(doc, raw) for doc, raw in pool), key=rank)[:wanted]
    if len(hits) < wanted or pool[-1][1] * ceiling < hits[-1].score:
        return hits
    seen = {doc for doc, _raw in pool}
    for doc, raw in sorted(scores.items(), key=itemgetter(1), reverse=True):
        if raw * ceiling < hits[-1].score:
            break
        if doc in seen:
            continue
        hit = hit_of(doc, raw)
        if rank(hit) < rank(hits[-1]):
            hits[-1] = hit
            hits.sort(key=rank)
    return hits
