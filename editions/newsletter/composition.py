"""Composing an issue: its articles in order, their teasers, its policy for missing items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from editions.content.articles import TEASER, SourceText, check_plain_text
from editions.content.sources import create_article
from editions.content.status import mark_status_changed
from editions.core.errors import ContentError
from editions.core.languages import Edition
from editions.core.messages import Message, _l
from editions.core.models import Article, PublicationState, Section, Segment, User, utcnow
from editions.newsletter.models import (
    MAX_ITEMS,
    TEASER_POSITION,
    MissingItems,
    NewsletterIssue,
    NewsletterItem,
    teaser_key,
)
from editions.text.segmentation import check_segment_size, checksum, count_words, normalize


class NewsletterError(ContentError):
    """A composition Editions refuses, with what is wrong in it."""


@dataclass(frozen=True)
class Composition:
    """What an issue presents: article ids in order, a source teaser for some of them
    (the others show the article's summary), and the policy for missing items."""

    articles: Sequence[int]
    teasers: Mapping[int, str] = field(default_factory=dict)
    missing_items: MissingItems = MissingItems.LEAVE_OUT


def get_issue(session: Session, number: int) -> NewsletterIssue | None:
    return session.scalars(
        select(NewsletterIssue)
        .join(Article, Article.id == NewsletterIssue.article_id)
        .where(Article.issue_number == number)
    ).one_or_none()


def current_composition(session: Session, issue: NewsletterIssue) -> Composition:
    """What the issue presents now: its items in order and their source teasers."""
    articles = list(
        session.scalars(
            select(NewsletterItem.article_id)
            .where(NewsletterItem.issue_id == issue.article_id)
            .order_by(NewsletterItem.position)
        )
    )
    keys = {teaser_key(article_id): article_id for article_id in articles}
    teasers = {
        keys[key]: text
        for key, text in session.execute(
            select(Segment.key, Segment.text).where(
                Segment.article_id == issue.article_id, Segment.kind == TEASER
            )
        )
        if key in keys
    }
    return Composition(articles, teasers, issue.missing_items)


def create_issue(
    session: Session,
    editions: Mapping[str, Edition],
    *,
    number: int,
    published_on: date,
    source_edition: str,
    text: SourceText,
    composition: Composition,
    author: str | None = None,
    tags: Sequence[str] = (),
    state: PublicationState = PublicationState.PUBLISHED,
    article_id: int | None = None,
    user: User | None = None,
) -> NewsletterIssue:
    """A new issue: its introduction article (section newsletter) and its composition."""
    if number < 1:
        raise NewsletterError(_l("an issue number is a whole number from 1"))
    if session.scalar(select(Article.id).where(Article.issue_number == number)) is not None:
        raise NewsletterError(_l("issue %(number)s already exists"), number=number)
    article = create_article(
        session,
        editions,
        article_id=article_id,
        source_edition=source_edition,
        section=Section.NEWSLETTER,
        text=text,
        published_on=published_on,
        author=author,
        tags=tags,
        state=state,
        issue_number=number,
        user=user,
    )
    return make_issue(session, article, composition)


def make_issue(session: Session, article: Article, composition: Composition) -> NewsletterIssue:
    """Give an existing newsletter article (its introduction) a composition."""
    if article.section is not Section.NEWSLETTER or article.issue_number is None:
        raise NewsletterError(
            _l("article %(article_id)s is not a numbered newsletter issue"), article_id=article.id
        )
    issue = NewsletterIssue(article_id=article.id, missing_items=composition.missing_items)
    session.add(issue)
    session.flush()
    compose(session, issue, composition)
    return issue


def compose(session: Session, issue: NewsletterIssue, composition: Composition) -> None:
    """Make the issue present exactly ``composition``: items added, removed and reordered,
    teasers written (an edited teaser goes stale in every edition that translated it)."""
    articles = list(composition.articles)
    _check(session, issue, articles, composition.teasers)
    existing = {
        item.article_id: item
        for item in session.scalars(
            select(NewsletterItem).where(NewsletterItem.issue_id == issue.article_id)
        )
    }
    for article_id, dropped in existing.items():
        if article_id not in articles:
            session.delete(dropped)
    for position, article_id in enumerate(articles, 1):
        item = existing.get(article_id)
        if item is None:
            session.add(
                NewsletterItem(issue_id=issue.article_id, article_id=article_id, position=position)
            )
        else:
            item.position = position
    teasers_changed = _write_teasers(session, issue.article_id, articles, composition.teasers)
    issue.missing_items = composition.missing_items
    issue.updated_at = utcnow()  # a reorder alone changes no column of the issue row
    if teasers_changed:
        introduction = session.get(Article, issue.article_id)
        assert introduction is not None
        introduction.updated_at = utcnow()
        mark_status_changed(session, issue.article_id)
    session.flush()


def _check(
    session: Session, issue: NewsletterIssue, articles: list[int], teasers: Mapping[int, str]
) -> None:
    if len(articles) > MAX_ITEMS:
        raise NewsletterError(
            _l("an issue presents at most %(limit)s articles, not %(count)s"),
            limit=MAX_ITEMS,
            count=len(articles),
        )
    if len(set(articles)) != len(articles):
        raise NewsletterError(_l("an issue presents each article once"))
    if issue.article_id in articles:
        raise NewsletterError(_l("an issue cannot present itself"))
    unlisted = sorted(set(teasers) - set(articles))
    if unlisted:
        raise NewsletterError(
            _l("a teaser for article %(article_id)s, which the issue does not present"),
            article_id=unlisted[0],
        )
    found = dict(
        session.execute(select(Article.id, Article.section).where(Article.id.in_(articles))).all()
    )
    for article_id in articles:
        if article_id not in found:
            raise NewsletterError(_l("there is no article %(article_id)s"), article_id=article_id)
        if found[article_id] in (Section.NEWSLETTER, Section.PAGES):
            raise NewsletterError(
                _l("article %(article_id)s is a newsletter issue or a page, not a post"),
                article_id=article_id,
            )
    for teaser in teasers.values():
        check_plain_text(Message(_l("teaser")), teaser)
        check_segment_size(teaser)


def _write_teasers(
    session: Session, introduction_id: int, articles: list[int], teasers: Mapping[int, str]
) -> bool:
    """Teaser segments of the introduction article as ``teasers`` says; True if any changed."""
    wanted = {
        teaser_key(article_id): (position, normalize(teasers.get(article_id, "")))
        for position, article_id in enumerate(articles, 1)
    }
    wanted = {key: value for key, value in wanted.items() if value[1]}
    current = {
        segment.key: segment
        for segment in session.scalars(
            select(Segment).where(Segment.article_id == introduction_id, Segment.kind == TEASER)
        )
    }
    changed = False
    gone = [key for key in current if key not in wanted]
    if gone:
        session.execute(
            delete(Segment).where(Segment.article_id == introduction_id, Segment.key.in_(gone))
        )
        changed = True
    for key, (position, text) in wanted.items():
        segment = current.get(key)
        if segment is None:
            segment = Segment(article_id=introduction_id, key=key, kind=TEASER, prefix="")
            session.add(segment)
            changed = True
        elif segment.text != text:
            changed = True
        segment.position = TEASER_POSITION + position
        segment.continues = False
        segment.text, segment.checksum, segment.words = text, checksum(text), count_words(text)
    return changed


__all__ = [
    "Composition",
    "NewsletterError",
    "compose",
    "create_issue",
    "current_composition",
    "get_issue",
    "make_issue",
]
