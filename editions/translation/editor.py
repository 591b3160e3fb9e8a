"""The segment editor: a counterpart segment by segment, saved without losing anyone's work.

A save names, for every segment, the version of its translation the form started
from (0 for none). When someone else saved that segment since, the whole save is
refused with a ``Conflict`` listing both texts, and nothing is written.

Long articles are normal (reports, books, newsletter issues): the editor shows one
page of ``PAGE_SIZE`` segments at a time, so what a page costs (checks, diffs, memory
look-ups) does not grow with the article. A save covers the segments of its page.

Quality errors block what readers would see: publishing (through ``content.publish``,
the one gate) and any save into a counterpart that is already published.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from editions.accounts.roles import check_may_edit
from editions.content.counterparts import (
    NotReadyToPublish,
    QualityErrors,
    add_counterpart,
    publish,
    quality_errors,
    refresh_counterpart,
    segments_with_translations,
    translate_segment,
)
from editions.content.status import mark_status_changed
from editions.core.errors import ContentError, check_translatable
from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import Article, Counterpart, Segment, Translation, User
from editions.core.transactions import lock_article
from editions.text.checks import Finding, check_glossary, check_segment
from editions.text.diff import Piece, word_diff
from editions.text.segmentation import TooLarge, check_segment_size, normalize
from editions.text.terms import Term, TermMatch, TermPairs, highlighted
from editions.translation.glossary import term_pairs
from editions.translation.memory import MemoryMatch, suggestions

PAGE_SIZE = 50


class SegmentState(enum.StrEnum):
    UNTRANSLATED = "untranslated"
    DRAFT = "draft"
    STALE = "stale"
    CURRENT = "current"


@dataclass(frozen=True)
class EditorSegment:
    segment: Segment
    translation: Translation | None
    findings: tuple[Finding, ...] = ()
    memory: tuple[MemoryMatch, ...] = ()
    terms: tuple[TermMatch, ...] = ()  # glossary terms found in the source text

    @property
    def source_pieces(self) -> list[tuple[str, Term | None]]:
        """The source text cut around its glossary terms, for highlighting them."""
        return highlighted(self.segment.text, self.terms)

    @property
    def glossary(self) -> list[Term]:
        """The distinct glossary terms of the source, with their approved translations."""
        return list({match.term.entry_id: match.term for match in self.terms}.values())

    @property
    def state(self) -> SegmentState:
        if self.translation is None:
            return SegmentState.UNTRANSLATED
        if self.translation.draft:
            return SegmentState.DRAFT
        if self.translation.source_checksum != self.segment.checksum:
            return SegmentState.STALE
        return SegmentState.CURRENT

    @property
    def version(self) -> int:
        return self.translation.version if self.translation else 0

    @property
    def source_diff(self) -> list[Piece]:
        """For a stale segment: what changed in the source since it was translated."""
        if self.translation is None or self.translation.source_checksum == self.segment.checksum:
            return []
        return word_diff(self.translation.source_text, self.segment.text)


@dataclass(frozen=True)
class Edit:
    """One segment as the form sent it."""

    key: str
    text: str
    version: int  # the translation's version the form started from; 0 when there was none
    reviewed: bool = False


@dataclass(frozen=True)
class ConflictingSegment:
    key: str
    yours: str
    theirs: str
    their_version: int


class Conflict(ContentError):
    def __init__(self, segments: Sequence[ConflictingSegment]) -> None:
        keys = ", ".join(segment.key for segment in segments)
        super().__init__(f"someone else saved these segments since you opened them: {keys}")
        self.segments = tuple(segments)


@dataclass
class SaveResult:
    saved: list[str] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EditorPage:
    """One page of an article's segments, and where the work stands in the whole article."""

    segments: list[EditorSegment]
    number: int  # from 1
    pages: int
    total: int  # segments in the article
    todo: int  # untranslated, draft or stale, in the whole article
    first_todo_page: int | None

    @property
    def first(self) -> int:
        """The position (from 1) of this page's first segment."""
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.segments) - 1


