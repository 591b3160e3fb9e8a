"""What the translators' dashboard shows: the status matrix, the summary, the queue, the chart."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column, selectinload

from editions.accounts.roles import may_edit_edition
from editions.content.status import ArticleWork, Status, StatusCount, StatusEntry
from editions.core.db import is_postgresql
from editions.core.models import Article, Base, Counterpart, Section, User
from editions.translation.assignments import Assignment

# How far back the "up to date over time" chart looks.
CHART_DAYS = 90


class StatusSnapshot(Base):
    """One edition's counts on one day: the points of the "up to date over time" chart.

    Recorded once a day (the first dashboard view of the day, or ``editions dashboard
    snapshot`` from cron, which overwrites the day's row with the counts at that moment).
    """

    __tablename__ = "status_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    edition: Mapped[str] = mapped_column(String(16), primary_key=True)
    current: Mapped[int] = mapped_column(Integer)
    stale: Mapped[int] = mapped_column(Integer)
    draft: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    words_to_translate: Mapped[int] = mapped_column(Integer)
    words_stale: Mapped[int] = mapped_column(Integer)


# ---------------------------------------------------------------- the matrix


class Sort(enum.StrEnum):
    DATE = "date"  # newest first
    TODO = "todo"  # most words to translate or update first
    STALE = "stale"  # stale work first, the longest-unrevisited source first


@dataclass(frozen=True)
class Filters:
    edition: str | None = None
    status: Status | None = None
    section: str | None = None
    source_edition: str | None = None
    text: str = ""
    assigned_to: int | None = None
    sort: Sort = Sort.DATE
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class MatrixRow:
    article_id: int
    title: str
    section: Section
    published_on: date
    source_edition: str
    words: int
    statuses: dict[str, StatusEntry]
    assignments: dict[str, Assignment]


@dataclass(frozen=True)
class Matrix:
    rows: list[MatrixRow]
    total: int
    filters: Filters

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))


def _articles(filters: Filters, codes: Sequence[str], *, probe: bool = True) -> Select:
    """Articles matching the filters: one row each, with what the matrix and sorting need.

    A status filter either probes each article (``probe``) or reads the matching entries
    from the (edition, status) index. A page probes articles in the order shown and stops
    at the page's end, quick because each status holds 3 to 20% of the entries, where
    sorting every match before the LIMIT would not be. A count must see every match:
    SQLite runs a probe per article (100,000 of them) so it reads the index instead, while
    PostgreSQL plans the probe as one hash semi-join, its quickest form.
    """
    query = select(Article.id)
    if filters.section:
        query = query.where(Article.section == filters.section)
    if filters.source_edition:
        query = query.where(Article.source_edition == filters.source_edition)
    if filters.text.strip():
        # Every article is created with its source counterpart (content.create_article):
        # the join is only needed to match the title.
        source = aliased(Counterpart)
        query = query.join(
            source, and_(source.article_id == Article.id, source.edition == Article.source_edition)
        )
        words = filters.text.strip()
        match = source.title.ilike(f"%{words}%")
        query = query.where(or_(match, Article.id == int(words)) if words.isdigit() else match)
    editions = [filters.edition] if filters.edition else list(codes)
    if filters.status is not None:
        query = query.where(_has_translation_in(filters.status, editions, probe=probe))
    if filters.assigned_to is not None:
        query = query.where(
            exists().where(
                Assignment.article_id == Article.id,
                Assignment.user_id == filters.assigned_to,
                Assignment.edition.in_(editions),
            )
        )
    return query


def _has_translation_in(
    status: Status, editions: Sequence[str], *, probe: bool
) -> ColumnElement[bool]:
    """The article has a translation (not its source) in that status in one of the editions."""
    if probe:
        return exists().where(
            StatusEntry.article_id == Article.id,
            StatusEntry.edition.in_(list(editions)),
            StatusEntry.status == status,
            StatusEntry.edition != Article.source_edition,
        )
    entries = select(StatusEntry.article_id).where(
        StatusEntry.edition.in_(list(editions)), StatusEntry.status == status
    )
    if status in (Status.DRAFT, Status.CURRENT):
        # A source's own entry is only ever current or draft (status._status_of).
        owner = aliased(Article)
        entries = entries.join(owner, owner.id == StatusEntry.article_id).where(
            StatusEntry.edition != owner.source_edition
        )
    return Article.id.in_(entries)


def count(session: Session, codes: Sequence[str], filters: Filters) -> int:
    """How many articles match the filters (for the pagination)."""
    return (
        session.scalar(
            select(func.count()).select_from(
                _articles(filters, codes, probe=is_postgresql(session)).subquery()
            )
        )
        or 0
    )


def page_ids(session: Session, codes: Sequence[str], filters: Filters) -> list[int]:
    """The ids of the articles on the page asked for, in the order asked for."""
    editions = [filters.edition] if filters.edition else list(codes)
    page = _articles(filters, codes)
    offset = (max(filters.page, 1) - 1) * filters.per_page
    if filters.sort is Sort.TODO:
        page = _most_to_do_first(page, filters.edition)
    elif filters.sort is Sort.STALE and filters.status is Status.STALE:
        # Every article the filter keeps has stale work: the oldest source comes first.
        page = page.order_by(Article.updated_at, Article.id)
    elif filters.sort is Sort.STALE:
        stale = exists().where(
            StatusEntry.article_id == Article.id,
            StatusEntry.edition.in_(editions),
            StatusEntry.status == Status.STALE,
        )
        return list(session.scalars(_stale_first(page, stale, offset, filters.per_page)))
    else:
        page = page.order_by(Article.published_on.desc(), Article.id.desc())
    return list(session.scalars(page.limit(filters.per_page).offset(offset)))


def _most_to_do_first(page: Select, edition: str | None) -> Select:
    if edition is None:
        # The kept total walks its index from the top: no sum over every status first.
        return page.join(ArticleWork, ArticleWork.article_id == Article.id).order_by(
            ArticleWork.words_to_do.desc(), ArticleWork.article_id.desc()
        )
    entry = aliased(StatusEntry)
    return page.join(
        entry, and_(entry.article_id == Article.id, entry.edition == edition)
    ).order_by(entry.words_to_do.desc(), entry.article_id.desc())


def _stale_first(page: Select, stale: ColumnElement[bool], offset: int, limit: int) -> Select:
    """Articles with stale work, then the others, each oldest source first.

    Sorting on "has stale work" cannot use an index, so the two groups are read apart,
    each along (updated_at, id) and only as far as the page asked for, then put together.
    """
    groups = [
        select(
            (
                page.where(condition)
                .add_columns(literal(rank).label("rank"), Article.updated_at)
                .order_by(Article.updated_at, Article.id)
                .limit(offset + limit)
            ).subquery()
        )
        for rank, condition in ((0, stale), (1, ~stale))
    ]
    both = union_all(*groups).subquery("both")
    return (
        select(both.c.id)
        .order_by(both.c.rank, both.c.updated_at, both.c.id)
        .limit(limit)
        .offset(offset)
    )


def matrix(session: Session, codes: Sequence[str], filters: Filters) -> Matrix:
    """One page of the matrix in four queries, whatever the size of the corpus."""
    total = count(session, codes, filters)
    ids = page_ids(session, codes, filters)
    source = aliased(Counterpart)
    articles = session.execute(
        select(
            Article.id,
            source.title,
            Article.section,
            Article.published_on,
            Article.source_edition,
        )
        .join(
            source, and_(source.article_id == Article.id, source.edition == Article.source_edition)
        )
        .where(Article.id.in_(ids))
    ).all()
    statuses: dict[int, dict[str, StatusEntry]] = {}
    for entry in session.scalars(select(StatusEntry).where(StatusEntry.article_id.in_(ids))):
        statuses.setdefault(entry.article_id, {})[entry.edition] = entry
    assigned: dict[int, dict[str, Assignment]] = {}
    for assignment in session.scalars(
        select(Assignment)
        .where(Assignment.article_id.in_(ids))
        .options(selectinload(Assignment.user))
    ):
        assigned.setdefault(assignment.article_id, {})[assignment.edition] = assignment
    by_id = {row.id: row for row in articles}
    rows = [
        MatrixRow(
            article_id=article_id,
            title=by_id[article_id].title,
            section=by_id[article_id].section,
            published_on=by_id[article_id].published_on,
            source_edition=by_id[article_id].source_edition,
            words=getattr(
                statuses.get(article_id, {}).get(by_id[article_id].source_edition), "words", 0
            ),
            statuses=statuses.get(article_id, {}),
            assignments=assigned.get(article_id, {}),
        )
        for article_id in ids
    ]
    return Matrix(rows, total, filters)


# ---------------------------------------------------------------- the summary


@dataclass(frozen=True)
class EditionSummary:
    edition: str
    current: int = 0
    stale: int = 0
    draft: int = 0
    missing: int = 0
    words_to_translate: int = 0
    words_stale: int = 0

    @property
    def total(self) -> int:
        return self.current + self.stale + self.draft + self.missing

    @property
    def percent_current(self) -> float:
        return 100.0 * self.current / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["percent_current"] = round(self.percent_current, 1)
        return data


def summary(session: Session, codes: Sequence[str]) -> list[EditionSummary]:
    """Counts per edition and status, from the counts kept with the statuses."""
    counts: dict[str, dict[str, int]] = {code: {} for code in codes}
    for kept in session.scalars(select(StatusCount).where(StatusCount.edition.in_(list(codes)))):
        entry = counts[kept.edition]
        entry[Status(kept.status).value] = kept.entries
        entry["words_to_translate"] = entry.get("words_to_translate", 0) + kept.words_to_translate
        entry["words_stale"] = entry.get("words_stale", 0) + kept.words_stale
    return [EditionSummary(code, **counts[code]) for code in codes]


def has_snapshot(session: Session, day: date) -> bool:
    kept = select(StatusSnapshot.day).where(StatusSnapshot.day == day).limit(1)
    return session.scalar(kept) is not None


def record_snapshot(
    session: Session, summaries: Sequence[EditionSummary], day: date, *, replace: bool
) -> None:
    """Keep the day's counts for the chart; ``replace`` overwrites a row already kept."""
    rows = [
        {
            "day": day,
            "edition": item.edition,
            "current": item.current,
            "stale": item.stale,
            "draft": item.draft,
            "missing": item.missing,
            "words_to_translate": item.words_to_translate,
            "words_stale": item.words_stale,
        }
        for item in summaries
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(StatusSnapshot).values(rows)
    if replace:
        statement = statement.on_conflict_do_update(
            index_elements=["day", "edition"],
            set_={
                name: statement.excluded[name] for name in rows[0] if name not in ("day", "edition")
            },
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=["day", "edition"])
    session.execute(statement)


def history(
    session: Session, codes: Sequence[str], since: date
) -> dict[str, list[tuple[date, float]]]:
    """Percentage up to date per edition and day, oldest first."""
    points: dict[str, list[tuple[date, float]]] = {code: [] for code in codes}
    for snapshot in session.scalars(
        select(StatusSnapshot)
        .where(StatusSnapshot.day >= since, StatusSnapshot.edition.in_(list(codes)))
        .order_by(StatusSnapshot.day)
    ):
        total = snapshot.current + snapshot.stale + snapshot.draft + snapshot.missing
        points[snapshot.edition].append(
            (snapshot.day, 100.0 * snapshot.current / total if total else 100.0)
        )
    return points


# ---------------------------------------------------------------- my queue

_QUEUE_ORDER = {Status.STALE: 0, Status.DRAFT: 1, Status.MISSING: 2}


@dataclass(frozen=True)
class QueueItem:
    article_id: int
    edition: str
    status: Status
    title: str
    source_edition: str  # the language of the title
    published_on: date
    words_to_do: int
    assignment: Assignment | None


def queue(session: Session, user: User, codes: Sequence[str], limit: int = 100) -> list[QueueItem]:
    """Work in the user's editions assigned to them or to nobody: stale, draft, then missing,
    oldest first."""
    editions = [code for code in codes if may_edit_edition(user, code)]
    source = aliased(Counterpart)
    rank = case(*((StatusEntry.status == status, order) for status, order in _QUEUE_ORDER.items()))
    rows = session.execute(
        select(StatusEntry, source.title, Article.source_edition, Article.published_on, Assignment)
        .join(Article, Article.id == StatusEntry.article_id)
        .join(
            source, and_(source.article_id == Article.id, source.edition == Article.source_edition)
        )
        .outerjoin(
            Assignment,
            and_(
                Assignment.article_id == StatusEntry.article_id,
                Assignment.edition == StatusEntry.edition,
            ),
        )
        .where(
            StatusEntry.article_id.in_(_queue_articles(user.id, editions, limit)),
            StatusEntry.edition.in_(editions),
            StatusEntry.edition != Article.source_edition,
            StatusEntry.status.in_(list(_QUEUE_ORDER)),
            or_(Assignment.id.is_(None), Assignment.user_id == user.id),
        )
        .order_by(rank, Article.published_on, Article.id, StatusEntry.edition)
        .limit(limit)
    ).all()
    return [
        QueueItem(
            entry.article_id,
            entry.edition,
            Status(entry.status),
            title,
            source_edition,
            published_on,
            entry.words_to_translate + entry.words_stale,
            assignment,
        )
        for entry, title, source_edition, published_on, assignment in rows
    ]


def _queue_articles(user_id: int, editions: Sequence[str], limit: int) -> CompoundSelect:
    """The articles the queue is taken from: for each of its statuses, the ``limit`` oldest
    with such work for the user.

    Each status walks articles by date and stops there, rather than sorting every stale,
    draft and missing entry of the user's editions to keep the first hundred. An entry of
    an article picked for another status can only rank behind ``limit`` entries of its own.
    """
    groups = [
        select(
            select(Article.id)
            .where(
                exists().where(
                    StatusEntry.article_id == Article.id,
                    StatusEntry.edition.in_(list(editions)),
                    StatusEntry.edition != Article.source_edition,
                    StatusEntry.status == status,
                    ~exists().where(
                        Assignment.article_id == StatusEntry.article_id,
                        Assignment.edition == StatusEntry.edition,
                        Assignment.user_id != user_id,
                    ),
                )
            )
            .order_by(Article.published_on, Article.id)
            .limit(limit)
            .subquery()
        )
        for status in _QUEUE_ORDER
    ]
    return union_all(*groups)
