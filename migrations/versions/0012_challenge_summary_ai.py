"""a challenge's summary remembers whether the model drafted it (and it was not edited since), so the draft
is labelled as written by AI wherever it is shown

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("challenges") as batch:
        batch.add_column(sa.Column("summary_ai", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("challenges") as batch:
        batch.drop_column("summary_ai")
