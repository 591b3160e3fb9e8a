"""Pending PO previews: the uploaded file kept between the preview and the apply step.

What is applied is byte for byte what was previewed: the file is a blob of the shared
store (any app server may apply a preview made on another), named by its SHA-256 in the
apply form. A preview is kept for ``PREVIEW_LIFETIME``; after that it is refused with a
message asking for the file again, and removed with its bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.core.errors import ContentError
from editions.core.messages import _l
from editions.core.models import Base, User, utcnow
from editions.core.storage import holds_blobs, storage

PREVIEW_LIFETIME = timedelta(hours=24)


class PoPreview(Base):
    __tablename__ = "po_previews"

    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


holds_blobs(PoPreview.__table__.c.sha256)


class PreviewGone(ContentError):
    """A preview that can no longer be applied, with the reason."""


def content_type(data: bytes) -> str:
    return "application/zip" if data.startswith(b"PK\x03\x04") else "text/x-gettext-translation"


def keep_preview(
    session: Session, data: bytes, user: User | None = None, now: datetime | None = None
) -> PoPreview:
    """Keep an uploaded file until it is applied or expires; previewing the same bytes
    again starts its lifetime anew. Expired previews are removed on the way."""
    now = now or utcnow()
    remove_expired_previews(session, now)
    blob = storage(session).put(data, content_type(data))
    preview = session.get(PoPreview, blob.sha256)
    if preview is None:
        preview = PoPreview(sha256=blob.sha256)
        session.add(preview)
    preview.created_at = now
    preview.expires_at = now + PREVIEW_LIFETIME
    preview.created_by_id = user.id if user else None
    session.flush()
    return preview


def take_preview(session: Session, sha256: str, now: datetime | None = None) -> bytes:
    """The previewed file's bytes, to apply them; PreviewGone when it was applied already
    or has expired (then it is removed)."""
    now = now or utcnow()
    # Locked (PostgreSQL): of two applies of one preview at once, the second waits, then
    # finds it gone.
    preview = session.get(PoPreview, sha256, with_for_update=True)
    if preview is None:
        raise PreviewGone(
            _l(
                "this preview is no longer pending: it was applied already or it expired; "
                "upload the file again"
            )
        )
    if _aware(preview.expires_at) <= now:
        hours = int(PREVIEW_LIFETIME.total_seconds() // 3600)
        discard_preview(session, sha256)
        raise PreviewGone(
            _l("this preview expired: previews are kept %(hours)s hours; upload the file again"),
            hours=hours,
        )
    data = storage(session).get(sha256)
    assert data is not None  # a preview's blob is held by it (foreign key)
    return data


def discard_preview(session: Session, sha256: str) -> None:
    """Forget a preview (applied or expired) and its bytes, unless something else holds them."""
    session.execute(delete(PoPreview).where(PoPreview.sha256 == sha256))
    storage(session).delete(sha256)


def remove_expired_previews(session: Session, now: datetime | None = None) -> int:
    """Remove every expired preview and its bytes; how many were removed."""
    expired = session.scalars(
        select(PoPreview.sha256).where(PoPreview.expires_at <= (now or utcnow()))
    ).all()
    for sha256 in expired:
        discard_preview(session, sha256)
    return len(expired)


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; every moment Editions stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
