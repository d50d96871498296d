"""Challenges: a proposal (one colleague or a cohort), one challenge per person who was asked, and the
entries they write in it (progress, reflections), which are theirs alone."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONValue


class ChallengeStatus(enum.StrEnum):
    PROPOSED = "proposed"  # waiting for the person's answer
    CHANGE_ASKED = "change_asked"  # the person asked for other terms: waiting for the proposer
    ACTIVE = "active"
    PAUSED = "paused"
    DECLINED = "declined"
    EXPIRED = "expired"  # nobody answered the proposal
    CANCELLED = "cancelled"  # the proposer took it back before an answer
    WITHDRAWN = "withdrawn"  # the person stopped it
    FINISHED = "finished"


C = ChallengeStatus
# Every change of a challenge's status goes through `Challenge.move_to`.
MOVES: dict[ChallengeStatus, frozenset[ChallengeStatus]] = {
    C.PROPOSED: frozenset({C.ACTIVE, C.DECLINED, C.CHANGE_ASKED, C.EXPIRED, C.CANCELLED}),
    C.CHANGE_ASKED: frozenset({C.PROPOSED, C.EXPIRED, C.CANCELLED}),
    C.ACTIVE: frozenset({C.PAUSED, C.WITHDRAWN, C.FINISHED}),
    C.PAUSED: frozenset({C.ACTIVE, C.WITHDRAWN}),
    **{final: frozenset() for final in (C.DECLINED, C.EXPIRED, C.CANCELLED, C.WITHDRAWN, C.FINISHED)},
}
WAITING = (C.PROPOSED.value, C.CHANGE_ASKED.value)
LIVE = (C.ACTIVE.value, C.PAUSED.value)


class EntryKind(enum.StrEnum):
    PROGRESS = "progress"  # `count` more of the target done, with an optional note
    REFLECTION = "reflection"  # what they learned, in their own words
    STUCK = "stuck"


class ChallengeProposal(Base):
    """What one person proposed to one colleague or several at once (a cohort)."""

    __tablename__ = "challenge_proposals"
    # the proposer's: exported with their data; forgetting them erases what they wrote, the cohort's stay
    __table_args__ = {"info": {"personal": ("note", "anchor_link")}}

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True, info={"owner": True}
    )
    template_key: Mapped[str | None] = mapped_column(String(60))  # None: a challenge the proposer wrote
    note: Mapped[str | None] = mapped_column(Text)  # why, in the proposer's words
    peer_channel: Mapped[str | None] = mapped_column(String(32))  # where summaries may be shared
    anchor_link: Mapped[str | None] = mapped_column(String(300))  # the message it was started from
    created_at: Mapped[datetime]


class Challenge(Base):
    """One person's challenge: the terms they agreed to, where it lives in Slack, and how it is going."""

    __tablename__ = "challenges"
    __table_args__ = (
        UniqueConstraint("proposal_id", "person_id"),
        Index("ix_challenges_next_checkin", "status", "next_checkin_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("challenge_proposals.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # a ChallengeStatus
    title: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text)
    skill_key: Mapped[str] = mapped_column(String(60))
    days: Mapped[int]
    target_count: Mapped[int | None]
    target_unit: Mapped[str] = mapped_column(String(40), default="")
    target_units: Mapped[str] = mapped_column(String(40), default="")
    start_date: Mapped[date] = mapped_column(Date)  # day 1, in the person's zone
    checkins: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue)  # [{"day": 3, "question": "..."}]
    progress: Mapped[int] = mapped_column(default=0)
    share_ratings: Mapped[bool] = mapped_column(default=False)  # may the proposer see their ratings
    asked_change: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)  # {"days", "target", "start"}
    answer_due_at: Mapped[datetime | None]  # the proposal: reminded at this time, then expires a day later
    reminded: Mapped[bool] = mapped_column(default=False)
    next_checkin_day: Mapped[int | None]  # the next check-in not materialised yet
    next_checkin_at: Mapped[datetime | None]
    unanswered: Mapped[int] = mapped_column(default=0)  # check-ins in a row without an answer
    paused_on: Mapped[date | None] = mapped_column(Date)  # the first day of a pause, in the person's zone
    summary: Mapped[str | None] = mapped_column(Text)  # what they learned: drafted at the end, theirs to edit
    summary_edited: Mapped[bool] = mapped_column(default=False)  # written by the person: never redrafted
    shared_to: Mapped[str | None] = mapped_column(String(32))  # where they shared it: a channel, proposer, cohort
    shared_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    def move_to(self, status: ChallengeStatus, *, now: datetime) -> bool:
        """Change the status if the move is allowed; False (and nothing changed) when it is not."""
        if status not in MOVES[ChallengeStatus(self.status)]:
            return False
        self.status, self.updated_at = status.value, now
        if status in (C.DECLINED, C.EXPIRED, C.CANCELLED, C.WITHDRAWN, C.FINISHED):
            self.ended_at, self.next_checkin_at = now, None
        return True


class ChallengeEntry(Base):
    """Something the person wrote or logged in their challenge. Readable by its author alone."""

    __tablename__ = "challenge_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # an EntryKind
    count: Mapped[int] = mapped_column(default=0)
    text: Mapped[str | None] = mapped_column(Text)
    checkin_day: Mapped[int | None]  # the check-in it answers, if any
    created_at: Mapped[datetime]
