"""dashboard at 100,000 articles: kept status counts and words to do, ordering indexes

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "missing",
    "draft",
    "stale",
    "current",
    name="status",
    native_enum=False,
    create_constraint=True,
    length=16,
)


def upgrade() -> None:
    op.create_table(
        "status_counts",
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("words_to_translate", sa.Integer(), nullable=False),
        sa.Column("words_stale", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("edition", "status", name=op.f("pk_status_counts")),
    )
    op.create_table(
        "article_work",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("words_to_do", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_work_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_work")),
    )
    # The kept aggregates start from the statuses already kept.
    op.execute(
        "INSERT INTO status_counts (edition, status, entries, words_to_translate, words_stale)"
        " SELECT edition, status, count(*), sum(words_to_translate), sum(words_stale)"
        " FROM status_entries GROUP BY edition, status"
    )
    op.execute(
        "INSERT INTO article_work (article_id, words_to_do)"
        " SELECT article_id, sum(words_to_translate + words_stale)"
        " FROM status_entries GROUP BY article_id"
    )
    op.create_index("ix_article_work_words_to_do", "article_work", ["words_to_do", "article_id"])
    op.create_index("ix_articles_updated", "articles", ["updated_at", "id"])
    # PostgreSQL before 18 only has STORED generated columns; SQLite cannot add one.
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    op.add_column(
        "status_entries",
        sa.Column(
            "words_to_do",
            sa.Integer(),
            sa.Computed("words_to_translate + words_stale", persisted=stored),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_status_entries_edition_words_to_do",
        "status_entries",
        ["edition", "words_to_do", "article_id"],
    )
    op.drop_index("ix_status_entries_edition_status", table_name="status_entries")
    op.create_index(
        "ix_status_entries_edition_status_article",
        "status_entries",
        ["edition", "status", "article_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_status_entries_edition_words_to_do", table_name="status_entries")
    with op.batch_alter_table("status_entries") as batch_op:
        batch_op.drop_column("words_to_do")
    op.drop_index("ix_status_entries_edition_status_article", table_name="status_entries")
    op.create_index("ix_status_entries_edition_status", "status_entries", ["edition", "status"])
    op.drop_index("ix_articles_updated", table_name="articles")
    op.drop_index("ix_article_work_words_to_do", table_name="article_work")
    op.drop_table("article_work")
    op.drop_table("status_counts")
