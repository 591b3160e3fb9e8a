"""A newsletter issue as a composition of articles.

The issue's own text (title, summary, editorial introduction) *is* an article of the
newsletter section: its number is the article's ``issue_number``, its date the article's
``published_on``, and it is segmented, translated, exported, imported and checked like
any article. What the issue adds is the ordered list of articles it presents and what to
do with the ones an edition cannot show yet.

A per-item teaser, when the issue gives one, is a segment of the introduction article of
kind ``teaser`` keyed ``t<article id>`` (``teaser_key``): it is translated with the rest
of the issue's text, and goes stale when it is edited. An item without one shows the
article's own summary in each edition.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from editions.core.models import Article, Base, string_enum, utcnow

# Teaser segments sort after any body block (an article holds at most 5,000 segments).
TEASER_POSITION = 1_000_000
MAX_ITEMS = 40


class MissingItems(enum.StrEnum):
    """What an edition's issue does with an article that has no current counterpart there."""

    LEAVE_OUT = "leave_out"
    LINK_TO_SOURCE = "link_to_source"


def teaser_key(article_id: int) -> str:
    return f"t{article_id}"


class NewsletterIssue(Base):
    """The composition of one issue; its text is the introduction article (``article_id``)."""

    __tablename__ = "newsletter_issues"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    missing_items: Mapped[MissingItems] = mapped_column(
        string_enum(MissingItems, "missing_items"), default=MissingItems.LEAVE_OUT
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Optimistic locking, as for counterparts: a save names the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=1)

    introduction: Mapped[Article] = relationship(lazy="raise")
    items: Mapped[list[NewsletterItem]] = relationship(
        back_populates="issue",
        cascade="all, delete-orphan",
        order_by="NewsletterItem.position",
        lazy="raise",
    )

    __mapper_args__ = {"version_id_col": version}


class NewsletterItem(Base):
    """One article an issue presents, at its place in the "Inside this issue" list."""

    __tablename__ = "newsletter_items"
    __table_args__ = (
        UniqueConstraint("issue_id", "article_id"),
        Index("ix_newsletter_items_issue_position", "issue_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("newsletter_issues.article_id", ondelete="CASCADE")
    )
    # A deleted article leaves the issues that presented it (their readiness follows).
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    issue: Mapped[NewsletterIssue] = relationship(back_populates="items", lazy="raise")
