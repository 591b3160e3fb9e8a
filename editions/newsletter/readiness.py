"""Whether an issue can go out in an edition, derived from the kept statuses.

An issue is *ready* in an edition when its own text (the introduction article, teasers
included) is current there and every article it presents has a published, current
counterpart there. Nothing is stored: each call reads the kept status of every
(article, edition) pair involved (``editions.content.status``), for any number of issues and
editions, in one statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    Subquery,
    and_,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from editions.content.status import Status, StatusEntry, editions_table, refresh_pending_status
from editions.newsletter.models import MissingItems, NewsletterIssue, NewsletterItem


@dataclass(frozen=True)
class ItemReadiness:
    article_id: int
    position: int
    status: Status

    @property
    def current(self) -> bool:
        return self.status is Status.CURRENT


@dataclass(frozen=True)
class Readiness:
    """One issue in one edition: the status of its own text and of each item."""

    issue_id: int
    edition: str
    text: Status
    items: tuple[ItemReadiness, ...]

    @property
    def ready(self) -> bool:
        return self.text is Status.CURRENT and all(item.current for item in self.items)

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status is status)

    @property
    def missing(self) -> int:
        return self.count(Status.MISSING)

    @property
    def draft(self) -> int:
        return self.count(Status.DRAFT)

    @property
    def stale(self) -> int:
        return self.count(Status.STALE)

    def shown(self, policy: MissingItems) -> list[ItemReadiness]:
        """The items a reader of this edition sees: all of them when the policy links
        missing ones to the source, else only those with a published counterpart here
        (a stale one is still the edition's page, marked as such on it)."""
        if policy is MissingItems.LINK_TO_SOURCE:
            return list(self.items)
        return [item for item in self.items if item.status in (Status.CURRENT, Status.STALE)]


def readiness(
    session: Session, issue_ids: Iterable[int], codes: Sequence[str]
) -> dict[tuple[int, str], Readiness]:
    """Readiness of each issue (by its introduction article id) in each edition of ``codes``."""
    ids = list(issue_ids)
    if not ids or not codes:
        return {}
    refresh_pending_status(session)
    edition = editions_table(codes)
    status = func.coalesce(StatusEntry.status, literal(Status.MISSING.value))
    own_text = (
        select(
            NewsletterIssue.article_id.label("issue_id"),
            null().cast(Integer).label("article_id"),
            literal(0).label("position"),
            edition.c.code.label("edition"),
            status.label("status"),
        )
        .select_from(NewsletterIssue)
        .join(edition, literal(True))
        .outerjoin(StatusEntry, _status_join(NewsletterIssue.article_id, edition))
        .where(NewsletterIssue.article_id.in_(ids))
    )
    items = (
        select(
            NewsletterItem.issue_id,
            NewsletterItem.article_id,
            NewsletterItem.position,
            edition.c.code,
            status,
        )
        .select_from(NewsletterItem)
        .join(edition, literal(True))
        .outerjoin(StatusEntry, _status_join(NewsletterItem.article_id, edition))
        .where(NewsletterItem.issue_id.in_(ids))
    )
    rows = session.execute(union_all(own_text, items)).all()
    texts: dict[tuple[int, str], Status] = {}
    listed: dict[tuple[int, str], list[ItemReadiness]] = defaultdict(list)
    for row in rows:
        key = (row.issue_id, row.edition)
        if row.article_id is None:
            texts[key] = Status(row.status)
        else:
            listed[key].append(ItemReadiness(row.article_id, row.position, Status(row.status)))
    return {
        key: Readiness(
            key[0], key[1], text, tuple(sorted(listed[key], key=lambda item: item.position))
        )
        for key, text in texts.items()
    }


def _status_join(article_id: InstrumentedAttribute[int], edition: Subquery) -> ColumnElement[bool]:
    """Joins the kept status of article ``article_id`` in each edition of ``edition``."""
    return and_(StatusEntry.article_id == article_id, StatusEntry.edition == edition.c.code)


__all__ = ["ItemReadiness", "Readiness", "readiness"]
