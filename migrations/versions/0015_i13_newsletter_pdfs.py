"""newsletter PDFs kept in the database, per issue, edition and fingerprint of their inputs

Revision ID: i13_newsletter_pdfs
Revises: i13_newsletter
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i13_newsletter_pdfs"
down_revision = "i13_newsletter"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "newsletter_pdfs",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["newsletter_issues.article_id"],
            name=op.f("fk_newsletter_pdfs_issue_id_newsletter_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("issue_id", "edition", "fingerprint", name=op.f("pk_newsletter_pdfs")),
    )


def downgrade() -> None:
    op.drop_table("newsletter_pdfs")
