"""challenge endings: the summary a person keeps and may share, a pause's first day, and deliveries that edit a
message the bot posted (a challenge's card, kept current by scheduled work as well as by buttons)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("challenges") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch.add_column(sa.Column("summary_edited", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("shared_to", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("shared_at", bot.db.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused_on", sa.Date(), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("edit_ts", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("edit_ts")
    with op.batch_alter_table("challenges") as batch:
        for column in ("paused_on", "shared_at", "shared_to", "summary_edited", "summary"):
            batch.drop_column(column)
