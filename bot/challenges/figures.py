"""Challenges in a report, as context: how many were proposed, accepted, declined, finished and withdrawn, and
how many check-ins were sent and answered; per skill and over all skills, counted in the database with the
number of distinct people behind each count. Also "I'm stuck", published for the report's moments of need.

The aggregate SQL lives here beside the repository (on the same tables, nowhere else)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, distinct, exists, func, literal, select
from sqlalchemy.orm import Session

from bot.challenges.models import Challenge, ChallengeEntry
from bot.challenges.planning import CHECKIN, DAY
from bot.challenges.types import ChallengeStatus, EntryKind
from bot.db.figures import Among, Tally, tally
from bot.outbox import ledger
from bot.outbox.types import DeliveryStatus

ALL = ""  # the key of the figures over all skills
STUCK, SKILL = "stuck", "skill:"  # the kind of moment of need, and its subject's prefix
MEASURES = ("proposed", "accepted", "declined", "finished", "withdrawn", "checkins_sent", "checkins_answered")


@dataclass(frozen=True)
class Adherence:
    """One skill's (or all skills') challenges in the period; each a count with its distinct people."""

    proposed: Tally
    accepted: Tally
    declined: Tally
    finished: Tally
    withdrawn: Tally
    checkins_sent: Tally
    checkins_answered: Tally


def _in(column: Any, among: Among) -> ColumnElement[bool]:
    return and_(column >= among.since, column < among.until)


def _ended(status: ChallengeStatus, among: Among) -> ColumnElement[bool]:
    return and_(Challenge.status == status, _in(Challenge.ended_at, among))


def _counted(condition: ColumnElement[bool], person: Any) -> list[Any]:
    return [func.sum(case((condition, 1), else_=0)), func.count(distinct(case((condition, person), else_=None)))]


def adherence(session: Session, among: Among) -> dict[str, Adherence]:
    """Per skill key, and over all skills (key `ALL`)."""
    scope = [Challenge.workspace_id == among.workspace_id]
    scope += among.of_people(Challenge.person_id)
    states = [
        _in(Challenge.created_at, among),
        _in(Challenge.accepted_at, among),
        _ended(ChallengeStatus.DECLINED, among),
        _ended(ChallengeStatus.FINISHED, among),
        _ended(ChallengeStatus.WITHDRAWN, among),
    ]
    sent = ledger.statuses()
    answered_key = (
        literal(f"{CHECKIN}:")
        + cast(ChallengeEntry.challenge_id, String)
        + literal(f":{DAY}")
        + cast(ChallengeEntry.checkin_day, String)
    )
    answered = exists().where(ChallengeEntry.challenge_id == Challenge.id, answered_key == sent.c.key)
    checkins = (
        select(Challenge.skill_key.label("skill"), Challenge.person_id.label("person"), answered.label("answered"))
        .join(sent, sent.c.subject_id == Challenge.id)
        .where(
            *scope,
            sent.c.kind == CHECKIN,
            sent.c.key.like(f"{CHECKIN}:%:{DAY}%"),
            sent.c.key.not_like("%:snooze:%"),
            sent.c.status == DeliveryStatus.SENT.value,
            _in(sent.c.sent_at, among),
        )
        .subquery()
    )
    columns = [c for state in states for c in _counted(state, Challenge.person_id)]
    one: dict[str, list[Tally]] = {}
    for by_skill in (True, False):
        statement: Select[Any] = select(*([Challenge.skill_key] if by_skill else [literal(ALL)]), *columns).where(
            *scope
        )
        asked: Select[Any] = select(
            *([checkins.c.skill] if by_skill else [literal(ALL)]),
            *_counted(literal(True), checkins.c.person),
            *_counted(checkins.c.answered, checkins.c.person),
        )
        if by_skill:
            statement, asked = statement.group_by(Challenge.skill_key), asked.group_by(checkins.c.skill)
        for row in session.execute(statement):
            one[row[0]] = [tally(row[i], row[i + 1]) for i in range(1, len(row), 2)]
        for row in session.execute(asked):
            tallies = one.setdefault(row[0], [Tally()] * len(states))
            tallies += [tally(row[i], row[i + 1]) for i in range(1, len(row), 2)]
    return {
        skill: Adherence(*(tallies + [Tally()] * (len(MEASURES) - len(tallies))))
        for skill, tallies in one.items()
        if any(t.count for t in tallies)
    }


def stuck(among: Among) -> Select[int, str, str, datetime]:
    """The "I'm stuck" entries of `among`'s people in its period, as moments of need: (person_id, kind, subject, at)
    where the subject is `skill:<key>` of the challenge (never the words they wrote, which are theirs alone)."""
    statement = (
        select(
            ChallengeEntry.person_id.label("person_id"),
            literal(STUCK).label("kind"),
            (literal(SKILL) + Challenge.skill_key).label("subject"),
            ChallengeEntry.created_at.label("at"),
        )
        .join(Challenge, Challenge.id == ChallengeEntry.challenge_id)
        .where(
            Challenge.workspace_id == among.workspace_id,
            ChallengeEntry.kind == EntryKind.STUCK,
            _in(ChallengeEntry.created_at, among),
        )
    )
    return statement.where(*among.of_people(ChallengeEntry.person_id))
