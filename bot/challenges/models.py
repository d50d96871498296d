"""Challenges: a proposal (one colleague or a cohort), one challenge per person who was asked, and the
entries they write in it (progress, reflections), which are theirs alone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.challenges.proposal_types import NewProposal
from bot.challenges.types import ChallengeStatus, ChangeAsked, CheckinSpec, EntryKind, NextStep, SharePlace
from bot.db.base import Base, EnumText, JSONShape

C = ChallengeStatus
# Every change of a challenge's status goes through `Challenge.move_to`.
MOVES: dict[ChallengeStatus, frozenset[ChallengeStatus]] = {
    C.PROPOSED: frozenset({C.ACTIVE, C.DECLINED, C.CHANGE_ASKED, C.EXPIRED, C.CANCELLED}),
    C.CHANGE_ASKED: frozenset({C.PROPOSED, C.EXPIRED, C.CANCELLED}),
    C.ACTIVE: frozenset({C.PAUSED, C.WITHDRAWN, C.FINISHED}),
    C.PAUSED: frozenset({C.ACTIVE, C.WITHDRAWN}),
    **{final: frozenset() for final in (C.DECLINED, C.EXPIRED, C.CANCELLED, C.WITHDRAWN, C.FINISHED)},
}
ENDED = frozenset({C.DECLINED, C.EXPIRED, C.CANCELLED, C.WITHDRAWN, C.FINISHED})
WAITING = (C.PROPOSED, C.CHANGE_ASKED)
LIVE = (C.ACTIVE, C.PAUSED)
STARTED = (C.ACTIVE, C.PAUSED, C.FINISHED)  # accepted, and not stopped


def _dump_checkins(checkins: tuple[CheckinSpec, ...]) -> list[dict[str, Any]]:
    return [{"day": c.day, "question": c.question} for c in checkins]


def _load_checkins(data: Any) -> tuple[CheckinSpec, ...]:
    return tuple(CheckinSpec(int(c["day"]), str(c["question"])) for c in data or ())


def _dump_change(change: ChangeAsked) -> dict[str, Any]:
    found = {"days": change.days, "target": change.target, "start": change.start.isoformat() if change.start else None}
    return {key: value for key, value in found.items() if value is not None}


def _load_change(data: Any) -> ChangeAsked:
    start = data.get("start")
    return ChangeAsked(data.get("days"), data.get("target"), date.fromisoformat(start) if start else None)


def _dump_proposal(new: NewProposal) -> dict[str, Any]:
    data = dict(vars(new))
    data["colleagues"] = list(new.colleagues)
    data["start"] = new.start.isoformat() if new.start else None
    return data


def _load_proposal(data: Any) -> NewProposal:
    start = data.get("start")
    return NewProposal(
        **{**data, "colleagues": tuple(data["colleagues"]), "start": date.fromisoformat(start) if start else None}
    )


class ChallengeProposal(Base):
    """What one person proposed to one colleague or several at once (a cohort)."""

    __tablename__ = "challenge_proposals"
    # the proposer's: exported with their data; forgetting them erases what they wrote, the cohort's stay
    __table_args__ = {"info": {"personal": ("note", "anchor_link", "sending")}}

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True, info={"owner": True}
    )
    template_key: Mapped[str | None] = mapped_column(String(60))  # None: a challenge the proposer wrote
    note: Mapped[str | None] = mapped_column(Text)  # why, in the proposer's words
    peer_channel: Mapped[str | None] = mapped_column(String(32))  # where summaries may be shared
    anchor_link: Mapped[str | None] = mapped_column(String(300))  # the message it was started from
    # what was proposed, while colleagues are still to be asked (recorded before the window closed)
    sending: Mapped[NewProposal | None] = mapped_column(JSONShape(_dump_proposal, _load_proposal))
    created_at: Mapped[datetime]


class Challenge(Base):
    """One person's challenge: the terms they agreed to, where it lives in Slack, and how it is going."""

    __tablename__ = "challenges"
    __table_args__ = (
        UniqueConstraint("proposal_id", "person_id"),
        Index("ix_challenges_next", "status", "next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("challenge_proposals.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[ChallengeStatus] = mapped_column(EnumText(ChallengeStatus, 16))
    title: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text)
    skill_key: Mapped[str] = mapped_column(String(60))
    days: Mapped[int]
    target_count: Mapped[int | None]
    target_unit: Mapped[str] = mapped_column(String(40), default="")
    target_units: Mapped[str] = mapped_column(String(40), default="")
    start_date: Mapped[date] = mapped_column(Date)  # day 1, in the person's zone
    checkins: Mapped[tuple[CheckinSpec, ...]] = mapped_column(JSONShape(_dump_checkins, _load_checkins))
    progress: Mapped[int] = mapped_column(default=0)
    share_ratings: Mapped[bool] = mapped_column(default=False)  # may the proposer see their ratings
    asked_change: Mapped[ChangeAsked | None] = mapped_column(JSONShape(_dump_change, _load_change))
    answer_due_at: Mapped[datetime | None]  # the proposal: reminded at this time, then expires a day later
    reminded: Mapped[bool] = mapped_column(default=False)
    next_step: Mapped[NextStep | None] = mapped_column(EnumText(NextStep, 8))
    next_day: Mapped[int | None]  # the day of the next check-in (only when `next_step` is a check-in)
    next_at: Mapped[datetime | None]  # when `next_step` is due
    unanswered: Mapped[int] = mapped_column(default=0)  # check-ins in a row without an answer: see `asked`
    paused_on: Mapped[date | None] = mapped_column(Date)  # the first day of a pause, in the person's zone
    summary: Mapped[str | None] = mapped_column(Text)  # what they learned: drafted at the end, theirs to edit
    summary_edited: Mapped[bool] = mapped_column(default=False)  # written by the person: never redrafted
    summary_ai: Mapped[bool] = mapped_column(default=False)  # the model's draft, unedited: labelled as such
    summary_due_at: Mapped[datetime | None]  # rated: the draft is owed (recorded before the window closed)
    shared_to: Mapped[SharePlace | None] = mapped_column(EnumText(SharePlace, 32))
    shared_channel: Mapped[str | None] = mapped_column(String(32))  # for peers and elsewhere: the channel
    shared_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    def move_to(self, status: ChallengeStatus, *, now: datetime) -> bool:
        """Change the status if the move is allowed; False (and nothing changed) when it is not."""
        if status not in MOVES[self.status]:
            return False
        self.status, self.updated_at = status, now
        if status in ENDED:
            self.ended_at = now
            self.plan(None)
        return True

    def plan(self, step: NextStep | None, at: datetime | None = None, *, day: int | None = None) -> None:
        """Point the challenge at what comes next (nothing, with None)."""
        self.next_step, self.next_at = (step, at) if step is not None else (None, None)
        self.next_day = day if step is NextStep.CHECKIN else None

    # The unanswered count is owned here: a check-in sent adds one, any answer of the person's resets it.
    def asked(self) -> None:
        self.unanswered += 1

    def answered(self, now: datetime) -> None:
        self.unanswered, self.updated_at = 0, now


class ChallengeEntry(Base):
    """Something the person wrote or logged in their challenge. Readable by its author alone."""

    __tablename__ = "challenge_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EntryKind] = mapped_column(EnumText(EntryKind, 16))
    count: Mapped[int] = mapped_column(default=0)
    text: Mapped[str | None] = mapped_column(Text)
    checkin_day: Mapped[int | None]  # the check-in it answers, if any
    created_at: Mapped[datetime]
