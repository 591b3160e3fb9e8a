"""glossary: entries with an approved term per edition, notes, do-not-translate

Revision ID: i15_glossary
Revises: i15_translation_sources
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i15_glossary"
down_revision = "i15_translation_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "glossary_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("do_not_translate", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_entries")),
    )
    op.create_table(
        "glossary_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("folded", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["glossary_entries.id"],
            name=op.f("fk_glossary_terms_entry_id_glossary_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_terms")),
        sa.UniqueConstraint("entry_id", "edition", name=op.f("uq_glossary_terms_entry_id")),
        sa.UniqueConstraint("edition", "folded", name="uq_glossary_terms_edition_folded"),
    )


def downgrade() -> None:
    op.drop_table("glossary_terms")
    op.drop_table("glossary_entries")
