"""Shared storage for uploaded bytes: content-addressed blobs every app server reads.

Production runs several app servers on one database, so nothing a request needs may
live on one server's disk: an image uploaded through one server is served by all, a PO
preview made on one is applied on another. Bytes are kept under their SHA-256, once
however often they are stored, and never change once written, so a blob's hash is its
name, its ETag and its cache key.

``BlobStore`` is the interface; ``DatabaseStore`` (the default, and today the only one)
keeps the bytes in the ``blobs`` table inside the caller's transaction, so an image and
its bytes are committed, or rolled back, together. Small things (an image, a PO file)
are put whole; large ones (an article's video) are put as a stream, written and read a
``CHUNK_BYTES`` row of ``blob_chunks`` at a time, so no worker ever holds all of them.

Whoever keeps a blob's hash in a column of its own (an image, a pending preview)
registers that column with ``holds_blobs``: ``delete`` removes a blob only when no such
column still names it, so two features sharing the same bytes never pull them from
under each other.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Integer,
    LargeBinary,
    String,
    func,
    insert,
    select,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.core.models import Base, utcnow

# What a streaming reader fetches per query: large enough to keep queries few, small
# enough that a worker sending a large file never holds all of it.
CHUNK_BYTES = 256 * 1024


class Blob(Base):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Deferred: reading what a blob is (its size, its type) never loads its bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # A blob put as a stream: the key of its rows in ``blob_chunks`` (``data`` is empty).
    # None: the bytes are in ``data``.
    chunks: Mapped[str | None] = mapped_column(String(64))


class BlobChunk(Base):
    """One ``CHUNK_BYTES`` piece of a blob put as a stream (the last may be shorter).

    Chunks are written under a key of their own before the blob's hash is known (it is
    known only once the last byte has arrived); the blob row then names that key."""

    __tablename__ = "blob_chunks"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class BlobInfo:
    """What is known of stored bytes without reading them."""

    sha256: str
    size: int
    content_type: str
    created_at: datetime


class BlobStore(Protocol):
    """Where uploaded bytes are kept, for every app server alike."""

    def put(self, data: bytes, content_type: str) -> BlobInfo:
        """Keep ``data`` under its SHA-256; the same bytes twice are kept once."""
        ...

    def put_stream(self, pieces: Iterable[bytes], content_type: str) -> BlobInfo:
        """Keep bytes that arrive in pieces of any size (an upload, a file read in parts)
        without ever holding all of them. When ``pieces`` raises (a size limit passed, a
        client gone), the error goes on and nothing is kept."""
        ...

    def info(self, sha256: str) -> BlobInfo | None:
        """The blob's size, type and age, or None when nothing is stored under ``sha256``."""
        ...

    def get(self, sha256: str) -> bytes | None:
        """All of the blob's bytes at once (for small things: images, PO files)."""
        ...

    def open(self, sha256: str) -> BinaryIO | None:
        """A seekable reader of the blob that fetches it a chunk at a time (for large
        downloads and byte ranges of them)."""
        ...

    def delete(self, sha256: str) -> bool:
        """Remove the blob unless something still holds it; True when it was removed."""
        ...


_HOLDERS: list[ColumnElement[str]] = []


