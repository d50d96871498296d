"""What proposing and answering a challenge hand to the edge: the proposal window's values, why a colleague
cannot be asked, the invitation (each time it is sent), and the answers each side hears."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from bot.challenges.types import ChangeAsked, Terms
from bot.content.types import ChallengeView
from bot.errors import BadInput


@dataclass(frozen=True)
class TemplateOption:
    key: str
    title: str
    skill_name: str


@dataclass(frozen=True)
class Misfit:
    """A colleague a template is not written for: their Slack title reads as another role."""

    user_id: str
    name: str
    title: str
    because: str  # the template's reason: "it asks for conversations with your direct reports"


@dataclass(frozen=True)
class ProposalDraft:
    """What the proposal window shows (from `/challenge @sam key`, a message shortcut, or as it is filled in):
    the chosen template's own terms, and whom among the colleagues it does not fit."""

    colleagues: tuple[str, ...]
    template_key: str | None
    templates: tuple[TemplateOption, ...]
    today: date
    anchor_link: str | None = None
    template: ChallengeView | None = None
    misfits: tuple[Misfit, ...] = ()


@dataclass(frozen=True)
class NewProposal:
    """What the proposer filled in. Either `template_key`, or `title` and `brief` of their own."""

    colleagues: tuple[str, ...]
    template_key: str | None
    title: str
    brief: str
    skill_key: str
    target_count: int | None
    target_unit: str
    start: date | None
    days: int | None
    note: str
    peer_channel: str | None
    anchor_link: str | None = None


class Problem(enum.StrEnum):
    """Why a challenge cannot be proposed to a colleague now."""

    SELF = "self"
    UNREACHABLE = "unreachable"  # opted out, or gone from Slack
    UNKNOWN = "unknown"  # not someone in this workspace
    ALREADY = "already"  # doing it, or has it waiting for an answer
    DECLINED = "declined"  # said no lately: `again` says from when it may be proposed again
    CAP = "cap"  # the proposer has sent as many invitations today as a day allows


class CannotPropose(BadInput):
    """A colleague picked in the proposal window cannot be asked: refused under the field, in the edge's words."""

    def __init__(self, problem: Problem, name: str, again: date | None = None) -> None:
        super().__init__("That colleague can't be asked to take this challenge on now.", field="colleagues")
        self.problem, self.name, self.again = problem, name, again


@dataclass(frozen=True)
class Proposed:
    """What became of the proposal to one colleague: sent, or why not."""

    user_id: str
    problem: Problem | None = None
    proposal_id: int | None = None  # once sent: what its proposer may cancel
    again: date | None = None  # for DECLINED and CAP: when it may be proposed again


class Asking(enum.StrEnum):
    """Which time a colleague is asked to take a challenge on."""

    FIRST = "first"
    REMINDER = "reminder"  # the one reminder, two working days later
    NUDGE = "nudge"  # the proposer's own nudge (once), instead of the reminder
    CHANGED = "changed"  # the terms the person asked for, which the proposer agreed to
    KEPT = "kept"  # the proposer kept the terms as proposed
    EDITED = "edited"  # the proposer edited it before anyone answered


@dataclass(frozen=True)
class Invitation:
    """The DM asking a colleague to take a challenge on: the same terms, steps, note and link every time."""

    challenge_id: int
    proposer_user_id: str | None
    terms: Terms
    start: date
    steps: tuple[str, ...]
    note: str
    anchor_link: str | None
    asking: Asking = Asking.FIRST


class Outcome(enum.StrEnum):
    """What became of a proposal to one person, as its proposer hears it."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    CHANGE = "change"  # they asked for other terms: the proposer agrees or keeps it
    CHANGE_REMINDER = "change_reminder"  # the proposer has not answered that change yet
    EXPIRED = "expired"  # the person did not answer
    CHANGE_EXPIRED = "change_expired"  # the proposer did not answer the change the person asked for
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Answer:
    """What a colleague did with a proposal, told to the person who proposed it."""

    challenge_id: int
    person_user_id: str
    terms: Terms
    outcome: Outcome
    change: ChangeAsked | None = None  # the change asked for
    start: date | None = None  # the start as proposed (what a changed start replaces)

    @property
    def title(self) -> str:
        return self.terms.title


class ChangeOutcome(enum.StrEnum):
    AGREED = "agreed"
    KEPT = "kept"
    EXPIRED = "expired"  # the proposer never answered


@dataclass(frozen=True)
class ChangeAnswer:
    """The proposer's answer to a change the person asked for (or their silence)."""

    challenge_id: int
    proposer_user_id: str | None
    title: str
    outcome: ChangeOutcome


@dataclass(frozen=True)
class ChangeDecided:
    """The proposer answered a change: the person is asked again, with the new terms or the old."""

    person_user_id: str
    outcome: ChangeOutcome | None  # None: it had been settled already


@dataclass(frozen=True)
class BaselineForm:
    """The window that accepts a challenge: a self-rating on the skill's rubric, and consent to share it."""

    challenge_id: int
    title: str
    skill_name: str
    rubric: dict[int, str]
    proposer_user_id: str | None
