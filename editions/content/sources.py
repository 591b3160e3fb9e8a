"""The source of an article: created, revised, previewed; translations carried over or restored.

A revision aligns the new blocks with the old segments, so only the paragraphs that changed
make their translations stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from editions.content.articles import (
    SUMMARY,
    TITLE,
    SourceText,
    body_segments,
    ensure_author,
    ensure_tags,
    get_counterpart,
    next_article_id,
    parse_section,
    source_segments,
)
from editions.content.counterparts import record_translation, refresh_counterpart
from editions.content.search import index_counterpart
from editions.content.status import mark_status_changed
from editions.core.errors import ContentError, check_edition
from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import (
    Article,
    Counterpart,
    PublicationState,
    Section,
    Segment,
    SourceRevision,
    Translation,
    TranslationChange,
    User,
    utcnow,
)
from editions.core.transactions import lock_article, lock_article_catalogue
from editions.text.alignment import Alignment, Change, align
from editions.text.checks import links_in, numbers_in
from editions.text.rendering import render_markdown
from editions.text.segmentation import (
    Block,
    checksum,
    count_words,
    normalize,
)


@dataclass(frozen=True)
class Impact:
    """What a source edit does to the other editions, before or after it is saved."""

    edited: tuple[str, ...] = ()  # keys whose translations become stale
    added: tuple[str, ...] = ()  # keys with nothing to show yet
    removed: tuple[str, ...] = ()
    affected_editions: tuple[str, ...] = field(default=())

    @property
    def changes_anything(self) -> bool:
        return bool(self.edited or self.added or self.removed)


def create_article(
    session: Session,
    editions: Mapping[str, Edition],
    *,
    source_edition: str,
    section: Section | str,
    text: SourceText,
    published_on: date,
    article_id: int | None = None,
    author: str | None = None,
    tags: Iterable[str] = (),
    state: PublicationState = PublicationState.PUBLISHED,
    issue_number: int | None = None,
    slug: str | None = None,
    user: User | None = None,
) -> Article:
    check_edition(editions, source_edition)
    section = parse_section(section)
    blocks = text.blocks()  # refuse bad Markdown before anything is written
    lock_article_catalogue(session)
    if article_id is not None and session.get(Article, article_id) is not None:
        raise ContentError(_l("article %(article_id)s already exists"), article_id=article_id)
    article = Article(
        id=article_id or next_article_id(session),
        section=section,
        source_edition=source_edition,
        published_on=published_on,
        issue_number=issue_number,
        slug=slug,
        author=ensure_author(session, author) if author else None,
        segment_counter=0,
    )
    article.tags = ensure_tags(session, tags)
    session.add(article)
    source = Counterpart(article=article, edition=source_edition, state=PublicationState(state))
    session.add(source)
    session.flush()
    _write_source(session, article, source, text, blocks, user=user, minor=False, note="")
    return article


def preview_revision(session: Session, article: Article, text: SourceText) -> Impact:
    """The impact a source edit would have, computed without writing anything."""
    blocks = text.blocks()
    segments = source_segments(session, article.id)
    return _impact(session, article, segments, text, blocks, keys_for_new=None)


def revise_source(
    session: Session,
    article: Article,
    text: SourceText,
    *,
    user: User | None = None,
    minor: bool = False,
    note: str = "",
) -> Impact:
    """Save a new version of the source; translations of edited segments become stale.

    A *minor* edit (a typo, punctuation) carries every current translation over to
    the new source text, so the counterparts stay current; the revision records who
    chose that and why.
    """
    blocks = text.blocks()
    if minor and not note.strip():
        raise ContentError(_l("a minor edit needs a note saying why translations stay current"))
    lock_article(session, article.id)
    source = get_counterpart(session, article.id, article.source_edition)
    assert source is not None, "every article has its source counterpart"
    if minor:
        _check_minor(source_segments(session, article.id), text, blocks)
    return _write_source(session, article, source, text, blocks, user=user, minor=minor, note=note)


def _check_minor(segments: Sequence[Segment], text: SourceText, blocks: Sequence[Block]) -> None:
    """A minor edit keeps translations current, so it may not change what every translation
    must carry over exactly: a number, a link target or an image."""
    by_key = {segment.key: segment for segment in segments}
    body = body_segments(segments)
    pairs = [
        (by_key[key].text, normalize(new))
        for key, new in ((TITLE, text.title), (SUMMARY, text.summary))
        if key in by_key
    ]
    for aligned, block in zip(align_blocks(body, blocks).blocks, blocks, strict=True):
        if aligned.old_index is not None:
            pairs.append((body[aligned.old_index].text, block.text))
    changed = [
        new
        for old, new in pairs
        if old != new and (numbers_in(old) != numbers_in(new) or links_in(old) != links_in(new))
    ]
    if changed:
        raise ContentError(
            _l(
                "a minor edit keeps translations current, so it cannot change a number or a "
                "link; save this as an ordinary edit (changed: %(excerpts)s)"
            ),
            excerpts="; ".join(_excerpt(new) for new in changed),
        )


def _excerpt(text: str, words: int = 8) -> str:
    head = text.split()
    return "“" + " ".join(head[:words]) + ("…" if len(head) > words else "") + "”"


def _impact(
    session: Session,
    article: Article,
    segments: Sequence[Segment],
    text: SourceText,
    blocks: Sequence[Block],
    keys_for_new: list[str] | None,
) -> Impact:
    by_key = {segment.key: segment for segment in segments}
    body = body_segments(segments)
    alignment = align_blocks(body, blocks)
    edited = [
        key
        for key, new in ((TITLE, text.title), (SUMMARY, text.summary))
        if key in by_key and by_key[key].text != normalize(new)
    ]
    added = [] if SUMMARY in by_key or not normalize(text.summary) else [SUMMARY]
    counter = article.segment_counter
    for aligned in alignment.blocks:
        if aligned.change in (Change.EDITED, Change.REWRITTEN):
            edited.append(body[aligned.old_index].key)  # type: ignore[index]
        elif aligned.change is Change.NEW:
            counter += 1
            added.append(f"b{counter}")
    removed = [body[index].key for index in alignment.removed]
    editions = session.scalars(
        select(Counterpart.edition).where(
            Counterpart.article_id == article.id, Counterpart.edition != article.source_edition
        )
    ).all()
    if keys_for_new is not None:
        keys_for_new.extend(added)
    return Impact(tuple(edited), tuple(added), tuple(removed), tuple(sorted(editions)))


def align_blocks(body: Sequence[Segment], blocks: Sequence[Block]) -> Alignment:
    return align(
        [segment.text for segment in body],
        [block.text for block in blocks],
        old_kinds=[segment.kind for segment in body],
        new_kinds=[block.kind for block in blocks],
    )


def _write_source(
    session: Session,
    article: Article,
    source: Counterpart,
    text: SourceText,
    blocks: Sequence[Block],
    *,
    user: User | None,
    minor: bool,
    note: str,
) -> Impact:
    """Write a new version of the source: its segments (keys kept where the text was),
    translations carried over or restored, a revision in its history, the text readers
    see, and the counterparts rebuilt when their segments changed."""
    segments = source_segments(session, article.id)
    impact = _impact(session, article, segments, text, blocks, keys_for_new=None)
    previous_text = _write_segments(session, article, segments, text, blocks, impact.removed)
    if minor and previous_text:
        _carry_translations_over(session, previous_text)
    known = {segment.key for segment in segments}
    rewritten = [
        segment
        for segment in source_segments(session, article.id)
        if segment.id in previous_text or segment.key not in known
    ]
    restored = restore_translations(session, article, rewritten)
    _add_revision(session, article, text, user=user, minor=minor, note=note)
    source.title, source.summary = normalize(text.title), normalize(text.summary)
    source.body = text.body
    source.body_html = render_markdown(text.body)
    index_counterpart(session, source)
    article.updated_at = utcnow()
    mark_status_changed(session, article.id)
    session.flush()
    if impact.changes_anything or restored:
        for counterpart in session.scalars(
            select(Counterpart).where(
                Counterpart.article_id == article.id,
                Counterpart.edition != article.source_edition,
            )
        ):
            refresh_counterpart(session, counterpart)
    return impact


def _write_segments(
    session: Session,
    article: Article,
    segments: Sequence[Segment],
    text: SourceText,
    blocks: Sequence[Block],
    removed: Sequence[str],
) -> dict[int, str]:
    """Put the new text into the article's segments, each aligned block keeping the key it
    inherits; returns the earlier text of each segment whose text changed, by id."""
    by_key = {segment.key: segment for segment in segments}
    body = body_segments(segments)
    alignment = align_blocks(body, blocks)
    if removed:
        session.execute(
            delete(Segment).where(Segment.article_id == article.id, Segment.key.in_(removed))
        )
    previous_text: dict[int, str] = {}

    def put(segment: Segment | None, key: str, kind: str, position: int, block: Block) -> None:
        if segment is None:
            segment = Segment(article_id=article.id, key=key)
            session.add(segment)
        elif segment.text != block.text:
            previous_text[segment.id] = segment.text
        segment.kind, segment.position = kind, position
        segment.prefix, segment.continues = block.prefix, block.continues
        segment.text, segment.checksum = block.text, checksum(block.text)
        segment.words = count_words(block.text)

    put(by_key.get(TITLE), TITLE, TITLE, 0, Block(TITLE, normalize(text.title)))
    summary = normalize(text.summary)
    if summary:
        put(by_key.get(SUMMARY), SUMMARY, SUMMARY, 1, Block(SUMMARY, summary))
    elif SUMMARY in by_key:
        session.delete(by_key[SUMMARY])
    for position, (aligned, block) in enumerate(zip(alignment.blocks, blocks, strict=True), 2):
        if aligned.old_index is None:
            article.segment_counter += 1
            put(None, f"b{article.segment_counter}", block.kind, position, block)
        else:
            put(body[aligned.old_index], body[aligned.old_index].key, block.kind, position, block)
    session.flush()
    return previous_text


def _add_revision(
    session: Session,
    article: Article,
    text: SourceText,
    *,
    user: User | None,
    minor: bool,
    note: str,
) -> None:
    """Keep this version of the source in the article's history, numbered after the last."""
    number = (
        session.scalar(
            select(func.max(SourceRevision.number)).where(SourceRevision.article_id == article.id)
        )
        or 0
    ) + 1
    session.add(
        SourceRevision(
            article_id=article.id,
            number=number,
            title=normalize(text.title),
            summary=normalize(text.summary),
            body=text.body,
            minor=minor,
            note=note.strip(),
            created_by_id=user.id if user else None,
        )
    )


