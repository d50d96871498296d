"""The index's storage: BM25F weights per field, computed once per build into compact postings (one pair
of arrays per term, no object per posting)."""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.library.analyzer import TYPO_MIN, Analyzer

# Chosen by MRR on the tuning queries (bench/queries.yaml) over a small grid: a word met only in a body is weak
# evidence of what a resource is about; the moments people are in are strong.
FIELD_WEIGHTS = {"title": 4.0, "keywords": 3.0, "summary": 1.5, "skills": 2.0, "moments": 2.5, "body": 0.25}
K1, B = 1.2, 0.5
COMMON_SHARE = 0.2  # a term in more than a fifth of a large library only re-scores what rarer terms found
DENSE_MIN_DOCS = 500


@dataclass(frozen=True)
class Document:
    key: str
    fields: Mapping[str, str]
    roles: frozenset[str] = frozenset()  # empty: for everyone
    skills: frozenset[str] = frozenset()
    boost: float = 1.0  # from what people said about it
    primary_skill: str | None = None  # the skill it is mainly about


class Postings:
    """One term's documents and weights, as compact arrays (no object per posting for the collector)."""

    __slots__ = ("dense", "docs", "weights")

    def __init__(self, docs: list[int], weights: list[float], total: int, dense: bool) -> None:
        self.dense: array[float] | None = None
        if dense:  # a very common term: looked up per candidate, or walked best-first when alone
            self.dense = array("d", bytes(8 * total))
            for doc, weight in zip(docs, weights, strict=True):
                self.dense[doc] = weight
            ranked = sorted(zip(weights, docs, strict=True), reverse=True)
            docs, weights = [doc for _, doc in ranked], [weight for weight, _ in ranked]
        self.docs = array("i", docs)
        self.weights = array("d", weights)


def build(documents: Sequence[Document], analyzer: Analyzer) -> tuple[dict[str, Postings], dict[str, str]]:
    """The postings of every term, and each indexed word as written (to its term) for typo matching."""
    spelled: dict[str, str] = {}
    raw: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    lengths: list[float] = []
    frequencies: list[dict[str, float]] = []
    for document in documents:
        counts: dict[str, float] = defaultdict(float)
        length = 0.0
        for name, weight in FIELD_WEIGHTS.items():
            words = analyzer.words(document.fields.get(name, ""), parts=True)
            length += weight * len(words)
            for word, term in words:
                counts[term] += weight
                if len(word) >= TYPO_MIN:
                    spelled[word] = term
        frequencies.append(counts)
        lengths.append(length)
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    for index, counts in enumerate(frequencies):
        norm = K1 * (1 - B + B * lengths[index] / (average or 1.0))
        for term, tf in counts.items():
            docs, weights = raw[term]
            docs.append(index)
            weights.append(tf * (K1 + 1) / (tf + norm))
    total = len(documents)
    built = {}
    for term, (docs, weights) in raw.items():
        weight_idf = idf(total, len(docs))
        dense = total >= DENSE_MIN_DOCS and len(docs) > COMMON_SHARE * total
        built[term] = Postings(docs, [w * weight_idf for w in weights], total, dense)
    return built, spelled


def idf(total: int, count: int) -> float:
    return math.log(1 + (total - count + 0.5) / (count + 0.5))
