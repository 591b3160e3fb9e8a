"""Uploaded images: checked by their content, stored once under their SHA-256.

The bytes are a blob of the shared store (``editions.core.storage``: the database), so every
app server serves every image.

An image is placed in a body as Markdown, ``![alt](/media/<sha256>.png "caption")``,
so its alt text and caption belong to that paragraph's segment: they are translated,
go stale and are compared like any other text, and each edition shows its own.

Readers' phones decode every image they are sent, frame by frame, at four bytes a
pixel, whatever its file size: a 5 KB PNG can claim 6000×6600 pixels (160 MB), a GIF
200 frames of 2000×2000. So an upload is refused past ``MAX_DECODED_PIXELS`` (width ×
height × frames, as its header says, before anything is decoded), and what is kept is
the image re-encoded from its pixels: nothing appended to the file (an HTML page, a
script, an archive) and no metadata but the colour profile and a JPEG's orientation.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from datetime import datetime

from PIL import Image as Pillow
from PIL import UnidentifiedImageError
from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.core.errors import ContentError
from editions.core.messages import _l
from editions.core.models import Base, User, utcnow
from editions.core.storage import holds_blobs, storage

# Pillow's format name -> the extension and media type the file is served with.
FORMATS: dict[str, tuple[str, str]] = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
# 4096 × 4096: a 16-megapixel photo, or 64 frames of 512 × 512; 64 MiB decoded.
MAX_DECODED_PIXELS = 4096 * 4096
_ORIENTATION = 0x0112  # the EXIF tag that says which way up a photo was taken
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
        # One line (a blank line would end the paragraph), with backslash escapes
        # (CommonMark's) for whatever would close the alt text or the caption early.
        alt = re.sub(r"([\\\[\]])", r"\\\1", _one_line(alt))
        caption = re.sub(r'([\\"])', r"\\\1", _one_line(caption))
        title = f' "{caption}"' if caption else ""
        return f"![{alt}]({self.url}{title})"


holds_blobs(Image.__table__.c.sha256)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ImageError(ContentError):
    """An upload that is not stored, with the reason."""


def check_upload_name(name: str) -> str:
    """The file name as given, refused when it tries to name a path."""
    if not name or "/" in name or "\\" in name or "\x00" in name or name in {".", ".."}:
        raise ImageError(_l("the file name must be a plain name, without folders"))
    return name[:255]


def store_image(
    session: Session,
    name: str,
    data: bytes,
    *,
    max_bytes: int,
    user: User | None = None,
) -> Image:
    """Check an upload and keep its bytes in the shared store under their SHA-256; the
    same bytes twice give the same image. Nothing is written unless every check passes."""
    name = check_upload_name(name)
    if not data:
        raise ImageError(_l("the file is empty"))
    if len(data) > max_bytes:
        raise ImageError(
            _l("the file is %(size)s KiB; images may be at most %(limit)s KiB"),
            size=len(data) // 1024,
            limit=max_bytes // 1024,
        )
    kind, width, height, data = _checked(data)
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
    storage(session).put(data, image.media_type)
    return image


def _checked(data: bytes) -> tuple[str, int, int, bytes]:
    """Pillow's format name, the size, read from the bytes (never from the name), and the
    image re-encoded from its pixels; ImageError when it is no image, too large to
    decode on a phone, or damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format or "", probe.size
                if kind not in FORMATS:
                    raise ImageError(
                        _l("%(kind)s images are not accepted; use PNG, JPEG, GIF or WebP"),
                        kind=kind,
                    )
                _check_decoded_size(width, height, 1)
                # Counting frames reads their headers, not their pixels.
                _check_decoded_size(width, height, getattr(probe, "n_frames", 1))
                probe.verify()
            with Pillow.open(io.BytesIO(data)) as image:
                image.load()  # verify() reads no pixels: a cut-off file fails only here
                return kind, width, height, _reencoded(image, kind)
    except (UnidentifiedImageError, Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
        raise ImageError(_l("the file is not an image (PNG, JPEG, GIF or WebP)")) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, ImageError):
            raise
        raise ImageError(_l("the image is damaged and cannot be read")) from None


def _check_decoded_size(width: int, height: int, frames: int) -> None:
    if width * height * frames <= MAX_DECODED_PIXELS:
        return
    if frames == 1:
        raise ImageError(
            _l(
                "the image is %(width)s×%(height)s pixels; readers' phones could not show it: "
                "at most %(limit)s million pixels"
            ),
            width=width,
            height=height,
            limit=MAX_DECODED_PIXELS // 1_000_000,
        )
    raise ImageError(
        _l(
            "the animation has %(frames)s frames of %(width)s×%(height)s pixels; readers' "
            "phones could not show it: at most %(limit)s million pixels in all its frames"
        ),
        frames=frames,
        width=width,
        height=height,
        limit=MAX_DECODED_PIXELS // 1_000_000,
    )


def _reencoded(image: Pillow.Image, kind: str) -> bytes:
    """The image written anew from its pixels, in its own format."""
    options: dict[str, object] = {}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if getattr(image, "n_frames", 1) > 1:
        options["save_all"] = True
    if kind == "JPEG":
        options["quality"] = "keep"  # the original's quantization: no loss added
        orientation = image.getexif().get(_ORIENTATION)
        if orientation:
            exif = Pillow.Exif()
            exif[_ORIENTATION] = orientation
            options["exif"] = exif.tobytes()
    elif kind == "WEBP":
        options["quality"] = 90
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()
