"""Synced content items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.content.models import ContentItem


@dataclass(frozen=True)
class Stored:
    id: int
    hash: str
    retired: bool


def stored_items(session: Session) -> dict[tuple[str, str], Stored]:
    rows = session.execute(
        select(ContentItem.id, ContentItem.kind, ContentItem.key, ContentItem.hash, ContentItem.retired_at)
    )
    return {(kind, key): Stored(id_, hash_, retired is not None) for id_, kind, key, hash_, retired in rows}


def add_item(
    session: Session, *, kind: str, key: str, title: str, data: dict[str, Any], hash: str, source: str, now: datetime
) -> None:
    session.add(
        ContentItem(
            kind=kind, key=key, title=title, data=data, hash=hash, source=source, created_at=now, updated_at=now
        )
    )


def replace_item(
    session: Session, item_id: int, *, title: str, data: dict[str, Any], hash: str, source: str, now: datetime
) -> None:
    session.execute(
        update(ContentItem)
        .where(ContentItem.id == item_id)
        .values(title=title, data=data, hash=hash, source=source, retired_at=None, updated_at=now)
    )


def retire_items(session: Session, item_ids: list[int], *, now: datetime) -> None:
    if item_ids:
        session.execute(update(ContentItem).where(ContentItem.id.in_(item_ids)).values(retired_at=now, updated_at=now))


def active_items(session: Session, kind: str) -> list[ContentItem]:
    return list(
        session.scalars(
            select(ContentItem)
            .where(ContentItem.kind == kind, ContentItem.retired_at.is_(None))
            .order_by(ContentItem.id)
        )
    )


def find_item(session: Session, kind: str, key: str) -> ContentItem | None:
    return session.scalars(select(ContentItem).where(ContentItem.kind == kind, ContentItem.key == key)).one_or_none()


VERSION_KIND, VERSION_KEY = "meta", "version"


def content_version(session: Session) -> str | None:
    """A digest of everything synced: a one-row lookup that tells caches when content changed."""
    return session.scalar(
        select(ContentItem.hash).where(ContentItem.kind == VERSION_KIND, ContentItem.key == VERSION_KEY)
    )


def set_content_version(session: Session, digest: str, *, now: datetime) -> None:
    row = find_item(session, VERSION_KIND, VERSION_KEY)
    if row is None:
        add_item(session, kind=VERSION_KIND, key=VERSION_KEY, title="", data={}, hash=digest, source="", now=now)
    elif row.hash != digest:
        row.hash = digest
        row.updated_at = now
