"""What the challenge engine hands to the edge: frozen values, and the messages it asks the edge to lay out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.content.types import ResourceView
from bot.outbox.types import Payload


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
class ProposalDraft:
    """What the proposal window opens with (from `/challenge @sam key`, or a message shortcut)."""

    colleagues: tuple[str, ...]
    template_key: str | None
    templates: tuple[TemplateOption, ...]
    today: date
    anchor_link: str | None = None


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


@dataclass(frozen=True)
class Proposed:
    """What became of the proposal to one colleague: sent, or why not."""

    user_id: str
    problem: str | None = None
    proposal_id: int | None = None  # once sent: what its proposer may cancel


@dataclass(frozen=True)
class Invitation:
    """The DM asking a colleague to take a challenge on."""

    challenge_id: int
    proposer_user_id: str | None
    terms: Terms
    start: date
    steps: tuple[str, ...]
    note: str
    anchor_link: str | None
    reminder: bool = False  # the one reminder, two working days later
    changed: bool = False  # the terms the person asked for, which the proposer agreed to


@dataclass(frozen=True)
class Answer:
    """What a colleague did with a proposal, told to the person who proposed it."""

    challenge_id: int
    person_user_id: str
    title: str
    outcome: str  # accepted, declined, change, expired
    change: str = ""  # the change asked for, in words


@dataclass(frozen=True)
class ChangeAnswer:
    """The proposer's answer to a change the person asked for."""

    challenge_id: int
    proposer_user_id: str | None
    title: str
    agreed: bool


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
    status: str
    terms: Terms
    progress: int
    start: date
    last_day: date
    days_left: int
    next_checkin: str  # "Thu 03 Dec 10:00", or ""
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
    ratings only if they allowed it; never their reflections."""

    user_id: str
    status: str
    progress_text: str
    ratings: str = ""  # e.g. "2 → 4", only when shared


@dataclass(frozen=True)
class ProposalView:
    proposal_id: int
    title: str
    members: tuple[Member, ...]
    waiting: int  # members who have not answered yet: what Cancel would cancel


@dataclass(frozen=True)
class Overview:
    """Everything about challenges on the person's Home tab."""

    mine: tuple[Card, ...]
    waiting: tuple[Waiting, ...]
    proposed: tuple[ProposalView, ...]
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


@dataclass(frozen=True)
class Closing:
    """The last day's message in the thread: rate, sum up, share."""

    challenge_id: int
    title: str
    progress_text: str


@dataclass(frozen=True)
class Paused:
    """Said in the thread when unanswered check-ins paused the challenge."""

    challenge_id: int
    title: str
    unanswered: int


@dataclass(frozen=True)
class StickQuestion:
    """A week after the end: how often do they still do it?"""

    challenge_id: int
    title: str
    skill_name: str


@dataclass(frozen=True)
class Stuck:
    """What being stuck offers: the skill's best resources, and (on request) a tip from the model."""

    card: Card
    resources: tuple[ResourceView, ...]
    line: str


@dataclass(frozen=True)
class Summary:
    """What they learned, to edit and share: the draft (model or template) or their own edit."""

    challenge_id: int
    title: str
    text: str
    places: tuple[tuple[str, str], ...]  # (value, label): where it may be shared
    shared_to: str | None = None
    thread: tuple[str, str] | None = None  # the challenge's thread, where the draft is shown
    card: Card | None = None  # the thread's card, which shows the summary too
    prompt: str = ""  # the template's question for sharing, e.g. "What would you tell a peer about…?"


@dataclass(frozen=True)
class Shared:
    """A summary posted to peers, under the name of the person who wrote it."""

    person_user_id: str
    title: str
    skill_name: str
    text: str


@dataclass(frozen=True)
class ObserveAsk:
    """The proposer, whom the person allowed to see their ratings, asked for their own rating."""

    challenge_id: int
    person_user_id: str
    title: str
    skill_name: str
    rubric: dict[int, str]
    baseline: int | None
    after: int | None
    retrospective: int | None


@dataclass(frozen=True)
class FollowOn:
    """After "did it stick?": a next challenge on the same skill, and a technique to practise daily."""

    challenge_id: int
    template_key: str | None
    template_title: str
    technique_key: str | None
    technique_title: str


@dataclass(frozen=True)
class Logged:
    """What logging progress, a reflection or being stuck changed; `card` to update the thread's top."""

    card: Card
    line: str
    card_at: tuple[str, str] | None  # (channel, ts) of the card, once it was posted


class ChallengeMessages(Protocol):
    def invitation(self, invitation: Invitation) -> Payload:
        """The proposal DM with Accept, Decline and Suggest a change."""
        ...

    def answer(self, answer: Answer) -> Payload:
        """A colleague's answer, for the proposer (with Agree / Keep as proposed for a change)."""
        ...

    def change_answer(self, answer: ChangeAnswer) -> Payload:
        """The proposer's answer to a change, for the person who asked."""
        ...

    def card(self, card: Card) -> Payload:
        """The agreement card at the top of the thread."""
        ...

    def checkin(self, checkin: CheckIn) -> Payload:
        """A check-in, as a reply in the thread."""
        ...

    def paused(self, paused: Paused) -> Payload:
        """The challenge paused itself after unanswered check-ins, with a Resume button."""
        ...

    def closing(self, closing: Closing) -> Payload:
        """The last day: rate and sum up."""
        ...

    def stick(self, question: StickQuestion) -> Payload:
        """A week later: did it stick?"""
        ...

    def shared(self, shared: Shared) -> Payload:
        """A summary shared with peers."""
        ...

    def observe(self, ask: ObserveAsk) -> Payload:
        """The proposer's rating of what they observed."""
        ...

    def share_failed(self, summary: Summary, code: str) -> Payload:
        """A shared summary could not be posted: why, and Share again."""
        ...
