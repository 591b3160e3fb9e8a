"""The status of every counterpart, derived from segments in one set-based query.

For each article and configured edition:

- ``missing``: there is no counterpart in that edition;
- ``draft``: there is one, but it is unpublished or not every segment is translated;
- ``stale``: published, but the source changed since (a segment edited or added);
- ``current``: published and every segment translated from the current source.

The source edition's own counterpart is ``current`` when published, else ``draft``.

``compute_status`` is the truth. ``StatusEntry`` rows keep its result for every article
and edition so that the dashboard can filter, count and sort 100,000 articles without
recomputing them: content operations call ``mark_status_changed`` and the rows of the
articles they touched are recomputed, with the same query, before the session commits
(or when a reader of the table asks for ``refresh_pending_status``). Nobody writes a
status by hand.

Two aggregates of those rows are kept with them, in the same transaction, because
computing them on every dashboard view means reading all 400,000 rows of a 100,000
article corpus: ``StatusCount`` (per edition and status, the dashboard's summary) and
``ArticleWork`` (per article, the words left to do in every edition, the "most words
to do" order).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import (
    Computed,
    ForeignKey,
    Index,
    Select,
    String,
    and_,
    case,
    delete,
    event,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.sql import Subquery

from editions.core.models import (
    Article,
    Base,
    Counterpart,
    PublicationState,
    Segment,
    Translation,
    string_enum,
)


class Status(enum.StrEnum):
    MISSING = "missing"
    DRAFT = "draft"
    STALE = "stale"
    CURRENT = "current"


@dataclass(frozen=True)
class CounterpartStatus:
    article_id: int
    edition: str
    source_edition: str
    status: Status
    segments: int
    segments_to_translate: int
    segments_stale: int
    words: int
    words_to_translate: int
    words_stale: int

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status.value
        return data


class StatusEntry(Base):
    """The last computed status of one article in one edition (see the module docstring)."""

    __tablename__ = "status_entries"
    # Filters by status read the article ids from the index alone.
    __table_args__ = (
        Index("ix_status_entries_edition_status_article", "edition", "status", "article_id"),
        # One edition's "most words to do" order, walked from the top.
        Index("ix_status_entries_edition_words_to_do", "edition", "words_to_do", "article_id"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    edition: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[Status] = mapped_column(string_enum(Status, "status"))
    segments: Mapped[int]
    segments_to_translate: Mapped[int]
    segments_stale: Mapped[int]
    words: Mapped[int]
    words_to_translate: Mapped[int]
    words_stale: Mapped[int]
    # Computed by the database: STORED on PostgreSQL (its only kind before 18), VIRTUAL on
    # SQLite (ALTER TABLE cannot add a stored one); the index keeps the values either way.
    words_to_do: Mapped[int] = mapped_column(Computed("words_to_translate + words_stale"))


class StatusCount(Base):
    """How many kept statuses an edition has in one status, and their words to do."""

    __tablename__ = "status_counts"

    edition: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[Status] = mapped_column(string_enum(Status, "status"), primary_key=True)
    entries: Mapped[int]
    words_to_translate: Mapped[int]
    words_stale: Mapped[int]


class ArticleWork(Base):
    """The words left to translate or update in an article, over every configured edition."""

    __tablename__ = "article_work"
    # Walked backwards by the dashboard's "most words to do" order, ties newest id first.
    __table_args__ = (Index("ix_article_work_words_to_do", "words_to_do", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    words_to_do: Mapped[int]


def editions_table(codes: Sequence[str]) -> Subquery:
    """The configured editions as a derived table (SQLite has no column-aliased VALUES)."""
    rows = [select(literal(code, String).label("code")) for code in codes]
    return union_all(*rows).subquery("editions") if len(rows) > 1 else rows[0].subquery("editions")


def status_select(codes: Sequence[str], article_ids: Iterable[int] | None = None) -> Select:
    """One row per article and edition, aggregated over segments and translations."""
    edition = editions_table(codes)
    is_source = Article.source_edition == edition.c.code
    translated = and_(Translation.id.is_not(None), Translation.draft == false())
    done = or_(is_source, translated)
    stale = and_(~is_source, translated, Translation.source_checksum != Segment.checksum)
    zero = literal(0)
    counts = (
        select(
            Article.id.label("article_id"),
            edition.c.code.label("edition"),
            Article.source_edition.label("source_edition"),
            Counterpart.id.label("counterpart_id"),
            Counterpart.state.label("state"),
            func.count(Segment.id).label("segments"),
            func.sum(case((done, zero), else_=1)).label("segments_to_translate"),
            func.sum(case((stale, 1), else_=zero)).label("segments_stale"),
            func.sum(Segment.words).label("words"),
            func.sum(case((done, zero), else_=Segment.words)).label("words_to_translate"),
            func.sum(case((stale, Segment.words), else_=zero)).label("words_stale"),
        )
        .select_from(Article)
        .join(edition, true())
        .join(Segment, Segment.article_id == Article.id)
        .outerjoin(
            Counterpart,
            and_(Counterpart.article_id == Article.id, Counterpart.edition == edition.c.code),
        )
        .outerjoin(
            Translation,
            and_(
                Translation.counterpart_id == Counterpart.id, Translation.segment_id == Segment.id
            ),
        )
        .group_by(
            Article.id, edition.c.code, Article.source_edition, Counterpart.id, Counterpart.state
        )
        .order_by(Article.id, edition.c.code)
    )
    if article_ids is not None:
        counts = counts.where(Article.id.in_(list(article_ids)))
    return counts


def _status_of(row) -> Status:
    if row.counterpart_id is None:
        return Status.MISSING
    published = row.state == PublicationState.PUBLISHED
    if row.edition == row.source_edition:
        return Status.CURRENT if published else Status.DRAFT
    if not published:
        return Status.DRAFT
    if row.segments_to_translate or row.segments_stale:
        return Status.STALE
    return Status.CURRENT


def compute_status(
    session: Session, codes: Sequence[str], article_ids: Iterable[int] | None = None
) -> list[CounterpartStatus]:
    """Statuses for every article (or the ones named) in every configured edition."""
    rows = session.execute(status_select(codes, article_ids))
    return [
        CounterpartStatus(
            article_id=row.article_id,
            edition=row.edition,
            source_edition=row.source_edition,
            status=_status_of(row),
            segments=int(row.segments),
            segments_to_translate=int(row.segments_to_translate or 0),
            segments_stale=int(row.segments_stale or 0),
            words=int(row.words or 0),
            words_to_translate=int(row.words_to_translate or 0),
            words_stale=int(row.words_stale or 0),
        )
        for row in rows
    ]


# ------------------------------------------------------------------ the kept statuses

_PENDING = "status_pending_articles"
_CODES = "edition_codes"
_CHUNK = 1000


def mark_status_changed(session: Session, article_id: int) -> None:
    """Say that an article's segments, translations or counterparts changed."""
    session.info.setdefault(_PENDING, set()).add(article_id)


