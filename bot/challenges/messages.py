"""What the challenge engine asks the edge to lay out: each message it queues, as a Slack payload."""

from __future__ import annotations

from typing import Protocol

from bot.challenges.end_types import Closing, ObserveAsk, Shared, StickQuestion, Summary
from bot.challenges.proposal_types import Answer, ChangeAnswer, Invitation, Proposed
from bot.challenges.types import Card, CheckIn, Paused
from bot.outbox.types import Payload


class ChallengeMessages(Protocol):
    def proposed(self, outcomes: tuple[Proposed, ...]) -> Payload:
        """For the proposer: who was asked, who could not be and why, with Cancel."""
        ...

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

    def summary(self, summary: Summary) -> Payload:
        """The drafted summary in the thread: only the person sees it until they share it."""
        ...

    def share_failed(self, summary: Summary, code: str) -> Payload:
        """A shared summary could not be posted: why, and Share again."""
        ...
