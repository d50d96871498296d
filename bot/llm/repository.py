"""Model call records, daily token usage and the answer cache."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.llm.models import LlmCache, LlmCall, LlmUsage


def record_call(
    session: Session,
    *,
    workspace_id: int | None,
    prompt: str,
    model: str,
    outcome: str,
    prompt_tokens: int,
    completion_tokens: int,
    duration_ms: int,
    now: datetime,
) -> None:
    session.add(
        LlmCall(
            workspace_id=workspace_id,
            prompt=prompt,
            model=model,
            outcome=outcome,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            duration_ms=duration_ms,
            created_at=now,
        )
    )


def tokens_used(session: Session, *, workspace_id: int, day: date) -> int:
    used = session.scalar(select(LlmUsage.tokens).where(LlmUsage.workspace_id == workspace_id, LlmUsage.day == day))
    return int(used or 0)


def add_tokens(session: Session, *, workspace_id: int, day: date, tokens: int) -> None:
    """Add to the day's total in one statement (safe when several processes call at once)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LlmUsage).values(workspace_id=workspace_id, day=day, tokens=tokens)
    statement = statement.on_conflict_do_update(
        index_elements=["workspace_id", "day"], set_={"tokens": LlmUsage.tokens + statement.excluded.tokens}
    )
    session.execute(statement)


def cached_text(session: Session, key: str, *, now: datetime) -> str | None:
    return session.scalar(select(LlmCache.text).where(LlmCache.key == key, LlmCache.expires_at > now))


def cache_text(
    session: Session, key: str, text: str, *, now: datetime, expires_at: datetime, person_id: int | None = None
) -> None:
    """Store (or replace) an answer, and drop answers that have expired. `person_id`: whose own words it was
    written from (it goes when they are forgotten)."""
    session.execute(delete(LlmCache).where(LlmCache.expires_at <= now))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {"text": text, "created_at": now, "expires_at": expires_at, "person_id": person_id}
    statement = dialect.insert(LlmCache).values(key=key, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["key"], set_=values))
