"""article media: files attached to articles, and blobs written a chunk at a time

Revision ID: i13_article_media
Revises: i13_newsletter_pdfs

Articles carry files for readers to download (a video, a PDF), for all their editions
or for one: ``attachments``. A video is too large to hold in memory, so a blob may now
be kept as ``CHUNK_BYTES`` rows of ``blob_chunks`` (``blobs.chunks`` names them);
existing blobs keep their bytes in ``blobs.data``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i13_article_media"
down_revision = "i13_newsletter_pdfs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("blobs", sa.Column("chunks", sa.String(length=64), nullable=True))
    op.create_table(
        "blob_chunks",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", "number", name=op.f("pk_blob_chunks")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Videos are compressed already: stored as they are, no chunk is compressed
        # in vain, and none is decompressed to be sent.
        op.execute("ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL")
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_attachments_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index(op.f("ix_attachments_article_id"), "attachments", ["article_id"])
    op.create_index(op.f("ix_attachments_sha256"), "attachments", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attachments_sha256"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_article_id"), table_name="attachments")
    op.drop_table("attachments")
    # Blobs kept in chunks have no bytes of their own to go back to: they go, with
    # the attachments that were their only holders.
    op.execute("DELETE FROM blobs WHERE chunks IS NOT NULL")
    op.drop_table("blob_chunks")
    # In place on both databases (SQLite 3.35+): a batch copy of ``blobs`` would drop
    # the table that pending previews' foreign key names.
    op.execute("ALTER TABLE blobs DROP COLUMN chunks")
