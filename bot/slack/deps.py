"""What the listeners are given: settings, the clock and the domain services."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.runtime import Runtime
from bot.services.home import HomeService
from bot.services.library import LibraryService
from bot.services.people import PeopleService
from bot.services.practice import PracticeService
from bot.services.privacy import PrivacyService


@dataclass(frozen=True)
class AppDeps:
    runtime: Runtime
    people: PeopleService
    library: LibraryService
    home: HomeService
    practice: PracticeService
    privacy: PrivacyService

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def clock(self) -> Clock:
        return self.runtime.clock
