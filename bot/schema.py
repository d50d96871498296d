"""Every table of every domain: imports each domain's models so that `Base.metadata` is complete.

Alembic (`migrations/env.py`) compares the migrations with it; the privacy service follows its foreign keys
to find everything stored about a person.
"""

from __future__ import annotations

from sqlalchemy import MetaData, Table

import bot.challenges.models
import bot.content.models
import bot.inbox.models
import bot.library.models
import bot.llm.models
import bot.measurement.models
import bot.outbox.models
import bot.people.models
import bot.practice.models
import bot.teams.models  # noqa: F401
from bot.db.base import Base


def metadata() -> MetaData:
    return Base.metadata


def tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)
