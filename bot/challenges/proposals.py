"""Proposing a challenge, and the answers: nothing starts without the person's consent, nobody who opted out
or left is asked, a "no" is not asked again at once, and every answer reaches the proposer."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges import repository
from bot.challenges.models import LIVE, WAITING, Challenge, ChallengeProposal, ChallengeStatus
from bot.challenges.planning import (
    ANSWER,
    INVITATION,
    card_key,
    default_checkins,
    invitation_key,
    plan_next,
    terms_of,
)
from bot.challenges.types import (
    Answer,
    BaselineForm,
    Card,
    ChallengeMessages,
    ChangeAnswer,
    Invitation,
    NewProposal,
    ProposalDraft,
    Proposed,
    TemplateOption,
    Terms,
)
from bot.challenges.views import card_of, in_working_hours, owned, proposed, proposer_of
from bot.clock import Clock
from bot.content.catalogue import Catalogue
from bot.content.types import CatalogueState
from bot.db.engine import transaction
from bot.errors import BadInput, BotError
from bot.localtime import day_text, local_date, working_time, zone
from bot.measurement import service as measurement
from bot.measurement.types import Moment, Rater
from bot.outbox import service as outbox
from bot.outbox.keys import DeliveryKey
from bot.outbox.types import NewDelivery, Payload
from bot.people import service as people
from bot.people.service import PeopleService
from bot.people.types import PersonRef

MAX_COLLEAGUES = 10  # a cohort, not a whole channel
COOL_DOWN = timedelta(days=30)  # after a "no", the same challenge is not proposed to them again before
WORKING_DAYS_TO_ANSWER = 2  # then one reminder; one working day later the proposal expires
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)
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
        checkins = (
            [{"day": c.day, "question": c.question} for c in template.checkins if c.day < terms.days]
            if template is not None and terms.days >= template.days
            else default_checkins(terms.days)
        )
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
                challenge = repository.add_challenge(
                    session,
                    Challenge(
                        workspace_id=person.workspace_id,
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
                        answer_due_at=self._answer_due(colleague, state, now),
                        created_at=now,
                        updated_at=now,
                    ),
                )
                invitation = Invitation(
                    challenge.id, person.slack_user_id, terms, start, steps, new.note, new.anchor_link
                )
                self._dm(session, colleague, invitation_key(challenge.id), self._messages.invitation(invitation), now)
            outcomes.append(Proposed(user_id))
        return outcomes

    # -- answering -------------------------------------------------------------------------------------------
    def baseline_form(self, person: PersonRef, challenge_id: int) -> BaselineForm:
        state = self._catalogue.current()
        with self._sessions() as session:
            challenge = owned(session, person, challenge_id)
            if challenge.status != C.PROPOSED:
                raise BadInput(_settled(challenge))
            proposer = proposer_of(session, challenge)
            skill = state.skills.get(challenge.skill_key)
            return BaselineForm(
                challenge.id,
                challenge.title,
                skill.name if skill else challenge.skill_key,
                dict(skill.rubric) if skill else {},
                proposer.slack_user_id if proposer else None,
            )

    def accept(self, person: PersonRef, challenge_id: int, *, baseline: int | None, share: bool) -> Card:
        """Consent: the challenge starts (day 1 is its start date, or today if that has passed), the thread's
        card is queued, the proposer is told. Pressing again changes nothing."""
        state = self._catalogue.current()
        now = self._clock.now()
        tz = zone(person.tz, self._default_tz)
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status in LIVE or challenge.status == C.FINISHED:
                return card_of(session, challenge, person, now=now, default_tz=self._default_tz)
            if baseline is None:
                raise BadInput("Pick the level that describes you today.", field="baseline")
            if not challenge.move_to(C.ACTIVE, now=now):
                raise BadInput(_settled(challenge))
            challenge.start_date = max(challenge.start_date, local_date(now, tz))
            challenge.accepted_at, challenge.share_ratings, challenge.answer_due_at = now, share, None
            measurement.record(
                session,
                workspace_id=person.workspace_id,
                person_id=person.person_id,
                skill_key=challenge.skill_key,
                rater=Rater.SELF,
                moment=Moment.BASELINE,
                value=baseline,
                source=f"challenge:{challenge.id}",
                now=now,
            )
            plan_next(challenge, tz, state.holidays, after=now)
            outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="answered")
            card = card_of(session, challenge, person, now=now, default_tz=self._default_tz)
            # The thread's anchor: sent now, and never skipped as too late (everything else hangs off it).
            item = NewDelivery.to_person(
                person, key=card_key(challenge.id), payload=self._messages.card(card), due_at=now, expires_at=FOREVER
            )
            outbox.enqueue(session, [item], now=now)
            self._tell_proposer(session, challenge, person, "accepted", now)
            return card

    def decline(self, person: PersonRef, challenge_id: int) -> str:
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status == C.PROPOSED and challenge.move_to(C.DECLINED, now=now):
                outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="answered")
                self._tell_proposer(session, challenge, person, "declined", now)
                return f"No problem: you declined *{challenge.title}*. I've let them know."
            return _settled(challenge)

    def ask_change(
        self, person: PersonRef, challenge_id: int, *, days: int | None, target: int | None, start: date | None
    ) -> str:
        """Other terms (length, target, start), sent to the proposer to agree or keep as proposed."""
        now = self._clock.now()
        today = local_date(now, zone(person.tz, self._default_tz))
        if days is not None and not 5 <= days <= 42:
            raise BadInput("A challenge lasts between 5 and 42 days.", field="days")
        if target is not None and not 1 <= target <= 20:
            raise BadInput("Pick a target between 1 and 20.", field="target")
        if start is not None and not today <= start <= today + timedelta(days=60):
            raise BadInput("Pick a start date from today to two months ahead.", field="start")
        asked = {k: v for k, v in {"days": days, "target": target, "start": start}.items() if v is not None}
        with transaction(self._sessions) as session:
            challenge = owned(session, person, challenge_id, lock=True)
            if challenge.status != C.PROPOSED:
                return _settled(challenge)
            if not asked:
                raise BadInput("Change at least one of length, target or start.", field="days")
            challenge.move_to(C.CHANGE_ASKED, now=now)
            challenge.asked_change = {k: v.isoformat() if isinstance(v, date) else v for k, v in asked.items()}
            outbox.cancel_subject(session, kind=INVITATION, subject=challenge.id, reason="answered")
            self._tell_proposer(session, challenge, person, "change", now, change=_change_text(challenge))
            return f"I've asked for {_change_text(challenge)}. I'll tell you what they say."

    def answer_change(self, proposer: PersonRef, challenge_id: int, *, agree: bool) -> str:
        """The proposer agrees to the change (the new terms are proposed) or keeps the original."""
        state = self._catalogue.current()
        now = self._clock.now()
        with transaction(self._sessions) as session:
            challenge, _ = proposed(session, proposer, challenge_id)
            person = people.person(session, challenge.person_id)
            if challenge.status != C.CHANGE_ASKED or person is None:
                return "That has already been settled."
            if agree:
                _apply(challenge, challenge.asked_change or {})
            challenge.move_to(C.PROPOSED, now=now)
            challenge.asked_change, challenge.reminded = None, False
            challenge.answer_due_at = self._answer_due(person, state, now)
            invitation = Invitation(
                challenge.id,
                proposer.slack_user_id,
                terms_of(challenge),
                challenge.start_date,
                (),
                "",
                None,
                changed=agree,
            )
            answer = ChangeAnswer(challenge.id, proposer.slack_user_id, challenge.title, agree)
            occasion = f"terms:{now:%Y%m%d%H%M%S}"
            self._dm(session, person, invitation_key(challenge.id, occasion), self._messages.change_answer(answer), now)
            self._dm(
                session,
                person,
                invitation_key(challenge.id, occasion + ":card"),
                self._messages.invitation(invitation),
                now,
            )
            said = "agreed to the change" if agree else "kept it as proposed"
            return f"You {said}. I've asked <@{person.slack_user_id}> again."

    # -- inside ----------------------------------------------------------------------------------------------
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

    def _answer_due(self, person: PersonRef, state: CatalogueState, now: datetime) -> datetime:
        """Two working days after the proposal reaches them (working hours, where they are)."""
        tz = zone(person.tz, self._default_tz)
        due = working_time(now, tz, state.holidays)
        for _ in range(WORKING_DAYS_TO_ANSWER):
            due = working_time(due + timedelta(days=1), tz, state.holidays)
        return due

    def _tell_proposer(
        self, session: Session, challenge: Challenge, person: PersonRef, outcome: str, now: datetime, change: str = ""
    ) -> None:
        proposer = proposer_of(session, challenge)
        if proposer is None:
            return
        answer = Answer(challenge.id, person.slack_user_id, challenge.title, outcome, change)
        occasion = f"{outcome}:{now:%Y%m%d%H%M%S}"
        key = DeliveryKey(ANSWER, challenge.id, occasion=occasion)
        self._dm(session, proposer, key, self._messages.answer(answer), now)

    def _dm(self, session: Session, person: PersonRef, key: DeliveryKey, payload: Payload, now: datetime) -> None:
        holidays = self._catalogue.current().holidays
        in_working_hours(session, person, key, payload, now=now, holidays=holidays, default_tz=self._default_tz)


def _apply(challenge: Challenge, change: dict[str, object]) -> None:
    if "days" in change:
        challenge.days = int(str(change["days"]))
    if "target" in change:
        challenge.target_count = int(str(change["target"]))
    if "start" in change:
        challenge.start_date = date.fromisoformat(str(change["start"]))


def _change_text(challenge: Challenge) -> str:
    change = challenge.asked_change or {}
    parts = []
    if "days" in change:
        parts.append(f"{change['days']} days instead of {challenge.days}")
    if "target" in change and challenge.target_count is not None:
        parts.append(f"a target of {change['target']} instead of {challenge.target_count}")
    elif "target" in change:
        parts.append(f"a target of {change['target']}")
    if "start" in change:
        parts.append(f"starting {day_text(date.fromisoformat(str(change['start'])))}")
    return " and ".join(parts) or "a change"


def _settled(challenge: Challenge) -> str:
    return {
        C.DECLINED: "You declined that challenge.",
        C.EXPIRED: "That proposal expired. Ask them to propose it again if you'd like to do it.",
        C.CANCELLED: "That proposal was cancelled.",
        C.CHANGE_ASKED: "You've asked for a change; I'll tell you what they say.",
        C.WITHDRAWN: "You stopped that challenge.",
        C.FINISHED: "That challenge has finished.",
    }.get(ChallengeStatus(challenge.status), "That challenge has already started.")
