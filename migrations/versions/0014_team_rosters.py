"""team rosters: the members Slack lists for each team in content/teams.yaml (a channel's or a user group's),
read once a day, for reports scoped to a team

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "team_rosters",
        sa.Column("team_key", sa.String(length=60), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("members", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("refreshed_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_key", name=op.f("pk_team_rosters")),
    )


def downgrade() -> None:
    op.drop_table("team_rosters")
