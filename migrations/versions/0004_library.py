"""library

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 18:53:34.630599
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resource_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("content_item_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("value", sa.String(length=12), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_item_id"], ["content_items.id"], name=op.f("fk_resource_feedback_content_item_id_content_items")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_resource_feedback_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_feedback")),
        sa.UniqueConstraint(
            "person_id", "content_item_id", "source", name=op.f("uq_resource_feedback_person_id_content_item_id_source")
        ),
    )
    with op.batch_alter_table("resource_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_feedback_content_item_id"), ["content_item_id"], unique=False)

    op.create_table(
        "resource_opens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("content_item_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("followup_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_item_id"], ["content_items.id"], name=op.f("fk_resource_opens_content_item_id_content_items")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_resource_opens_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_opens")),
        sa.UniqueConstraint("person_id", "content_item_id", name=op.f("uq_resource_opens_person_id_content_item_id")),
    )
    with op.batch_alter_table("resource_opens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_opens_opened_at"), ["opened_at"], unique=False)

    op.create_table(
        "searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column(
            "results", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("good", sa.Boolean(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_searches_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_searches_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_searches")),
    )
    with op.batch_alter_table("searches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_searches_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_searches_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_searches_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "resource_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("content_item_id", sa.Integer(), nullable=True),
        sa.Column("search_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_item_id"], ["content_items.id"], name=op.f("fk_resource_events_content_item_id_content_items")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_resource_events_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["search_id"], ["searches.id"], name=op.f("fk_resource_events_search_id_searches"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_events_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_events")),
    )
    with op.batch_alter_table("resource_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_events_content_item_id"), ["content_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resource_events_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resource_events_workspace_id"), ["workspace_id"], unique=False)

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_key", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column(
                "skills",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )
        batch_op.add_column(sa.Column("followups_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("followups_enabled")
        batch_op.drop_column("skills")
        batch_op.drop_column("role_key")

    with op.batch_alter_table("resource_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_events_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_resource_events_person_id"))
        batch_op.drop_index(batch_op.f("ix_resource_events_content_item_id"))

    op.drop_table("resource_events")
    with op.batch_alter_table("searches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_searches_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_searches_person_id"))
        batch_op.drop_index(batch_op.f("ix_searches_created_at"))

    op.drop_table("searches")
    with op.batch_alter_table("resource_opens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_opens_opened_at"))

    op.drop_table("resource_opens")
    with op.batch_alter_table("resource_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_feedback_content_item_id"))

    op.drop_table("resource_feedback")
