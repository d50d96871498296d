"""The Slack layout of scheduled messages (the `LibraryMessages`, `PracticeMessages` and `ChallengeMessages`
the domains get)."""

from __future__ import annotations

from bot.challenges.end_types import Closing, ObserveAsk, Shared, StickQuestion, Summary
from bot.challenges.proposal_types import Answer, ChangeAnswer, Invitation, Proposed
from bot.challenges.types import Card, CheckIn, Paused
from bot.content.types import ResourceView
from bot.outbox.types import Payload
from bot.practice.types import PracticePaused, Reminder, Review, Suggestion, SuggestionAnswer
from bot.slack.blocks import challenge_endings, challenges, library, practice
from bot.slack.text import safe


class SlackMessages:
    def followup(self, resource: ResourceView) -> Payload:
        return {"text": f"Did {safe(resource.title, 150)} help?", "blocks": library.followup_blocks(resource)}

    def practice_reminder(self, reminder: Reminder) -> Payload:
        text = f"Today's practice: {safe(reminder.technique_title, 150)}"
        return {"text": text, "blocks": practice.reminder_blocks(reminder)}

    def practice_paused(self, paused: PracticePaused) -> Payload:
        text = f"Paused: {safe(paused.technique_title, 150)}"
        return {"text": text, "blocks": practice.paused_blocks(paused)}

    def monthly_review(self, review: Review) -> Payload:
        return {"text": f"Your {review.month} practice review", "blocks": practice.review_blocks(review)}

    def practice_suggestion(self, suggestion: Suggestion) -> Payload:
        text = f"A colleague suggests you practise {safe(suggestion.technique_title, 150)}"
        return {"text": text, "blocks": practice.suggestion_blocks(suggestion)}

    def suggestion_answered(self, answer: SuggestionAnswer) -> Payload:
        said = "accepted" if answer.accepted else "declined"
        return {"text": f"Your suggestion was {said}", "blocks": practice.suggestion_answered_blocks(answer)}

    def proposed(self, outcomes: tuple[Proposed, ...]) -> Payload:
        return {"text": "Your proposal", "blocks": challenges.proposed_blocks(outcomes)}

    def invitation(self, invitation: Invitation) -> Payload:
        text = f"A challenge for you: {safe(invitation.terms.title, 150)}"
        return {"text": text, "blocks": challenges.invitation_blocks(invitation)}

    def answer(self, answer: Answer) -> Payload:
        return {"text": f"An answer about {safe(answer.title, 150)}", "blocks": challenges.answer_blocks(answer)}

    def change_answer(self, answer: ChangeAnswer) -> Payload:
        text = f"About your change to {safe(answer.title, 150)}"
        return {"text": text, "blocks": challenges.change_answer_blocks(answer)}

    def card(self, card: Card) -> Payload:
        return {"text": f"Your challenge: {safe(card.terms.title, 150)}", "blocks": challenges.card_blocks(card)}

    def checkin(self, checkin: CheckIn) -> Payload:
        return {"text": f"Check-in: {safe(checkin.question, 150)}", "blocks": challenges.checkin_blocks(checkin)}

    def paused(self, paused: Paused) -> Payload:
        return {"text": f"Paused: {safe(paused.title, 150)}", "blocks": challenges.paused_blocks(paused)}

    def closing(self, closing: Closing) -> Payload:
        text = f"Last day of {safe(closing.title, 150)}"
        return {"text": text, "blocks": challenge_endings.closing_blocks(closing)}

    def stick(self, question: StickQuestion) -> Payload:
        return {
            "text": f"Did it stick? {safe(question.title, 150)}",
            "blocks": challenge_endings.stick_blocks(question),
        }

    def shared(self, shared: Shared) -> Payload:
        text = f"What I learned from {safe(shared.title, 150)}"
        return {"text": text, "blocks": challenge_endings.shared_blocks(shared)}

    def summary(self, summary: Summary) -> Payload:
        return {"text": "What you learned", "blocks": challenge_endings.summary_blocks(summary)}

    def share_failed(self, summary: Summary, code: str) -> Payload:
        text = "I couldn't post your summary there"
        return {"text": text, "blocks": challenge_endings.share_failed_blocks(summary, code)}

    def observe(self, ask: ObserveAsk) -> Payload:
        return {"text": f"How did {safe(ask.title, 150)} go?", "blocks": challenge_endings.observe_blocks(ask)}
