"""A deterministic synthetic resource library and query stream built from the vocabulary of the real content.

Each synthetic resource takes a real resource as its "parent" and draws about half of every field's words
from the parent (so topics cluster the way they do in real content) and the rest from the whole library's
vocabulary for that field, weighted by how often each word occurs (a Zipf-like spread).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import CONTENT_DIR, LabelledQuery

TITLE_WORDS = (5, 10)
SUMMARY_WORDS = (15, 25)
KEYWORDS = (5, 9)
MOMENTS = (2, 3)
BODY_WORDS = (250, 400)
PARENT_SHARE = 0.5
if TYPE_CHECKING:
    from bot.library.postings import Document

_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_QUERY_STOP = frozenset(
    ["a", "an", "and", "the", "to", "of", "for", "in", "on", "with", "your", "you", "my", "i", "it", "is", "are"]
)


@dataclass(frozen=True)
class Words:
    """Words with their frequencies, ready for weighted sampling."""

    words: list[str]
    cumulative: list[int]

    @classmethod
    def of(cls, texts: Sequence[str]) -> Words:
        counts = Counter(word for text in texts for word in _WORD.findall(text.lower()))
        words = sorted(counts)
        total, cumulative = 0, []
        for word in words:
            total += counts[word]
            cumulative.append(total)
        return cls(words, cumulative)

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count) if self.words else []


@dataclass(frozen=True)
class Source:
    """One real resource's text, split by field."""

    title: list[str]
    summary: list[str]
    body: list[str]
    keywords: list[str]
    moments: list[str]
    skills: list[str]
    roles: list[str]


@dataclass(frozen=True)
class Vocabulary:
    sources: list[Source]
    title: Words
    summary: Words
    body: Words
    keywords: list[str]
    moments: list[str]
    skill_names: dict[str, str]
    synonyms: list[list[str]]
    role_keys: list[str]


def load_vocabulary(content_dir: Path = CONTENT_DIR) -> Vocabulary:
    from bot.content.loader import Resource, load_content

    content = load_content(content_dir)
    resources = [item.model for item in content.resources if isinstance(item.model, Resource)]
    sources = [
        Source(
            title=_WORD.findall(r.title.lower()),
            summary=_WORD.findall(r.summary.lower()),
            body=_WORD.findall(" ".join(part for part in (r.body, r.prompt) if part).lower()),
            keywords=list(r.keywords),
            moments=list(r.moments),
            skills=list(r.skills),
            roles=list(r.roles),
        )
        for r in resources
    ]
    return Vocabulary(
        sources=sources,
        title=Words.of([r.title for r in resources]),
        summary=Words.of([r.summary for r in resources]),
        body=Words.of([" ".join(part for part in (r.body, r.prompt) if part) for r in resources]),
        keywords=sorted({k for r in resources for k in r.keywords}),
        moments=sorted({m for r in resources for m in r.moments}),
        skill_names={item.key: getattr(item.model, "name", item.key) for item in content.skills},
        synonyms=[list(group) for group in content.synonyms],
        role_keys=sorted({item.key for item in content.roles}),
    )


@dataclass(frozen=True)
class SyntheticResource:
    key: str
    title: str
    summary: str
    keywords: list[str]
    moments: list[str]
    body: str
    skills: list[str]
    roles: list[str]


def _mixed(rng: random.Random, own: list[str], pool: Words, count: int) -> str:
    from_parent = sum(1 for _ in range(count) if rng.random() < PARENT_SHARE) if own else 0
    words = [rng.choice(own) for _ in range(from_parent)] + pool.draw(rng, count - from_parent)
    rng.shuffle(words)
    return " ".join(words)


def _phrases(rng: random.Random, own: list[str], pool: list[str], bounds: tuple[int, int]) -> list[str]:
    count = rng.randint(*bounds)
    chosen = rng.sample(own, min(len(own), count // 2)) if own else []
    return chosen + rng.sample(pool, count - len(chosen))


def make_library(vocabulary: Vocabulary, count: int, *, seed: int) -> list[SyntheticResource]:
    rng = random.Random(seed)
    library = []
    for number in range(count):
        parent = rng.choice(vocabulary.sources)
        library.append(
            SyntheticResource(
                key=f"synthetic-{number:05d}",
                title=_mixed(rng, parent.title, vocabulary.title, rng.randint(*TITLE_WORDS)),
                summary=_mixed(rng, parent.summary, vocabulary.summary, rng.randint(*SUMMARY_WORDS)),
                keywords=_phrases(rng, parent.keywords, vocabulary.keywords, KEYWORDS),
                moments=_phrases(rng, parent.moments, vocabulary.moments, MOMENTS),
                body=_mixed(rng, parent.body, vocabulary.body, rng.randint(*BODY_WORDS)),
                skills=list(parent.skills),
                roles=list(parent.roles),
            )
        )
    return library


def as_document(resource: SyntheticResource, skill_names: dict[str, str]) -> Document:
    """The search Document, with fields filled the way bot/services/catalogue.py `_document` fills them."""
    from bot.library.postings import Document

    return Document(
        key=resource.key,
        fields={
            "title": resource.title,
            "summary": resource.summary,
            "keywords": " ".join(resource.keywords),
            "skills": " ".join(skill_names.get(key, key) for key in resource.skills),
            "moments": " ".join(resource.moments),
            "body": resource.body,
        },
        roles=frozenset(resource.roles),
        skills=frozenset(resource.skills),
    )


# -- queries -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    text: str
    role: str | None
    kind: str  # labelled, generated, typo


def typo(rng: random.Random, word: str) -> str:
    """One random edit: delete, transpose, substitute or insert a letter."""
    i = rng.randrange(len(word))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    edit = rng.choice(("delete", "transpose", "substitute", "insert"))
    if edit == "delete":
        return word[:i] + word[i + 1 :]
    if edit == "transpose" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "substitute":
        return word[:i] + letter + word[i + 1 :]
    return word[:i] + letter + word[i:]


def make_queries(vocabulary: Vocabulary, labelled: Sequence[LabelledQuery], count: int, *, seed: int) -> list[Query]:
    """40% labelled queries, 30% generated from a resource's title and keywords, 30% generated with typos."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.4:
            item = rng.choice(labelled)
            queries.append(Query(item.query, item.role, "labelled"))
            continue
        source = rng.choice(vocabulary.sources)
        pool = [w for w in source.title + " ".join(source.keywords).lower().split() if w not in _QUERY_STOP]
        words = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
        kind = "generated"
        if draw >= 0.7:
            kind = "typo"
            long_words = [i for i, w in enumerate(words) if len(w) >= 4] or [0]
            for i in rng.sample(long_words, min(len(long_words), rng.randint(1, 2))):
                words[i] = typo(rng, words[i])
        role = rng.choice([None, None, *vocabulary.role_keys])
        queries.append(Query(" ".join(words), role, kind))
    return queries
