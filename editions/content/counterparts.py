"""Counterparts: an article in another edition, translated segment by segment and published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from editions.content.articles import (
    SUMMARY,
    TEASER,
    TITLE,
    SourceText,
    body_segments,
    get_counterpart,
    source_segments,
)
from editions.content.search import index_counterpart
from editions.content.status import mark_status_changed
from editions.core.errors import ContentError, check_edition, check_translatable
from editions.core.languages import Edition
from editions.core.messages import Message, _l
from editions.core.models import (
    Article,
    Counterpart,
    PublicationState,
    Segment,
    Translation,
    TranslationChange,
    User,
    utcnow,
)
from editions.core.transactions import lock_article
from editions.text.checks import Finding, check_segment
from editions.text.rendering import render_markdown
from editions.text.segmentation import (
    Block,
    checksum,
    join_blocks,
    normalize,
)

BLOCK_KINDS = {
    "heading": _l("heading"),
    "paragraph": _l("paragraph"),
    "item": _l("list item"),
    "quote": _l("quote"),
}


class BodyMismatch(ContentError):
    """A translated body that does not follow the source's blocks one for one."""


class NotReadyToPublish(ContentError):
    def __init__(self, edition: str, untranslated: Sequence[str], stale: Sequence[str]) -> None:
        if untranslated and stale:
            template = _l(
                "the %(edition)s counterpart cannot be published yet "
                "(untranslated: %(untranslated)s; stale: %(stale)s)"
            )
        elif stale:
            template = _l("the %(edition)s counterpart cannot be published yet (stale: %(stale)s)")
        else:
            template = _l(
                "the %(edition)s counterpart cannot be published yet "
                "(untranslated: %(untranslated)s)"
            )
        super().__init__(
            template, edition=edition, untranslated=", ".join(untranslated), stale=", ".join(stale)
        )
        self.untranslated = tuple(untranslated)
        self.stale = tuple(stale)


class QualityErrors(ContentError):
    """Translations the quality checks find errors in: they are not published."""

    SHOWN = 10  # segments named in the message; ``findings`` has them all

    def __init__(self, edition: str, findings: Mapping[str, Sequence[Finding]]) -> None:
        details = tuple(
            Message(
                _l("segment %(key)s: %(problem)s"),
                {"key": key, "problem": Message(found[0].message, found[0].params)},
            )
            for key, found in list(findings.items())[: self.SHOWN]
        )
        super().__init__(
            _l("the quality checks found errors in the %(edition)s translation: %(details)s"),
            edition=edition,
            details=details,
        )
        self.findings = dict(findings)


def quality_errors(
    edition: Edition, pairs: Iterable[tuple[str, str, str]]
) -> dict[str, list[Finding]]:
    """The error findings of each (key, source, translation) that has some."""
    errors = {
        key: [finding for finding in check_segment(source, target, edition) if finding.is_error]
        for key, source, target in pairs
    }
    return {key: found for key, found in errors.items() if found}


def add_counterpart(
    session: Session, editions: Mapping[str, Edition], article: Article, edition: str
) -> Counterpart:
    check_edition(editions, edition)
    lock_article(session, article.id)
    if get_counterpart(session, article.id, edition) is not None:
        raise ContentError(
            _l("article %(article_id)s already has a %(edition)s counterpart"),
            article_id=article.id,
            edition=edition,
        )
    counterpart = Counterpart(article_id=article.id, edition=edition, state=PublicationState.DRAFT)
    session.add(counterpart)
    mark_status_changed(session, article.id)
    session.flush()
    return counterpart


def translate_segment(
    session: Session,
    counterpart: Counterpart,
    segment: Segment,
    text: str,
    *,
    user: User | None = None,
    draft: bool = False,
    source_text: str | None = None,
    origin: str = "editor",
    refresh: bool = True,
) -> Translation | None:
    """Record a translation of one segment, made from ``source_text`` (default: the current
    source). Returns None when nothing changed; every change is kept in history."""
    current = translations_of(session, counterpart, [segment.id]).get(segment.id)
    translation = record_translation(
        session,
        counterpart,
        segment,
        current,
        text,
        user=user,
        draft=draft,
        source_text=source_text,
        origin=origin,
    )
    if translation is not None and refresh:
        session.flush()
        refresh_counterpart(session, counterpart)
    return translation


