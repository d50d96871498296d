"""How well the library answers a query: a good match, the closest it has, or nothing yet.

The search measures a handful of features of the query and its best hits (all from the index, none from
outside); `content/search.yaml` holds two logistic models over them, fitted on labelled queries by
`python -m bot content tune-search` (bot/library/tuning.py): "does a resource answer it?" and "is anything
related?". Without that file a rule of thumb decides.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass

from bot.content.schema import SEARCH_FEATURES
from bot.content.types import SearchTuning

# The rule of thumb: what a resource's own description must carry of the query (IDF-weighted) to answer it,
# with a raw score to go with it; and to be related at all, with most of the query in the library's words.
GOOD_SHARE, GOOD_SCORE = 0.5, 1.0
RELATED_SHARE, RELATED_KNOWN = 0.3, 0.6
MARGIN_CAP = 3.0
TERMS_CAP = 10


class Fit(enum.StrEnum):
    GOOD = "good"  # a resource answers it
    CLOSEST = "closest"  # nothing answers it exactly; related resources, shown as the closest we have
    NOTHING = "nothing"  # nothing related in the library


@dataclass(frozen=True)
class Features:
    """What the search measured. Every value is in [0, 1] but `score` and `margin` (logs, 0 to about 3)."""

    described: float  # the best share of the query, IDF-weighted, that a top hit's own description carries
    coverage: float  # the best hit's share of the query's terms
    score: float  # log(1 + the best hit's score)
    margin: float  # log of the best score over the second's (capped): one clear answer, or many alike
    known: float  # the share of the query, IDF-weighted, that the library's vocabulary knows at all
    topical: float  # ... that resources use to say what they are about (titles, keywords, summaries, moments)
    named_skill: float  # 1 when the query names a skill
    terms: float  # how many terms were asked, over 10 (capped)
    elsewhere: float  # the share of the query, IDF-weighted, in the words of a kind of question that belongs elsewhere

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def measured(
        cls,
        *,
        described: float,
        scores: list[float],
        coverage: float,
        known: float,
        topical: float,
        named_skill: bool,
        terms: int,
        elsewhere: float = 0.0,
    ) -> Features:
        best = scores[0] if scores else 0.0
        second = scores[1] if len(scores) > 1 else 0.0
        margin = min(MARGIN_CAP, math.log((best + 0.01) / (second + 0.01))) if scores else 0.0
        return cls(
            described=described,
            coverage=coverage,
            score=math.log1p(best),
            margin=margin,
            known=known,
            topical=topical,
            named_skill=1.0 if named_skill else 0.0,
            terms=min(terms, TERMS_CAP) / TERMS_CAP,
            elsewhere=elsewhere,
        )


assert tuple(Features.__dataclass_fields__) == SEARCH_FEATURES, "search.yaml weighs exactly these features"


def decide(features: Features, tuning: SearchTuning | None) -> Fit:
    """Good, closest or nothing: by the fitted models when there are some, else by the rule of thumb."""
    if tuning is None:
        if features.elsewhere > features.described:
            return Fit.NOTHING  # more of it belongs elsewhere than any resource carries
        if features.described >= GOOD_SHARE and features.score >= math.log1p(GOOD_SCORE):
            return Fit.GOOD
        related = features.described >= RELATED_SHARE and features.known >= RELATED_KNOWN
        return Fit.CLOSEST if related else Fit.NOTHING
    measured = features.as_dict()
    if tuning.good.says_yes(measured):
        return Fit.GOOD
    return Fit.CLOSEST if tuning.related.says_yes(measured) else Fit.NOTHING
