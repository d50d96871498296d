"""accepted requests: commands and button presses acknowledged at the edge, kept until their work is done

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:43:10.829343
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accepted_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "headers", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("received_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=80), nullable=False),
        sa.Column("lease_until", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accepted_requests")),
    )
    with op.batch_alter_table("accepted_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accepted_requests_lease_until"), ["lease_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("accepted_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accepted_requests_lease_until"))
    op.drop_table("accepted_requests")
