"""challenge state with names: what `next_at` points at is its own column (a check-in, the close or "did it
stick?"), no longer read from the check-in day; where a summary was shared keeps its place and its channel apart;
work owed after a window closed is recorded before it closes (a proposal still sending, a summary to draft); whose
words a delivery to someone else carries, and whose words a cached model answer was written from (forgetting a
person removes both)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.db.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACES = ("peers", "proposer", "cohort")


def upgrade() -> None:
    op.drop_index("ix_challenges_next_checkin", table_name="challenges")
    with op.batch_alter_table("challenges") as batch:
        batch.alter_column("next_checkin_day", new_column_name="next_day")
        batch.alter_column("next_checkin_at", new_column_name="next_at")
        batch.add_column(sa.Column("next_step", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("shared_channel", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("summary_due_at", bot.db.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("challenge_proposals") as batch:
        batch.add_column(sa.Column("sending", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True))
    op.create_index("ix_challenges_next", "challenges", ["status", "next_at"])
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch.create_index("ix_deliveries_author_id", ["author_id"])
        batch.create_foreign_key("fk_deliveries_author_id_people", "people", ["author_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("llm_cache") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_index("ix_llm_cache_person_id", ["person_id"])
        batch.create_foreign_key("fk_llm_cache_person_id_people", "people", ["person_id"], ["id"], ondelete="CASCADE")
    op.execute(
        "UPDATE challenges SET next_step = CASE"
        " WHEN status = 'finished' THEN 'stick'"
        " WHEN next_day = days THEN 'close'"
        " ELSE 'checkin' END"
        " WHERE next_at IS NOT NULL OR next_day IS NOT NULL"
    )
    op.execute("UPDATE challenges SET next_day = NULL WHERE next_step <> 'checkin' OR next_step IS NULL")
    op.execute(
        "UPDATE challenges SET shared_channel = (SELECT peer_channel FROM challenge_proposals p"
        " WHERE p.id = challenges.proposal_id) WHERE shared_to = 'peers'"
    )
    op.execute(
        "UPDATE challenges SET shared_channel = shared_to, shared_to = 'elsewhere'"
        f" WHERE shared_to IS NOT NULL AND shared_to NOT IN {PLACES}"
    )


def downgrade() -> None:
    op.execute("UPDATE challenges SET shared_to = shared_channel WHERE shared_to = 'elsewhere'")
    op.execute("UPDATE challenges SET next_day = days WHERE next_step = 'close'")
    with op.batch_alter_table("llm_cache") as batch:
        batch.drop_constraint("fk_llm_cache_person_id_people", type_="foreignkey")
        batch.drop_index("ix_llm_cache_person_id")
        batch.drop_column("person_id")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("fk_deliveries_author_id_people", type_="foreignkey")
        batch.drop_index("ix_deliveries_author_id")
        batch.drop_column("author_id")
    op.drop_index("ix_challenges_next", table_name="challenges")
    with op.batch_alter_table("challenge_proposals") as batch:
        batch.drop_column("sending")
    with op.batch_alter_table("challenges") as batch:
        batch.drop_column("summary_due_at")
        batch.drop_column("shared_channel")
        batch.drop_column("next_step")
        batch.alter_column("next_at", new_column_name="next_checkin_at")
        batch.alter_column("next_day", new_column_name="next_checkin_day")
    op.create_index("ix_challenges_next_checkin", "challenges", ["status", "next_checkin_at"])
