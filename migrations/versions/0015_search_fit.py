"""searches.fit: which of three kinds of answer a search got (good, closest, nothing) in place of the
good-or-not flag; a search that was not good is kept as "nothing", which was the only other answer then

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("searches") as batch:
        batch.add_column(sa.Column("fit", sa.String(length=10), nullable=False, server_default="nothing"))
    op.execute("UPDATE searches SET fit = CASE WHEN good THEN 'good' ELSE 'nothing' END")
    with op.batch_alter_table("searches") as batch:
        batch.alter_column("fit", server_default=None)
        batch.drop_column("good")


def downgrade() -> None:
    with op.batch_alter_table("searches") as batch:
        batch.add_column(sa.Column("good", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE searches SET good = (fit = 'good')")
    with op.batch_alter_table("searches") as batch:
        batch.alter_column("good", server_default=None)
        batch.drop_column("fit")
