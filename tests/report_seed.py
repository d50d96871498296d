"""A crafted dataset for the report's figures, inserted directly into a fresh database (not a test module)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges.models import Challenge, ChallengeEntry, ChallengeProposal
from bot.challenges.types import ChallengeStatus, EntryKind
from bot.content.catalogue import Catalogue
from bot.content.loader import load_content
from bot.content.sync import sync_content
from bot.db.engine import transaction
from bot.library.fit import Fit
from bot.library.models import ResourceEvent, ResourceFeedback, Search
from bot.library.shelf import Indexed, Shelf
from bot.measurement.models import Rating
from bot.measurement.types import Moment, Rater
from bot.outbox.models import Delivery
from bot.people.models import Person, Workspace
from bot.reports.build import build_report
from bot.reports.types import Report
from bot.reports.values import Scope, Suppressed
from tests.harness import FIXTURE, START

SINCE, UNTIL = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
S3 = Suppressed(3)
FEEDBACK, LISTENING = "giving-feedback", "listening"


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 30, tzinfo=UTC)


class Seed:
    """Direct inserts into a fresh database: workspace `ws` with people p[1..7], another workspace's person."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        sync_content(sessions, load_content(FIXTURE), now=START)
        with transaction(sessions) as session:
            self.ws = self._workspace(session, "T1")
            other = self._workspace(session, "T2")
            zones = ["America/New_York", "Europe/London"] * 4  # p1 in London, p2 in New York, …
            self.p = [0] + [self._person(session, self.ws, f"U{n}", zones[n]) for n in range(1, 8)]
            self.outsider = self._person(session, other, "U9", "Europe/London")
            proposal = ChallengeProposal(workspace_id=self.ws, proposer_id=self.p[7], created_at=at(1))
            session.add(proposal)
            session.flush()
            self.proposal = proposal.id

    @staticmethod
    def _workspace(session: Session, team: str) -> int:
        row = Workspace(team_id=team, name=team, created_at=START)
        session.add(row)
        session.flush()
        return row.id

    @staticmethod
    def _person(session: Session, ws: int, user: str, tz: str) -> int:
        row = Person(workspace_id=ws, slack_user_id=user, tz=tz, skills=[], created_at=START)
        session.add(row)
        session.flush()
        return row.id

    def add(self, *rows: Any) -> None:
        with transaction(self.sessions) as session:
            session.add_all(rows)

    def rating(
        self,
        person: int,
        skill: str,
        rater: Rater,
        moment: Moment,
        value: int,
        source: str,
        when: datetime,
        ws: int | None = None,
    ) -> Rating:
        return Rating(
            workspace_id=ws or self.ws,
            person_id=person,
            skill_key=skill,
            rater=rater,
            moment=moment,
            value=value,
            source=source,
            created_at=when,
        )

    def pair(
        self,
        person: int,
        skill: str,
        before: int,
        after: int,
        source: str,
        when: datetime,
        *,
        moment: Moment = Moment.BASELINE,
        ws: int | None = None,
    ) -> None:
        self.add(
            self.rating(person, skill, Rater.SELF, moment, before, source, when - timedelta(days=14), ws=ws),
            self.rating(person, skill, Rater.SELF, Moment.AFTER, after, source, when, ws=ws),
        )

    def challenge(
        self, person: int, skill: str, status: ChallengeStatus, *, accepted: bool = True, ended: bool = False
    ) -> int:
        with transaction(self.sessions) as session:
            row = Challenge(
                workspace_id=self.ws, proposal_id=self.proposal, person_id=person, status=status, title="t", brief="b",
                skill_key=skill, days=14, target_count=None, start_date=date(2026, 11, 3), checkins=(), created_at=at(2),
                updated_at=at(2), accepted_at=at(3) if accepted else None, ended_at=at(20) if ended else None,
            )  # fmt: skip
            session.add(row)
            session.flush()
            return row.id

    def delivery(self, key: str, subject: int, person: int, *, sent: datetime | None) -> Delivery:
        return Delivery(
            key=key, kind=key.split(":")[0], workspace_id=self.ws, person_id=person, subject_id=subject, payload={},
            status="sent" if sent else "pending", due_at=at(5), expires_at=at(6), sent_at=sent, created_at=at(5),
        )  # fmt: skip

    def search(
        self, person: int, query: str, when: datetime, *, fit: Fit = Fit.NOTHING, ws: int | None = None
    ) -> Search:
        return Search(workspace_id=ws or self.ws, person_id=person, query=query, results=[], fit=fit, created_at=when)

    def shelf(self) -> Indexed:
        return Shelf(sessions=self.sessions, catalogue=Catalogue(self.sessions)).current()

    def report(
        self,
        *,
        people: frozenset[int] | None = None,
        min_group: int = 3,
        since: datetime = SINCE,
        until: datetime = UNTIL,
    ) -> Report:
        return build_report(
            self.sessions,
            Scope(self.ws, "test", people),
            since=since,
            until=until,
            shelf=self.shelf(),
            min_group=min_group,
            default_tz="UTC",
        )


