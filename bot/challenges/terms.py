"""The terms of a proposed challenge: a template's (with the proposer's length and target) or the proposer's
own, checked against the limits; and the check-ins it plans."""

from __future__ import annotations

from bot.challenges.planning import default_checkins
from bot.challenges.proposal_types import NewProposal
from bot.challenges.types import CheckinSpec, Terms
from bot.content.challenge_limits import DEFAULT_DAYS, check_days, check_target
from bot.content.types import CatalogueState, ChallengeView
from bot.errors import BadInput


def terms_for(new: NewProposal, state: CatalogueState) -> Terms:
    """What a proposal asks: its template's terms with the proposer's length and target, or their own."""
    if new.template_key:
        template = state.challenges.get(new.template_key)
        if template is None:
            raise BadInput("I don't know that challenge. Pick one from the list.", field="template")
        terms = Terms(
            template.title,
            template.brief,
            template.skill,
            new.days or template.days,
            new.target_count if new.target_count is not None else template.target_count,
            template.target_unit,
            template.target_units,
        )
    else:
        terms = own_terms(new, state)
    check_days(terms.days)
    if terms.target_count is not None:
        check_target(terms.target_count)
    return terms


def own_terms(new: NewProposal, state: CatalogueState) -> Terms:
    """The terms of a challenge the proposer wrote themselves."""
    if not new.title.strip():
        raise BadInput("Pick a challenge from the list, or give yours a title.", field="title")
    if not new.brief.strip():
        raise BadInput("Say what the challenge asks, in a sentence or two.", field="brief")
    if new.skill_key not in state.skills:
        raise BadInput("Pick the skill it grows.", field="skill")
    unit = new.target_unit.strip()
    if new.target_count is not None and not unit:
        raise BadInput("Say what to count, e.g. conversation.", field="target_unit")
    return Terms(
        new.title.strip()[:100],
        new.brief.strip()[:1000],
        new.skill_key,
        new.days or DEFAULT_DAYS,
        new.target_count,
        unit,
        plural_of(unit),
    )


def plural_of(unit: str) -> str:
    """What several of a unit the proposer typed are called: "conversation" -> "conversations"; a unit typed
    in the plural already ("PRs") is kept as it is."""
    return unit if not unit or unit.endswith("s") else f"{unit}s"


def checkins_for(template: ChallengeView | None, days: int) -> tuple[CheckinSpec, ...]:
    """The template's check-ins when it runs at least its own length, else ones spread over the days."""
    if template is not None and days >= template.days:
        return tuple(CheckinSpec(c.day, c.question) for c in template.checkins if c.day < days)
    return default_checkins(days)
