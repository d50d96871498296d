"""The services the Slack edge calls: built once by the composition root, handed to every listener."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.challenges.answers import ChallengeAnswers
from bot.challenges.course import ChallengeCourse
from bot.challenges.drafting import ProposalDrafts
from bot.challenges.ending import ChallengeEnding
from bot.challenges.home import ChallengeHome
from bot.challenges.proposals import ChallengeProposals
from bot.challenges.revising import ProposalRevisions
from bot.challenges.sharing import ChallengeSharing
from bot.challenges.thread import ChallengeThread
from bot.inbox.service import Inbox
from bot.library.profile import ProfileService
from bot.library.service import LibraryService
from bot.measurement.history import RatingsHistory
from bot.people.privacy import PrivacyService
from bot.people.service import PeopleService
from bot.practice.answers import PracticeDays
from bot.practice.lifecycle import PracticeService
from bot.practice.suggestions import PracticeSuggestions
from bot.reports.drafts import Drafts
from bot.reports.service import ReportsService
from bot.teams.service import TeamsService


@dataclass(frozen=True)
class Services:
    people: PeopleService
    inbox: Inbox
    library: LibraryService
    profile: ProfileService
    practice: PracticeService
    suggestions: PracticeSuggestions
    days: PracticeDays
    privacy: PrivacyService
    challenges: ChallengeProposals
    challenge_answers: ChallengeAnswers
    challenge_thread: ChallengeThread
    challenge_course: ChallengeCourse
    challenge_ending: ChallengeEnding
    challenge_home: ChallengeHome
    challenge_sharing: ChallengeSharing
    challenge_revisions: ProposalRevisions
    challenge_drafts: ProposalDrafts
    ratings: RatingsHistory
    teams: TeamsService
    reports: ReportsService
    drafts: Drafts
    send_soon: Callable[[], None] = field(default=lambda: None)  # dispatch what an action queued for now
