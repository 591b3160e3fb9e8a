"""What the reader's pages show, read in as few statements as a page allows.

An article page costs three statements: the article with every counterpart (and the
kept status of each), its tags, and the edition's recent posts; a fourth lists its
attached files, only when the version says it has some. Rows, not ORM
entities: nothing here is written, and the page stays fast on a large corpus. Before
them, one statement (``article_version``) tells whether a page kept in the process is
still current; when it is, the three are not sent at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Dialect,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql import Executable

from editions.content.attachments import Attachment
from editions.content.status import Status, StatusEntry
from editions.core.models import (
    Article,
    ArticleTag,
    Author,
    AuthorName,
    Counterpart,
    PublicationState,
    Section,
    SourceRevision,
    Tag,
    TagLabel,
)

PUBLISHED = PublicationState.PUBLISHED
RECENT_POSTS = 5
PAGE_SIZE = 20
HOME_PER_SECTION = 4
LISTED_SECTIONS = tuple(section for section in Section if section is not Section.PAGES)

# A counterpart's kept status (editions.content.status): the row of its article and edition.
_KEPT_STATUS = and_(
    StatusEntry.article_id == Counterpart.article_id, StatusEntry.edition == Counterpart.edition
)


@dataclass(frozen=True)
class Sibling:
    """One edition of the article, as the switcher and the hreflang links need it."""

    edition: str
    published: bool
    title: str
    updated_at: datetime
    status: Status | None


@dataclass(frozen=True)
class ArticlePage:
    article_id: int
    edition: str
    section: Section
    source_edition: str
    published_on: date
    issue_number: int | None
    slug: str | None
    author_name: str | None
    author_slug: str | None
    title: str
    summary: str
    body: str
    body_html: str
    source_revised_at: datetime | None
    siblings: dict[str, Sibling]

    @property
    def published(self) -> bool:
        sibling = self.siblings.get(self.edition)
        return sibling is not None and sibling.published

    @property
    def is_stale(self) -> bool:
        sibling = self.siblings.get(self.edition)
        return sibling is not None and sibling.status is Status.STALE

    @property
    def published_editions(self) -> list[str]:
        return [code for code, sibling in self.siblings.items() if sibling.published]

    @property
    def updated_at(self) -> datetime:
        return max(sibling.updated_at for sibling in self.siblings.values())

    @property
    def version(self) -> tuple:
        """Everything the page shows; a counterpart's texts are stood for by its updated_at,
        which every write of the counterpart bumps (an ORM onupdate)."""
        return (
            self.article_id,
            self.edition,
            self.section,
            self.source_edition,
            self.published_on,
            self.issue_number,
            self.slug,
            self.author_name,
            self.author_slug,
            self.source_revised_at,
            sorted(self.siblings.items()),
        )


def _run(reads: Connection, statement: Executable, params: dict | None = None) -> CursorResult:
    """Run a Core select on the reader's connection (``webapp.reader.reads``).

    The ORM's execute path (entity loading, identity map, events) cost about as much as
    the three statements of an article page themselves; these selects load no entity.
    """
    return reads.execute(statement, params)


# The statements of every page are built once and reused with bound parameters, the
# edition too: building a select costs more than running it on an indexed lookup, and
# one statement object per compiled form spares SQLAlchemy adapting its result columns.
EDITION = bindparam("edition", type_=String)


@cache
def _article_statement() -> Select:
    article_id = bindparam("article_id", type_=Integer)
    here = Counterpart.edition == EDITION
    latest_revision = (
        select(func.max(SourceRevision.created_at))
        .where(SourceRevision.article_id == article_id)
        .scalar_subquery()
    )
    return (
        select(
            Counterpart.edition,
            Counterpart.state,
            Counterpart.title,
            Counterpart.updated_at,
            case((here, Counterpart.summary), else_=literal("")).label("summary"),
            case((here, Counterpart.body), else_=literal("")).label("body"),
            case((here, Counterpart.body_html), else_=literal("")).label("body_html"),
            StatusEntry.status,
            Article.section,
            Article.source_edition,
            Article.published_on,
            Article.issue_number,
            Article.slug,
            func.coalesce(AuthorName.name, Author.name).label("author_name"),
            Author.slug.label("author_slug"),
            latest_revision.label("source_revised_at"),
        )
        .join(Article, Article.id == Counterpart.article_id)
        .outerjoin(Author, Author.id == Article.author_id)
        .outerjoin(
            AuthorName, and_(AuthorName.author_id == Author.id, AuthorName.edition == EDITION)
        )
        .outerjoin(StatusEntry, _KEPT_STATUS)
        .where(Counterpart.article_id == article_id)
    )


def article_page(reads: Connection, article_id: int, edition: str) -> ArticlePage | None:
    """The article in ``edition`` with all its counterparts, or None when there is no article.

    One statement: a row per counterpart; only the requested edition's row carries the
    body, so the others cost a title each.
    """
    params = {"article_id": article_id, "edition": edition}
    rows = _run(reads, _article_statement(), params).all()
    if not rows:
        return None
    siblings = {
        row.edition: Sibling(
            row.edition, row.state == PUBLISHED, row.title, row.updated_at, row.status
        )
        for row in rows
    }
    main = next((row for row in rows if row.edition == edition), rows[0])
    mine = main.edition == edition
    return ArticlePage(
        article_id=article_id,
        edition=edition,
        section=main.section,
        source_edition=main.source_edition,
        published_on=main.published_on,
        issue_number=main.issue_number,
        slug=main.slug,
        author_name=main.author_name,
        author_slug=main.author_slug,
        title=main.title if mine else "",
        summary=main.summary,
        body=main.body,
        body_html=main.body_html,
        source_revised_at=main.source_revised_at,
        siblings=siblings,
    )


# ------------------------------------------------------------------ the validator


def article_version(reads: Connection, article_id: int, edition: str) -> tuple | None:
    """Short strings that change whenever the article page of ``edition`` would change,
    or None when there is no article: one statement, sent straight to the driver.

    Texts are stood for by ``updated_at`` (every ORM write bumps it); what changes
    without it (kept statuses, tag labels, author names) is read as is. Aggregated
    strings come in the order the database finds the rows; another order only costs a
    needless render, never a stale page.
    """
    sql = _version_sql(reads.dialect)
    # exec_driver_sql skips building a cache key of this large statement on every call
    # (more Python than the SQLite call itself) and still fires the cursor events.
    return reads.exec_driver_sql(sql, {"article_id": article_id, "edition": edition}).first()


# Stand-ins replaced by the driver's own placeholders once the statement is compiled
# with its constants inlined: exec_driver_sql sends the string as it is. sqlite3 takes
# named parameters whatever paramstyle it declares (qmark).
_ARTICLE_ID, _EDITION = "reader_article_id_", "reader_edition_"
_PLACEHOLDERS = {"qmark": ":{}", "named": ":{}", "pyformat": "%({})s"}


@cache
def _version_sql(dialect: Dialect) -> str:
    statement = _version_statement(
        literal_column(_ARTICLE_ID, Integer), literal_column(_EDITION, String)
    )
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    placeholder = _PLACEHOLDERS[dialect.paramstyle]
    return sql.replace(_ARTICLE_ID, placeholder.format("article_id")).replace(
        _EDITION, placeholder.format("edition")
    )


def _text(*parts: ColumnElement) -> ColumnElement:
    """The parts as one string, separated by "|" (NULL as empty)."""
    joined: ColumnElement = func.coalesce(cast(parts[0], String), "")
    for part in parts[1:]:
        joined = joined + "|" + func.coalesce(cast(part, String), "")
    return joined


def _version_statement(article_id: ColumnElement, edition: ColumnElement) -> Select:
    counterparts = (
        select(
            func.aggregate_strings(
                _text(
                    Counterpart.edition,
                    Counterpart.state,
                    Counterpart.updated_at,
                    StatusEntry.status,
                ),
                ",",
            )
        )
        .select_from(Counterpart)
        .outerjoin(StatusEntry, _KEPT_STATUS)
        .where(Counterpart.article_id == article_id)
    )
    revised = select(func.max(SourceRevision.created_at)).where(
        SourceRevision.article_id == article_id
    )
    tags = (
        select(func.aggregate_strings(_text(Tag.slug, func.coalesce(TagLabel.name, Tag.slug)), ","))
        .select_from(Tag)
        .join(ArticleTag, ArticleTag.tag_id == Tag.id)
        .outerjoin(TagLabel, and_(TagLabel.tag_id == Tag.id, TagLabel.edition == edition))
        .where(ArticleTag.article_id == article_id)
    )
    files = select(
        func.aggregate_strings(_text(Attachment.id, Attachment.title, Attachment.position), ",")
    ).where(Attachment.article_id == article_id, _for_edition(edition))
    recent_ids = _newest(edition, Article.section != Section.PAGES).limit(RECENT_POSTS)
    recent = (
        select(
            func.aggregate_strings(
                _text(Article.id, Counterpart.updated_at, Article.updated_at), ","
            )
        )
        .select_from(Counterpart)
        .join(Article, Article.id == Counterpart.article_id)
        .where(Counterpart.edition == edition, Article.id.in_(recent_ids))
    )
    return (
        select(
            _text(
                Article.section,
                Article.source_edition,
                Article.published_on,
                Article.issue_number,
                Article.slug,
                Article.updated_at,
                Author.name,
                Author.slug,
            ).label("article"),
            counterparts.scalar_subquery().label("counterparts"),
            revised.scalar_subquery().label("revised"),
            tags.scalar_subquery().label("tags"),
            recent.scalar_subquery().label("recent"),
            # Last: None when the edition's page lists no file (see article_attachments).
            files.scalar_subquery().label("attachments"),
        )
        .select_from(Article)
        .outerjoin(Author, Author.id == Article.author_id)
        .where(Article.id == article_id)
    )


# ------------------------------------------------------------------ the page


def article_id_by(
    reads: Connection, *, slug: str | None = None, issue: int | None = None
) -> int | None:
    """The article behind a page slug (about, contact) or a newsletter issue number."""
    condition = Article.slug == slug if slug is not None else Article.issue_number == issue
    return _run(reads, select(Article.id).where(condition)).scalar()


def _for_edition(edition: ColumnElement) -> ColumnElement:
    """Attachments an edition lists: its own and those of every edition."""
    return (Attachment.edition.is_(None)) | (Attachment.edition == edition)


def article_attachments(reads: Connection, article_id: int, edition: str) -> list[Row]:
    """The files the article's page in ``edition`` offers, in the order staff gave them."""
    params = {"article_id": article_id, "edition": edition}
    return list(_run(reads, _attachments_statement(), params))


