"""The catalogue: the synced content as views, rebuilt when a cheap content version says it changed."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.content import repository
from bot.content.models import ContentItem
from bot.content.types import (
    CatalogueState,
    ChallengeView,
    CheckInView,
    Classifier,
    ElsewhereView,
    ResourceView,
    RoleView,
    SearchTuning,
    SkillView,
    TeamView,
    TechniqueView,
)


class Catalogue:
    """Thread-safe holder of the current CatalogueState; checks the content version before each use."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._state: CatalogueState | None = None

    def current(self) -> CatalogueState:
        """The state for the synced content, rebuilt only when the content changed."""
        with self._sessions() as session:
            version = repository.content_version(session)
            with self._lock:
                if self._state is None or version != self._state.version:
                    self._state = build_state(session, version)
                return self._state


def build_state(session: Session, version: object) -> CatalogueState:
    items = {
        kind: repository.active_items(session, kind)
        for kind in ("skill", "role", "resource", "technique", "challenge", "team")
    }
    resources = {item.key: _resource(item) for item in items["resource"]}
    settings = {item.key: item.data for item in repository.active_items(session, "settings")}
    synonyms = (settings.get("synonyms") or {}).get("synonyms") or []
    holidays = (settings.get("calendar") or {}).get("holidays") or []
    return CatalogueState(
        version=version,
        resources=resources,
        by_id={view.id: view for view in resources.values()},
        skills={item.key: _skill(item) for item in items["skill"]},
        roles={item.key: _role(item) for item in items["role"]},
        techniques={item.key: _technique(item) for item in items["technique"]},
        holidays=frozenset(date.fromisoformat(holiday["date"]) for holiday in holidays),
        synonyms=tuple(tuple(group) for group in synonyms),
        challenges={item.key: _challenge(item) for item in items["challenge"]},
        teams={item.key: _team(item) for item in items["team"]},
        search=_search(settings.get("search")),
        elsewhere=tuple(_elsewhere(topic) for topic in (settings.get("elsewhere") or {}).get("elsewhere") or ()),
    )


def _search(data: dict[str, Any] | None) -> SearchTuning | None:
    if not data:
        return None
    good, related = (
        Classifier(tuple(sorted(part["weights"].items())), float(part["bias"]), float(part["threshold"]))
        for part in (data["good"], data["related"])
    )
    return SearchTuning(good=good, related=related)


def _elsewhere(topic: dict[str, Any]) -> ElsewhereView:
    return ElsewhereView(
        key=topic["key"],
        name=topic["name"],
        where=topic.get("where"),
        words=frozenset(topic["words"]),
        phrases=tuple(tuple(phrase.split()) for phrase in topic.get("phrases") or ()),
    )


def _team(item: ContentItem) -> TeamView:
    data = item.data
    members = data.get("members") or {}
    return TeamView(
        key=item.key,
        name=str(data.get("name", item.key)),
        channel=members.get("channel"),
        usergroup=members.get("usergroup"),
        leads=tuple(data.get("leads") or ()),
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


def _technique(item: ContentItem) -> TechniqueView:
    data = item.data
    return TechniqueView(
        id=item.id,
        key=item.key,
        skill=data["skill"],
        title=data["title"],
        why=data["why"],
        variations=tuple(data["variations"]),
        reflection=data["reflection"],
    )


def _challenge(item: ContentItem) -> ChallengeView:
    data = item.data
    target = data.get("target") or {}
    unit = str(target.get("unit") or "")
    return ChallengeView(
        key=item.key,
        title=data["title"],
        skill=data["skill"],
        days=int(data.get("days") or 14),
        brief=data["brief"],
        target_count=int(target["count"]) if target else None,
        target_unit=unit,
        target_units=str(target.get("units") or (f"{unit}s" if unit else "")),
        steps=tuple(data.get("steps") or ()),
        checkins=tuple(
            CheckInView(day=int(c["day"]), question=c["question"])
            for c in sorted(data["checkins"], key=lambda c: int(c["day"]))
        ),
        reflection=tuple(data["reflection"]),
        share_prompt=data["share_prompt"],
        fits_roles=tuple((data.get("fits") or {}).get("roles") or ()),
        fits_because=str((data.get("fits") or {}).get("because") or ""),
    )
