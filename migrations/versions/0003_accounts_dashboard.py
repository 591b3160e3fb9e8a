"""accounts and dashboard: login failures, assignments, status snapshots

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        "ix_login_failures_username_created", "login_failures", ["username", "created_at"]
    )
    op.create_index(
        "ix_login_failures_address_created", "login_failures", ["remote_addr", "created_at"]
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"],
            name=op.f("fk_assignments_article_id_articles"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_assignments_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assignments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("article_id", "edition", name=op.f("uq_assignments_article_id")),
    )
    op.create_index("ix_assignments_user", "assignments", ["user_id"])
    op.create_table(
        "status_snapshots",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Integer(), nullable=False),
        sa.Column("draft", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("words_to_translate", sa.Integer(), nullable=False),
        sa.Column("words_stale", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "edition", name=op.f("pk_status_snapshots")),
    )


    op.create_index("ix_translations_source_checksum", "translations", ["source_checksum"])


def downgrade() -> None:
    op.drop_index("ix_translations_source_checksum", table_name="translations")
    op.drop_table("status_snapshots")
    op.drop_index("ix_assignments_user", table_name="assignments")
    op.drop_table("assignments")
    op.drop_index("ix_login_failures_address_created", table_name="login_failures")
    op.drop_index("ix_login_failures_username_created", table_name="login_failures")
    op.drop_table("login_failures")
