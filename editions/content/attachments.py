"""Files attached to an article for readers to download: a video, a recording, a PDF.

An attachment belongs to every edition of its article, or to one (a video with Persian
subtitles, an Arabic PDF); each edition's page lists those that apply to it.

Its type is read from its first bytes, never from its name or what the browser claims,
and only kinds a reader opens safely are kept: video, audio, PDF, e-books and office
documents. Programs, web pages and SVG drawings (which a browser would run scripts in)
and anything unrecognised are refused. The bytes go to the shared store as a stream,
counted as they arrive: a file past the limit is refused at the first chunk beyond it,
and a video is never held whole in memory.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import filetype
from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.content.images import check_upload_name
from editions.content.intake import check_may_write_source
from editions.core.errors import ContentError
from editions.core.messages import _l
from editions.core.models import Article, Base, User, utcnow
from editions.core.storage import CHUNK_BYTES, holds_blobs, storage

# What the type is read from: filetype looks no further, and a BOM and leading blanks
# before an HTML tag fit in it many times over.
SNIFF_BYTES = 8192
MAX_TITLE_CHARACTERS = 300


@dataclass(frozen=True)
class Kind:
    """A kind of file readers may download: its media type, extension and label."""

    media_type: str
    extension: str
    label: str  # the word readers see beside its size: Video, PDF, Document…

    @property
    def plays_in_the_page(self) -> bool:
        """Video and audio are shown inline (a player seeks by byte ranges); documents
        are downloaded."""
        return self.media_type.startswith(("video/", "audio/"))


VIDEO, AUDIO, DOCUMENT = _l("Video"), _l("Audio"), _l("Document")
# The media types filetype reads from the bytes -> what is kept and served.
KINDS: dict[str, Kind] = {
    kind.media_type: kind
    for kind in (
        Kind("video/mp4", "mp4", VIDEO),
        Kind("video/x-m4v", "m4v", VIDEO),
        Kind("video/webm", "webm", VIDEO),
        Kind("video/x-matroska", "mkv", VIDEO),
        Kind("video/quicktime", "mov", VIDEO),
        Kind("audio/mpeg", "mp3", AUDIO),
        Kind("audio/mp4", "m4a", AUDIO),
        Kind("audio/aac", "aac", AUDIO),
        Kind("audio/ogg", "ogg", AUDIO),
        Kind("audio/x-wav", "wav", AUDIO),
        Kind("audio/x-flac", "flac", AUDIO),
        Kind("application/pdf", "pdf", _l("PDF")),
        Kind("application/epub+zip", "epub", _l("E-book")),
        Kind(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            DOCUMENT,
        ),
        Kind("application/vnd.oasis.opendocument.text", "odt", DOCUMENT),
        Kind(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            _l("Spreadsheet"),
        ),
        Kind("application/vnd.oasis.opendocument.spreadsheet", "ods", _l("Spreadsheet")),
        Kind(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
            _l("Slides"),
        ),
        Kind("application/vnd.oasis.opendocument.presentation", "odp", _l("Slides")),
    )
}
# First bytes of programs a computer would run: Windows (MZ), Linux (ELF), macOS
# (Mach-O, 32 and 64 bits, both byte orders, and universal), and scripts (#!).
_PROGRAMS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_MARKUP = re.compile(rb"^\s*<")


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    # None: every edition of the article lists it.
    edition: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARACTERS))
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded: a Persian name stays one
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def kind(self) -> Kind:
        return KINDS[self.media_type]

    @property
    def url(self) -> str:
        return attachment_url(self.id, self.filename)


holds_blobs(Attachment.__table__.c.sha256)


def attachment_url(attachment_id: int, filename: str) -> str:
    """Where readers download it: the id finds it, the name is for people and is checked."""
    from urllib.parse import quote

    return f"/media/attachments/{attachment_id}/{quote(filename)}"


class AttachmentError(ContentError):
    """An attachment that is not kept, with the reason."""


def sniff(head: bytes) -> Kind:
    """The kind of file that starts with ``head``, read from the bytes alone; an
    AttachmentError naming what it is when it may not be attached."""
    if head.startswith(_PROGRAMS):
        raise AttachmentError(
            _l("programs and scripts cannot be attached: readers would be asked to run them")
        )
    if _MARKUP.match(_without_bom(head)):
        raise AttachmentError(
            _l(
                "web pages, SVG drawings and XML files cannot be attached: a browser could "
                "run the scripts inside them"
            )
        )
    guessed = filetype.guess_mime(head)
    if guessed not in KINDS:
        raise AttachmentError(
            _l(
                "the type of this file could not be recognised from its content; attach "
                "video (MP4, WebM), audio (MP3, M4A, Ogg, WAV), PDF, EPUB or an office "
                "document (DOCX, XLSX, PPTX, ODT)"
            )
        )
    return KINDS[guessed]


def _without_bom(head: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom is not codecs.BOM_UTF8:
                head = head.replace(b"\x00", b"")  # "<" in UTF-16 is "<" beside a zero
            break
    return head


def attach(
    session: Session,
    article: Article,
    upload: BinaryIO,
    *,
    filename: str,
    editions: Collection[str],
    max_bytes: int,
    edition: str | None = None,
    title: str = "",
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> Attachment:
    """Attach the file ``upload`` reads to ``article``, for ``edition`` or (None) all of
    them. Read a chunk at a time and checked as it arrives; nothing is written unless
    every check passes. ``progress`` is told how many bytes each chunk had."""
    if user is not None:
        check_may_write_source(user, article.source_edition)
    filename = check_upload_name(filename)
    if edition is not None and edition not in editions:
        raise AttachmentError(_l("there is no edition %(edition)s"), edition=edition)
    title = " ".join(title.split()) or filename
    if len(title) > MAX_TITLE_CHARACTERS:
        raise AttachmentError(
            _l("the title may be at most %(limit)s characters"), limit=MAX_TITLE_CHARACTERS
        )
    head = upload.read(SNIFF_BYTES)
    if not head:
        raise AttachmentError(_l("the file is empty"))
    kind = sniff(head)

    def pieces():
        received = 0
        chunk = head
        while chunk:
            received += len(chunk)
            if received > max_bytes:
                raise AttachmentError(
                    _l("the file is larger than %(limit)s MB, the most an attachment may be"),
                    limit=max(max_bytes // 1_000_000, 1),
                )
            yield chunk
            if progress is not None:
                progress(len(chunk))
            chunk = upload.read(CHUNK_BYTES)

    blob = storage(session).put_stream(pieces(), kind.media_type)
    last = session.scalar(
        select(Attachment.position)
        .where(Attachment.article_id == article.id)
        .order_by(Attachment.position.desc())
        .limit(1)
    )
    attachment = Attachment(
        article_id=article.id,
        edition=edition,
        title=title,
        filename=filename,
        media_type=kind.media_type,
        size=blob.size,
        sha256=blob.sha256,
        position=(last or 0) + 1,
        uploaded_by_id=user.id if user else None,
    )
    session.add(attachment)
    session.flush()
    return attachment


def attachments_of(session: Session, article_id: int) -> Sequence[Attachment]:
    """Every attachment of the article, for staff: all editions', in order."""
    return session.scalars(
        select(Attachment)
        .where(Attachment.article_id == article_id)
        .order_by(Attachment.position, Attachment.id)
    ).all()


def remove_attachment(session: Session, attachment: Attachment, user: User | None = None) -> None:
    """Take the attachment off its article; its bytes go when nothing else holds them."""
    if user is not None:
        article = session.get(Article, attachment.article_id)
        assert article is not None
        check_may_write_source(user, article.source_edition)
    sha256 = attachment.sha256
    session.delete(attachment)
    session.flush()
    storage(session).delete(sha256)
