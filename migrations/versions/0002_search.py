"""Full-text search: folded counterpart texts, FTS5 on SQLite, a GIN index on PostgreSQL.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS_TRIGGERS = [
    """CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
        INSERT INTO search_fts(rowid, text) VALUES (new.counterpart_id, new.text);
    END""",
    """CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
        INSERT INTO search_fts(search_fts, rowid, text)
        VALUES ('delete', old.counterpart_id, old.text);
    END""",
    """CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
        INSERT INTO search_fts(search_fts, rowid, text)
        VALUES ('delete', old.counterpart_id, old.text);
        INSERT INTO search_fts(rowid, text) VALUES (new.counterpart_id, new.text);
    END""",
]


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("counterpart_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counterpart_id"],
            ["counterparts.id"],
            name=op.f("fk_search_entries_counterpart_id_counterparts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("counterpart_id", name=op.f("pk_search_entries")),
    )
    op.create_index(op.f("ix_search_entries_edition"), "search_entries", ["edition"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_search_entries_document ON search_entries "
            "USING gin (to_tsvector('simple', text))"
        )
    else:
        # The folded text is already words separated by spaces; FTS5 only has to index it.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(text, content='search_entries', "
            "content_rowid='counterpart_id', tokenize='unicode61 remove_diacritics 0')"
        )
        for trigger in FTS_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_entries_document")
    else:
        for name in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index(op.f("ix_search_entries_edition"), table_name="search_entries")
    op.drop_table("search_entries")