def holds_blobs(column: ColumnElement[str]) -> ColumnElement[str]:
    """Register a column that keeps blob hashes, so ``delete`` leaves those blobs alone."""
    _HOLDERS.append(column)
    return column


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DatabaseStore:
    """Blobs in the ``blobs`` table, written in the session's transaction.

    ``open`` reads through ``sessions`` (a new short session per chunk, so a response
    streamed after its request's session has closed can still be read); without it the
    reader uses ``session``.
    """

    def __init__(self, session: Session, sessions: Callable[[], Session] | None = None) -> None:
        self.session = session
        self.sessions = sessions

    def put(self, data: bytes, content_type: str) -> BlobInfo:
        digest = sha256_hex(data)
        values = {
            "sha256": digest,
            "size": len(data),
            "content_type": content_type,
            "created_at": utcnow(),
            "data": data,
        }
        self._keep(values)
        found = self.info(digest)
        assert found is not None  # inserted just now, or by whoever stored it first
        return found

    def put_stream(self, pieces: Iterable[bytes], content_type: str) -> BlobInfo:
        key = uuid.uuid4().hex
        hasher = hashlib.sha256()
        size = 0
        # A savepoint: chunks written before ``pieces`` fails go with it, and the caller's
        # transaction goes on as it was.
        with self.session.begin_nested():
            for number, chunk in enumerate(_rechunked(pieces)):
                hasher.update(chunk)
                size += len(chunk)
                self.session.execute(insert(BlobChunk).values(key=key, number=number, data=chunk))
            digest = hasher.hexdigest()
            values = {
                "sha256": digest,
                "size": size,
                "content_type": content_type,
                "created_at": utcnow(),
                "data": b"",
                "chunks": key,
            }
            if self._keep(values) != key:  # the same bytes were kept before: these are not needed
                self.session.execute(sql_delete(BlobChunk).where(BlobChunk.key == key))
        found = self.info(digest)
        assert found is not None
        return found

    def _keep(self, values: dict[str, object]) -> str | None:
        """Keep a blob row for these bytes unless one is kept already, and hold a share
        lock on it until this transaction ends: a ``delete`` of the same bytes meanwhile
        waits, then finds the holder this transaction writes. Returns the kept row's
        chunks key."""
        while True:
            self.session.execute(self._insert()(Blob).values(**values).on_conflict_do_nothing())
            kept = self.session.execute(
                select(Blob.chunks)
                .where(Blob.sha256 == values["sha256"])
                .with_for_update(read=True)
            ).one_or_none()
            if kept is not None:
                return kept.chunks
            # A delete committed between the insert (which found its row) and the lock:
            # keep the bytes again.

    def _insert(self):
        # Two servers storing the same bytes at once both succeed: the second insert
        # does nothing, and both read back the one row.
        return (
            postgresql_insert
            if self.session.get_bind().dialect.name == "postgresql"
            else sqlite_insert
        )

    def info(self, sha256: str) -> BlobInfo | None:
        row = self.session.execute(
            select(Blob.sha256, Blob.size, Blob.content_type, Blob.created_at).where(
                Blob.sha256 == sha256
            )
        ).one_or_none()
        return BlobInfo(*row) if row else None

    def get(self, sha256: str) -> bytes | None:
        row = self.session.execute(
            select(Blob.data, Blob.chunks).where(Blob.sha256 == sha256)
        ).one_or_none()
        if row is None or row.chunks is None:
            return row.data if row else None
        return b"".join(
            self.session.scalars(
                select(BlobChunk.data).where(BlobChunk.key == row.chunks).order_by(BlobChunk.number)
            )
        )

    def open(self, sha256: str) -> BinaryIO | None:
        row = self.session.execute(
            select(Blob.size, Blob.chunks).where(Blob.sha256 == sha256)
        ).one_or_none()
        if row is None:
            return None
        if row.chunks is None:
            reader = _ChunkReader(
                row.size, lambda offset, length: self._read_data(sha256, offset, length)
            )
        else:
            key = row.chunks
            reader = _ChunkReader(
                row.size, lambda offset, length: self._read_chunk(key, offset, length)
            )
        return io.BufferedReader(reader, CHUNK_BYTES)

    def _read_data(self, sha256: str, offset: int, length: int) -> bytes:
        # substr counts from 1 on both databases, in bytes for BLOB and bytea alike.
        return self._scalar(
            select(func.substr(Blob.data, offset + 1, length)).where(Blob.sha256 == sha256)
        )

    def _read_chunk(self, key: str, offset: int, length: int) -> bytes:
        # The chunk that holds ``offset``, from there on: a read that starts between two
        # chunks' edges (a byte range) ends at the next edge, and the reads after it are
        # whole chunks again.
        number, start = divmod(offset, CHUNK_BYTES)
        chunk = self._scalar(
            select(BlobChunk.data).where(BlobChunk.key == key, BlobChunk.number == number)
        )
        return chunk[start : start + length]

    def _scalar(self, query) -> bytes:
        if self.sessions is None:
            return self.session.scalar(query) or b""
        with self.sessions() as session:
            return session.scalar(query) or b""

    def delete(self, sha256: str) -> bool:
        # The row locked first: a transaction storing the same bytes holds a share lock
        # on it (``_keep``) until it ends, so this waits and then sees what holds them.
        kept = self.session.execute(
            select(Blob.chunks).where(Blob.sha256 == sha256).with_for_update()
        ).one_or_none()
        if kept is None:
            return False
        for column in _HOLDERS:
            if self.session.scalar(select(column).where(column == sha256).limit(1)):
                return False
        self.session.execute(sql_delete(Blob).where(Blob.sha256 == sha256))
        if kept.chunks is not None:
            self.session.execute(sql_delete(BlobChunk).where(BlobChunk.key == kept.chunks))
        return True


def _rechunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes of ``pieces`` in ``CHUNK_BYTES`` chunks (the last may be shorter), so a
    byte's chunk is found from its offset alone."""
    pending = bytearray()
    for piece in pieces:
        pending += piece
        while len(pending) >= CHUNK_BYTES:
            yield bytes(pending[:CHUNK_BYTES])
            del pending[:CHUNK_BYTES]
    if pending:
        yield bytes(pending)


class _ChunkReader(io.RawIOBase):
    """A seekable file-like reader of one blob, a query per chunk: a blob never changes,
    so chunks read in separate transactions still make up the same bytes."""

    def __init__(self, size: int, read: Callable[[int, int], bytes]) -> None:
        self.size = size
        self._read = read
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(base + offset, 0)
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer) -> int:
        length = min(len(buffer), CHUNK_BYTES, self.size - self._position)
        if length <= 0:
            return 0
        chunk = self._read(self._position, length)
        buffer[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)


def storage(session: Session, sessions: Callable[[], Session] | None = None) -> BlobStore:
    """The configured store: the database, which every app server shares."""
    return DatabaseStore(session, sessions)
