"""Text to search terms: lower case, synonym phrases to one canonical term, stop words out, Snowball stems;
and the one-typo candidates the index uses to match a misspelt word."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import snowballstemmer  # type: ignore[import-untyped]

STOPWORDS = frozenset(
    """
    a about after am an and any are as at be been before being but by can could did do does doing for from
    had has have how i if in into is it its just me my need of on or our should so some than that the their
    them then there these they this to too up us was we were what when where which while who why will with
    would you your help tips learn learning want way ways without enough skill skills
    """.split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[a-z0-9]+")
SYNONYM = re.compile(r"zsyn\d+")  # the canonical term a synonym group is indexed under
_STEMMER = snowballstemmer.stemmer("english")


_STEMS: dict[str, str] = {}  # a plain str -> str dict: the garbage collector never has to walk it


def stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        found = str(_STEMMER.stemWord(word))
        if len(_STEMS) < 200_000:
            _STEMS[word] = found
    return found


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
            word if SYNONYM.fullmatch(word) else stem(word) for word in _TOKEN.findall(text) if word not in STOPWORDS
        ]


def deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def transpositions(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def deletes_index(vocabulary: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every one-letter deletion of every term, to the terms it came from (tuples: no work for the collector)."""
    index: dict[str, set[str]] = defaultdict(set)
    for word in vocabulary:
        if len(word) >= 4 and not SYNONYM.fullmatch(word):
            for variant in deletes(word):
                index[variant].add(word)
    return {variant: tuple(words) for variant, words in index.items()}


def distance(a: str, b: str) -> int:
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
