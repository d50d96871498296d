"""Across the content's files: keys unique within their kind, and every skill and role a resource, draft,
technique or challenge names must exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.schema import ChallengeTemplate, Resource, Technique
from bot.errors import ContentError

if TYPE_CHECKING:
    from bot.content.loader import Content, Item


def check_references(content: Content, *, broken: set[str] = frozenset()) -> list[ContentError]:  # type: ignore[assignment]
    """Keys unique across files; every skill and role a resource or technique names must exist.

    References into a kind whose file could not be read are not checked: that file's error says enough.
    """
    errors: list[ContentError] = []
    kinds_of = (
        content.skills,
        content.roles,
        [*content.resources, *content.techniques, *content.drafts],  # a draft after them: its key is the error
        content.challenges,
        content.teams,
    )
    for kinds in kinds_of:
        seen: dict[str, str] = {}
        for item in kinds:
            if item.key in seen:
                errors.append(ContentError(item.source, f"key {item.key}", f"duplicate key (also in {seen[item.key]})"))
            seen.setdefault(item.key, item.source)
    skills = {item.key for item in content.skills}
    roles = {item.key for item in content.roles}
    for item in [*content.resources, *content.drafts]:
        resource = item.model
        assert isinstance(resource, Resource)
        if "skill" not in broken:
            errors.extend(_unknown(item, "skills", resource.skills, skills, "skill", broken))
        if "role" not in broken:
            errors.extend(_unknown(item, "roles", resource.roles, roles, "role", broken))
    for item in content.techniques:
        technique = item.model
        assert isinstance(technique, Technique)
        if "skill" not in broken:
            errors.extend(_unknown(item, "skill", [technique.skill], skills, "skill", broken))
    for item in content.challenges:
        challenge = item.model
        assert isinstance(challenge, ChallengeTemplate)
        if "skill" not in broken:
            errors.extend(_unknown(item, "skill", [challenge.skill], skills, "skill", broken))
        if "role" not in broken and challenge.fits is not None:
            errors.extend(_unknown(item, "fits.roles", challenge.fits.roles, roles, "role", broken))
    return errors


def _unknown(
    item: Item, name: str, used: list[str], known: set[str], what: str, broken: set[str]
) -> list[ContentError]:
    """References to keys that do not exist (an item that failed validation was already reported)."""
    return [
        ContentError(item.source, f"{item.key}.{name}", f"unknown {what} {key!r}")
        for key in used
        if key not in known and f"{what}:{key}" not in broken
    ]
