"""Apply loaded content to the database: all of it in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.content import repository
from bot.content.loader import Content, digest
from bot.db.engine import transaction


@dataclass(frozen=True)
class SyncReport:
    added: int
    updated: int
    retired: int
    unchanged: int

    def summary(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.retired} retired, {self.unchanged} unchanged"


def sync_content(sessions: sessionmaker[Session], content: Content, *, now: datetime) -> SyncReport:
    """Upsert by (kind, key), skip unchanged items by hash, retire what disappeared (history keeps its rows)."""
    added = updated = unchanged = 0
    with transaction(sessions) as session:
        stored = repository.stored_items(session)
        present: set[tuple[str, str]] = set()
        for item in [*content.items(), *content.settings_items()]:
            present.add((item.kind, item.key))
            existing = stored.get((item.kind, item.key))
            data = item.model.model_dump(mode="json")
            title = str(data.get("title") or data.get("name") or item.key)[:200]
            if existing is None:
                repository.add_item(
                    session,
                    kind=item.kind,
                    key=item.key,
                    title=title,
                    data=data,
                    hash=item.hash,
                    source=item.source,
                    now=now,
                )
                added += 1
            elif existing.hash != item.hash or existing.retired:
                repository.replace_item(
                    session, existing.id, title=title, data=data, hash=item.hash, source=item.source, now=now
                )
                updated += 1
            else:
                unchanged += 1
        gone = [
            row.id
            for key, row in stored.items()
            if key not in present and not row.retired and key[0] != repository.VERSION_KIND
        ]
        repository.retire_items(session, gone, now=now)
        hashes = sorted((item.kind, item.key, item.hash) for item in [*content.items(), *content.settings_items()])
        repository.set_content_version(session, digest(hashes), now=now)
    return SyncReport(added=added, updated=updated, retired=len(gone), unchanged=unchanged)
