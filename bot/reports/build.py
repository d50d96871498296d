"""Compose the report from each domain's figures, suppressing every small group on the way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import figures as challenge_figures
from bot.content.types import CatalogueState
from bot.db.figures import Among, Changes, Spread, Tally
from bot.library import figures as library_figures
from bot.library.shelf import Indexed
from bot.measurement import figures as measurement_figures
from bot.practice import figures as practice_figures
from bot.reports.needs import needs
from bot.reports.types import (
    ALL_SKILLS,
    ANSWERS,
    CHANGES,
    Change,
    LibraryUse,
    Report,
    ResourceUse,
    SkillAdherence,
    SkillCapability,
    TechniquePractice,
    Trend,
)
from bot.reports.values import Rule, Scope, Value, interval

NO_CHANGES = Changes(people=0, mean=None, variance=None, improved=0)


def build_report(
    sessions: sessionmaker[Session],
    scope: Scope,
    *,
    since: datetime,
    until: datetime,
    shelf: Indexed,
    min_group: int,
    default_tz: str,
) -> Report:
    among = Among(scope.workspace_id, scope.person_ids, since, until)
    rule = Rule(min_group)
    state = shelf.catalogue
    with sessions() as session:
        capability = measurement_figures.capability(session, among)
        adherence = challenge_figures.adherence(session, among)
        practice = practice_figures.practice(session, among)
        used = library_figures.resources(session, among)
        moments = needs(session, among, shelf, rule, default_tz)
    return Report(
        scope=scope.name,
        since=since,
        until=until,
        min_group=min_group,
        capability=tuple(
            _capability(skill, state, capability, rule) for skill in sorted(capability.skills, key=state.skill_name)
        ),
        adherence=_adherence(adherence, state, rule),
        practice=tuple(_practice(technique, figures, state, rule) for technique, figures in sorted(practice.items())),
        needs=moments,
        library=_library(used, state, rule),
    )


def change(changes: Changes, rule: Rule) -> Change:
    """A skill's changes with its small groups suppressed: nothing but the marker below the minimum group."""
    n = changes.people
    if n == 0 or rule.small(n):
        hidden: Value = rule.marker if n else None
        return Change(rule.shown(n, n), hidden, hidden, hidden, hidden, {v: rule.shown(0, n) for v in CHANGES})
    bounds = (
        interval(changes.mean, changes.variance, n)
        if changes.mean is not None and changes.variance is not None
        else None
    )
    return Change(
        people=n,
        mean=changes.mean,
        low=bounds[0] if bounds else None,
        high=bounds[1] if bounds else None,
        improved_share=changes.improved / n,
        distribution=rule.parts({v: (changes.by_change.get(v, 0),) * 2 for v in CHANGES}),
    )


def _capability(
    skill: str, state: CatalogueState, figures: measurement_figures.CapabilityFigures, rule: Rule
) -> SkillCapability:
    stuck = figures.stuck.get(skill, {})
    answered = sum(stuck.values())
    return SkillCapability(
        skill=skill,
        name=state.skill_name(skill),
        before_after=change(figures.before_after.get(skill, NO_CHANGES), rule),
        retrospective_after=change(figures.retrospective_after.get(skill, NO_CHANGES), rule),
        proposer_observed=change(figures.proposer_observed.get(skill, NO_CHANGES), rule),
        monthly=tuple(_trend(month, spread, rule) for month, spread in sorted(figures.monthly.get(skill, {}).items())),
        stuck_people=rule.shown(answered, answered),
        stuck=(
            rule.parts({v: (stuck.get(v, 0),) * 2 for v in ANSWERS})
            if not rule.small(answered)
            else {v: rule.marker for v in ANSWERS}
        ),
    )


def _trend(month: str, spread: Spread, rule: Rule) -> Trend:
    return Trend(month, rule.shown(spread.mean, spread.people), rule.shown(spread.people, spread.people))


def _adherence(
    figures: dict[str, challenge_figures.Adherence], state: CatalogueState, rule: Rule
) -> tuple[SkillAdherence, ...]:
    """All skills first, then each skill; per measure, the skills are parts of the total shown above them."""
    skills = sorted((key for key in figures if key != challenge_figures.ALL), key=state.skill_name)
    shown: dict[str, dict[str, Value]] = {key: {} for key in [challenge_figures.ALL, *skills]}
    for measure in challenge_figures.MEASURES:
        total = getattr(figures[challenge_figures.ALL], measure) if challenge_figures.ALL in figures else None
        shown[challenge_figures.ALL][measure] = rule.shown(total.count, total.people) if total else None
        parts = rule.parts(
            {key: (getattr(figures[key], measure).count, getattr(figures[key], measure).people) for key in skills}
        )
        for key in skills:
            shown[key][measure] = parts[key]
    return tuple(
        SkillAdherence(key, ALL_SKILLS if key == challenge_figures.ALL else state.skill_name(key), measures)
        for key, measures in shown.items()
        if key != challenge_figures.ALL or challenge_figures.ALL in figures
    )


def _practice(
    technique: str, figures: practice_figures.PracticeFigures, state: CatalogueState, rule: Rule
) -> TechniquePractice:
    n = figures.practitioners
    view = state.techniques.get(technique)
    per = figures.done.count / n if n else None
    return TechniquePractice(
        technique=technique,
        name=view.title if view is not None else technique,
        practitioners=rule.shown(n, n),
        days_due=rule.shown(figures.due.count, figures.due.people),
        days_done=rule.shown(figures.done.count, figures.done.people),
        done_per_practitioner=rule.shown(per, n),
    )


def _library(used: dict[int, dict[str, Tally]], state: CatalogueState, rule: Rule) -> LibraryUse:
    resources = []
    for item, measures in sorted(
        used.items(), key=lambda pair: state.by_id[pair[0]].title if pair[0] in state.by_id else ""
    ):
        view = state.by_id.get(item)
        if view is None:
            continue
        shown: dict[str, Value] = {}
        for measure in (*library_figures.ANSWERS, library_figures.OPENED):
            found = measures.get(measure)
            shown[measure] = rule.shown(found.count, found.people) if found is not None else 0
        resources.append(ResourceUse(view.key, view.title, shown))
    opened = {item for item, measures in used.items() if library_figures.OPENED in measures}
    never = tuple(sorted(view.key for view in state.resources.values() if view.id not in opened))
    return LibraryUse(tuple(resources), never)
