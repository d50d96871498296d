"""What the challenge engine hands to the edge: frozen values, and the messages it asks the edge to lay out."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from bot.content.challenge_limits import check_days, check_start, check_target
from bot.content.types import ResourceView


class ChallengeStatus(enum.StrEnum):
    PROPOSED = "proposed"  # waiting for the person's answer
    CHANGE_ASKED = "change_asked"  # the person asked for other terms: waiting for the proposer
    ACTIVE = "active"
    PAUSED = "paused"
    DECLINED = "declined"
    EXPIRED = "expired"  # nobody answered: the person the proposal, or the proposer a change (`asked_change`)
    CANCELLED = "cancelled"  # the proposer took it back before an answer
    WITHDRAWN = "withdrawn"  # the person stopped it
    FINISHED = "finished"


class NextStep(enum.StrEnum):
    """What a challenge's `next_at` points at."""

    CHECKIN = "checkin"  # check-in `next_day`
    CLOSE = "close"  # the last day's message (never skipped: late, it goes at the next working hour)
    STICK = "stick"  # "did it stick?", a week after the end


class EntryKind(enum.StrEnum):
    PROGRESS = "progress"  # `count` more of the target done, with an optional note
    REFLECTION = "reflection"  # what they learned, in their own words
    STUCK = "stuck"


class SharePlace(enum.StrEnum):
    """Where a person may share what they learned (never without choosing)."""

    PEERS = "peers"  # the proposal's peer channel
    PROPOSER = "proposer"
    COHORT = "cohort"  # a DM to each of the others who took the same proposal
    ELSEWHERE = "elsewhere"  # another channel or conversation they pick


@dataclass(frozen=True)
class CheckinSpec:
    """A check-in a challenge plans: on day `day` (1 is the start date), asking `question`."""

    day: int
    question: str


@dataclass(frozen=True)
class ChangeAsked:
    """Other terms a person asked for before accepting; None for what they left as proposed."""

    days: int | None = None
    target: int | None = None
    start: date | None = None

    def __bool__(self) -> bool:
        return any(value is not None for value in (self.days, self.target, self.start))

    def checked(self, today: date) -> ChangeAsked:
        """Itself, each term asked for within the rules every challenge keeps (refused under its field)."""
        return ChangeAsked(
            check_days(self.days) if self.days is not None else None,
            check_target(self.target) if self.target is not None else None,
            check_start(self.start, today) if self.start is not None else None,
        )


@dataclass(frozen=True)
class Terms:
    """What a challenge asks: the same for a template and for one a colleague writes."""

    title: str
    brief: str
    skill_key: str
    days: int
    target_count: int | None
    target_unit: str = ""  # singular
    target_units: str = ""  # plural

    def target_text(self, done: int | None = None) -> str:
        """'3 conversations', or with progress '2 of 3 conversations'; '' without a target."""
        if self.target_count is None:
            return ""
        unit = self.target_unit if self.target_count == 1 else self.target_units
        return f"{done} of {self.target_count} {unit}" if done is not None else f"{self.target_count} {unit}"


@dataclass(frozen=True)
class Card:
    """The top message of a challenge's thread: the agreement, and how it is going."""

    challenge_id: int
    status: ChallengeStatus
    terms: Terms
    progress: int
    start: date
    last_day: date
    days_left: int
    next_step: NextStep | None  # what comes next while it runs (a check-in, or the last day's close)
    next_at: datetime | None  # when, in the person's zone
    proposer_user_id: str | None
    cohort: Cohort | None = None  # when several people took the same proposal
    summary: str = ""  # what they learned, once the challenge ended

    @property
    def progress_text(self) -> str:
        return self.terms.target_text(self.progress) if self.terms.target_count is not None else ""


@dataclass(frozen=True)
class Waiting:
    """A proposal waiting for the person's answer."""

    challenge_id: int
    title: str
    proposer_user_id: str | None
    start: date


@dataclass(frozen=True)
class Member:
    """One person a proposal was made to, as its proposer may see them: status and progress counts; their
    ratings only if they allowed it; their summary only if they shared it with the proposer or the peer
    channel the proposer chose; never their reflections."""

    challenge_id: int
    user_id: str
    status: ChallengeStatus
    progress_text: str
    since: datetime  # their latest change (answered, logged, paused…)
    ratings: tuple[int | None, int | None] | None = None  # (at the start, at the end) when they allowed it
    proposer_silent: bool = False  # it waits, or expired, on the proposer's answer to a change
    can_nudge: bool = False  # not answered, and neither reminded nor nudged yet
    summary: str = ""


@dataclass(frozen=True)
class ProposalView:
    proposal_id: int
    title: str
    proposed_at: datetime
    members: tuple[Member, ...]
    waiting: int  # members who have not answered yet: what Cancel would cancel
    editable: bool  # nobody has answered yet: its terms and note may still change


@dataclass(frozen=True)
class ProposalPage:
    """A page of the proposals a person made, newest first."""

    proposals: tuple[ProposalView, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Overview:
    """Everything about challenges on the person's Home tab."""

    mine: tuple[Card, ...]
    waiting: tuple[Waiting, ...]
    proposed: ProposalPage
    history: tuple[Card, ...]


@dataclass(frozen=True)
class Cohort:
    """How the others who took the same proposal are doing: counts, and the names of those who shared."""

    size: int  # everyone who accepted, this person included
    on_track: int
    shared: tuple[str, ...] = ()  # Slack user ids of members who shared their summary


@dataclass(frozen=True)
class CheckIn:
    """A check-in: a reply in the challenge's thread."""

    challenge_id: int
    day: int
    question: str
    progress_text: str
    ai: bool = False
    ask_pause: bool = False  # the last check-ins went unanswered: offer to pause
    unanswered: int = 0  # how many in a row, before this one


@dataclass(frozen=True)
class Paused:
    """Said in the thread when unanswered check-ins paused the challenge."""

    challenge_id: int
    title: str
    unanswered: int


@dataclass(frozen=True)
class Stuck:
    """What being stuck offers: the skill's best resources, and (on request) a tip from the model."""

    card: Card
    resources: tuple[ResourceView, ...]


class Done(enum.StrEnum):
    """What a person's own change to their challenge did."""

    LOGGED = "logged"
    REFLECTED = "reflected"
    STUCK = "stuck"
    PAUSED = "paused"
    ALREADY_PAUSED = "already_paused"
    RESUMED = "resumed"
    ALREADY_RUNNING = "already_running"
    EXTENDED = "extended"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Logged:
    """What logging progress, a reflection or being stuck changed; `card` to update the thread's top."""

    card: Card
    done: Done
    card_at: tuple[str, str] | None  # (channel, ts) of the card, once it was posted


@dataclass(frozen=True)
class Entry:
    """Something the person wrote, and the day they wrote it (in their zone)."""

    on: date
    text: str


@dataclass(frozen=True)
class Reflections:
    """A person's own reflections in one of their challenges, oldest first: theirs alone."""

    challenge_id: int
    title: str
    entries: tuple[Entry, ...]
