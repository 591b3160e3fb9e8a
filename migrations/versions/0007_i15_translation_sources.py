"""translation history records the source text each finished translation was made from

Revision ID: i15_translation_sources
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i15_translation_sources"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("translation_changes") as batch:
        batch.add_column(sa.Column("source_checksum", sa.String(length=16), nullable=True))
        batch.create_index(
            "ix_translation_changes_source", ["counterpart_id", "source_checksum"], unique=False
        )
    # Changes that produced a translation still in place know its source text.
    op.execute(
        "UPDATE translation_changes SET source_checksum = ("
        " SELECT translations.source_checksum FROM translations"
        " JOIN segments ON segments.id = translations.segment_id"
        " WHERE translations.counterpart_id = translation_changes.counterpart_id"
        " AND segments.key = translation_changes.segment_key"
        " AND translations.text = translation_changes.new_text"
        " AND NOT translations.draft)"
    )


def downgrade() -> None:
    with op.batch_alter_table("translation_changes") as batch:
        batch.drop_index("ix_translation_changes_source")
        batch.drop_column("source_checksum")
