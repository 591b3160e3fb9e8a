"""authors' names per edition: the byline in each edition's script

Revision ID: i12_author_names
Revises: i11_sign_ins
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i12_author_names"
down_revision = "i11_sign_ins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "author_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["authors.id"],
            name=op.f("fk_author_names_author_id_authors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_names")),
        sa.UniqueConstraint("author_id", "edition", name=op.f("uq_author_names_author_id")),
    )


def downgrade() -> None:
    op.drop_table("author_names")
