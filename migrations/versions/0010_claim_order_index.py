"""deliveries: the due index also holds the id, in the order `claim` takes rows (due_at, id)

Thousands of rows due at the same minute (every check-in of a cohort-wide challenge, every reminder at
09:00) made each claim sort all of them to take the first few; with the id in the index it reads them in
order and stops at the batch.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_due")
        batch.create_index("ix_deliveries_due", ["status", "due_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_due")
        batch.create_index("ix_deliveries_due", ["status", "due_at"], unique=False)