@cache
def _attachments_statement() -> Select:
    return (
        select(
            Attachment.id,
            Attachment.title,
            Attachment.filename,
            Attachment.media_type,
            Attachment.size,
        )
        .where(
            Attachment.article_id == bindparam("article_id", type_=Integer),
            _for_edition(EDITION),
        )
        .order_by(Attachment.position, Attachment.id)
    )


def article_tags(reads: Connection, article_id: int, edition: str) -> list[Row]:
    """Rows of (slug, label): the tag's name in ``edition``, or its slug when it has none."""
    params = {"article_id": article_id, "edition": edition}
    return list(_run(reads, _tags_statement(), params))


@cache
def _tags_statement() -> Select:
    return (
        select(Tag.slug, func.coalesce(TagLabel.name, Tag.slug).label("label"))
        .join(ArticleTag, ArticleTag.tag_id == Tag.id)
        .outerjoin(TagLabel, and_(TagLabel.tag_id == Tag.id, TagLabel.edition == EDITION))
        .where(ArticleTag.article_id == bindparam("article_id", type_=Integer))
        .order_by(Tag.slug)
    )


def tag_label(reads: Connection, slug: str, edition: str) -> str | None:
    row = _run(
        reads,
        select(Tag.id, TagLabel.name)
        .outerjoin(TagLabel, and_(TagLabel.tag_id == Tag.id, TagLabel.edition == edition))
        .where(Tag.slug == slug),
    ).first()
    if row is None:
        return None
    return row.name or slug


