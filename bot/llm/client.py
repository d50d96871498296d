"""The writer a process uses: the model when OPENAI_API_KEY is set, the templates otherwise."""

from __future__ import annotations

import openai
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.llm.prompts import PromptStore
from bot.llm.types import Writer
from bot.llm.writer import OpenAIWriter, TemplateWriter


def build_writer(settings: Settings, *, sessions: sessionmaker[Session], clock: Clock) -> Writer:
    """Prompts are loaded and checked here, at start: a broken prompt stops the start, not a reminder at nine."""
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
        sessions=sessions,
        clock=clock,
        daily_budget=settings.llm_daily_token_budget,
        cache_seconds=settings.llm_cache_seconds,
        moderation=settings.openai_moderation,
    )
