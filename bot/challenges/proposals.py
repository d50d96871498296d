"""Proposing a challenge to one colleague or a cohort: nobody who opted out or left is asked, a "no" is not
asked again at once, and each proposal reaches the person in their working hours (`answers` takes it on)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.models import LIVE, WAITING, Challenge, ChallengeProposal, ChallengeStatus
from bot.challenges.planning import WORKING_DAYS_TO_ANSWER, answer_due, default_checkins, invitation_key
from bot.challenges.types import (
    ChallengeMessages,
    Invitation,
    NewProposal,
    ProposalDraft,
    Proposed,
    TemplateOption,
    Terms,
)
from bot.challenges.views import in_working_hours
from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState, ChallengeView
from bot.db.engine import transaction
from bot.errors import BadInput, BotError
from bot.localtime import day_text, local_date, zone
from bot.people import service as people
from bot.people.service import PeopleService
from bot.people.types import PersonRef

NO_PROPOSAL = NewProposal((), None, "", "", "", None, "", None, None, "", None)
MAX_COLLEAGUES = 10  # a cohort, not a whole channel
COOL_DOWN = timedelta(days=30)  # after a "no", the same challenge is not proposed to them again before
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
C = ChallengeStatus


class ChallengeProposals:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        catalogue: Catalogue,
        messages: ChallengeMessages,
        people: PeopleService,
        default_timezone: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._catalogue = catalogue
        self._messages = messages
        self._people = people
        self._default_tz = default_timezone

    # -- proposing -------------------------------------------------------------------------------------------
    def draft(self, person: PersonRef, text: str, anchor_link: str | None = None) -> ProposalDraft:
        """The window's starting point: colleagues named with @, and a template key, both optional."""
        state = self._catalogue.current()
        words = MENTION.sub(" ", text).split()
        key = next((word for word in words if word in state.challenges), None)
        options = sorted(
            (TemplateOption(c.key, c.title, state.skill_name(c.skill)) for c in state.challenges.values()),
            key=lambda option: (option.skill_name, option.title),
        )
        today = local_date(self._clock.now(), zone(person.tz, self._default_tz))
        colleagues = tuple(dict.fromkeys(MENTION.findall(text)))[:MAX_COLLEAGUES]
        return ProposalDraft(colleagues, key, tuple(options), today, anchor_link)

    def skills(self) -> list[tuple[str, str]]:
        """(key, name) of every skill, for a challenge written by hand."""
        return sorted(((k, s.name) for k, s in self._catalogue.current().skills.items()), key=lambda pair: pair[1])

    def check(self, person: PersonRef, new: NewProposal) -> None:
        """Refuse, under the right field, what cannot be proposed: run before the window closes."""
        state = self._catalogue.current()
        terms = self._terms(new, state)
        self._start(person, new)
        with self._sessions() as session:
            for user_id in new.colleagues:
                colleague = people.known(session, team_id=person.team_id, user_id=user_id)
                problem = self._problem(session, person, user_id, colleague, new.template_key, terms)
                if problem is not None:
                    raise BadInput(problem, field="colleagues")

    def propose(self, person: PersonRef, new: NewProposal) -> list[Proposed]:
        """Each colleague gets a DM, in their working hours, to accept, decline or ask for a change."""
        state = self._catalogue.current()
        terms = self._terms(new, state)
        start = self._start(person, new)
        template = state.challenges.get(new.template_key or "")
        checkins = _checkins(template, terms.days)
        steps = template.steps if template is not None else ()
        outcomes: list[Proposed] = []
        proposal_id: int | None = None
        for user_id in new.colleagues:
            try:
                colleague: PersonRef | None = self._people.colleague(person, user_id)
            except BotError as error:
                outcomes.append(Proposed(user_id, error.message))
                continue
            now = self._clock.now()
            with transaction(self._sessions) as session:
                problem = self._problem(session, person, user_id, colleague, new.template_key, terms)
                if problem is not None or colleague is None:
                    outcomes.append(Proposed(user_id, problem))
                    continue
                if proposal_id is None:
                    proposal_id = repository.add_proposal(
                        session,
                        ChallengeProposal(
                            workspace_id=person.workspace_id,
                            proposer_id=person.person_id,
                            template_key=template.key if template else None,
                            note=new.note or None,
                            peer_channel=new.peer_channel,
                            anchor_link=new.anchor_link,
                            created_at=now,
                        ),
                    ).id
                challenge = self._add(session, proposal_id, colleague, terms, start, checkins, state)
                invitation = Invitation(
                    challenge.id, person.slack_user_id, terms, start, steps, new.note, new.anchor_link
                )
                in_working_hours(
                    session,
                    colleague,
                    invitation_key(challenge.id),
                    self._messages.invitation(invitation),
                    now=now,
                    holidays=state.holidays,
                    default_tz=self._default_tz,
                )
            outcomes.append(Proposed(user_id, proposal_id=proposal_id))
        return outcomes

    def for_myself(self, person: PersonRef, template_key: str) -> int:
        """A challenge someone takes on themselves (a follow-on): proposed by them, to them, waiting only for
        their baseline. Returns its id."""
        state = self._catalogue.current()
        template = state.challenges.get(template_key)
        if template is None:
            raise BadInput("That challenge is no longer in the list.")
        terms = self._terms(replace(NO_PROPOSAL, template_key=template_key), state)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            for existing in repository.same_challenges(session, person.person_id, template_key=template_key, title=""):
                if existing.status in (*WAITING, *LIVE):
                    return existing.id
            proposal = ChallengeProposal(
                workspace_id=person.workspace_id,
                proposer_id=person.person_id,
                template_key=template_key,
                created_at=now,
            )
            proposal_id = repository.add_proposal(session, proposal).id
            today = local_date(now, zone(person.tz, self._default_tz))
            challenge = self._add(session, proposal_id, person, terms, today, _checkins(template, terms.days), state)
            challenge.answer_due_at = None  # nobody to remind: it waits on the Home tab until they start it
            return challenge.id

    # -- inside ----------------------------------------------------------------------------------------------
    def _add(
        self,
        session: Session,
        proposal_id: int,
        colleague: PersonRef,
        terms: Terms,
        start: date,
        checkins: list[dict[str, object]],
        state: CatalogueState,
    ) -> Challenge:
        now = self._clock.now()
        return repository.add_challenge(
            session,
            Challenge(
                workspace_id=colleague.workspace_id,
                proposal_id=proposal_id,
                person_id=colleague.person_id,
                status=C.PROPOSED.value,
                title=terms.title,
                brief=terms.brief,
                skill_key=terms.skill_key,
                days=terms.days,
                target_count=terms.target_count,
                target_unit=terms.target_unit,
                target_units=terms.target_units,
                start_date=start,
                checkins=checkins,
                answer_due_at=answer_due(
                    now,
                    zone(colleague.tz, self._default_tz),
                    state.holidays,
                    working_days=WORKING_DAYS_TO_ANSWER,
                ),
                created_at=now,
                updated_at=now,
            ),
        )

    def _terms(self, new: NewProposal, state: CatalogueState) -> Terms:
        if new.template_key:
            template = state.challenges.get(new.template_key)
            if template is None:
                raise BadInput("I don't know that challenge. Pick one from the list.", field="template")
            days = new.days or template.days
            count = new.target_count if new.target_count is not None else template.target_count
            terms = Terms(
                template.title,
                template.brief,
                template.skill,
                days,
                count,
                template.target_unit,
                template.target_units,
            )
        else:
            if not new.title.strip():
                raise BadInput("Pick a challenge from the list, or give yours a title.", field="title")
            if not new.brief.strip():
                raise BadInput("Say what the challenge asks, in a sentence or two.", field="brief")
            if new.skill_key not in state.skills:
                raise BadInput("Pick the skill it grows.", field="skill")
            unit = new.target_unit.strip()
            if new.target_count is not None and not unit:
                raise BadInput("Say what to count, e.g. conversation.", field="target_unit")
            terms = Terms(
                new.title.strip()[:100],
                new.brief.strip()[:1000],
                new.skill_key,
                new.days or 14,
                new.target_count,
                unit,
                f"{unit}s" if unit else "",
            )
        if not 5 <= terms.days <= 42:
            raise BadInput("A challenge lasts between 5 and 42 days.", field="days")
        if terms.target_count is not None and not 1 <= terms.target_count <= 20:
            raise BadInput("Pick a target between 1 and 20.", field="target")
        return terms

    def _start(self, person: PersonRef, new: NewProposal) -> date:
        if not new.colleagues:
            raise BadInput("Pick at least one colleague.", field="colleagues")
        if len(new.colleagues) > MAX_COLLEAGUES:
            raise BadInput(f"Propose to at most {MAX_COLLEAGUES} colleagues at once.", field="colleagues")
        today = local_date(self._clock.now(), zone(person.tz, self._default_tz))
        start = new.start or today
        if not today <= start <= today + timedelta(days=60):
            raise BadInput("Pick a start date from today to two months ahead.", field="start")
        return start

    def _problem(
        self,
        session: Session,
        person: PersonRef,
        user_id: str,
        colleague: PersonRef | None,
        template_key: str | None,
        terms: Terms,
    ) -> str | None:
        """Why this challenge cannot be proposed to this colleague now, or None."""
        if user_id == person.slack_user_id:
            return "You can't propose a challenge to yourself; ask a colleague to propose one to you."
        if colleague is None:
            return None  # not met yet: looked up in the directory once the window has closed
        if colleague.opted_out or colleague.unreachable:
            return f"I can't send challenges to <@{user_id}>."
        for existing in repository.same_challenges(
            session, colleague.person_id, template_key=template_key, title=terms.title
        ):
            if existing.status in (*WAITING, *LIVE):
                return f"<@{user_id}> is already doing this challenge, or has it waiting for an answer."
            if existing.status == C.DECLINED and existing.updated_at > self._clock.now() - COOL_DOWN:
                again = day_text((existing.updated_at + COOL_DOWN).date())
                return f"<@{user_id}> said no to this challenge recently; you can propose it again from {again}."
        return None


def _checkins(template: ChallengeView | None, days: int) -> list[dict[str, object]]:
    """The template's check-ins when it runs at least its own length, else ones spread over the days."""
    if template is not None and days >= template.days:
        return [{"day": c.day, "question": c.question} for c in template.checkins if c.day < days]
    return default_checkins(days)
