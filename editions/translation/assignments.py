"""Who translates what: a coordinator assigns an article's counterpart to a translator."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from editions.accounts.roles import PermissionDenied, may_coordinate, may_edit_edition
from editions.core.errors import ContentError, check_translatable
from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import Article, Base, User, utcnow


class Assignment(Base):
    """One edition of one article given to one translator; the counterpart may not exist yet."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("article_id", "edition"),
        Index("ix_assignments_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")


def assign(
    session: Session,
    editions: Mapping[str, Edition],
    acting: User,
    article: Article,
    edition: str,
    assignee: User,
    due_on: date | None = None,
) -> Assignment:
    """Give (or give again) the ``edition`` counterpart of ``article`` to ``assignee``."""
    if not may_coordinate(acting):
        raise PermissionDenied(_l("only a coordinator assigns work"))
    check_translatable(editions, article, edition)
    if not assignee.active or not may_edit_edition(assignee, edition):
        raise ContentError(
            _l("%(username)s does not work in the %(edition)s edition"),
            username=assignee.username,
            edition=edition,
        )
    assignment = session.scalars(
        select(Assignment).where(Assignment.article_id == article.id, Assignment.edition == edition)
    ).one_or_none()
    if assignment is None:
        assignment = Assignment(article_id=article.id, edition=edition, user_id=assignee.id)
        session.add(assignment)
    assignment.user_id = assignee.id
    assignment.due_on = due_on
    assignment.assigned_by_id = acting.id
    session.flush()
    return assignment


def unassign(session: Session, acting: User, article_id: int, edition: str) -> None:
    if not may_coordinate(acting):
        raise PermissionDenied(_l("only a coordinator assigns work"))
    session.execute(
        delete(Assignment).where(Assignment.article_id == article_id, Assignment.edition == edition)
    )


def assignment_of(session: Session, article_id: int, edition: str) -> Assignment | None:
    return session.scalars(
        select(Assignment).where(Assignment.article_id == article_id, Assignment.edition == edition)
    ).one_or_none()
