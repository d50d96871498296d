"""The search index over the resource library: BM25F in memory, with stemming, synonyms and typo tolerance.

The index is rebuilt from the database whenever content changes, so it behaves the same on SQLite and
PostgreSQL. Weights: a match in the title counts most, then keywords, summary and skills, then moments and
the body. A person's role and the skills they want to grow lift results that fit them. Whether the results
answer the query, are only the closest the library has, or whether nothing is related at all, is decided
from features of the query and its best hits (`fit.py`; the share a resource's own description carries of
what was asked is one, see `_described_share`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.content.types import ElsewhereView, SearchTuning
from bot.library.analyzer import STOPWORDS, SYNONYM, TYPO_MIN, Analyzer, Speller, stem
from bot.library.elsewhere import Elsewhere
from bot.library.fit import Features, Fit, decide
from bot.library.postings import Document, build, idf
from bot.library.ranking import Hit, best_hits

FUZZY_PENALTY = 0.7  # a term matched through a typo counts a little less
ROLE_BOOST, OTHER_ROLE, SKILL_BOOST = 1.25, 0.85, 1.15
# A word of the query only in a resource's body counts for less of what its description carries.
BODY_SHARE = 0.4
DESCRIBED = ("title", "keywords", "summary", "skills", "moments")  # what a resource says it is about
NAMED_SKILL_BOOST = 1.6  # the query names the resource's main skill
NAMED_SECONDARY_BOOST = 1.25  # ... or one of its other skills
COMMON_WALK = 300  # best documents walked for a query made only of very common terms
MAX_QUERY_TERMS = 24


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    terms: list[str]
    fit: Fit  # the first hits answer it, are the closest the library has, or nothing is related
    features: Features  # what `fit` was decided from
    elsewhere: ElsewhereView | None = None  # the kind of question it most is that belongs elsewhere, if any

    @property
    def good(self) -> bool:
        return self.fit is Fit.GOOD


class SearchIndex:
    def __init__(
        self,
        documents: Sequence[Document],
        analyzer: Analyzer | None = None,
        skill_names: Mapping[str, str] | None = None,
        tuning: SearchTuning | None = None,
        elsewhere: Sequence[ElsewhereView] = (),
    ) -> None:
        self.documents = list(documents)
        self.tuning = tuning
        self._elsewhere = Elsewhere(elsewhere)
        self.analyzer = analyzer or Analyzer()
        # a query that names a skill ("giving feedback") is about that skill: its resources come first
        self._skill_terms = {
            key: frozenset(terms) for key, name in (skill_names or {}).items() if (terms := self.analyzer.terms(name))
        }
        self._position = {document.key: index for index, document in enumerate(self.documents)}
        self._boosts = [document.boost for document in self.documents]
        self._max_boost = max(self._boosts, default=1.0)
        self._postings, spelled = build(self.documents, self.analyzer)
        # the words resources use to say what they are about (not words met only in a body): an off-topic query
        # ("book a meeting room", "public speaking") uses few of them
        self._topical = frozenset(
            term
            for document in self.documents
            for name in DESCRIBED
            for _word, term in self.analyzer.words(document.fields.get(name, ""), parts=True)
        )
        self._speller = Speller({**spelled, **self.analyzer.members})

    @property
    def posting_count(self) -> int:
        return sum(len(postings.docs) for postings in self._postings.values())

    @property
    def term_count(self) -> int:
        return len(self._postings)

    def set_boosts(self, boosts: Mapping[str, float]) -> None:
        """Replace the feedback boosts (key -> multiplier) without rebuilding the index."""
        self._boosts = [boosts.get(document.key, 1.0) for document in self.documents]
        self._max_boost = max(self._boosts, default=1.0)

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
        asked: dict[str, str] = {}  # term -> the word as typed, first occurrence first
        for word, term in self.analyzer.words(query):
            asked.setdefault(term, word)
        terms = list(asked)[:MAX_QUERY_TERMS]
        each = {term: self._resolve(term, asked[term]) for term in terms}
        resolved = {found: factor for found, factor in each.values() if found is not None}
        scores, matched = self._score(resolved)
        for key in exclude:
            position = self._position.get(key)
            if position is not None:
                scores.pop(position, None)
        wanted = frozenset(skills)
        named = frozenset(key for key, needed in self._skill_terms.items() if needed <= resolved.keys())
        hits = self._top(scores, matched, len(terms), role, wanted, named, max(offset + limit, 3))  # fit: first 3
        asked_for = [found for found, _factor in each.values()]
        away, topic = self._elsewhere_share(query)
        features = Features.measured(
            described=max((self._described_share(hit.key, asked_for) for hit in hits[:3]), default=0.0),
            scores=[hit.score for hit in hits[:2]],
            coverage=hits[0].coverage if hits else 0.0,
            known=self._share(asked_for, lambda term: True),
            topical=self._share(asked_for, lambda term: term in self._topical),
            named_skill=bool(named),
            terms=len(terms),
            elsewhere=away,
        )
        fit = decide(features, self.tuning)
        return SearchResult(hits[offset : offset + limit], len(scores), terms, fit, features, topic)

    def _elsewhere_share(self, query: str) -> tuple[float, ElsewhereView | None]:
        """How much of the query, each word weighed by its IDF, is about a kind of question that belongs
        elsewhere, and which; stop words weigh nothing."""
        if not self._elsewhere.topics:
            return 0.0, None
        tokens = self.analyzer.tokens(query)[: MAX_QUERY_TERMS * 2]
        weights = [0.0 if token in STOPWORDS else self._idf(self._known(stem(token))) for token in tokens]
        return self._elsewhere.about(tokens, weights)

    def _known(self, term: str) -> str | None:
        return term if term in self._postings else None

    def _share(self, asked_for: Sequence[str | None], counts: Callable[[str], bool]) -> float:
        """The share of the query, each term weighed by its IDF, whose indexed terms `counts` (a word the library
        never uses never counts)."""
        weights = [(self._idf(term), term is not None and counts(term)) for term in asked_for]
        total = sum(weight for weight, _counted in weights)
        return sum(weight for weight, counted in weights if counted) / total if total else 0.0

    def _described_share(self, key: str, asked_for: Sequence[str | None]) -> float:
        """How much of the query, each term weighed by its IDF, the resource's own description carries (a term
        only in its body counts for less). A stray word in a body, or one common word out of a query about
        something else ("sql joins", "weather tomorrow"), is not a match."""
        doc = self._position[key]
        fields = self.documents[doc].fields
        described = {
            term for name in DESCRIBED for _word, term in self.analyzer.words(fields.get(name, ""), parts=True)
        }
        carried = total = 0.0
        for term in asked_for:
            weight = self._idf(term)
            total += weight
            if term is not None and term in described:
                carried += weight
            elif term is not None and self._contains(term, doc):
                carried += weight * BODY_SHARE
        return carried / total if total else 0.0

    def _contains(self, term: str, doc: int) -> bool:
        postings = self._postings[term]
        if postings.dense is not None:
            return postings.dense[doc] > 0
        found = bisect_left(postings.docs, doc)
        return found < len(postings.docs) and postings.docs[found] == doc

    def _idf(self, term: str | None) -> float:
        """A term's IDF; a word the library never uses weighs as one it uses once."""
        count = len(self._postings[term].docs) if term is not None else 1
        return idf(len(self.documents), count)

    def _score(self, resolved: Mapping[str, float]) -> tuple[dict[int, float], dict[int, int]]:
        """BM25F sums, rarest term first; a very common term only adds to documents already found."""
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        for term in sorted(resolved, key=lambda t: len(self._postings[t].docs)):
            postings, factor = self._postings[term], resolved[term]
            if postings.dense is not None and scores:
                dense = postings.dense
                for doc in list(scores):
                    weight = dense[doc]
                    if weight:
                        scores[doc] += weight * factor
                        matched[doc] += 1
                continue
            score_of, matched_of = scores.get, matched.get
            # only common terms so far: their best documents are enough to rank the top ones
            cut = COMMON_WALK if postings.dense is not None else len(postings.docs)
            for doc, weight in zip(postings.docs[:cut], postings.weights[:cut], strict=True):
                scores[doc] = score_of(doc, 0.0) + weight * factor
                matched[doc] = matched_of(doc, 0) + 1
        return scores, matched

    def _top(
        self,
        scores: dict[int, float],
        matched: dict[int, int],
        terms: int,
        role: str | None,
        skills: frozenset[str],
        named: frozenset[str],
        wanted: int,
    ) -> list[Hit]:
        """The best `wanted` hits after the person's fit, without weighing every match (ranking.py): the fit
        raises a raw score at most by every boost that applies to this search."""
        ceiling = self._max_boost * (NAMED_SKILL_BOOST if named else 1.0)
        ceiling *= (ROLE_BOOST if role else 1.0) * (SKILL_BOOST if skills else 1.0)
        return best_hits(
            scores, wanted, lambda doc, raw: self._hit(doc, raw, matched, terms, role, skills, named), ceiling
        )

    def _hit(
        self,
        doc: int,
        raw: float,
        matched: dict[int, int],
        terms: int,
        role: str | None,
        skills: frozenset[str],
        named: frozenset[str],
    ) -> Hit:
        """A match weighed for the person: their fit, and how much of the query it matched."""
        score = raw * self._fit(doc, role, skills, named) * _coord(matched[doc], terms)
        return Hit(self.documents[doc].key, score, matched[doc] / (terms or 1))

    def recommend(
        self, *, role: str | None, skills: Iterable[str], limit: int = 3, exclude: Iterable[str] = ()
    ) -> list[str]:
        """Without a query: what fits the person's role and the skills they want to grow."""
        wanted, skipped = frozenset(skills), frozenset(exclude)
        candidates = [
            (self._fit(index, role, wanted) * (1 + len(doc.skills & wanted)), doc.key)
            for index, doc in enumerate(self.documents)
            if doc.key not in skipped and (not doc.roles or role in doc.roles or doc.skills & wanted)
        ]
        candidates.sort(key=lambda pair: (-pair[0], pair[1]))
        return [key for _score, key in candidates[:limit]]

    def _fit(self, index: int, role: str | None, skills: frozenset[str], named: frozenset[str] = frozenset()) -> float:
        document = self.documents[index]
        fit = self._boosts[index]
        if named and document.skills & named:
            fit *= NAMED_SKILL_BOOST if document.primary_skill in named else NAMED_SECONDARY_BOOST
        if role and document.roles:
            fit *= ROLE_BOOST if role in document.roles else OTHER_ROLE
        if skills and document.skills & skills:
            fit *= SKILL_BOOST
        return fit

    def _resolve(self, term: str, word: str) -> tuple[str | None, float]:
        """The indexed term for a query word: its own term, or the most common term of a word one typo away."""
        if term in self._postings:
            return term, 1.0
        if len(word) < TYPO_MIN or SYNONYM.fullmatch(term):
            return None, 0.0
        close = self._speller.close_terms(word) & self._postings.keys()
        if not close:
            return None, 0.0
        best = max(close, key=lambda c: (len(self._postings[c].docs), c))
        return best, FUZZY_PENALTY


def _coord(matched: int, terms: int) -> float:
    """Favour documents that match more of what was asked (Lucene's classic coordination factor)."""
    return (matched / terms) ** 0.25 if terms else 1.0
