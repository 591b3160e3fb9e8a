"""The history of a source: every revision, any two compared, an old one restored.

Restoring never rewrites history: the old text is saved as a new revision, so the
counterparts see an ordinary edit (and go stale where the text differs).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from editions.content.articles import SourceText
from editions.content.sources import Impact, revise_source
from editions.core.errors import ContentError
from editions.core.messages import _l
from editions.core.models import Article, SourceRevision, User
from editions.text.diff import Op, ParagraphChange, paragraph_diff, word_diff
from editions.text.segmentation import split_body


class RevisionNotFound(ContentError):
    def __init__(self, article_id: int, number: int) -> None:
        super().__init__(
            _l("article %(article_id)s has no revision %(number)s"),
            article_id=article_id,
            number=number,
        )


def revisions_select(article_id: int) -> Select[SourceRevision, User]:
    """Every revision of an article's source, newest first, with who made it (None when
    nobody is recorded: SQLAlchemy's types cannot say so of an outer join)."""
    return (
        select(SourceRevision, User)
        .outerjoin(User, User.id == SourceRevision.created_by_id)
        .where(SourceRevision.article_id == article_id)
        .order_by(SourceRevision.number.desc())
    )


def get_revision(session: Session, article_id: int, number: int) -> SourceRevision:
    revision = session.scalars(
        select(SourceRevision).where(
            SourceRevision.article_id == article_id, SourceRevision.number == number
        )
    ).one_or_none()
    if revision is None:
        raise RevisionNotFound(article_id, number)
    return revision


@dataclass(frozen=True)
class Comparison:
    old: SourceRevision
    new: SourceRevision
    title: ParagraphChange
    summary: ParagraphChange
    body: tuple[ParagraphChange, ...]

    @property
    def changes(self) -> int:
        return sum(change.changed for change in (self.title, self.summary, *self.body))


def _line_change(old: str, new: str) -> ParagraphChange:
    if old == new:
        return ParagraphChange(Op.SAME, old, new)
    if not old:
        return ParagraphChange(Op.ADDED, None, new)
    if not new:
        return ParagraphChange(Op.REMOVED, old, None)
    return ParagraphChange(Op.CHANGED, old, new, tuple(word_diff(old, new)))


def compare_revisions(session: Session, article_id: int, old: int, new: int) -> Comparison:
    """Paragraph and word diff between two revisions (in either order)."""
    before, after = get_revision(session, article_id, old), get_revision(session, article_id, new)
    paragraphs = [
        [block.text for block in split_body(revision.body)] for revision in (before, after)
    ]
    return Comparison(
        old=before,
        new=after,
        title=_line_change(before.title, after.title),
        summary=_line_change(before.summary, after.summary),
        body=tuple(paragraph_diff(*paragraphs)),
    )


def restore_revision(
    session: Session, article: Article, number: int, *, user: User | None = None
) -> Impact:
    """Save revision ``number``'s text as the newest revision."""
    revision = get_revision(session, article.id, number)
    text = SourceText(revision.title, revision.summary, revision.body)
    return revise_source(session, article, text, user=user, note=f"restored revision {number}")
