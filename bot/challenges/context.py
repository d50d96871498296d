"""What every challenge service works with, given once: the database, the time, the content, the words people
read (supplied by the Slack edge) and the zone for people whose profile has none."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.challenges.messages import ChallengeMessages
from bot.clock import Clock
from bot.content.catalogue import Catalogue


@dataclass(frozen=True)
class ChallengeContext:
    sessions: sessionmaker[Session]
    clock: Clock
    catalogue: Catalogue
    messages: ChallengeMessages
    default_timezone: str


class ChallengeService:
    """Base of the challenge services: each reads what it needs from the one context."""

    def __init__(self, context: ChallengeContext) -> None:
        self._context = context
        self._sessions = context.sessions
        self._clock = context.clock
        self._catalogue = context.catalogue
        self._messages = context.messages
        self._default_tz = context.default_timezone
