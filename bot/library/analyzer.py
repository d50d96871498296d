"""Text to search terms: lower case, synonym phrases to one canonical term, stop words out, Snowball stems;
and the one-typo candidates the index uses to match a misspelt word (compared as typed, before stemming:
"delegaton" is one letter from "delegation", though far from its stem "deleg")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import snowballstemmer  # type: ignore[import-untyped]

STOPWORDS = frozenset(
    """
    a about after am an and any are as at be been before being but by can could did do does doing for from
    had has have how i if in into is it its just me my need of on or our should so some than that the their
    them then there these they this to too up us was we were what when where which while who why will with
    would you your help tips learn learning want way ways without enough skill skills better best improve
    advice
    all again also against below between both down during each few further here more most nor not now off
    once only other out over own same such through under until very still really get gets getting got keep
    keeps kept s t d ll m re ve don dont isn aren wasn weren won wouldn couldn shouldn didn doesn haven hasn
    hadn cant im ive
    """.split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[a-z0-9]+")
TYPO_MIN = 5  # shorter words are matched exactly: one letter off, "helm" would be "help" and "chart" "chat"
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
    """Text to search terms: lower case, synonym phrases to one canonical term, stop words out, stemmed.

    A synonym phrase matches word by word, each word as written or inflected ("listened", "managers",
    "1:1s"), but not a different word with the same stem: "management" is not "manager".
    """

    def __init__(self, synonyms: Sequence[Sequence[str]] = ()) -> None:
        self.members: dict[str, str] = {}  # a one-word synonym as written -> its group's term, for typo matching
        self._phrases: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)  # first word -> rest -> term
        self._forms: dict[str, str] = {}  # an inflected form of a word in a phrase -> the word
        self._longest = 0
        written: set[str] = set()
        for number, group in enumerate(synonyms):
            for phrase in group:
                words = tuple(_TOKEN.findall(phrase.lower()))
                if not words:
                    continue
                self._phrases[words[0]][words[1:]] = f"zsyn{number}"
                self._longest = max(self._longest, len(words))
                written.update(words)
                for word in words:
                    for form in inflections(word):
                        self._forms.setdefault(form, word)
                if len(words) == 1 and len(words[0]) >= TYPO_MIN:
                    self.members[words[0]] = f"zsyn{number}"
        self._forms.update((word, word) for word in written)  # a word as written is itself, whatever else it inflects

    def terms(self, text: str) -> list[str]:
        return [term for _word, term in self.words(text)]

    @staticmethod
    def tokens(text: str) -> list[str]:
        """Every word as typed, lower case, stop words included."""
        return _TOKEN.findall(text.lower())

    def words(self, text: str, *, parts: bool = False) -> list[tuple[str, str]]:
        """Each word kept, as written (lower case) and as the term it is indexed under. With `parts`, the words
        of a synonym phrase are kept too, after its term: a guide on "incomplete data" is found by "data"."""
        tokens = _TOKEN.findall(text.lower())
        found: list[tuple[str, str]] = []
        position = 0
        while position < len(tokens):
            token = tokens[position]
            synonym = self._synonym_at(tokens, position) if self._phrases else None
            if synonym is not None:
                term, length = synonym
                found.append((term, term))
                if parts and length > 1:
                    found.extend(
                        (word, stem(word)) for word in tokens[position : position + length] if word not in STOPWORDS
                    )
                position += length
                continue
            if token not in STOPWORDS:
                found.append((token, stem(token)))
            position += 1
        return found

    def _synonym_at(self, tokens: list[str], position: int) -> tuple[str, int] | None:
        """The longest synonym phrase starting at this token, and how many tokens it covers."""
        rests = self._phrases.get(self._forms.get(tokens[position], ""))
        if rests is None:
            return None
        for length in range(min(self._longest, len(tokens) - position), 0, -1):
            rest = tuple(self._forms.get(token, "") for token in tokens[position + 1 : position + length])
            term = rests.get(rest)
            if term is not None:
                return term, length
        return None


def inflections(word: str) -> set[str]:
    """The word and its regular inflections: plural, past, -ing (with the silent e dropped, and the last
    consonant doubled after one short vowel: "logged", "planning")."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 2:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def transpositions(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def deletes_index(vocabulary: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every one-letter deletion of every word, to the words it came from (tuples: no work for the collector)."""
    index: dict[str, set[str]] = defaultdict(set)
    for word in vocabulary:
        if len(word) >= TYPO_MIN and not SYNONYM.fullmatch(word):
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


class Speller:
    """Typo tolerance over the index's vocabulary: each word as written (to its term) and its one-letter
    deletions, so that a word one typo away is found without comparing it with every word."""

    def __init__(self, spelled: Mapping[str, str]) -> None:
        self._spelled = dict(spelled)
        self._deletes = deletes_index(self._spelled)

    def close_terms(self, word: str) -> set[str]:
        """The terms of the indexed words at most one typo from `word`."""
        candidates: set[str] = set()
        for variant in (word, *deletes(word), *transpositions(word)):
            candidates.update(self._deletes.get(variant, ()))
            if variant in self._spelled:
                candidates.add(variant)
        return {self._spelled[c] for c in candidates if distance(word, c) <= 1}
