"""Moments of need: searches without a good answer, requested resources, "not helpful" and "I'm stuck",
grouped by topic (what was asked, normalised by the library's own analyzer and synonyms) and by the asker's
local weekday and hour. Counting is done in the database; Python only maps each distinct subject (one row per
distinct text, with its distinct people) to its topic, and each zone's stretch to its UTC offset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, distinct, func, select, union_all
from sqlalchemy.orm import Session

from bot.challenges import figures as challenge_figures
from bot.content.types import CatalogueState
from bot.db.figures import Among, local_slot_of, lookup, monday_first
from bot.library import figures as library_figures
from bot.library.analyzer import SYNONYM
from bot.library.shelf import Indexed
from bot.people import roster
from bot.reports.types import Needs, Topic
from bot.reports.values import Rule, Value

TOP = 3
EXAMPLES = 3
KINDS = (
    library_figures.SEARCHED,
    library_figures.CLOSEST,
    library_figures.REQUESTED,
    library_figures.NOT_HELPFUL,
    challenge_figures.STUCK,
)


@dataclass(frozen=True)
class _Subject:
    text: str  # what it says: what was typed, or the skill it is about
    typed: bool  # typed by people (may be an example phrasing)
    people: int


def moments(among: Among) -> Subquery:
    """Every moment of need in scope: (person_id, kind, subject, at)."""
    return union_all(*library_figures.needs(among), challenge_figures.stuck(among)).subquery("moments")


def needs(session: Session, among: Among, shelf: Indexed, rule: Rule, default_tz: str) -> Needs:
    found = moments(among)
    people, count = func.count(distinct(found.c.person_id)), func.count()
    total_people, total = session.execute(select(people, count)).one()
    subjects = {
        str(subject): _subject(str(subject), int(n), shelf.catalogue)
        for subject, n in session.execute(select(found.c.subject, people).group_by(found.c.subject))
    }
    analyzer = shelf.index.analyzer
    topic_of = {key: " ".join(sorted(set(analyzer.terms(s.text)))) for key, s in subjects.items()}
    topic_of = {key: topic for key, topic in topic_of.items() if topic}
    topics = _topics(session, found, topic_of, rule, subjects, shelf)
    return Needs(
        people=rule.shown(int(total_people or 0), int(total_people or 0)),
        moments=rule.shown(int(total or 0), int(total_people or 0)),
        topics=topics,
        heatmap=_heatmap(session, found, among, rule, default_tz),
    )


def _subject(subject: str, people: int, state: CatalogueState) -> _Subject:
    if subject.startswith(library_figures.QUERY):
        return _Subject(subject.removeprefix(library_figures.QUERY), True, people)
    if subject.startswith(challenge_figures.SKILL):
        return _Subject(state.skill_name(subject.removeprefix(challenge_figures.SKILL)), False, people)
    item = subject.removeprefix(library_figures.ITEM)
    view = state.by_id.get(int(item)) if item.isdigit() else None
    about = state.skill_name(view.skills[0]) if view is not None and view.skills else (view.title if view else "")
    return _Subject(about, False, people)


def _topics(
    session: Session,
    found: Subquery,
    topic_of: dict[str, str],
    rule: Rule,
    subjects: dict[str, _Subject],
    shelf: Indexed,
) -> tuple[Topic, ...]:
    """The top topics by distinct people (then moments), counted in SQL through the subject -> topic map."""
    if not topic_of:
        return ()
    topics = lookup(topic_of, "topics")  # subject -> topic, joined in the database
    topicked = (
        select(found.c.person_id, found.c.kind, topics.c.value.label("topic"))
        .join(topics, topics.c.key == found.c.subject)
        .subquery("topicked")
    )
    people, count = func.count(distinct(topicked.c.person_id)), func.count()
    ranked = session.execute(
        select(topicked.c.topic, people, count)
        .group_by(topicked.c.topic)
        .order_by(people.desc(), count.desc(), topicked.c.topic)
        .limit(TOP)
    ).all()
    chosen = [str(row[0]) for row in ranked]
    kinds: dict[str, dict[str, tuple[int, int]]] = {}
    for name, kind, n in session.execute(
        select(topicked.c.topic, topicked.c.kind, people)
        .where(topicked.c.topic.in_(chosen))
        .group_by(topicked.c.topic, topicked.c.kind)
    ):
        kinds.setdefault(str(name), {})[str(kind)] = (int(n), int(n))
    result = []
    for rank, (name, n, c) in enumerate(ranked, start=1):
        topic = str(name)
        members = [s for key, s in subjects.items() if topic_of.get(key) == topic]
        label = _label(topic, members, shelf)
        small = rule.small(int(n))
        result.append(
            Topic(
                rank=rank,
                label=rule.marker if small else label,
                people=rule.shown(int(n), int(n)),
                moments=rule.shown(int(c), int(n)),
                kinds=rule.parts({kind: kinds.get(topic, {}).get(kind, (0, 0)) for kind in KINDS}),
                phrasings=_examples(members, rule),
                offered=() if small else _offered(label, shelf),
            )
        )
    return tuple(result)


def _label(topic: str, members: Iterable[_Subject], shelf: Indexed) -> str:
    """The topic in words, in the order the most asked phrasing has them: its synonym groups by their first
    phrase, other terms as that phrasing wrote them (stop words left out)."""
    synonyms = shelf.catalogue.synonyms
    best = max(members, key=lambda s: (s.people, s.typed, s.text))
    said = shelf.index.analyzer.words(best.text)
    written = {term: word for word, term in reversed(said)}  # each term as first written
    order = {term: position for position, (_word, term) in reversed(list(enumerate(said)))}
    words = []
    for term in sorted(topic.split(), key=lambda term: (order.get(term, len(order)), term)):
        if SYNONYM.fullmatch(term) and int(term[4:]) < len(synonyms):
            words.append(synonyms[int(term[4:])][0])
        else:
            words.append(written.get(term, term))
    return " ".join(words)


def _examples(members: Iterable[_Subject], rule: Rule) -> tuple[str, ...]:
    typed = sorted((s for s in members if s.typed and not rule.small(s.people)), key=lambda s: (-s.people, s.text))
    return tuple(s.text for s in typed[:EXAMPLES])


def _offered(label: str, shelf: Indexed) -> tuple[str, ...]:
    """What the library's search finds for the topic today (nothing when it finds no good match)."""
    found = shelf.index.search(label, limit=EXAMPLES)
    state = shelf.catalogue
    return (
        tuple(state.resources[hit.key].title for hit in found.hits if hit.key in state.resources) if found.good else ()
    )


def _heatmap(
    session: Session, found: Subquery, among: Among, rule: Rule, default_tz: str
) -> tuple[tuple[Value, ...], ...]:
    """People with a moment of need per local weekday (Monday first) and hour, in each person's own zone."""
    members = roster.members()
    joined = found.join(members, members.c.person_id == found.c.person_id)
    zones = [row[0] for row in session.execute(select(members.c.tz).select_from(joined).distinct())]
    slot = local_slot_of(found.c.at, members.c.tz, zones, default_tz, among.since, among.until)
    cells: dict[tuple[int, int], tuple[int, int]] = {(d, h): (0, 0) for d in range(7) for h in range(24)}
    for value, people in session.execute(
        select(slot, func.count(distinct(found.c.person_id))).select_from(joined).group_by(slot)
    ):
        cells[monday_first(int(value))] = (int(people), int(people))
    shown: dict[Any, Value] = rule.parts(cells)
    return tuple(tuple(shown[(d, h)] for h in range(24)) for d in range(7))