def refresh_pending_status(session: Session) -> None:
    """Recompute the kept statuses of every article marked since the last refresh."""
    pending: set[int] = session.info.pop(_PENDING, set())
    if pending:
        session.flush()
        refresh_status(session, session.info[_CODES], sorted(pending))


def refresh_status(
    session: Session, codes: Sequence[str], article_ids: Iterable[int] | None = None
) -> int:
    """Recompute kept statuses, a thousand articles per query; all of them when no ids."""
    ids = (
        list(article_ids)
        if article_ids is not None
        else list(session.scalars(select(Article.id).order_by(Article.id)))
    )
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = [row.as_dict() for row in compute_status(session, codes, chunk)]
        for row in rows:
            del row["source_edition"]
        replaced = _counts(session, chunk)
        session.execute(delete(StatusEntry).where(StatusEntry.article_id.in_(chunk)))
        session.execute(delete(ArticleWork).where(ArticleWork.article_id.in_(chunk)))
        if rows:
            session.execute(insert(StatusEntry), rows)
            session.execute(insert(ArticleWork), _work(rows))
        _add_counts(session, _tally(rows), replaced)
    return len(ids)


_Key = tuple[str, str]  # (edition, status)


def _counts(session: Session, article_ids: Sequence[int]) -> Counter[tuple[_Key, str]]:
    """The kept statuses of these articles, tallied as ``StatusCount`` tallies them."""
    tally: Counter[tuple[_Key, str]] = Counter()
    for edition, status, entries, to_translate, stale in session.execute(
        select(
            StatusEntry.edition,
            StatusEntry.status,
            func.count(),
            func.sum(StatusEntry.words_to_translate),
            func.sum(StatusEntry.words_stale),
        )
        .where(StatusEntry.article_id.in_(article_ids))
        .group_by(StatusEntry.edition, StatusEntry.status)
    ):
        key = (edition, Status(status).value)
        tally[key, "entries"] += entries
        tally[key, "words_to_translate"] += int(to_translate or 0)
        tally[key, "words_stale"] += int(stale or 0)
    return tally


