"""shared storage: uploaded images and pending PO previews as blobs in the database

Revision ID: i10_shared_storage
Revises: i16_search_vectors

Several app servers share one database, and a request may land on any of them: the
bytes of images (``instance/media``) and of pending PO previews (``instance/po-uploads``)
move from one server's disk into the ``blobs`` table. The files found in the instance
folder the upgrade runs with (``editions db upgrade`` passes it) are carried over; the
files themselves are left in place, to be removed by hand once the site is checked.
A downgrade writes the images' bytes back into ``<instance>/media``.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

revision = "i10_shared_storage"
down_revision = "i16_search_vectors"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
PREVIEW_LIFETIME = timedelta(hours=24)  # editions.exchange.previews, as of this revision

blobs = sa.table(
    "blobs",
    sa.column("sha256", sa.String),
    sa.column("size", sa.BigInteger),
    sa.column("content_type", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("data", sa.LargeBinary),
)
previews = sa.table(
    "po_previews",
    sa.column("sha256", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("expires_at", sa.DateTime(timezone=True)),
)
images = sa.table(
    "images",
    sa.column("sha256", sa.String),
    sa.column("extension", sa.String),
    sa.column("media_type", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Images and zips are compressed already; kept uncompressed, a chunk of a large
        # blob is read without decompressing everything before it.
        op.execute("ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL")
    op.create_table(
        "po_previews",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_po_previews_sha256_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_po_previews_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_po_previews")),
    )
    op.create_index(op.f("ix_po_previews_expires_at"), "po_previews", ["expires_at"])
    instance = _instance_path()
    if instance is not None:
        _carry_over_files(instance)


def downgrade() -> None:
    instance = _instance_path()
    if instance is not None:
        media = instance / "media"
        rows = op.get_bind().execute(
            sa.select(images.c.sha256, images.c.extension, blobs.c.data).join(
                blobs, blobs.c.sha256 == images.c.sha256
            )
        )
        for sha256, extension, data in rows:
            media.mkdir(parents=True, exist_ok=True)
            (media / f"{sha256}.{extension}").write_bytes(data)
    op.drop_index(op.f("ix_po_previews_expires_at"), table_name="po_previews")
    op.drop_table("po_previews")
    op.drop_table("blobs")


def _instance_path() -> Path | None:
    configured = context.config.attributes.get("instance_path")
    return Path(configured) if configured else None


def _carry_over_files(instance: Path) -> None:
    bind = op.get_bind()
    media = instance / "media"
    carried = missing = 0
    for sha256, extension, media_type, created_at in bind.execute(
        sa.select(images.c.sha256, images.c.extension, images.c.media_type, images.c.created_at)
    ):
        data = _file_named_by_its_hash(media / f"{sha256}.{extension}", sha256)
        if data is None:
            missing += 1
            log.warning(
                "image %s.%s: no intact file in %s, not carried over", sha256, extension, media
            )
            continue
        _insert_blob(sha256, data, media_type, created_at)
        carried += 1
    uploads = instance / "po-uploads"
    pending = 0
    for path in sorted(uploads.iterdir()) if uploads.is_dir() else []:
        data = _file_named_by_its_hash(path, path.name)
        if data is None:
            continue
        made = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        kind = (
            "application/zip" if data.startswith(b"PK\x03\x04") else "text/x-gettext-translation"
        )
        _insert_blob(path.name, data, kind, made)
        bind.execute(
            previews.insert().values(
                sha256=path.name, created_at=made, expires_at=made + PREVIEW_LIFETIME
            )
        )
        pending += 1
    log.info(
        "shared storage: %d image(s) and %d pending PO preview(s) carried over from %s%s",
        carried,
        pending,
        instance,
        f"; {missing} image file(s) missing" if missing else "",
    )


def _file_named_by_its_hash(path: Path, sha256: str) -> bytes | None:
    if len(sha256) != 64 or not path.is_file():
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def _insert_blob(sha256: str, data: bytes, content_type: str, created_at: datetime) -> None:
    op.get_bind().execute(
        blobs.insert().values(
            sha256=sha256,
            size=len(data),
            content_type=content_type,
            created_at=created_at,
            data=data,
        )
    )
