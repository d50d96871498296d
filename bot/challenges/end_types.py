"""What a challenge's end hands to the edge: the last day's message, the summary and its sharing, the
proposer's rating, "did it stick?" and what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.challenges.types import Card, SharePlace


@dataclass(frozen=True)
class Closing:
    """The last day's message in the thread: rate, sum up, share."""

    challenge_id: int
    title: str
    progress_text: str
    last_day: date
    arrives: date  # the local date it is sent on: a last day on a Sunday is closed on Monday


@dataclass(frozen=True)
class StickQuestion:
    """A week after the end: how often do they still do it?"""

    challenge_id: int
    title: str
    skill_name: str


@dataclass(frozen=True)
class Place:
    """Somewhere a person may share their summary: the kind of place and, for a channel or a person, which."""

    place: SharePlace
    channel: str | None = None  # PEERS (the proposal's peer channel) and ELSEWHERE (once picked)
    user_id: str | None = None  # PROPOSER
    others: int = 0  # COHORT: how many others would get it


@dataclass(frozen=True)
class Summary:
    """What they learned, to edit and share: the draft (model or template) or their own edit."""

    challenge_id: int
    title: str
    text: str
    places: tuple[Place, ...]  # where it may be shared
    shared: Place | None = None  # where it was shared, if it was
    thread: tuple[str, str] | None = None  # the challenge's thread, where the draft is shown
    card: Card | None = None  # the thread's card, which shows the summary too
    prompt: str = ""  # the template's question for sharing, e.g. "What would you tell a peer about…?"
    blank: str = ""  # what the template left for them to fill in: never shared as it is
    ai: bool = False  # the model drafted it and they have not edited it


@dataclass(frozen=True)
class Preview:
    """Exactly what sharing will post, and where, shown before anything is posted."""

    summary: Summary
    place: Place
    shared: Shared
    digest: str  # of the text shown: the post is refused if the summary changed since


@dataclass(frozen=True)
class SharedTo:
    """Where a summary went; `queued` False when that very share was queued already (nothing new sent)."""

    place: Place
    queued: bool


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
