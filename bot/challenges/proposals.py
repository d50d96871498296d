"""Proposing a challenge to one colleague or a cohort: nobody who opted out or left is asked, a "no" is not
asked again at once, a proposer sends at most so many invitations a day, and each proposal reaches the
person in their working hours (`answers` takes it on).

Proposing is recorded before the window closes (`prepare`: the proposal with the colleagues still to ask)
and done after it (`send`); a process that dies in between leaves the proposal for the tick to finish."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.challenges import repository
from bot.challenges.context import ChallengeContext, ChallengeService
from bot.challenges.models import LIVE, WAITING, Challenge, ChallengeProposal
from bot.challenges.planning import WORKING_DAYS_TO_ANSWER, answer_due, invitation_key, proposed_key
from bot.challenges.proposal_types import (
    CannotPropose,
    NewProposal,
    Problem,
    Proposed,
)
from bot.challenges.terms import checkins_for, terms_for
from bot.challenges.types import ChallengeStatus, CheckinSpec, Terms
from bot.challenges.views import in_working_hours, invitation_of, note_author
from bot.content.challenge_limits import (
    COOL_DOWN,
    MAX_COLLEAGUES,
    check_start,
)
from bot.content.types import CatalogueState
from bot.db.engine import transaction
from bot.errors import BadInput, NotFound
from bot.localtime import local_date, zone
from bot.outbox import service as outbox
from bot.outbox.types import NewDelivery
from bot.people import service as people
from bot.people.service import PeopleService
from bot.people.types import PersonRef

NO_PROPOSAL = NewProposal((), None, "", "", "", None, "", None, None, "", None)
C = ChallengeStatus
DAY = timedelta(days=1)
UNFINISHED = timedelta(minutes=1)  # a proposal still sending after this long was left by a process that died


class ChallengeProposals(ChallengeService):
    def __init__(self, context: ChallengeContext, *, people: PeopleService, per_day: int = 20) -> None:
        super().__init__(context)
        self._people = people
        self._per_day = per_day

    # -- proposing -------------------------------------------------------------------------------------------
    def prepare(self, person: PersonRef, new: NewProposal) -> int:
        """Check what is proposed (refused under the right field while the window is open) and record it, with
        the colleagues still to ask, in one transaction. Returns the proposal's id, for `send`."""
        state = self._catalogue.current()
        terms = terms_for(new, state)
        self._start(person, new)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            left = self._per_day - repository.invitations_since(session, person.person_id, since=now - DAY)
            if len(new.colleagues) > left:
                raise BadInput(_cap_text(self._per_day, left), field="colleagues")
            for user_id in new.colleagues:
                colleague = people.known(session, team_id=person.team_id, user_id=user_id)
                problem = self._problem(session, person, user_id, colleague, new.template_key, terms)
                if problem is not None:
                    again = self._again(session, colleague, new, terms, problem) if colleague else None
                    raise CannotPropose(problem, colleague.display_name if colleague else "", again)
            template = state.challenges.get(new.template_key or "")
            proposal = ChallengeProposal(
                workspace_id=person.workspace_id,
                proposer_id=person.person_id,
                template_key=template.key if template else None,
                note=new.note or None,
                peer_channel=new.peer_channel,
                anchor_link=new.anchor_link,
                sending=new,
                created_at=now,
            )
            return repository.add_proposal(session, proposal).id

    def send(self, person: PersonRef, proposal_id: int) -> list[Proposed]:
        """Ask each colleague of a prepared proposal (in their working hours); the proposer hears who was asked
        and who could not be. Done again after a crash, it asks nobody twice."""
        with self._sessions() as session:
            found = repository.proposal(session, proposal_id)
            new = found.sending if found is not None and found.proposer_id == person.person_id else None
        if new is None:
            return []
        outcomes = [self._ask(person, proposal_id, new, user_id) for user_id in new.colleagues]
        now = self._clock.now()
        with transaction(self._sessions) as session:
            found = repository.proposal(session, proposal_id)
            if found is None or found.sending is None:
                return outcomes  # another process finished it meanwhile
            found.sending = None
            item = NewDelivery.to_person(
                person,
                key=proposed_key(proposal_id),
                payload=self._messages.proposed(tuple(outcomes)),
                due_at=now,
                expires_at=now + DAY,
            )
            outbox.enqueue(session, [item], now=now)
        return outcomes

    def unfinished(self, now: datetime) -> int:
        """The tick's chore: proposals a process recorded and did not finish sending are sent now."""
        with self._sessions() as session:
            left = [(p, ref) for p, ref in repository.sending_before(session, now - UNFINISHED) if ref is not None]
        return sum(len(self.send(ref, proposal.id)) for proposal, ref in left)

    def for_myself(self, person: PersonRef, template_key: str) -> int:
        """A challenge someone takes on themselves (a follow-on): proposed by them, to them, waiting only for
        their baseline. Returns its id."""
        state = self._catalogue.current()
        template = state.challenges.get(template_key)
        if template is None:
            raise BadInput("That challenge is no longer in the list.")
        terms = terms_for(replace(NO_PROPOSAL, template_key=template_key), state)
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
            challenge = self._add(session, proposal_id, person, terms, today, checkins_for(template, terms.days), state)
            challenge.answer_due_at = None  # nobody to remind: it waits on the Home tab until they start it
            return challenge.id

    # -- inside ----------------------------------------------------------------------------------------------
    def _ask(self, person: PersonRef, proposal_id: int, new: NewProposal, user_id: str) -> Proposed:
        """One colleague of a proposal: asked (once, however often this runs), or why not."""
        state = self._catalogue.current()
        terms = terms_for(new, state)
        try:
            colleague = self._people.colleague(person, user_id)
        except NotFound:
            return Proposed(user_id, Problem.UNKNOWN)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            mine = repository.of_proposal_for(session, proposal_id, colleague.person_id)
            if mine is not None:
                return Proposed(user_id, proposal_id=proposal_id)
            problem = self._problem(session, person, user_id, colleague, new.template_key, terms)
            if problem is None and repository.invitations_since(session, person.person_id, since=now - DAY) >= (
                self._per_day
            ):
                problem = Problem.CAP
            if problem is not None:
                return Proposed(user_id, problem, again=self._again(session, colleague, new, terms, problem))
            template = state.challenges.get(new.template_key or "")
            start = self._start(person, new)
            challenge = self._add(
                session, proposal_id, colleague, terms, start, checkins_for(template, terms.days), state
            )
            in_working_hours(
                session,
                colleague,
                invitation_key(challenge.id),
                self._messages.invitation(invitation_of(session, state, challenge)),
                now=now,
                holidays=state.holidays,
                default_tz=self._default_tz,
                author_id=note_author(session, challenge),
            )
        return Proposed(user_id, proposal_id=proposal_id)

    def _add(
        self,
        session: Session,
        proposal_id: int,
        colleague: PersonRef,
        terms: Terms,
        start: date,
        checkins: tuple[CheckinSpec, ...],
        state: CatalogueState,
    ) -> Challenge:
        now = self._clock.now()
        return repository.add_challenge(
            session,
            Challenge(
                workspace_id=colleague.workspace_id,
                proposal_id=proposal_id,
                person_id=colleague.person_id,
                status=C.PROPOSED,
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

    def _start(self, person: PersonRef, new: NewProposal) -> date:
        if not new.colleagues:
            raise BadInput("Pick at least one colleague.", field="colleagues")
        if len(new.colleagues) > MAX_COLLEAGUES:
            raise BadInput(f"Propose to at most {MAX_COLLEAGUES} colleagues at once.", field="colleagues")
        today = local_date(self._clock.now(), zone(person.tz, self._default_tz))
        return check_start(new.start or today, today)

    def _problem(
        self,
        session: Session,
        person: PersonRef,
        user_id: str,
        colleague: PersonRef | None,
        template_key: str | None,
        terms: Terms,
    ) -> Problem | None:
        """Why this challenge cannot be proposed to this colleague now, or None."""
        if user_id == person.slack_user_id:
            return Problem.SELF
        if colleague is None:
            return None  # not met yet: looked up in the directory once the window has closed
        if colleague.opted_out or colleague.unreachable:
            return Problem.UNREACHABLE
        for existing in repository.same_challenges(
            session, colleague.person_id, template_key=template_key, title=terms.title
        ):
            if existing.status in (*WAITING, *LIVE):
                return Problem.ALREADY
            if existing.status is C.DECLINED and existing.updated_at > self._clock.now() - COOL_DOWN:
                return Problem.DECLINED
        return None

    def _again(
        self, session: Session, colleague: PersonRef, new: NewProposal, terms: Terms, problem: Problem
    ) -> date | None:
        """When a "no" lets the same challenge be proposed to them again."""
        if problem is not Problem.DECLINED:
            return None
        declined = [
            c.updated_at
            for c in repository.same_challenges(
                session, colleague.person_id, template_key=new.template_key, title=terms.title
            )
            if c.status is C.DECLINED
        ]
        return (max(declined) + COOL_DOWN).date() if declined else None


def _cap_text(per_day: int, left: int) -> str:
    if left <= 0:
        return f"You've sent {per_day} invitations in the last day, the most a day allows. Try again tomorrow."
    return f"You can send {left} more invitation{'s' if left != 1 else ''} today ({per_day} a day at most)."
