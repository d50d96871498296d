"""The proposal window as it is filled in: the templates to pick from, what the chosen one asks, and whom
among the colleagues picked it was not written for (their Slack title reads as another role)."""

from __future__ import annotations

from bot.challenges.proposal_types import Misfit, ProposalDraft, TemplateOption
from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.content.challenge_limits import MAX_COLLEAGUES
from bot.content.types import CatalogueState, ChallengeView
from bot.errors import BotError
from bot.localtime import local_date, zone
from bot.people.service import PeopleService
from bot.people.types import PersonRef


class ProposalDrafts:
    def __init__(self, *, clock: Clock, catalogue: Catalogue, people: PeopleService, default_timezone: str) -> None:
        self._clock = clock
        self._catalogue = catalogue
        self._people = people
        self._default_tz = default_timezone

    def draft(
        self, person: PersonRef, colleagues: tuple[str, ...], words: list[str], anchor_link: str | None = None
    ) -> ProposalDraft:
        """The window as it stands: the colleagues named, a template among the words (both optional), what that
        template asks, and whom among the colleagues it is not written for."""
        state = self._catalogue.current()
        key = next((word for word in words if word in state.challenges), None)
        options = sorted(
            (TemplateOption(c.key, c.title, state.skill_name(c.skill)) for c in state.challenges.values()),
            key=lambda option: (option.skill_name, option.title),
        )
        today = local_date(self._clock.now(), zone(person.tz, self._default_tz))
        colleagues = tuple(dict.fromkeys(colleagues))[:MAX_COLLEAGUES]
        template = state.challenges.get(key or "")
        misfits = self._misfits(person, colleagues, template, state) if template is not None else ()
        return ProposalDraft(colleagues, key, tuple(options), today, anchor_link, template, misfits)

    def _misfits(
        self, person: PersonRef, colleagues: tuple[str, ...], template: ChallengeView, state: CatalogueState
    ) -> tuple[Misfit, ...]:
        """Colleagues whose Slack title reads as a role the template is not written for (a warning only)."""
        if not template.fits_roles:
            return ()
        found = []
        for user_id in colleagues:
            try:
                colleague = self._people.colleague(person, user_id)
            except BotError:
                continue
            role = state.role_of(colleague.role_key, colleague.title)
            if role is not None and role not in template.fits_roles:
                found.append(Misfit(user_id, colleague.display_name, colleague.title, template.fits_because))
        return tuple(found)

    def skills(self) -> list[tuple[str, str]]:
        """(key, name) of every skill, for a challenge written by hand."""
        return sorted(((k, s.name) for k, s in self._catalogue.current().skills.items()), key=lambda pair: pair[1])