def translations_of(
    session: Session, counterpart: Counterpart, segment_ids: Sequence[int]
) -> dict[int, Translation]:
    """The counterpart's translations of these segments, by segment id, in one statement."""
    return {
        translation.segment_id: translation
        for translation in session.scalars(
            select(Translation).where(
                Translation.counterpart_id == counterpart.id,
                Translation.segment_id.in_(segment_ids),
            )
        )
    }


def record_translation(
    session: Session,
    counterpart: Counterpart,
    segment: Segment,
    current: Translation | None,
    text: str,
    *,
    user: User | None = None,
    draft: bool = False,
    source_text: str | None = None,
    origin: str = "editor",
) -> Translation | None:
    """``translate_segment`` for a caller that has read the segment's ``current``
    translation already (with ``translations_of``, for many segments at once): it reads
    nothing, so many segments are written in one flush."""
    if counterpart.edition == session.get(Article, counterpart.article_id).source_edition:  # type: ignore[union-attr]
        raise ContentError(_l("the source edition is edited as source, not translated"))
    text = normalize(text)
    if not text:
        raise ContentError(_l("the translation of segment %(key)s is empty"), key=segment.key)
    made_from = normalize(source_text) if source_text is not None else segment.text
    if current is not None and (current.text, current.source_checksum, current.draft) == (
        text,
        checksum(made_from),
        draft,
    ):
        return None
    session.add(
        TranslationChange(
            counterpart_id=counterpart.id,
            segment_key=segment.key,
            old_text=current.text if current else None,
            new_text=text,
            origin=origin,
            user_id=user.id if user else None,
            source_checksum=None if draft else checksum(made_from),
        )
    )
    translation = current or Translation(counterpart_id=counterpart.id, segment_id=segment.id)
    if current is None:
        session.add(translation)
    translation.text = text
    translation.source_text = made_from
    translation.source_checksum = checksum(made_from)
    translation.draft = draft
    translation.reviewed = False
    translation.updated_by_id = user.id if user else None
    return translation


def import_counterpart(
    session: Session,
    editions: Mapping[str, Edition],
    article: Article,
    edition: str,
    text: SourceText,
    *,
    state: PublicationState = PublicationState.PUBLISHED,
    user: User | None = None,
    origin: str = "import",
) -> Counterpart:
    """A whole translated text, paired block by block with the current source.

    The translation must mirror the source's structure: the same number of blocks
    in the same order; each is recorded as translated from the current source text.
    """
    check_translatable(editions, article, edition)
    blocks = text.blocks()
    lock_article(session, article.id)
    segments = source_segments(session, article.id)
    body = body_segments(segments)
    if len(blocks) != len(body):
        raise BodyMismatch(
            _l(
                "the %(edition)s text of article %(article_id)s has %(found)s blocks but the "
                "source has %(expected)s; a translation must keep the source's paragraphs, "
                "headings and list items one for one"
            ),
            edition=edition,
            article_id=article.id,
            found=len(blocks),
            expected=len(body),
        )
    for block, segment in zip(blocks, body, strict=True):
        if block.kind != segment.kind:
            raise BodyMismatch(
                _l(
                    "block %(number)s of the %(edition)s text is a %(found)s "
                    "where the source has a %(expected)s"
                ),
                number=segment.position - 1,
                edition=edition,
                found=Message(BLOCK_KINDS[block.kind]),
                expected=Message(BLOCK_KINDS[segment.kind]),
            )
    counterpart = get_counterpart(session, article.id, edition) or add_counterpart(
        session, editions, article, edition
    )
    pairs: list[tuple[Segment, str]] = [
        (segment, block.text) for segment, block in zip(body, blocks, strict=True)
    ]
    by_key = {segment.key: segment for segment in segments}
    pairs.insert(0, (by_key[TITLE], text.title))
    if SUMMARY in by_key and normalize(text.summary):
        pairs.insert(1, (by_key[SUMMARY], text.summary))
    current = translations_of(session, counterpart, [segment.id for segment, _ in pairs])
    for segment, translated in pairs:
        record_translation(
            session,
            counterpart,
            segment,
            current.get(segment.id),
            translated,
            user=user,
            origin=origin,
        )
    session.flush()
    refresh_counterpart(session, counterpart)
    if state is PublicationState.PUBLISHED:
        publish(session, counterpart, check_edition(editions, edition))
    elif state is PublicationState.DRAFT:
        counterpart.state = PublicationState.DRAFT
        mark_status_changed(session, article.id)
    return counterpart


