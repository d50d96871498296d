"""Fitting the search's decision (good match, closest, nothing) on labelled queries: `content tune-search`.

Each labelled query is searched as its asker would search it; the features the index measured (fit.py) and the
kind of answer it should get give two logistic regressions ("does a resource answer it?", "is anything
related?"), fitted by Newton's method with a small L2 penalty. Their thresholds are chosen on out-of-fold
probabilities (five folds, each query's fold fixed by a hash of its text) to keep the costly mistakes rare:
telling someone "nothing" when the library answers them, or calling an off-topic query a good match. Everything
is deterministic and rounded, so refitting on the same content and labels writes the same file.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.content.schema import SEARCH_FEATURES, Classifier, SearchFile
from bot.errors import BadInput
from bot.library.fit import Fit
from bot.library.index import SearchIndex
from bot.library.small_talk import small_talk

FOLDS = 5
L2 = 1.0  # keeps the weights finite when a feature separates the labels perfectly
NEWTON_STEPS = 50
GRID = [step / 100 for step in range(5, 96)]
# What each mistake costs, by (label, answer): "nothing" for a covered question loses trust fastest; an
# off-topic question answered as a good match is the next worst.
COSTS = {
    (Fit.GOOD, Fit.NOTHING): 10.0,
    (Fit.GOOD, Fit.CLOSEST): 3.0,
    (Fit.CLOSEST, Fit.GOOD): 2.0,
    (Fit.CLOSEST, Fit.NOTHING): 2.0,
    (Fit.NOTHING, Fit.GOOD): 20.0,
    (Fit.NOTHING, Fit.CLOSEST): 3.0,
}


class LabelledQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    query: str = Field(min_length=1)
    role: str | None = None
    relevant: list[str] = Field(default_factory=list)  # a good match: these answer it, best first
    related: list[str] = Field(default_factory=list)  # only related: these are the closest honest offers

    @property
    def kind(self) -> Fit:
        return Fit.GOOD if self.relevant else Fit.CLOSEST if self.related else Fit.NOTHING


class LabelsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    queries: list[LabelledQuery]
    nothing: list[str] = Field(default_factory=list)  # nothing in the library is related

    def labelled(self) -> list[LabelledQuery]:
        return [*self.queries, *(LabelledQuery(query=query) for query in self.nothing)]


def load_labels(path: Path, known: set[str]) -> list[LabelledQuery]:
    """The labelled queries of a file; BadInput naming the file and the entry for anything wrong."""
    try:
        labels = LabelsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as error:
        raise BadInput(f"{path}: cannot read the labelled queries ({type(error).__name__})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BadInput(f"{path}: {where}: {first['msg']}") from None
    items = labels.labelled()
    for number, item in enumerate(items):
        if item.relevant and item.related:
            raise BadInput(f"{path}: queries[{number}] ({item.query}): relevant or related, not both")
        unknown = sorted(set(item.relevant + item.related) - known)
        if unknown:
            raise BadInput(f"{path}: queries[{number}] ({item.query}): no resource {', '.join(unknown)}")
    return items


@dataclass(frozen=True)
class Tuned:
    search: SearchFile
    confusion: dict[tuple[Fit, Fit], int]  # (label, out-of-fold answer) -> queries


def tune(index: SearchIndex, labels: Sequence[LabelledQuery], source: str) -> Tuned:
    """The two models and their thresholds; small talk ("thanks!") is left out: the bot never searches it."""
    labels = [item for item in labels if not small_talk(item.query)]
    rows = [_row(index, item) for item in labels]
    kinds = [item.kind for item in labels]
    folds = [int(hashlib.sha256(f"{item.query}|{item.role}".encode()).hexdigest(), 16) % FOLDS for item in labels]
    is_good = [kind is Fit.GOOD for kind in kinds]
    is_related = [kind is not Fit.NOTHING for kind in kinds]
    good_oof, related_oof = _out_of_fold(rows, is_good, folds), _out_of_fold(rows, is_related, folds)
    good_at, related_at = _thresholds(kinds, good_oof, related_oof)
    confusion: dict[tuple[Fit, Fit], int] = {}
    for kind, p_good, p_related in zip(kinds, good_oof, related_oof, strict=True):
        answer = _answer(p_good, p_related, good_at, related_at)
        confusion[kind, answer] = confusion.get((kind, answer), 0) + 1
    counts = {kind: kinds.count(kind) for kind in Fit}
    search = SearchFile(
        good=_classifier(_fit(rows, is_good), good_at),
        related=_classifier(_fit(rows, is_related), related_at),
        fitted_on=(
            f"{len(labels)} labelled queries in {source} ({counts[Fit.GOOD]} good, {counts[Fit.CLOSEST]} closest, "
            f"{counts[Fit.NOTHING]} nothing); thresholds from {FOLDS}-fold cross-validation"
        ),
    )
    return Tuned(search, confusion)


def to_yaml(search: SearchFile) -> str:
    header = (
        "# How /learn tells a good match from the closest it has and from nothing yet: two logistic models over\n"
        "# the features the search measures (bot/library/fit.py). Written by `python -m bot content tune-search`;\n"
        "# refit it when the content or the labelled queries change, rather than editing it by hand.\n"
    )
    return header + yaml.safe_dump(search.model_dump(), sort_keys=False, allow_unicode=True, width=120)


def _row(index: SearchIndex, item: LabelledQuery) -> list[float]:
    features = index.search(item.query, role=item.role, limit=3).features.as_dict()
    return [features[name] for name in SEARCH_FEATURES]


def _answer(p_good: float, p_related: float, good_at: float, related_at: float) -> Fit:
    if p_good >= good_at:
        return Fit.GOOD
    return Fit.CLOSEST if p_related >= related_at else Fit.NOTHING


def _thresholds(kinds: list[Fit], good: list[float], related: list[float]) -> tuple[float, float]:
    """The pair with the lowest cost of mistakes; among equals, the one nearest 0.5 (then the lowest)."""

    def cost(pair: tuple[float, float]) -> tuple[float, float, float, float]:
        total = sum(
            COSTS.get((kind, _answer(g, r, *pair)), 0.0) for kind, g, r in zip(kinds, good, related, strict=True)
        )
        return total, abs(pair[0] - 0.5) + abs(pair[1] - 0.5), pair[0], pair[1]

    return min(((g, r) for g in GRID for r in GRID), key=cost)


def _out_of_fold(rows: list[list[float]], labels: list[bool], folds: list[int]) -> list[float]:
    found = [0.0] * len(rows)
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != fold]
        model = _fit([rows[i] for i in train], [labels[i] for i in train])
        for i, f in enumerate(folds):
            if f == fold:
                found[i] = _probability(model, rows[i])
    return found


def _fit(rows: list[list[float]], labels: list[bool]) -> list[float]:
    """Logistic regression by Newton's method: [bias, weight per feature]; the bias is not penalised."""
    size = len(SEARCH_FEATURES) + 1
    model = [0.0] * size
    data = [[1.0, *row] for row in rows]
    for _step in range(NEWTON_STEPS):
        gradient = [L2 * model[j] if j else 0.0 for j in range(size)]
        hessian = [[(L2 if i == j and i else 0.0) for j in range(size)] for i in range(size)]
        for x, y in zip(data, labels, strict=True):
            p = _sigmoid(sum(w * v for w, v in zip(model, x, strict=True)))
            for i in range(size):
                gradient[i] += (p - y) * x[i]
                for j in range(size):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve(hessian, gradient)
        model = [w - s for w, s in zip(model, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return model


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and positive definite)."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        if abs(rows[column][column]) < 1e-12:
            rows[column][column] = 1e-12
        for r in range(column + 1, size):
            factor = rows[r][column] / rows[column][column]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    solution = [0.0] * size
    for r in reversed(range(size)):
        solution[r] = (rows[r][size] - sum(rows[r][c] * solution[c] for c in range(r + 1, size))) / rows[r][r]
    return solution


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def _probability(model: list[float], row: list[float]) -> float:
    return _sigmoid(model[0] + sum(w * v for w, v in zip(model[1:], row, strict=True)))


def _classifier(model: list[float], threshold: float) -> Classifier:
    weights = {name: round(weight, 4) for name, weight in zip(SEARCH_FEATURES, model[1:], strict=True)}
    return Classifier(weights=weights, bias=round(model[0], 4), threshold=round(threshold, 2))
