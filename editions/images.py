"""Uploaded images: checked by their content, stored once under their SHA-256.

An image is placed in a body as Markdown, ``![alt](/media/<sha256>.png "caption")``,
so its alt text and caption belong to that paragraph's segment: they are translated,
go stale and are compared like any other text, and each edition shows its own.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from datetime import datetime
from pathlib import Path

from PIL import Image as Pillow
from PIL import UnidentifiedImageError
from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.content import ContentError
from editions.messages import _l
from editions.models import Base, User, utcnow

# Pillow's format name -> the extension and media type the file is served with.
FORMATS: dict[str, tuple[str, str]] = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 40_000_000  # larger images are refused before they are decoded
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(?:png|jpg|gif|webp)$")


class Image(Base):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    extension: Mapped[str] = mapped_column(String(8))
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.extension}"

    @property
    def url(self) -> str:
        return f"/media/{self.filename}"

    def markdown(self, alt: str, caption: str = "") -> str:
        """The Markdown that shows this image, with its alt text and caption to translate."""
        alt = alt.replace("[", "(").replace("]", ")").strip()
        caption = caption.replace('"', "”").strip()
        title = f' "{caption}"' if caption else ""
        return f"![{alt}]({self.url}{title})"


class ImageError(ContentError):
    """An upload that is not stored, with the reason."""


def check_upload_name(name: str) -> str:
    """The file name as given, refused when it tries to name a path."""
    if not name or "/" in name or "\\" in name or "\x00" in name or name in {".", ".."}:
        raise ImageError(_l("the file name must be a plain name, without folders"))
    return name[:255]


def store_image(
    session: Session,
    media_dir: Path,
    name: str,
    data: bytes,
    *,
    max_bytes: int,
    user: User | None = None,
) -> Image:
    """Check an upload and keep it as ``<media_dir>/<sha256>.<ext>``; the same bytes twice
    give the same image. Nothing is written unless every check passes."""
    name = check_upload_name(name)
    if not data:
        raise ImageError(_l("the file is empty"))
    if len(data) > max_bytes:
        raise ImageError(
            _l("the file is %(size)s KiB; images may be at most %(limit)s KiB"),
            size=len(data) // 1024,
            limit=max_bytes // 1024,
        )
    kind, width, height = _inspect(data)
    extension, media_type = FORMATS[kind]
    digest = hashlib.sha256(data).hexdigest()
    image = session.scalars(select(Image).where(Image.sha256 == digest)).one_or_none()
    if image is None:
        image = Image(
            sha256=digest,
            extension=extension,
            media_type=media_type,
            width=width,
            height=height,
            size=len(data),
            original_name=name,
            uploaded_by_id=user.id if user else None,
        )
        session.add(image)
        session.flush()
    _write_once(media_dir / image.filename, data)
    return image


def _inspect(data: bytes) -> tuple[str, int, int]:
    """Pillow's format name and the size, read from the bytes, never from the name."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format or "", probe.size
                if width * height > MAX_PIXELS:
                    raise ImageError(
                        _l("the image is %(width)s×%(height)s pixels; that is too large"),
                        width=width,
                        height=height,
                    )
                probe.verify()
            with Pillow.open(io.BytesIO(data)) as image:
                image.load()  # verify() reads no pixels: a cut-off file fails only here
    except (UnidentifiedImageError, Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
        raise ImageError(_l("the file is not an image (PNG, JPEG, GIF or WebP)")) from None
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, ImageError):
            raise
        raise ImageError(_l("the image is damaged and cannot be read")) from None
    if kind not in FORMATS:
        raise ImageError(
            _l("%(kind)s images are not accepted; use PNG, JPEG, GIF or WebP"), kind=kind
        )
    return kind, width, height


def _write_once(path: Path, data: bytes) -> None:
    # Written under a temporary name and renamed, so a reader never sees half a file.
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