def _carry_translations_over(session: Session, previous_text: Mapping[int, str]) -> None:
    """Mark translations that were current for the old text as made from the new one."""
    segments = {
        segment.id: segment
        for segment in session.scalars(select(Segment).where(Segment.id.in_(previous_text)))
    }
    for translation in session.scalars(
        select(Translation).where(Translation.segment_id.in_(previous_text))
    ):
        if translation.source_checksum == checksum(previous_text[translation.segment_id]):
            segment = segments[translation.segment_id]
            translation.source_text = segment.text
            translation.source_checksum = segment.checksum


def restore_translations(session: Session, article: Article, segments: Sequence[Segment]) -> int:
    """Give each segment whose text a counterpart translated before that translation back.

    Text that comes back into the source (a paragraph deleted and restored, an edit
    reverted, a sentence said again) was translated already: the newest finished
    translation any counterpart made from exactly this text, found in its history or
    among its current translations, becomes current again, recorded as ``restored``.
    A draft in progress is left alone. Returns how many translations came back.
    """
    if not segments:
        return 0
    by_checksum: dict[str, list[Segment]] = {}
    for segment in segments:
        by_checksum.setdefault(segment.checksum, []).append(segment)
    counterparts = {
        counterpart.id: counterpart
        for counterpart in session.scalars(
            select(Counterpart).where(
                Counterpart.article_id == article.id,
                Counterpart.edition != article.source_edition,
            )
        )
    }
    if not counterparts:
        return 0
    known: dict[tuple[int, str], str] = {}  # (counterpart, source checksum) -> translation
    for counterpart_id, made_from, text in session.execute(
        select(Translation.counterpart_id, Translation.source_checksum, Translation.text).where(
            Translation.counterpart_id.in_(counterparts),
            Translation.source_checksum.in_(by_checksum),
            Translation.draft.is_(False),
        )
    ):
        known[(counterpart_id, made_from)] = text
    # A change's checksum is None for a draft, which the filter on checksums leaves out.
    for counterpart_id, made_from, text in session.execute(  # type: ignore[assignment]
        select(
            TranslationChange.counterpart_id,
            TranslationChange.source_checksum,
            TranslationChange.new_text,
        )
        .where(
            TranslationChange.counterpart_id.in_(counterparts),
            TranslationChange.source_checksum.in_(by_checksum),
        )
        .order_by(TranslationChange.created_at, TranslationChange.id)
    ):
        known[(counterpart_id, made_from)] = text  # the newest wins
    if not known:
        return 0
    existing = {
        (translation.counterpart_id, translation.segment_id): translation
        for translation in session.scalars(
            select(Translation).where(
                Translation.counterpart_id.in_(counterparts),
                Translation.segment_id.in_([segment.id for segment in segments]),
            )
        )
    }
    restored = 0
    for (counterpart_id, made_from), text in known.items():
        for segment in by_checksum[made_from]:
            translation = existing.get((counterpart_id, segment.id))
            if translation is not None and (
                translation.draft or translation.source_checksum == segment.checksum
            ):
                continue
            counterpart = counterparts[counterpart_id]
            record_translation(session, counterpart, segment, translation, text, origin="restored")
            restored += 1
    session.flush()
    return restored