def page_of(session: Session, article_id: int, key: str) -> int:
    """The editor page that shows segment ``key`` (1 when there is no such segment)."""
    position = (
        select(Segment.position)
        .where(Segment.article_id == article_id, Segment.key == key)
        .scalar_subquery()
    )
    before = session.scalar(
        select(func.count()).where(Segment.article_id == article_id, Segment.position < position)
    )
    return (before or 0) // PAGE_SIZE + 1


def editor_page(
    session: Session,
    edition: Edition,
    article: Article,
    counterpart: Counterpart | None,
    number: int = 1,
) -> EditorPage:
    """Page ``number`` of the editor (the last one when it is past the end): its source
    segments with their translations, findings and memory matches. Three queries and
    one look-up of the translation memory, whatever the article's length."""
    counterpart_id = counterpart.id if counterpart else None
    unfinished = (
        Translation.id.is_(None)
        | Translation.draft.is_(True)
        | (Translation.source_checksum != Segment.checksum)
    )
    total, todo, first_todo = session.execute(
        segments_with_translations(
            article.id,
            counterpart_id,
            func.count(),
            func.count(case((unfinished, 1))),
            func.min(case((unfinished, Segment.position))),
        ).order_by(None)
    ).one()
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(number, 1), pages)
    rows = session.execute(
        segments_with_translations(article.id, counterpart_id)
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    ).all()
    missing = [segment for segment, translation in rows if translation is None]
    memory = suggestions(
        session, edition.code, missing, article.id, source_edition=article.source_edition
    )
    glossary = term_pairs(session, article.source_edition, edition.code)
    segments = [
        EditorSegment(
            segment,
            translation,
            tuple(segment_findings(segment.text, translation.text, edition, glossary))
            if translation
            else (),
            tuple(memory.get(segment.key, ())),
            tuple(glossary.matches(segment.text)),
        )
        for segment, translation in rows
    ]
    first_todo_page = None
    if todo:
        # Positions may have gaps (an article without a summary): count, not divide.
        before = session.scalar(
            select(func.count()).where(
                Segment.article_id == article.id, Segment.position < first_todo
            )
        )
        first_todo_page = (before or 0) // PAGE_SIZE + 1
    return EditorPage(segments, number, pages, total, todo, first_todo_page)


def segment_findings(
    source: str, target: str, edition: Edition, glossary: TermPairs | None
) -> list[Finding]:
    """The quality checks of one segment, the glossary's included; errors first."""
    findings = check_segment(source, target, edition) + check_glossary(
        source, target, edition, glossary
    )
    return sorted(findings, key=lambda finding: not finding.is_error)


def save_segments(
    session: Session,
    user: User,
    edition: Edition,
    counterpart: Counterpart,
    edits: Sequence[Edit],
    *,
    draft: bool,
) -> SaveResult:
    """Save the edited segments (all or nothing); refuses with ``Conflict`` on a stale form,
    ``TooLarge`` over the segment limits and, in a published counterpart, whose text
    readers see at once, ``QualityErrors`` like publishing does."""
    check_may_edit(user, counterpart.edition)
    lock_article(session, counterpart.article_id)
    changed = _changed_segments(_edited_segments(session, counterpart, edits), draft)
    _check_sizes(changed)
    if counterpart.is_published:
        _check_quality(edition, counterpart, changed)
    result = _write_edits(session, user, counterpart, changed, draft)
    if result.saved:
        session.flush()
        refresh_counterpart(session, counterpart)
    mark_status_changed(session, counterpart.article_id)
    session.flush()
    return result


_EditedSegment = tuple[Segment, Translation | None, Edit]


def _edited_segments(
    session: Session, counterpart: Counterpart, edits: Sequence[Edit]
) -> list[_EditedSegment]:
    """Each edit beside its segment and that segment's translation as it is now."""
    rows = session.execute(segments_with_translations(counterpart.article_id, counterpart.id)).all()
    by_key = {segment.key: (segment, translation) for segment, translation in rows}
    unknown = [edit.key for edit in edits if edit.key not in by_key]
    if unknown:
        raise ContentError(
            _l("the source has no segment %(keys)s any more"), keys=", ".join(unknown)
        )
    return [(*by_key[edit.key], edit) for edit in edits]


