"""Load `content/` into validated models, reporting every error at once with its file and field."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.references import check_references
from bot.content.schema import (
    PATTERN_HINTS,
    CalendarFile,
    ChallengesFile,
    ChallengeTemplate,
    ElsewhereFile,
    Holiday,
    Resource,
    ResourcesFile,
    Role,
    RolesFile,
    SearchFile,
    Skill,
    SkillsFile,
    SynonymsFile,
    Team,
    TeamsFile,
    Technique,
    TechniquesFile,
)
from bot.errors import BotError, ContentError

# Files at the top of the content directory, and whether each must exist.
TOP_FILES: dict[str, tuple[type[BaseModel], bool]] = {
    "skills.yaml": (SkillsFile, True),
    "roles.yaml": (RolesFile, True),
    "synonyms.yaml": (SynonymsFile, False),
    "calendar.yaml": (CalendarFile, False),
    "teams.yaml": (TeamsFile, False),
    "search.yaml": (SearchFile, False),
    "elsewhere.yaml": (ElsewhereFile, False),
}
FOLDERS: dict[str, type[BaseModel]] = {
    "resources": ResourcesFile,
    "techniques": TechniquesFile,
    "challenges": ChallengesFile,
}
# Drafts of resources (`content draft`) for an admin to review: validated as resources, never synced.
DRAFTS = "drafts"


class ContentErrors(BotError):
    """Every problem found in the content; nothing was applied."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} content error(s)")
        self.errors = errors


@dataclass(frozen=True)
class Item:
    """One content item with where it came from and a hash of what it says."""

    kind: str
    key: str
    model: BaseModel
    source: str
    hash: str


@dataclass
class Content:
    skills: list[Item] = field(default_factory=list)
    roles: list[Item] = field(default_factory=list)
    resources: list[Item] = field(default_factory=list)
    techniques: list[Item] = field(default_factory=list)
    challenges: list[Item] = field(default_factory=list)
    teams: list[Item] = field(default_factory=list)
    drafts: list[Item] = field(default_factory=list)  # read only when asked for; never part of items()
    synonyms: list[list[str]] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)
    search: SearchFile | None = None
    elsewhere: ElsewhereFile | None = None

    def items(self) -> list[Item]:
        return [*self.skills, *self.roles, *self.resources, *self.techniques, *self.challenges, *self.teams]

    def settings_items(self) -> list[Item]:
        """Synonyms, the holiday calendar, the search's tuning and what belongs elsewhere, one item each so sync
        treats them like the rest."""
        synonyms = {"groups": self.synonyms}
        calendar = {"holidays": [h.model_dump(mode="json") for h in self.holidays]}
        search = self.search
        tuning = [Item("settings", "search", search, "search.yaml", digest(search.model_dump()))] if search else []
        away = self.elsewhere
        elsewhere = [Item("settings", "elsewhere", away, "elsewhere.yaml", digest(away.model_dump()))] if away else []
        return [
            Item("settings", "synonyms", SynonymsFile(synonyms=self.synonyms), "synonyms.yaml", digest(synonyms)),
            Item("settings", "calendar", CalendarFile(holidays=self.holidays), "calendar.yaml", digest(calendar)),
            *tuning,  # a file taken away is retired by the sync
            *elsewhere,
        ]


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def load_content(directory: Path, *, drafts: bool = False) -> Content:
    """Read and check everything under `directory`; raise ContentErrors listing every problem. With `drafts`,
    `drafts/*.yaml` too, each checked as a resource whose key no resource or technique has (validate only)."""
    if not directory.is_dir():
        raise ContentErrors([ContentError(str(directory), "", "content directory not found (CONTENT_DIR)")])
    loader = _Loader(directory)
    content = Content(
        skills=loader.items("skills.yaml", "skill"),
        roles=loader.items("roles.yaml", "role"),
        resources=[item for path in loader.folder("resources") for item in loader.items(path, "resource")],
        techniques=[item for path in loader.folder("techniques") for item in loader.items(path, "technique")],
        challenges=[item for path in loader.folder("challenges") for item in loader.items(path, "challenge")],
        teams=loader.items("teams.yaml", "team"),
        drafts=[item for path in loader.folder(DRAFTS) for item in loader.items(path, "resource")] if drafts else [],
    )
    synonyms = loader.document("synonyms.yaml")
    if isinstance(synonyms, SynonymsFile):
        content.synonyms = [list(group) for group in synonyms.synonyms]
    calendar = loader.document("calendar.yaml")
    if isinstance(calendar, CalendarFile):
        content.holidays = list(calendar.holidays)
    search = loader.document("search.yaml")
    content.search = search if isinstance(search, SearchFile) else None
    elsewhere = loader.document("elsewhere.yaml")
    content.elsewhere = elsewhere if isinstance(elsewhere, ElsewhereFile) else None
    loader.errors.extend(_unknown_files(directory))
    loader.errors.extend(check_references(content, broken=loader.broken))
    if loader.errors:
        raise ContentErrors(loader.errors)
    return content


