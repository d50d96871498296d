"""What the Home tab shows a person: their profile choices, and what they have going on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BadInput
from bot.services.library import LibraryService
from bot.services.people import PeopleService, PersonRef

MAX_SKILLS = 5


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class HomeModel:
    name: str
    title: str
    roles: list[Choice]
    role: str | None
    role_guessed: bool
    skills: list[Choice]
    chosen_skills: list[str]
    followups_enabled: bool


class HomeService:
    def __init__(self, *, people: PeopleService, library: LibraryService) -> None:
        self._people = people
        self._library = library

    def model(self, person: PersonRef) -> HomeModel:
        state = self._library.catalogue.current()
        role = self._library.role_of(person, state)
        return HomeModel(
            name=person.display_name,
            title=person.title,
            roles=[Choice(r.key, r.name) for r in state.roles.values()],
            role=role,
            role_guessed=person.role_key is None and role is not None,
            skills=[Choice(s.key, s.name) for s in state.skills.values()],
            chosen_skills=[s for s in person.skills if s in state.skills],
            followups_enabled=person.followups_enabled,
        )

    def choose_role(self, person: PersonRef, role_key: str) -> PersonRef:
        if role_key not in self._library.catalogue.current().roles:
            raise BadInput("That role is not in the list any more. Open the Home tab again.")
        return self._people.set_profile(person, role_key=role_key)

    def choose_skills(self, person: PersonRef, skill_keys: list[str]) -> PersonRef:
        known = self._library.catalogue.current().skills
        chosen = [key for key in skill_keys if key in known]
        if len(chosen) > MAX_SKILLS:
            raise BadInput(f"Pick at most {MAX_SKILLS} skills to grow at once.")
        return self._people.set_profile(person, skills=chosen)

    def set_followups(self, person: PersonRef, enabled: bool) -> PersonRef:
        return self._people.set_profile(person, followups_enabled=enabled)