def crafted(seed: Seed) -> None:
    p = seed.p
    # giving feedback, baseline -> after: +2 +1 0 +3 -1 (p1's earlier pair is not their latest)
    seed.pair(p[1], FEEDBACK, 1, 1, "challenge:100", at(5))
    for person, before, after in ((1, 2, 4), (2, 3, 4), (3, 2, 2), (4, 1, 4), (5, 3, 2)):
        seed.pair(p[person], FEEDBACK, before, after, f"challenge:{person}", at(10))
    seed.pair(p[6], FEEDBACK, 1, 5, "challenge:6", at(25, month=10))  # before the period
    seed.pair(seed.outsider, FEEDBACK, 1, 5, "challenge:9", at(10), ws=seed.ws + 1)  # another workspace (its own rows)
    # thinking back -> after, on the same sources: +2 +2 0
    for person, back in ((1, 2), (2, 2), (3, 2)):
        seed.add(
            seed.rating(p[person], FEEDBACK, Rater.SELF, Moment.RETROSPECTIVE, back, f"challenge:{person}", at(10))
        )
    # the proposer's after, for two people only
    for person in (1, 2):
        seed.add(seed.rating(p[person], FEEDBACK, Rater.PROPOSER, Moment.AFTER, 5, f"challenge:{person}", at(11)))
    # listening: +1 +1 +1 0
    for person, after in ((1, 3), (2, 3), (3, 3), (4, 2)):
        seed.pair(p[person], LISTENING, 2, after, f"challenge:{person + 10}", at(12))
    # monthly self-ratings of listening: November by three people, October by two
    for person, value in ((1, 2), (2, 3), (3, 4)):
        seed.add(seed.rating(p[person], LISTENING, Rater.SELF, Moment.MONTHLY, value, "review:2026-11", at(28)))
    for person in (1, 2):
        seed.add(seed.rating(p[person], LISTENING, Rater.SELF, Moment.MONTHLY, 3, "review:2026-10", at(2)))
    # did it stick (feedback): 4, 4, 4, 5
    for person, value in ((1, 4), (2, 4), (3, 4), (4, 5)):
        seed.add(
            seed.rating(p[person], FEEDBACK, Rater.SELF, Moment.DID_IT_STICK, value, f"challenge:{person}", at(27))
        )


def adherence_data(seed: Seed) -> None:
    p = seed.p
    ids = [seed.challenge(p[n], FEEDBACK, ChallengeStatus.FINISHED, ended=True) for n in (1, 2, 3)]
    ids.append(seed.challenge(p[4], FEEDBACK, ChallengeStatus.WITHDRAWN, ended=True))
    seed.challenge(p[5], LISTENING, ChallengeStatus.DECLINED, accepted=False, ended=True)
    for n, challenge in enumerate(ids, start=1):
        seed.add(seed.delivery(f"challenge_checkin:{challenge}:day:3", challenge, p[n], sent=at(6)))
    seed.add(
        seed.delivery(f"challenge_checkin:{ids[0]}:day:3:snooze:1", ids[0], p[1], sent=at(7)),
        seed.delivery(f"challenge_checkin:{ids[0]}:day:7", ids[0], p[1], sent=None),  # not sent
    )
    for n, challenge in enumerate(ids[:3], start=1):
        seed.add(
            ChallengeEntry(
                challenge_id=challenge,
                person_id=p[n],
                kind=EntryKind.REFLECTION,
                text="mine alone",
                checkin_day=3,
                created_at=at(6, 12),
            )
        )
    for n in (1, 2):
        seed.add(
            ChallengeEntry(
                challenge_id=ids[n - 1], person_id=p[n], kind=EntryKind.STUCK, text="secret words", created_at=at(8)
            )
        )


def needs_data(seed: Seed) -> None:
    p = seed.p
    for n in (1, 2, 3):
        seed.add(seed.search(p[n], "giving feedback to my boss", at(10)))
    seed.add(
        seed.search(p[4], "Give critique to my boss", at(11)),  # the same topic, through a synonym
        seed.search(p[1], "giving feedback to my boss", at(12), fit=Fit.GOOD),  # answered: no need
        seed.search(p[6], "xyzzy plugh", at(12)),
        seed.search(seed.outsider, "giving feedback to my boss", at(10), ws=seed.ws + 1),
        ResourceEvent(
            workspace_id=seed.ws,
            person_id=p[5],
            kind="requested",
            detail="giving feedback to my boss",
            created_at=at(13),
        ),
    )
    shelf = seed.shelf()
    guide = shelf.catalogue.resources["feedback-sbi-guide"].id
    seed.add(
        ResourceFeedback(person_id=p[3], content_item_id=guide, source="button", value="not_helpful", updated_at=at(14))
    )
