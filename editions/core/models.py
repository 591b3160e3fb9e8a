"""The editions data model (SQLAlchemy 2, typed).

An *article* is one story with a permalink id. Each edition of it is a
*counterpart*. The source counterpart's body is split into *segments* (title,
summary, headings, paragraphs, list items, quotes) whose keys stay stable across
edits; a *translation* of a segment into another edition records the exact source
text it was made from, so staleness is derived by comparing checksums, never stored.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    # Deterministic constraint names keep Alembic migrations portable (SQLite batch mode).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Section(enum.StrEnum):
    ARTICLES = "articles"
    CARTOONS = "cartoons"
    NEWSPICS = "newspics"
    GALLERY = "gallery"
    VIDEOS = "videos"
    BOOKS = "books"
    NEWSLETTER = "newsletter"
    BRIEF = "brief"
    PAGES = "pages"


class PublicationState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Role(enum.StrEnum):
    TRANSLATOR = "translator"
    EDITOR = "editor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


def string_enum(kind: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK constraint: portable and readable in SQL.
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"))
    # Comma-separated edition codes a translator or editor works in; empty for all.
    edition_codes: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def editions(self) -> tuple[str, ...]:
        return tuple(code for code in self.edition_codes.split(",") if code)


class Author(Base):
    """A byline. ``name`` is the source form; ``names`` hold the forms other editions write."""

    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    names: Mapped[list[AuthorName]] = relationship(
        back_populates="author", cascade="all, delete-orphan", lazy="selectin"
    )

    def name_in(self, edition: str) -> str:
        """The name as ``edition`` writes it, or the source form where it has none."""
        return next((entry.name for entry in self.names if entry.edition == edition), self.name)


class AuthorName(Base):
    """An author's name in one edition's script: «رانیا سعد» on Persian pages."""

    __tablename__ = "author_names"
    __table_args__ = (UniqueConstraint("author_id", "edition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    author: Mapped[Author] = relationship(back_populates="names")


class ArticleTag(Base):
    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    labels: Mapped[list[TagLabel]] = relationship(
        back_populates="tag", cascade="all, delete-orphan", lazy="selectin"
    )

    def label(self, edition: str) -> str:
        for label in self.labels:
            if label.edition == edition:
                return label.name
        return self.slug


class TagLabel(Base):
    __tablename__ = "tag_labels"
    __table_args__ = (UniqueConstraint("tag_id", "edition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    tag: Mapped[Tag] = relationship(back_populates="labels")


class Article(Base):
    __tablename__ = "articles"
    # Section, tag and author listings walk articles newest first; the dashboard's
    # "stale first" order walks them by the source's age.
    __table_args__ = (
        Index("ix_articles_section_published", "section", "published_on"),
        Index("ix_articles_updated", "updated_at", "id"),
    )

    # The permalink id (/en/posts/16009): assigned, never autoincremented.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    section: Mapped[Section] = mapped_column(string_enum(Section, "section"))
    source_edition: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id"), index=True)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    issue_number: Mapped[int | None] = mapped_column(Integer, unique=True)
    slug: Mapped[str | None] = mapped_column(String(100), unique=True)
    # Highest segment number ever issued: keys of removed segments are never reused,
    # so an old export can never write into a different paragraph.
    segment_counter: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    author: Mapped[Author | None] = relationship(lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary="article_tags", lazy="raise")
    counterparts: Mapped[list[Counterpart]] = relationship(
        back_populates="article", cascade="all, delete-orphan", lazy="raise"
    )
    segments: Mapped[list[Segment]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="Segment.position",
        lazy="raise",
    )
    revisions: Mapped[list[SourceRevision]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="SourceRevision.number",
        lazy="raise",
    )


class Counterpart(Base):
    """One edition of an article: the source itself, or a translation of it."""

    __tablename__ = "counterparts"
    __table_args__ = (
        UniqueConstraint("article_id", "edition"),
        Index("ix_counterparts_edition_state_published", "edition", "state", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(16))
    state: Mapped[PublicationState] = mapped_column(
        string_enum(PublicationState, "publication_state"), default=PublicationState.DRAFT
    )
    # Title, summary and body are what readers see; for a translation they are
    # assembled from its translated segments whenever one changes.
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Optimistic locking: a save names the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=1)

    article: Mapped[Article] = relationship(back_populates="counterparts", lazy="raise")
    translations: Mapped[list[Translation]] = relationship(
        back_populates="counterpart", cascade="all, delete-orphan", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_published(self) -> bool:
        return self.state is PublicationState.PUBLISHED


class Segment(Base):
    """A translatable unit of the source: title, summary or one block of the body."""

    __tablename__ = "segments"
    __table_args__ = (
        UniqueConstraint("article_id", "key"),
        Index("ix_segments_article_position", "article_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    # The Markdown that frames the text when a body is rebuilt: "## ", "- ", "1. ", "> ".
    prefix: Mapped[str] = mapped_column(String(32), default="")
    # True when the block continues the previous one (the next item of the same list).
    continues: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(16))
    words: Mapped[int] = mapped_column(Integer)

    article: Mapped[Article] = relationship(back_populates="segments", lazy="raise")


class Translation(Base):
    """A segment in another edition, with the source text it was made from."""

    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint("counterpart_id", "segment_id"),
        Index("ix_translations_segment", "segment_id"),
        # Translation memory looks translations up by the source text they were made from.
        Index("ix_translations_source_checksum", "source_checksum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    counterpart_id: Mapped[int] = mapped_column(ForeignKey("counterparts.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str] = mapped_column(Text)
    source_checksum: Mapped[str] = mapped_column(String(16))
    # A draft translation (a fuzzy import, an unfinished edit) does not count as done.
    draft: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    counterpart: Mapped[Counterpart] = relationship(back_populates="translations", lazy="raise")
    segment: Mapped[Segment] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}


class SourceRevision(Base):
    """The source as it stood after each edit: the history behind every diff."""

    __tablename__ = "source_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    minor: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    article: Mapped[Article] = relationship(back_populates="revisions", lazy="raise")


class TranslationChange(Base):
    """Every change to a translated segment: who, when, the old and the new text, and the
    source text a finished translation was made from (so text that comes back into the
    source gets its translation back)."""

    __tablename__ = "translation_changes"
    __table_args__ = (
        Index("ix_translation_changes_counterpart", "counterpart_id", "created_at"),
        Index("ix_translation_changes_source", "counterpart_id", "source_checksum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    counterpart_id: Mapped[int] = mapped_column(ForeignKey("counterparts.id", ondelete="CASCADE"))
    segment_key: Mapped[str] = mapped_column(String(16))
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="editor")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Checksum of the source text the new text translates; None for a draft.
    source_checksum: Mapped[str | None] = mapped_column(String(16))


class GlossaryEntry(Base):
    """One concept of the glossary (a name, a recurring notion) with its approved term in
    each edition that has one; a do-not-translate entry is written as is everywhere."""

    __tablename__ = "glossary_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    do_not_translate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    terms: Mapped[list[GlossaryTerm]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="GlossaryTerm.edition",
        lazy="selectin",
    )

    def term(self, edition: str) -> GlossaryTerm | None:
        return next((term for term in self.terms if term.edition == edition), None)


class GlossaryTerm(Base):
    """An entry's approved term in one edition, with a note for that edition's translators."""

    __tablename__ = "glossary_terms"
    __table_args__ = (
        UniqueConstraint("entry_id", "edition"),
        # One spelling (as matching folds it) names one entry per edition.
        UniqueConstraint("edition", "folded", name="uq_glossary_terms_edition_folded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("glossary_entries.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(200))
    folded: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[GlossaryEntry] = relationship(back_populates="terms", lazy="raise")
