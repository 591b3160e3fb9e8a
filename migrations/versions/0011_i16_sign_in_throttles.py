"""sign-in limits per address and per username and address, in counters

Revision ID: i16_sign_in_throttles
Revises: i12_author_names
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i16_sign_in_throttles"
down_revision = "i12_author_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttles")),
    )
    op.create_index(
        op.f("ix_sign_in_throttles_window_started_at"),
        "sign_in_throttles",
        ["window_started_at"],
    )
    # Failures counted per username alone let anyone lock an account: not carried over.
    op.drop_index("ix_login_failures_address_created", table_name="login_failures")
    op.drop_index("ix_login_failures_username_created", table_name="login_failures")
    op.drop_table("login_failures")


def downgrade() -> None:
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
    op.drop_index(op.f("ix_sign_in_throttles_window_started_at"), table_name="sign_in_throttles")
    op.drop_table("sign_in_throttles")
