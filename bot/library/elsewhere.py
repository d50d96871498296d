"""The questions that belong elsewhere (content/elsewhere.yaml): which of its topics a query is about, and how
much of the query, each word weighed by its IDF, that topic's words and phrases carry.

"reset my vpn password" is all IT; "delegating a project before my holiday" is a little HR. The share is one of
the features the search's decision weighs (fit.py), and the topic is what the "nothing yet" answer names.
Words match as typed with their plural, past and -ing forms ("logging" for "log"), not by stem: "expensive"
is not "expense". Phrases match word for word, each word in any of those forms ("meeting rooms", "logged out").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.types import ElsewhereView
from bot.library.analyzer import inflections


class Elsewhere:
    def __init__(self, topics: Sequence[ElsewhereView]) -> None:
        self.topics = tuple(topics)
        found: dict[str, set[int]] = {}
        # a phrase's first word (any form) -> (the forms of each of its other words, topic)
        self._phrases: dict[str, list[tuple[tuple[frozenset[str], ...], int]]] = {}
        for number, topic in enumerate(self.topics):
            for word in topic.words:
                for form in inflections(word):
                    found.setdefault(form, set()).add(number)
            for phrase in topic.phrases:
                rest = tuple(frozenset(inflections(word)) for word in phrase[1:])
                for form in inflections(phrase[0]):
                    self._phrases.setdefault(form, []).append((rest, number))
        # a word as typed -> the topics it belongs to
        self._words = {form: frozenset(numbers) for form, numbers in found.items()}

    def about(self, tokens: Sequence[str], weights: Sequence[float]) -> tuple[float, ElsewhereView | None]:
        """The topic carrying the largest share of the query (tokens as typed, each with its weight), and that
        share; (0.0, None) when no topic's words are in it."""
        total = sum(weights)
        if not total or not self.topics:
            return 0.0, None
        marked: list[set[int]] = [set(self._words.get(token, ())) for token in tokens]
        for position, token in enumerate(tokens):
            for rest, number in self._phrases.get(token, ()):
                end = position + 1 + len(rest)
                following = tokens[position + 1 : end]
                if len(following) == len(rest) and all(
                    word in forms for word, forms in zip(following, rest, strict=True)
                ):
                    for covered in range(position, end):
                        marked[covered].add(number)
        carried = [0.0] * len(self.topics)
        for weight, numbers in zip(weights, marked, strict=True):
            for number in numbers:
                carried[number] += weight
        best = max(range(len(self.topics)), key=lambda number: (carried[number], -number))
        if not carried[best]:
            return 0.0, None
        return carried[best] / total, self.topics[best]