def _changed_segments(edited: Sequence[_EditedSegment], draft: bool) -> list[_EditedSegment]:
    """The edits that change something, or ``Conflict`` when another save came first."""
    changed = []
    conflicts = []
    for segment, translation, edit in edited:
        text = normalize(edit.text)
        if not text and translation is None:
            continue  # an untranslated segment left empty
        current = translation.text if translation else ""
        current_version = translation.version if translation else 0
        differs = text != current or (translation is not None and translation.draft != draft)
        if differs and edit.version != current_version:
            conflicts.append(ConflictingSegment(edit.key, text, current, current_version))
        elif (
            differs
            or (translation is not None and edit.reviewed != translation.reviewed)
            or (
                edit.reviewed
                and translation is not None
                and translation.source_checksum != segment.checksum
            )
        ):
            changed.append((segment, translation, edit))
    if conflicts:
        raise Conflict(conflicts)
    return changed


def _check_sizes(changed: Sequence[_EditedSegment]) -> None:
    for _segment, _translation, edit in changed:
        try:
            check_segment_size(normalize(edit.text))
        except TooLarge as error:
            raise ContentError(
                _l("segment %(key)s: %(problem)s"), key=edit.key, problem=error.message
            ) from None


def _check_quality(
    edition: Edition, counterpart: Counterpart, changed: Sequence[_EditedSegment]
) -> None:
    """Refuse new texts with quality errors: readers of a published counterpart see them."""
    errors = quality_errors(
        edition,
        (
            (segment.key, segment.text, normalize(edit.text))
            for segment, translation, edit in changed
            if normalize(edit.text)
            and (translation is None or normalize(edit.text) != translation.text)
        ),
    )
    if errors:
        raise QualityErrors(counterpart.edition, errors)


def _write_edits(
    session: Session,
    user: User,
    counterpart: Counterpart,
    changed: Sequence[_EditedSegment],
    draft: bool,
) -> SaveResult:
    result = SaveResult()
    # Each segment once: no need to flush before every look-up (a page is 50 of them).
    with session.no_autoflush:
        for segment, translation, edit in changed:
            text = normalize(edit.text)
            if _needs_new_text(segment, translation, edit, text, draft):
                translation = (
                    translate_segment(
                        session, counterpart, segment, text, user=user, draft=draft, refresh=False
                    )
                    or translation
                )
                result.saved.append(segment.key)
            if translation is not None:
                translation.reviewed = edit.reviewed and not draft
                if translation.reviewed:
                    result.reviewed.append(segment.key)
    return result


def _needs_new_text(
    segment: Segment, translation: Translation | None, edit: Edit, text: str, draft: bool
) -> bool:
    """Whether the edit records a translation, rather than only marking one reviewed."""
    if translation is None or text != translation.text or translation.draft != draft:
        return True
    # Reviewing a stale segment confirms its text against the source as it is now.
    return edit.reviewed and translation.source_checksum != segment.checksum


def publish_counterpart(
    session: Session, user: User, edition: Edition, counterpart: Counterpart
) -> None:
    """Publish only a complete, current translation with no quality errors."""
    check_may_edit(user, counterpart.edition)
    publish(session, counterpart, edition)
    mark_status_changed(session, counterpart.article_id)


def start_counterpart(
    session: Session,
    editions: Mapping[str, Edition],
    user: User,
    article: Article,
    edition: str,
) -> Counterpart:
    check_translatable(editions, article, edition)
    check_may_edit(user, edition)
    counterpart = add_counterpart(session, editions, article, edition)
    mark_status_changed(session, article.id)
    return counterpart


__all__ = [
    "PAGE_SIZE",
    "Conflict",
    "ConflictingSegment",
    "Edit",
    "EditorPage",
    "EditorSegment",
    "NotReadyToPublish",
    "QualityErrors",
    "SaveResult",
    "SegmentState",
    "editor_page",
    "page_of",
    "publish_counterpart",
    "save_segments",
    "segment_findings",
    "start_counterpart",
]