def segments_with_translations(
    article_id: int, counterpart_id: int | None, *columns: Any
) -> Select:
    """An article's segments in order, each beside its translation in one counterpart (None
    where it has none, and everywhere when ``counterpart_id`` is None); ``columns`` are taken
    from ``Segment`` and ``Translation``, both by default."""
    return (
        select(*(columns or (Segment, Translation)))
        .select_from(Segment)
        .outerjoin(
            Translation,
            (Translation.segment_id == Segment.id) & (Translation.counterpart_id == counterpart_id),
        )
        .where(Segment.article_id == article_id)
        .order_by(Segment.position)
    )


def refresh_counterpart(session: Session, counterpart: Counterpart) -> None:
    """Rebuild what readers see of a translation from its segments."""
    rows = session.execute(
        segments_with_translations(
            counterpart.article_id, counterpart.id, Segment, Translation.text
        )
    ).all()
    texts = {segment.key: translated for segment, translated in rows if translated}
    blocks = [
        Block(segment.kind, texts[segment.key], segment.prefix, segment.continues)
        for segment, _ in rows
        if segment.key not in (TITLE, SUMMARY) and segment.kind != TEASER and segment.key in texts
    ]
    counterpart.title = texts.get(TITLE, "")
    counterpart.summary = texts.get(SUMMARY, "")
    counterpart.body = join_blocks(blocks)
    counterpart.body_html = render_markdown(counterpart.body)
    index_counterpart(session, counterpart)
    mark_status_changed(session, counterpart.article_id)


def unfinished_segments(session: Session, counterpart: Counterpart) -> tuple[list[str], list[str]]:
    """Keys of segments not yet translated (or only as a draft) and of stale ones."""
    rows = session.execute(
        segments_with_translations(
            counterpart.article_id,
            counterpart.id,
            Segment.key,
            Segment.checksum,
            Translation.source_checksum,
            Translation.draft,
        )
    ).all()
    untranslated = [key for key, _, made_from, draft in rows if made_from is None or draft]
    stale = [
        key
        for key, current, made_from, draft in rows
        if made_from is not None and not draft and made_from != current
    ]
    return untranslated, stale


def publish(session: Session, counterpart: Counterpart, edition: Edition) -> None:
    """Publish a counterpart (again): the one gate every path goes through (segment
    editor, API, article files; a PO import never publishes).

    Only a complete, current translation without quality errors goes out; otherwise
    ``NotReadyToPublish`` or ``QualityErrors`` and nothing changes.
    """
    article = session.get(Article, counterpart.article_id)
    assert article is not None
    if counterpart.edition != article.source_edition:
        untranslated, stale = unfinished_segments(session, counterpart)
        if untranslated or stale:
            raise NotReadyToPublish(counterpart.edition, untranslated, stale)
        rows = session.execute(
            select(Segment.key, Segment.text, Translation.text)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Translation.counterpart_id == counterpart.id)
            .order_by(Segment.position)
        ).all()
        errors = quality_errors(edition, rows)
        if errors:
            raise QualityErrors(counterpart.edition, errors)
    counterpart.state = PublicationState.PUBLISHED
    counterpart.published_at = counterpart.published_at or utcnow()
    mark_status_changed(session, article.id)
