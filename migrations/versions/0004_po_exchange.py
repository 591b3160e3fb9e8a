"""PO exchange: the import history

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "po_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("editions", sa.String(length=120), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("drafts", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_po_imports_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_po_imports")),
    )
    op.create_index(op.f("ix_po_imports_created_at"), "po_imports", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_po_imports_created_at"), table_name="po_imports")
    op.drop_table("po_imports")
