"""practice

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 19:03:07.606715
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("technique_key", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column(
            "weekdays", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("pause_reason", sa.String(length=60), nullable=True),
        sa.Column("suggested_by", sa.Integer(), nullable=True),
        sa.Column("next_due_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_due_date", sa.Date(), nullable=True),
        sa.Column(
            "used_variations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_practice_subscriptions_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["suggested_by"],
            ["people.id"],
            name=op.f("fk_practice_subscriptions_suggested_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_practice_subscriptions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_subscriptions")),
    )
    with op.batch_alter_table("practice_subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_practice_subscriptions_next_due", ["status", "next_due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_subscriptions_person_id"), ["person_id"], unique=False)

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

    op.create_table(
        "practice_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("variation", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=True),
        sa.Column("delivery_key", sa.String(length=200), nullable=False),
        sa.Column("answered_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["practice_subscriptions.id"],
            name=op.f("fk_practice_days_subscription_id_practice_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_days")),
        sa.UniqueConstraint("subscription_id", "local_date", name=op.f("uq_practice_days_subscription_id_local_date")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tz_notice_sent", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("tz_notice_sent")

    op.drop_table("practice_days")
    with op.batch_alter_table("self_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_ratings_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_self_ratings_person_id"))

    op.drop_table("self_ratings")
    with op.batch_alter_table("practice_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_subscriptions_person_id"))
        batch_op.drop_index("ix_practice_subscriptions_next_due")

    op.drop_table("practice_subscriptions")
