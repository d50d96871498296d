"""The catalogue: resources, skills and roles as synced, with a search index rebuilt when they change."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import ContentItem
from bot.repositories import content as content_repository
from bot.repositories import library as library_repository
from bot.services.search import Analyzer, Document, SearchIndex

FEEDBACK_REFRESH_SECONDS = 300  # feedback changes ranking a little; no need to rebuild on every click


@dataclass(frozen=True)
class ResourceView:
    id: int
    key: str
    title: str
    kind: str
    minutes: int
    summary: str
    url: str | None
    body: str | None
    prompt: str | None
    skills: tuple[str, ...]
    roles: tuple[str, ...]
    moments: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SkillView:
    key: str
    name: str
    description: str
    rubric: dict[int, str]


@dataclass(frozen=True)
class RoleView:
    key: str
    name: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class CatalogueState:
    index: SearchIndex
    resources: dict[str, ResourceView]
    by_id: dict[int, ResourceView]
    skills: dict[str, SkillView]
    roles: dict[str, RoleView]
    techniques: dict[str, dict[str, Any]]
    holidays: frozenset[str]

    def role_for_title(self, title: str) -> str | None:
        """The role whose title words appear in a Slack profile title (the longest phrase wins)."""
        words = " " + " ".join(re.findall(r"[a-z0-9&]+", title.lower())) + " "
        best: tuple[int, str] | None = None
        for role in self.roles.values():
            for phrase in role.titles:
                wanted = " " + " ".join(re.findall(r"[a-z0-9&]+", phrase.lower())) + " "
                if wanted.strip() and wanted in words:
                    candidate = (len(wanted), role.key)
                    best = max(best, candidate) if best else candidate
        return best[1] if best else None


class Catalogue:
    """Thread-safe holder of the current CatalogueState; checks a cheap content version before use."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._version: object = None
        self._built_at = 0.0
        self._state: CatalogueState | None = None

    def current(self) -> CatalogueState:
        """The state for the synced content: rebuilt when the content changed, feedback boosts refreshed often."""
        with self._sessions() as session:
            version = content_repository.content_version(session)
            with self._lock:
                if self._state is None or version != self._version:
                    self._state = build_state(session)
                    self._version = version
                    self._built_at = time.monotonic()
                elif time.monotonic() - self._built_at > FEEDBACK_REFRESH_SECONDS:
                    self._state.index.set_boosts(feedback_boosts(session, self._state.by_id))
                    self._built_at = time.monotonic()
                return self._state


def build_state(session: Session) -> CatalogueState:
    items = {
        kind: content_repository.active_items(session, kind) for kind in ("skill", "role", "resource", "technique")
    }
    skills = {item.key: _skill(item) for item in items["skill"]}
    resources = {item.key: _resource(item) for item in items["resource"]}
    boosts = feedback_boosts(session, {view.id: view for view in resources.values()})
    settings = {item.key: item.data for item in content_repository.active_items(session, "settings")}
    synonyms = (settings.get("synonyms") or {}).get("synonyms") or []
    documents = [_document(view, skills, boosts.get(view.key, 1.0)) for view in resources.values()]
    holidays = frozenset(h["date"] for h in (settings.get("calendar") or {}).get("holidays") or [])
    return CatalogueState(
        index=SearchIndex(documents, Analyzer(synonyms), {key: skill.name for key, skill in skills.items()}),
        resources=resources,
        by_id={view.id: view for view in resources.values()},
        skills=skills,
        roles={item.key: _role(item) for item in items["role"]},
        techniques={item.key: {**item.data, "id": item.id} for item in items["technique"]},
        holidays=holidays,
    )


def _resource(item: ContentItem) -> ResourceView:
    data = item.data
    return ResourceView(
        id=item.id,
        key=item.key,
        title=data["title"],
        kind=data["kind"],
        minutes=int(data["minutes"]),
        summary=data["summary"],
        url=data.get("url"),
        body=data.get("body"),
        prompt=data.get("prompt"),
        skills=tuple(data.get("skills") or ()),
        roles=tuple(data.get("roles") or ()),
        moments=tuple(data.get("moments") or ()),
        keywords=tuple(data.get("keywords") or ()),
    )


def _skill(item: ContentItem) -> SkillView:
    data = item.data
    rubric = {int(level): text for level, text in (data.get("rubric") or {}).items()}
    return SkillView(key=item.key, name=data["name"], description=data["description"], rubric=rubric)


def _role(item: ContentItem) -> RoleView:
    return RoleView(key=item.key, name=item.data["name"], titles=tuple(item.data.get("titles") or ()))


def feedback_boosts(session: Session, by_id: dict[int, ResourceView]) -> dict[str, float]:
    """What people said about each resource, as a ranking multiplier between 0.8 and 1.2."""
    return {
        by_id[item].key: 1.0 + 0.05 * max(-4, min(4, net))
        for item, net in library_repository.net_feedback(session).items()
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