ITEM_MODELS: dict[str, type[BaseModel]] = {
    "skill": Skill,
    "role": Role,
    "resource": Resource,
    "technique": Technique,
    "challenge": ChallengeTemplate,
    "team": Team,
}


class _Loader:
    """Collects errors while reading; each item is validated on its own so one bad item hides nothing else."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.errors: list[ContentError] = []
        self.broken: set[str] = set()  # kinds with an unreadable file: their references are not checked

    def folder(self, name: str) -> list[str]:
        return [f"{name}/{path.name}" for path in sorted((self.directory / name).glob("*.y*ml"))]

    def _read(self, name: str) -> Any:
        path = self.directory / name
        where = _rel(path, self.directory)
        if not path.exists():
            if name in TOP_FILES and TOP_FILES[name][1]:
                self.errors.append(ContentError(where, "", "file is missing"))
            return None
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f"line {mark.line + 1}" if mark is not None else ""
            self.errors.append(ContentError(where, line, f"not valid YAML: {getattr(error, 'problem', error)}"))
        except (OSError, UnicodeDecodeError) as error:
            self.errors.append(ContentError(where, "", f"cannot be read: {error}"))
        return _UNREADABLE

    def document(self, name: str) -> BaseModel | None:
        data = self._read(name)
        if data is None or data is _UNREADABLE:
            return None
        model = TOP_FILES[name][0]
        try:
            return model.model_validate(data)
        except ValidationError as error:
            self._report(name, data, error, ())
            return None

    def items(self, name: str, kind: str) -> list[Item]:
        data = self._read(name)
        plural = kind + "s"
        if data is _UNREADABLE:
            self.broken.add(kind)
            return []
        if data is None:
            return []
        where = _rel(self.directory / name, self.directory)
        if not isinstance(data, dict) or set(data) != {plural} or not isinstance(data[plural], list):
            self.errors.append(ContentError(where, "", f"must contain one key, `{plural}:`, holding a list"))
            self.broken.add(kind)
            return []
        found = []
        for index, raw in enumerate(data[plural]):
            try:
                model = ITEM_MODELS[kind].model_validate(raw)
            except ValidationError as error:
                self._report(name, data, error, (plural, index))
                if isinstance(raw, dict) and isinstance(raw.get("key"), str):
                    self.broken.add(f"{kind}:{raw['key']}")
                continue
            dumped = model.model_dump(mode="json")
            found.append(Item(kind, str(dumped["key"]), model, where, digest(dumped)))
        return found

    def _report(self, name: str, data: Any, error: ValidationError, prefix: tuple[Any, ...]) -> None:
        where = _rel(self.directory / name, self.directory)
        for issue in error.errors():
            self.errors.append(ContentError(where, _field(data, (*prefix, *issue["loc"])), _message(issue)))


_UNREADABLE = object()


def _rel(path: Path, directory: Path) -> str:
    try:
        return str(path.relative_to(directory.parent))
    except ValueError:
        return str(path)


def _field(data: Any, loc: Iterable[Any]) -> str:
    """`resources[3] (feedback-sbi).summary`: the path, with the item's key where there is one."""
    text = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("key"), str):
                text += f" ({node['key']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def _message(issue: Any) -> str:
    if issue["type"] == "extra_forbidden":
        return "unknown field"
    if issue["type"] == "missing":
        return "is required"
    if issue["type"] == "string_pattern_mismatch" and issue.get("ctx", {}).get("pattern") in PATTERN_HINTS:
        return PATTERN_HINTS[issue["ctx"]["pattern"]]
    return str(issue["msg"]).removeprefix("Value error, ")


def _unknown_files(directory: Path) -> list[ContentError]:
    known = set(TOP_FILES)
    return [
        ContentError(_rel(path, directory), "", f"unknown content file (expected one of {', '.join(sorted(known))})")
        for path in sorted(directory.glob("*.y*ml"))
        if path.name not in known
    ]


__all__ = ["Content", "ContentErrors", "Item", "Resource", "Role", "Skill", "Technique", "load_content"]