def author_name(reads: Connection, slug: str, edition: str) -> str | None:
    """The author's name as ``edition`` writes it (the source form where it has none)."""
    statement = (
        select(func.coalesce(AuthorName.name, Author.name))
        .select_from(Author)
        .outerjoin(
            AuthorName, and_(AuthorName.author_id == Author.id, AuthorName.edition == edition)
        )
        .where(Author.slug == slug)
    )
    return _run(reads, statement).scalar()


def _teasers(edition: str | BindParameter) -> Select:
    """Teaser rows of ``edition``'s counterparts, newest story first."""
    return (
        select(
            Counterpart.article_id,
            Counterpart.title,
            Counterpart.summary,
            Counterpart.updated_at,
            Article.section,
            Article.published_on,
            Article.issue_number,
        )
        .join(Article, Article.id == Counterpart.article_id)
        .where(Counterpart.edition == edition)
        .order_by(Article.published_on.desc(), Article.id.desc())
    )


def _newest(edition: str | BindParameter, *conditions) -> Select:
    """Ids of articles published in ``edition``, newest first.

    Written as ids walked along ``articles.published_on`` with an EXISTS per article, so
    that a page of 5 or 20 reads about that many rows on 100,000 articles: a plain join
    lets SQLite start from every published counterpart of the edition and sort them all.
    """
    published_here = (
        select(Counterpart.id)
        .where(
            Counterpart.article_id == Article.id,
            Counterpart.edition == edition,
            Counterpart.state == PUBLISHED,
        )
        .exists()
    )
    return (
        select(Article.id)
        .where(published_here, *conditions)
        .order_by(Article.published_on.desc(), Article.id.desc())
    )


