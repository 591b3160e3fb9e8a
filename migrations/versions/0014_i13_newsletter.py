"""newsletter issues composed from articles: the issue (its text is its introduction
article) and its ordered items

Revision ID: i13_newsletter
Revises: i10_shared_storage
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i13_newsletter"
down_revision = "i10_shared_storage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "newsletter_issues",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(
            "missing_items",
            sa.Enum(
                "leave_out",
                "link_to_source",
                name="missing_items",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_newsletter_issues_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_newsletter_issues")),
    )
    op.create_table(
        "newsletter_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_newsletter_items_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["newsletter_issues.article_id"],
            name=op.f("fk_newsletter_items_issue_id_newsletter_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newsletter_items")),
        sa.UniqueConstraint("issue_id", "article_id", name=op.f("uq_newsletter_items_issue_id")),
    )
    op.create_index(
        "ix_newsletter_items_issue_position", "newsletter_items", ["issue_id", "position"]
    )
    op.create_index(op.f("ix_newsletter_items_article_id"), "newsletter_items", ["article_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_newsletter_items_article_id"), table_name="newsletter_items")
    op.drop_index("ix_newsletter_items_issue_position", table_name="newsletter_items")
    op.drop_table("newsletter_items")
    op.drop_table("newsletter_issues")
