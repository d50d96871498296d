"""The composition root: builds every service, client, catalogue, writer and pool of a process once, wires
the domains' hooks, and closes it all with one `close()`.

`run`, `serve` (each gunicorn worker), `worker`, `tick`, `try`, the tests' sandbox and the benchmarks all
build their process with `World`.
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import timedelta
from functools import cached_property

from bot.challenges.answers import ChallengeAnswers
from bot.challenges.context import ChallengeContext
from bot.challenges.course import ChallengeCourse
from bot.challenges.drafting import ProposalDrafts
from bot.challenges.ending import ChallengeEnding
from bot.challenges.home import ChallengeHome
from bot.challenges.planning import SHARE
from bot.challenges.proposals import ChallengeProposals
from bot.challenges.revising import ProposalRevisions
from bot.challenges.schedule import ChallengeMaterialiser
from bot.challenges.sharing import ChallengeSharing
from bot.challenges.thread import ChallengeThread
from bot.content.catalogue import Catalogue
from bot.db.engine import database_answers
from bot.inbox.service import Inbox
from bot.library.profile import ProfileService
from bot.library.schedule import FollowupMaterialiser
from bot.library.service import LibraryService
from bot.library.shelf import Shelf
from bot.llm.client import build_writer
from bot.measurement.history import RatingsHistory
from bot.outbox import service as outbox
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.lateness import WorkingHours
from bot.people.privacy import PrivacyService
from bot.people.service import PeopleService
from bot.practice.answers import PracticeDays
from bot.practice.lifecycle import PracticeService, pause_all_undeliverable, pause_undeliverable
from bot.practice.planning import REMINDER, REVIEW, SUBSCRIPTION_REVIEW
from bot.practice.schedule import PracticeMaterialiser
from bot.practice.suggestions import PracticeSuggestions
from bot.reports.drafts import Drafts
from bot.reports.service import ReportsService
from bot.runtime import Runtime
from bot.scheduling.soon import SendSoon
from bot.scheduling.tick import Tick
from bot.schema import tables
from bot.slack.app import BoltApp, create_app
from bot.slack.client import delivery_client, interactive_client, own_team
from bot.slack.deps import Services
from bot.slack.directory import SlackDirectory
from bot.slack.messages import SlackMessages
from bot.slack.notifier import SlackNotifier
from bot.slack.rosters import SlackRosters
from bot.slack.web import SlackWSGI
from bot.teams.service import TeamsService

log = logging.getLogger(__name__)

DRAFT_SECONDS = 30.0  # a draft pressed in Slack: past this the template guide is written


class World:
    """Everything one process uses. The Bolt app and the WSGI app are built the first time they are asked
    for (a worker never needs them); everything else at once. `executor` runs Bolt's listeners (the
    sandbox passes one that can tell when all work is done); the World shuts it down with the rest."""

    def __init__(self, runtime: Runtime, *, executor: Executor | None = None, socket_mode: bool = False) -> None:
        settings, sessions, clock = runtime.settings, runtime.sessions, runtime.clock
        token = settings.secret("slack_bot_token")
        self.runtime = runtime
        self.listeners = executor or ThreadPoolExecutor(max_workers=5, thread_name_prefix="listener")  # as Bolt
        self._socket_mode = socket_mode
        self.interactive = interactive_client(settings, token)
        self.delivery = delivery_client(settings, token)
        self.catalogue = Catalogue(sessions)
        self.shelf = Shelf(sessions=sessions, catalogue=self.catalogue)
        self.writer = build_writer(settings, sessions=sessions, clock=clock)
        messages = SlackMessages()
        catchup = timedelta(minutes=settings.catchup_minutes)
        zone = settings.default_timezone

        people = PeopleService(sessions=sessions, clock=clock, directory=SlackDirectory(self.interactive))
        practice = PracticeService(
            sessions=sessions,
            clock=clock,
            catalogue=self.catalogue,
            messages=messages,
            default_timezone=zone,
            catchup=catchup,
        )
        practice_schedule = PracticeMaterialiser(
            sessions=sessions,
            catalogue=self.catalogue,
            writer=self.writer,
            messages=messages,
            default_timezone=zone,
            catchup=catchup,
        )
        people.hooks.zone_changed.append(practice.replan_person)
        people.hooks.opted_in.append(practice.replan_person)
        people.hooks.opted_out.append(outbox.opted_out)
        people.hooks.zone_watchers.append(practice_schedule.people_with_stale_zone)
        inbox = Inbox(sessions=sessions, clock=clock)
        library = LibraryService(sessions=sessions, clock=clock, shelf=self.shelf, writer=self.writer)
        challenge = ChallengeContext(sessions, clock, self.catalogue, messages, zone)
        proposals = ChallengeProposals(challenge, people=people, per_day=settings.challenge_invitations_per_day)
        sharing = ChallengeSharing(challenge)
        course = ChallengeCourse(challenge)
        people.hooks.opted_out.append(course.opted_out)
        revisions = ProposalRevisions(challenge)
        teams = TeamsService(
            sessions=sessions,
            catalogue=self.catalogue,
            people=people,
            rosters=SlackRosters(self.interactive),
            admins=settings.admins,
        )
        privacy = PrivacyService(sessions=sessions, tables=tables())
        privacy.forgetting += [revisions.forgetting, outbox.forgetting]  # rewrite what can be, then blank the rest
        people.hooks.zone_changed.append(course.replan_person)
        self.services = Services(
            people=people,
            inbox=inbox,
            library=library,
            profile=ProfileService(sessions=sessions, people=people, catalogue=self.catalogue),
            practice=practice,
            suggestions=PracticeSuggestions(
                sessions=sessions,
                clock=clock,
                catalogue=self.catalogue,
                messages=messages,
                people=people,
                default_timezone=zone,
            ),
            days=PracticeDays(
                sessions=sessions,
                clock=clock,
                catalogue=self.catalogue,
                messages=messages,
                catchup=catchup,
                default_timezone=zone,
            ),
            privacy=privacy,
            challenges=proposals,
            challenge_answers=ChallengeAnswers(challenge, proposals=proposals),
            challenge_thread=ChallengeThread(challenge, library=library, writer=self.writer),
            challenge_course=course,
            challenge_home=ChallengeHome(challenge),
            send_soon=lambda: self.send_soon(),
            challenge_ending=ChallengeEnding(challenge, writer=self.writer, sharing=sharing),
            challenge_sharing=sharing,
            challenge_revisions=revisions,
            teams=teams,
            reports=ReportsService(
                sessions=sessions,
                clock=clock,
                shelf=self.shelf,
                teams=teams,
                min_group=settings.report_min_group,
                default_timezone=zone,
            ),
            drafts=Drafts(
                shelf=self.shelf,
                writer=self.writer,
                content_dir=settings.content_dir,
                clock=clock,
                deadline=DRAFT_SECONDS,
            ),
            ratings=RatingsHistory(sessions=sessions, catalogue=self.catalogue, default_timezone=zone),
            challenge_drafts=ProposalDrafts(
                clock=clock, catalogue=self.catalogue, people=people, default_timezone=zone
            ),
        )
        challenge_schedule = ChallengeMaterialiser(challenge, writer=self.writer, catchup=catchup)
        self.dispatcher = Dispatcher(
            sessions=sessions,
            notifier=SlackNotifier(self.delivery),
            hours=WorkingHours(default_timezone=zone, holidays=lambda: self.catalogue.current().holidays),
            on_target_gone={
                REMINDER: pause_undeliverable,
                REVIEW: pause_all_undeliverable,
                SUBSCRIPTION_REVIEW: pause_undeliverable,
                SHARE: sharing.share_failed,
            },
        )
        # its own thread, so a long send never holds a listener (the sandbox's executor tracks both)
        self._soon = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="send-soon")
        self.send_soon = SendSoon(dispatcher=self.dispatcher, clock=clock, executor=self._soon)
        followups = FollowupMaterialiser(
            sessions=sessions, catalogue=self.catalogue, messages=messages, default_timezone=zone
        )
        self.tick = Tick(
            dispatcher=self.dispatcher,
            materialisers=[followups, practice_schedule, challenge_schedule],
            chores=[
                people.refresh_zones,
                inbox.forget_old,
                proposals.unfinished,
                self.services.challenge_ending.unfinished,
                teams.refresh,
            ],
        )

    @cached_property
    def app(self) -> BoltApp:
        """The Bolt app (Bolt asks Slack who the token is when it is built)."""
        settings = self.runtime.settings
        secret = None if self._socket_mode else settings.secret("slack_signing_secret")
        return create_app(self.services, client=self.interactive, signing_secret=secret, executor=self.listeners)

    @cached_property
    def wsgi(self) -> SlackWSGI:
        return SlackWSGI(
            self.app,
            healthy=lambda: database_answers(self.runtime.engine),
            signing_secret=self.runtime.settings.secret("slack_signing_secret"),
            inbox=self.services.inbox,
            on_shutdown=self.close,
        )

    def warm(self) -> None:
        """Build the catalogue and its search index now, so that the first /learn does not wait for them;
        say so at once if the database holds no content (every /learn would find nothing)."""
        state = self.shelf.current().catalogue
        if not state.resources and not state.techniques:
            log.warning(
                "the database holds no content: every /learn will answer that the library has nothing yet; "
                "run `python -m bot content sync` (the Procfile's release step does)"
            )

    def register_workspace(self) -> str:
        """Ask Slack who we are, record the workspace and lift a pause the token no longer warrants."""
        team_id = own_team(self.delivery)
        self.services.people.register_workspace(team_id)
        return team_id

    def close(self) -> None:
        """Drain and stop every pool (requests acknowledged, posts in flight, model calls), then the database."""
        if "wsgi" in self.__dict__:
            self.wsgi.drain()
        self.listeners.shutdown(wait=True)
        self._soon.shutdown(wait=True)
        self.dispatcher.close()
        self.writer.close()
        self.runtime.close()
