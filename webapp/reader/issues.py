"""What the newsletter's reader pages read: an issue, its items in one edition, the
archive. Core selects on the reader's connection, as ``queries`` does for articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import (
    Connection,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.orm import aliased

from editions.content.articles import TEASER
from editions.core.models import Article, Counterpart, PublicationState, Segment, Translation
from editions.newsletter.models import MissingItems, NewsletterIssue, NewsletterItem
from webapp.reader.queries import EDITION, PAGE_SIZE

PUBLISHED = PublicationState.PUBLISHED
ISSUE = bindparam("issue_id", type_=Integer)


@dataclass(frozen=True)
class IssueRow:
    article_id: int
    number: int
    missing_items: MissingItems
    updated_at: datetime


def issue_by_number(reads: Connection, number: int) -> IssueRow | None:
    """The issue of that number; a numbered newsletter article not (yet) composed is an
    issue without items."""
    row = reads.execute(
        select(
            Article.id,
            Article.issue_number,
            NewsletterIssue.missing_items,
            func.coalesce(NewsletterIssue.updated_at, Article.updated_at),
        )
        .outerjoin(NewsletterIssue, NewsletterIssue.article_id == Article.id)
        .where(Article.issue_number == number)
    ).first()
    if row is None:
        return None
    policy = MissingItems(row[2]) if row[2] is not None else MissingItems.LEAVE_OUT
    return IssueRow(row[0], row[1], policy, row[3])


@dataclass(frozen=True)
class IssueItem:
    """One article of the issue as a reader of ``edition`` sees it."""

    article_id: int
    edition: str  # where the link leads: this edition, or the source with a note
    title: str
    teaser: str
    teaser_edition: str  # the language the teaser is written in
    updated_at: datetime

    def in_edition(self, code: str) -> bool:
        return self.edition == code


def issue_items(
    reads: Connection,
    issue: IssueRow,
    edition: str,
    introduction_source: str,
) -> list[IssueItem]:
    """The items a reader of ``edition`` sees, in order, per the issue's policy: linked to
    their counterpart here, or (``link_to_source``) to the published source elsewhere."""
    rows = reads.execute(_items_statement(), {"issue_id": issue.article_id, "edition": edition})
    items = []
    for row in rows:
        teaser, teaser_edition = _teaser(row, edition, introduction_source)
        if row.state == PUBLISHED:
            items.append(
                IssueItem(
                    row.article_id,
                    edition,
                    row.title,
                    teaser or row.summary,
                    teaser_edition if teaser else edition,
                    row.updated_at,
                )
            )
        elif issue.missing_items is MissingItems.LINK_TO_SOURCE and row.source_state == PUBLISHED:
            items.append(
                IssueItem(
                    row.article_id,
                    row.source_edition,
                    row.source_title,
                    teaser or row.source_summary,
                    teaser_edition if teaser else row.source_edition,
                    row.source_updated_at,
                )
            )
    return items


def _teaser(row: Row, edition: str, introduction_source: str) -> tuple[str, str]:
    """The issue's teaser for this item in ``edition``: the source's where the edition is
    the issue's source, a finished translation (current or stale) elsewhere."""
    if edition == introduction_source and row.teaser_source:
        return row.teaser_source, edition
    if row.teaser and not row.teaser_draft:
        return row.teaser, edition
    return "", edition


@cache
def _items_statement() -> Select:
    here = aliased(Counterpart)
    source = aliased(Counterpart)
    introduction = aliased(Counterpart)
    key = literal("t", String) + cast(NewsletterItem.article_id, String)
    return (
        select(
            NewsletterItem.article_id,
            Article.source_edition,
            here.title,
            here.summary,
            here.state,
            here.updated_at,
            source.title.label("source_title"),
            source.summary.label("source_summary"),
            source.state.label("source_state"),
            source.updated_at.label("source_updated_at"),
            Segment.text.label("teaser_source"),
            Translation.text.label("teaser"),
            Translation.draft.label("teaser_draft"),
        )
        .select_from(NewsletterItem)
        .join(Article, Article.id == NewsletterItem.article_id)
        .outerjoin(here, and_(here.article_id == Article.id, here.edition == EDITION))
        .outerjoin(
            source, and_(source.article_id == Article.id, source.edition == Article.source_edition)
        )
        .outerjoin(
            Segment,
            and_(
                Segment.article_id == NewsletterItem.issue_id,
                Segment.key == key,
                Segment.kind == TEASER,
            ),
        )
        .outerjoin(
            introduction,
            and_(
                introduction.article_id == NewsletterItem.issue_id,
                introduction.edition == EDITION,
            ),
        )
        .outerjoin(
            Translation,
            and_(
                Translation.segment_id == Segment.id, Translation.counterpart_id == introduction.id
            ),
        )
        .where(NewsletterItem.issue_id == ISSUE)
        .order_by(NewsletterItem.position)
    )


@dataclass(frozen=True)
class ArchiveEntry:
    article_id: int
    number: int
    published_on: date
    title: str
    summary: str
    updated_at: datetime


def archive(
    reads: Connection, edition: str, page: int, limit: int = PAGE_SIZE
) -> list[ArchiveEntry]:
    """Issues published in ``edition``, newest number first, with one more than ``limit`` to
    tell whether another page follows."""
    params = {"edition": edition, "offset": (page - 1) * limit, "limit": limit + 1}
    return [ArchiveEntry(*row) for row in reads.execute(_archive_statement(), params)]


@cache
def _archive_statement() -> Select:
    return (
        select(
            Article.id,
            Article.issue_number,
            Article.published_on,
            Counterpart.title,
            Counterpart.summary,
            Counterpart.updated_at,
        )
        .select_from(NewsletterIssue)
        .join(Article, Article.id == NewsletterIssue.article_id)
        .join(
            Counterpart,
            and_(
                Counterpart.article_id == Article.id,
                Counterpart.edition == EDITION,
                Counterpart.state == PUBLISHED,
            ),
        )
        .order_by(Article.issue_number.desc())
        .offset(bindparam("offset", type_=Integer))
        .limit(bindparam("limit", type_=Integer))
    )


def about_box(reads: Connection, edition: str) -> Row | None:
    """The fixed box an issue ends with: the About page's title and summary here."""
    return reads.execute(
        select(Counterpart.title, Counterpart.summary, Counterpart.updated_at)
        .join(Article, Article.id == Counterpart.article_id)
        .where(Article.slug == "about", Counterpart.edition == edition)
        .where(Counterpart.state == PUBLISHED)
    ).first()
