"""What the challenge engine hands to the edge: frozen values, and the messages it asks the edge to lay out."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from bot.content.types import ChallengeView, ResourceView
from bot.errors import BadInput


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
class BaselineForm:
    """The window that accepts a challenge: a self-rating on the skill's rubric, and consent to share it."""

    challenge_id: int
    title: str
    skill_name: str
    rubric: dict[int, str]
    proposer_user_id: str | None


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
class ChangeDecided:
    """The proposer answered a change: the person is asked again, with the new terms or the old."""

    person_user_id: str
    outcome: ChangeOutcome | None  # None: it had been settled already


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
