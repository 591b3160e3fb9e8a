"""search on PostgreSQL: the tsvector of each entry stored (a generated column) and indexed

Revision ID: i16_search_vectors
Revises: i16_sign_in_throttles
"""

from __future__ import annotations

from alembic import op

revision = "i16_search_vectors"
down_revision = "i16_sign_in_throttles"
branch_labels = None
depends_on = None

# An index on the expression to_tsvector(text) finds entries, but every ranking, and
# every plan that filters rows instead of reading the index, computed the vector again:
# 50 ms for one 2,000-paragraph article, each time. Stored, it is read.


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_entries_document")
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN document tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED"
    )
    op.execute("CREATE INDEX ix_search_entries_document ON search_entries USING gin (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_entries_document")
    op.execute("ALTER TABLE search_entries DROP COLUMN document")
    op.execute(
        "CREATE INDEX ix_search_entries_document ON search_entries "
        "USING gin (to_tsvector('simple', text))"
    )