def _rows(reads: Connection, edition: str, ids: Select) -> list[Row]:
    return list(_run(reads, _teasers(edition).where(Article.id.in_(ids))))


def recent_posts(reads: Connection, edition: str, limit: int = RECENT_POSTS) -> list[Row]:
    return list(_run(reads, _recent_statement(limit), {"edition": edition}))


@cache
def _recent_statement(limit: int) -> Select:
    ids = _newest(EDITION, Article.section != Section.PAGES).limit(limit)
    return _teasers(EDITION).where(Article.id.in_(ids))


def section_posts(reads: Connection, edition: str, section: Section, page: int) -> list[Row]:
    return _page(reads, edition, _newest(edition, Article.section == section), page)


def tag_posts(reads: Connection, edition: str, slug: str, page: int) -> list[Row]:
    tagged = select(ArticleTag.article_id).join(Tag, Tag.id == ArticleTag.tag_id)
    condition = Article.id.in_(tagged.where(Tag.slug == slug))
    return _page(reads, edition, _newest(edition, condition), page)


def author_posts(reads: Connection, edition: str, slug: str, page: int) -> list[Row]:
    author = select(Author.id).where(Author.slug == slug).scalar_subquery()
    return _page(reads, edition, _newest(edition, Article.author_id == author), page)


def posts_by_id(reads: Connection, edition: str, ids: Sequence[int]) -> list[Row]:
    """Teasers of the given articles in ``edition``, in the order of ``ids``."""
    if not ids:
        return []
    rows = _run(reads, _teasers(edition).where(Counterpart.article_id.in_(list(ids))))
    by_id = {row.article_id: row for row in rows}
    return [by_id[article_id] for article_id in ids if article_id in by_id]


def _page(reads: Connection, edition: str, ids: Select, page: int) -> list[Row]:
    """One page of a listing, with one row more than a page to tell whether another follows."""
    offset = (page - 1) * PAGE_SIZE
    return _rows(reads, edition, ids.offset(offset).limit(PAGE_SIZE + 1))


def home_sections(reads: Connection, edition: str) -> dict[Section, list[Row]]:
    """The newest few published counterparts of ``edition`` in each section, in one query."""
    sections: dict[Section, list[Row]] = {section: [] for section in LISTED_SECTIONS}
    for row in _run(reads, _home_statement(), {"edition": edition}):
        sections[Section(row.section)].append(row)
    return {section: rows for section, rows in sections.items() if rows}


@cache
def _home_statement() -> Select:
    # One small ordered walk per section, glued together: each stops after a few rows.
    newest = [
        _newest(EDITION, Article.section == section).limit(HOME_PER_SECTION).subquery()
        for section in LISTED_SECTIONS
    ]
    ids = union_all(*(select(subquery.c.id) for subquery in newest))
    return _teasers(EDITION).where(Article.id.in_(ids))


def sitemap_rows(reads: Connection, after: int, limit: int) -> list[Row]:
    """(article_id, edition, updated_at, slug, issue_number) of published counterparts,
    by article id."""
    ids = (
        select(Counterpart.article_id)
        .where(Counterpart.state == PUBLISHED, Counterpart.article_id > after)
        .group_by(Counterpart.article_id)
        .order_by(Counterpart.article_id)
        .limit(limit)
        .subquery()
    )
    return list(
        _run(
            reads,
            select(
                Counterpart.article_id,
                Counterpart.edition,
                Counterpart.updated_at,
                Article.slug,
                Article.issue_number,
            )
            .join(Article, Article.id == Counterpart.article_id)
            .where(Counterpart.article_id.in_(select(ids.c.article_id)))
            .where(Counterpart.state == PUBLISHED)
            .order_by(Counterpart.article_id, Counterpart.edition),
        )
    )


def sitemap_pages(reads: Connection, per_page: int) -> int:
    count = reads.scalar(
        select(func.count(func.distinct(Counterpart.article_id))).where(
            Counterpart.state == PUBLISHED
        )
    )
    return max(1, -(-(count or 0) // per_page))


def sitemap_page_start(reads: Connection, page: int, per_page: int) -> int:
    """The article id after which sitemap page ``page`` starts (0 for the first)."""
    if page <= 1:
        return 0
    return (
        reads.scalar(
            select(Counterpart.article_id)
            .where(Counterpart.state == PUBLISHED)
            .group_by(Counterpart.article_id)
            .order_by(Counterpart.article_id)
            .offset((page - 1) * per_page - 1)
            .limit(1)
        )
        or 0
    )


__all__ = ["ArticlePage", "Sibling", "article_page", "article_version"]
