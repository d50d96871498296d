"""practice cadence: unanswered reminders count after this day (a "keep going" or a resume starts the count again)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practice_subscriptions") as batch:
        batch.add_column(sa.Column("quiet_from", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practice_subscriptions") as batch:
        batch.drop_column("quiet_from")
