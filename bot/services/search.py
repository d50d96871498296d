"""Search over the resource library: BM25F in memory, with stemming, synonyms and typo tolerance.

The index is rebuilt from the database whenever content changes, so it behaves the same on SQLite and
PostgreSQL. Weights: a match in the title counts most, then keywords, summary and skills, then moments and
the body. A person's role and the skills they want to grow lift results that fit them.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.5, "summary": 2.0, "skills": 2.0, "moments": 1.5, "body": 1.0}
K1, B = 1.2, 0.75
FUZZY_PENALTY = 0.7  # a term matched through a typo counts a little less
ROLE_BOOST, OTHER_ROLE, SKILL_BOOST = 1.25, 0.9, 1.15
GOOD_COVERAGE = 0.5  # at least half of what was asked must match for "a good match"
GOOD_SCORE = 1.0
MAX_QUERY_TERMS = 24

STOPWORDS = frozenset(
    """
    a about after am an and any are as at be been before being but by can could did do does doing for from
    had has have how i if in into is it its just me my need of on or our should so some than that the their
    them then there these they this to too up us was we were what when where which while who why will with
    would you your help tips learn learning want way ways
    """.split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[a-z0-9]+")
_SYNONYM = re.compile(r"zsyn\d+")  # the canonical term a synonym group is indexed under
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


class Analyzer:
    """Text to search terms: lower case, synonym phrases to one canonical term, stop words out, stemmed."""

    def __init__(self, synonyms: Sequence[Sequence[str]] = ()) -> None:
        self._canonical: dict[str, str] = {}
        self.members: dict[str, str] = {}  # stem of a one-word synonym -> its group's term, for typo matching
        phrases: list[str] = []
        for number, group in enumerate(synonyms):
            for phrase in group:
                text = phrase.strip().lower()
                if text:
                    self._canonical[text] = f"zsyn{number}"
                    phrases.append(re.escape(text))
                    if _TOKEN.fullmatch(text) and len(text) >= 4:
                        self.members[stem(text)] = f"zsyn{number}"
        phrases.sort(key=len, reverse=True)
        self._phrases = re.compile(rf"(?<![a-z0-9])({'|'.join(phrases)})s?(?![a-z0-9])") if phrases else None

    def terms(self, text: str) -> list[str]:
        text = text.lower()
        if self._phrases is not None:
            text = self._phrases.sub(lambda m: f" {self._canonical[m.group(1)]} ", text)
        return [
            word if _SYNONYM.fullmatch(word) else stem(word) for word in _TOKEN.findall(text) if word not in STOPWORDS
        ]


@dataclass(frozen=True)
class Document:
    key: str
    fields: Mapping[str, str]
    roles: frozenset[str] = frozenset()  # empty: for everyone
    skills: frozenset[str] = frozenset()
    boost: float = 1.0  # from what people said about it


@dataclass(frozen=True)
class Hit:
    key: str
    score: float
    coverage: float  # share of the query's terms it matched


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    terms: list[str]

    @property
    def good(self) -> bool:
        """Whether the best hit is a real answer rather than a stray word match."""
        return bool(self.hits) and self.hits[0].coverage >= GOOD_COVERAGE and self.hits[0].score >= GOOD_SCORE


@dataclass
class _Posting:
    doc: int
    weight: float


@dataclass
class SearchIndex:
    documents: list[Document]
    analyzer: Analyzer = field(default_factory=Analyzer)

    def __post_init__(self) -> None:
        self._postings: dict[str, list[_Posting]] = defaultdict(list)
        lengths: list[float] = []
        frequencies: list[dict[str, float]] = []
        for document in self.documents:
            counts: dict[str, float] = defaultdict(float)
            length = 0.0
            for name, weight in FIELD_WEIGHTS.items():
                terms = self.analyzer.terms(document.fields.get(name, ""))
                length += weight * len(terms)
                for term in terms:
                    counts[term] += weight
            frequencies.append(counts)
            lengths.append(length)
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        total = len(self.documents)
        for index, counts in enumerate(frequencies):
            norm = K1 * (1 - B + B * lengths[index] / (average or 1.0))
            for term, tf in counts.items():
                self._postings[term].append(_Posting(index, tf * (K1 + 1) / (tf + norm)))
        for postings in self._postings.values():
            idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            for posting in postings:
                posting.weight *= idf
        self._deletes = _deletes_index([*self._postings, *self.analyzer.members])

    def search(
        self,
        query: str,
        *,
        role: str | None = None,
        skills: Iterable[str] = (),
        limit: int = 3,
        offset: int = 0,
        exclude: Iterable[str] = (),
    ) -> SearchResult:
        terms = list(dict.fromkeys(self.analyzer.terms(query)))[:MAX_QUERY_TERMS]
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for term in terms:
            found, factor = self._resolve(term)
            if found is None:
                continue
            for posting in self._postings[found]:
                scores[posting.doc] += posting.weight * factor
                matched[posting.doc] += 1
        wanted, skipped = frozenset(skills), frozenset(exclude)
        ranked = sorted(
            (
                Hit(
                    self.documents[doc].key,
                    score * self._fit(self.documents[doc], role, wanted),
                    matched[doc] / len(terms),
                )
                for doc, score in scores.items()
                if self.documents[doc].key not in skipped
            ),
            key=lambda hit: (-hit.score, hit.key),
        )
        return SearchResult(hits=ranked[offset : offset + limit], total=len(ranked), terms=terms)

    def recommend(
        self, *, role: str | None, skills: Iterable[str], limit: int = 3, exclude: Iterable[str] = ()
    ) -> list[str]:
        """Without a query: what fits the person's role and the skills they want to grow."""
        wanted, skipped = frozenset(skills), frozenset(exclude)
        candidates = [
            (self._fit(doc, role, wanted) * (1 + len(doc.skills & wanted)), doc.key)
            for doc in self.documents
            if doc.key not in skipped and (not doc.roles or role in doc.roles or doc.skills & wanted)
        ]
        candidates.sort(key=lambda pair: (-pair[0], pair[1]))
        return [key for _score, key in candidates[:limit]]

    @staticmethod
    def _fit(document: Document, role: str | None, skills: frozenset[str]) -> float:
        fit = document.boost
        if role and document.roles:
            fit *= ROLE_BOOST if role in document.roles else OTHER_ROLE
        if document.skills & skills:
            fit *= SKILL_BOOST
        return fit

    def _resolve(self, term: str) -> tuple[str | None, float]:
        """The indexed term for a query term: itself, or the most common term one typo away."""
        if term in self._postings:
            return term, 1.0
        if len(term) < 4 or _SYNONYM.fullmatch(term):
            return None, 0.0
        candidates: set[str] = set()
        for variant in (term, *_deletes(term), *_transpositions(term)):
            candidates.update(self._deletes.get(variant, ()))
            if variant in self._postings or variant in self.analyzer.members:
                candidates.add(variant)
        close = {self.analyzer.members.get(c, c) for c in candidates if _distance(term, c) <= 1}
        close &= self._postings.keys()
        if not close:
            return None, 0.0
        best = max(close, key=lambda c: (len(self._postings[c]), c))
        return best, FUZZY_PENALTY


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _transpositions(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def _deletes_index(vocabulary: Iterable[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for word in vocabulary:
        if len(word) >= 4 and not _SYNONYM.fullmatch(word):
            for variant in _deletes(word):
                index[variant].add(word)
    return index


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions)."""
    if abs(len(a) - len(b)) > 1:
        return 2
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
