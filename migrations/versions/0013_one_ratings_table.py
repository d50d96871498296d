"""one ratings table: the practice's monthly self-ratings move from `self_ratings` into `ratings` (rater self,
moment monthly, the review's occasion as source); a rating is unique per skill too (one review rates several
skills); the week-later answer is named for what it is, `did_it_stick`, not `stuck` (which reads as "I'm stuck").
Downgrading moves the monthly ratings back, row for row.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "workspace_id, person_id, skill_key, rater, moment, value, source, created_at"


def upgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_constraint("uq_ratings_person_id_source_rater_moment", type_="unique")
        batch.create_unique_constraint(
            "uq_ratings_person_id_skill_key_source_rater_moment",
            ["person_id", "skill_key", "source", "rater", "moment"],
        )
    op.execute("UPDATE ratings SET moment = 'did_it_stick' WHERE moment = 'stuck'")
    op.execute(
        f"INSERT INTO ratings ({COLUMNS}) "
        "SELECT workspace_id, person_id, skill_key, 'self', 'monthly', rating, occasion, created_at FROM self_ratings"
    )
    op.drop_table("self_ratings")


def downgrade() -> None:
    op.create_table(
        "self_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("skill_key", sa.String(length=60), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.String(length=40), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_self_ratings_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_self_ratings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_ratings")),
        sa.UniqueConstraint(
            "person_id", "skill_key", "occasion", name=op.f("uq_self_ratings_person_id_skill_key_occasion")
        ),
    )
    with op.batch_alter_table("self_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_ratings_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_ratings_workspace_id"), ["workspace_id"], unique=False)
    monthly = "rater = 'self' AND moment = 'monthly'"
    op.execute(
        "INSERT INTO self_ratings (workspace_id, person_id, skill_key, rating, occasion, created_at) "
        f"SELECT workspace_id, person_id, skill_key, value, source, created_at FROM ratings WHERE {monthly}"
    )
    op.execute(f"DELETE FROM ratings WHERE {monthly}")
    op.execute("UPDATE ratings SET moment = 'stuck' WHERE moment = 'did_it_stick'")
    with op.batch_alter_table("ratings") as batch:
        batch.drop_constraint("uq_ratings_person_id_skill_key_source_rater_moment", type_="unique")
        batch.create_unique_constraint(
            "uq_ratings_person_id_source_rater_moment", ["person_id", "source", "rater", "moment"]
        )
