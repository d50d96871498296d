"""A person's profile as the library uses it: their role and the skills they want to grow, chosen from the
catalogue, and whether they want the "did it help?" question."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from bot.content.catalogue import Catalogue
from bot.db.engine import transaction
from bot.errors import BadInput
from bot.library.schedule import FOLLOWUP
from bot.library.types import Choice, ProfileModel
from bot.outbox import service as outbox
from bot.people.service import PeopleService
from bot.people.types import PersonRef

MAX_SKILLS = 5


class ProfileService:
    def __init__(self, *, sessions: sessionmaker[Session], people: PeopleService, catalogue: Catalogue) -> None:
        self._sessions = sessions
        self._people = people
        self._catalogue = catalogue

    def model(self, person: PersonRef) -> ProfileModel:
        state = self._catalogue.current()
        role = state.role_of(person.role_key, person.title)
        return ProfileModel(
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
        if role_key not in self._catalogue.current().roles:
            raise BadInput("That role is not in the list any more. Open the Home tab again.")
        return self._people.set_profile(person, role_key=role_key)

    def choose_skills(self, person: PersonRef, skill_keys: Sequence[str]) -> PersonRef:
        known = self._catalogue.current().skills
        chosen = [key for key in skill_keys if key in known]
        if len(chosen) > MAX_SKILLS:
            raise BadInput(f"Pick at most {MAX_SKILLS} skills to grow at once.")
        return self._people.set_profile(person, skills=chosen)

    def set_followups(self, person: PersonRef, enabled: bool) -> PersonRef:
        """Turn the follow-up question on or off; off cancels the ones already queued."""
        changed = self._people.set_profile(person, followups_enabled=enabled)
        if not enabled:
            with transaction(self._sessions) as session:
                outbox.cancel_for_person(session, person.person_id, kind=FOLLOWUP, reason="opted out")
        return changed
