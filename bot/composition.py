"""The composition root: builds the services, the Bolt app, the dispatcher and the tick from a Runtime."""

from __future__ import annotations

from concurrent.futures import Executor
from datetime import timedelta

import openai
from slack_bolt import App
from slack_sdk import WebClient

from bot.db.engine import database_answers, transaction
from bot.llm.prompts import PromptStore
from bot.llm.writer import OpenAIWriter, TemplateWriter
from bot.repositories.workspaces import ensure_workspace, resume_workspace
from bot.runtime import Runtime
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.tick import Materialiser, Tick
from bot.services.catalogue import Catalogue
from bot.services.followups import FollowupMaterialiser
from bot.services.home import HomeService
from bot.services.library import LibraryService
from bot.services.people import PeopleService
from bot.services.practice import PracticeService
from bot.services.practice_schedule import REMINDER, REVIEW, PracticeMaterialiser, pause_for_target
from bot.services.privacy import PrivacyService
from bot.services.writer import Writer
from bot.slack.app import create_app
from bot.slack.client import delivery_client, interactive_client
from bot.slack.deps import AppDeps
from bot.slack.directory import SlackDirectory
from bot.slack.messages import SlackMessages
from bot.slack.notifier import SlackNotifier
from bot.slack.web import SlackWSGI


def build_writer(runtime: Runtime) -> Writer:
    """The model writer when OPENAI_API_KEY is set, the templates otherwise. Prompts are checked here, at start."""
    settings = runtime.settings
    store = PromptStore.load()
    if settings.openai_api_key is None or not settings.openai_api_key.get_secret_value():
        return TemplateWriter(store)
    client = openai.OpenAI(
        api_key=settings.openai_api_key.get_secret_value(),
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
    )
    return OpenAIWriter(
        store=store,
        client=client,
        model=settings.openai_model,
        sessions=runtime.sessions,
        clock=runtime.clock,
        daily_budget=settings.llm_daily_token_budget,
        cache_seconds=settings.llm_cache_seconds,
        moderation=settings.openai_moderation,
    )


def build_deps(runtime: Runtime, client: WebClient) -> AppDeps:
    """Every domain service, wired to Slack through `client`, as both doors (listeners, tick) use them."""
    settings = runtime.settings
    catalogue = Catalogue(runtime.sessions)
    people = PeopleService(sessions=runtime.sessions, clock=runtime.clock, directory=SlackDirectory(client))
    library = LibraryService(
        sessions=runtime.sessions, clock=runtime.clock, catalogue=catalogue, writer=build_writer(runtime)
    )
    practice = PracticeService(
        sessions=runtime.sessions,
        clock=runtime.clock,
        catalogue=catalogue,
        messages=SlackMessages(),
        default_timezone=settings.default_timezone,
        catchup=timedelta(minutes=settings.catchup_minutes),
    )
    people.on_zone_change.append(practice.zone_changed)
    home = HomeService(people=people, library=library)
    privacy = PrivacyService(sessions=runtime.sessions)
    return AppDeps(runtime=runtime, people=people, library=library, home=home, practice=practice, privacy=privacy)


def build_app(
    runtime: Runtime, *, executor: Executor | None = None, socket_mode: bool = False, warm: bool = False
) -> App:
    """The Bolt app; `warm` builds the catalogue now so that the first /learn does not wait for it."""
    settings = runtime.settings
    client = interactive_client(settings, settings.secret("slack_bot_token"))
    signing_secret = None if socket_mode else settings.secret("slack_signing_secret")
    deps = build_deps(runtime, client)
    if warm:
        deps.library.catalogue.current()
    return create_app(deps, client=client, signing_secret=signing_secret, executor=executor)


def build_wsgi(runtime: Runtime, app: App) -> SlackWSGI:
    signing_secret = runtime.settings.secret("slack_signing_secret")
    return SlackWSGI(app, healthy=lambda: database_answers(runtime.engine), signing_secret=signing_secret)


def build_tick(runtime: Runtime) -> Tick:
    settings = runtime.settings
    token = settings.secret("slack_bot_token")
    deps = build_deps(runtime, interactive_client(settings, token))
    hooks = {kind: pause_for_target for kind in (REMINDER, REVIEW)}
    dispatcher = Dispatcher(
        sessions=runtime.sessions, notifier=SlackNotifier(delivery_client(settings, token)), on_target_gone=hooks
    )
    catalogue = deps.library.catalogue
    materialisers: list[Materialiser] = [
        FollowupMaterialiser(
            sessions=runtime.sessions,
            catalogue=catalogue,
            messages=SlackMessages(),
            default_timezone=settings.default_timezone,
        ),
        PracticeMaterialiser(
            sessions=runtime.sessions,
            catalogue=catalogue,
            writer=build_writer(runtime),
            messages=SlackMessages(),
            default_timezone=settings.default_timezone,
            catchup=timedelta(minutes=settings.catchup_minutes),
        ),
    ]
    chores = [deps.people.refresh_zones]
    return Tick(sessions=runtime.sessions, dispatcher=dispatcher, materialisers=materialisers, chores=chores)


def register_workspace(runtime: Runtime) -> str:
    """Ask Slack who we are (auth.test), record the workspace and lift a pause the token no longer warrants."""
    client = delivery_client(runtime.settings, runtime.settings.secret("slack_bot_token"))
    team_id = str(client.auth_test()["team_id"])
    with transaction(runtime.sessions) as session:
        workspace = ensure_workspace(session, team_id=team_id, now=runtime.clock.now())
        resume_workspace(session, workspace.id)
    return team_id