def _tally(rows: Sequence[dict]) -> Counter[tuple[_Key, str]]:
    tally: Counter[tuple[_Key, str]] = Counter()
    for row in rows:
        key = (row["edition"], row["status"])
        tally[key, "entries"] += 1
        tally[key, "words_to_translate"] += row["words_to_translate"]
        tally[key, "words_stale"] += row["words_stale"]
    return tally


def _work(rows: Sequence[dict]) -> list[dict[str, int]]:
    words: Counter[int] = Counter()
    for row in rows:
        words[row["article_id"]] += row["words_to_translate"] + row["words_stale"]
    return [{"article_id": article_id, "words_to_do": todo} for article_id, todo in words.items()]


_COUNTED = ("entries", "words_to_translate", "words_stale")


def _add_counts(
    session: Session, added: Counter[tuple[_Key, str]], removed: Counter[tuple[_Key, str]]
) -> None:
    """Move the kept counts by what a refresh added and removed, in one upsert.

    Increments rather than a recount, so that concurrent refreshes of different articles
    add up; keys go in sorted order, so that two of them lock the rows in the same order.
    """
    keys = sorted({key for key, _name in added} | {key for key, _name in removed})
    deltas = [
        {"edition": edition, "status": status}
        | {
            name: added[(edition, status), name] - removed[(edition, status), name]
            for name in _COUNTED
        }
        for edition, status in keys
    ]
    deltas = [delta for delta in deltas if any(delta[name] for name in _COUNTED)]
    if not deltas:
        return
    dialect = session.get_bind().dialect.name
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(StatusCount)
    table = StatusCount.__table__.c
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["edition", "status"],
            set_={name: table[name] + statement.excluded[name] for name in _COUNTED},
        ),
        deltas,
    )


def keep_status_current(sessions: sessionmaker[Session], codes: Sequence[str]) -> None:
    """Make every session of ``sessions`` refresh the kept statuses before it commits."""
    sessions.configure(info={_CODES: tuple(codes)})
    event.listen(sessions, "before_commit", _refresh_before_commit)


def _refresh_before_commit(session: Session) -> None:
    # A savepoint's commit (one file of a batch import) leaves the refresh to its
    # transaction's commit: one refresh for the batch's articles instead of one per file.
    if not session.in_nested_transaction():
        refresh_pending_status(session)


__all__ = [
    "ArticleWork",
    "CounterpartStatus",
    "Status",
    "StatusCount",
    "StatusEntry",
    "compute_status",
    "keep_status_current",
    "mark_status_changed",
    "refresh_pending_status",
    "refresh_status",
    "status_select",
]
