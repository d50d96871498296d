"""The searchable library: the catalogue's resources in a search index, rebuilt when the content changes,
with what people said about each resource refreshed every few minutes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState, ResourceView, SkillView
from bot.library import repository
from bot.library.analyzer import Analyzer
from bot.library.index import SearchIndex
from bot.library.postings import Document

FEEDBACK_REFRESH_SECONDS = 300  # feedback changes ranking a little; no need to rebuild on every click


@dataclass(frozen=True)
class Indexed:
    """A catalogue snapshot and the index built from it."""

    catalogue: CatalogueState
    index: SearchIndex


class Shelf:
    """Thread-safe holder of the index for the current catalogue."""

    def __init__(self, *, sessions: sessionmaker[Session], catalogue: Catalogue) -> None:
        self._sessions = sessions
        self.catalogue = catalogue
        self._lock = threading.Lock()
        self._current: Indexed | None = None
        self._boosted_at = 0.0

    def current(self) -> Indexed:
        state = self.catalogue.current()
        with self._lock:
            if self._current is None or self._current.catalogue is not state:
                with self._sessions() as session:
                    boosts = feedback_boosts(session, state.by_id)
                self._current = Indexed(state, build_index(state, boosts))
                self._boosted_at = time.monotonic()
            elif time.monotonic() - self._boosted_at > FEEDBACK_REFRESH_SECONDS:
                with self._sessions() as session:
                    self._current.index.set_boosts(feedback_boosts(session, state.by_id))
                self._boosted_at = time.monotonic()
            return self._current


def build_index(state: CatalogueState, boosts: dict[str, float]) -> SearchIndex:
    documents = [_document(view, state.skills, boosts.get(view.key, 1.0)) for view in state.resources.values()]
    skill_names = {key: skill.name for key, skill in state.skills.items()}
    return SearchIndex(documents, Analyzer(state.synonyms), skill_names, state.search, state.elsewhere)


def feedback_boosts(session: Session, by_id: dict[int, ResourceView]) -> dict[str, float]:
    """What people said about each resource, as a ranking multiplier between 0.8 and 1.2."""
    return {
        by_id[item].key: 1.0 + 0.05 * max(-4, min(4, net))
        for item, net in repository.net_feedback(session).items()
        if item in by_id
    }


def _document(view: ResourceView, skills: dict[str, SkillView], boost: float) -> Document:
    skill_names = " ".join(skills[key].name if key in skills else key for key in view.skills)
    return Document(
        key=view.key,
        fields={
            "title": view.title,
            "summary": view.summary,
            "keywords": " ".join(view.keywords),
            "skills": skill_names,
            "moments": " ".join(view.moments),
            "body": " ".join(part for part in (view.body, view.prompt) if part),
        },
        roles=frozenset(view.roles),
        skills=frozenset(view.skills),
        primary_skill=view.skills[0] if view.skills else None,
        boost=boost,
    )
