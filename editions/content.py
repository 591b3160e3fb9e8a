"""Operations on articles, their source text and their counterparts.

Every function takes the session and leaves committing to its caller, so a request
or a command is one transaction that either lands whole or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from editions.alignment import Alignment, Change, align
from editions.checks import Finding, check_segment, links_in, numbers_in
from editions.ids import MAX_ID
from editions.languages import Edition, UnknownEditionError
from editions.messages import EditionsError, Message, _l
from editions.models import (
    Article,
    Author,
    AuthorName,
    Counterpart,
    PublicationState,
    Section,
    Segment,
    SourceRevision,
    Tag,
    TagLabel,
    Translation,
    TranslationChange,
    User,
    utcnow,
)
from editions.rendering import render_markdown
from editions.search import index_counterpart
from editions.segmentation import (
    Block,
    MarkdownError,
    checksum,
    count_words,
    join_blocks,
    normalize,
    split_body,
)
from editions.status import mark_status_changed
from editions.transactions import lock_article, lock_article_catalogue

TITLE, SUMMARY = "title", "summary"
# Segments of an article that live beside its body rather than in it: a newsletter
# issue's per-item teasers (editions.newsletter) are translated, checked and exported
# like any segment, but never part of the Markdown body a translation is rebuilt into.
TEASER = "teaser"
BLOCK_KINDS = {
    "heading": _l("heading"),
    "paragraph": _l("paragraph"),
    "item": _l("list item"),
    "quote": _l("quote"),
}


class ContentError(EditionsError):
    """A request the content model refuses, with a message for the person who made it."""


class BodyMismatch(ContentError):
    """A translated body that does not follow the source's blocks one for one."""


class ArticleNotFound(ContentError):
    def __init__(self, article_id: int) -> None:
        super().__init__(_l("there is no article %(article_id)s"), article_id=article_id)
        self.article_id = article_id


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


@dataclass(frozen=True)
class SourceText:
    title: str
    summary: str
    body: str

    def blocks(self) -> list[Block]:
        if not normalize(self.title):
            raise ContentError(_l("the title is empty"))
        check_plain_text(Message(_l("title")), self.title)
        check_plain_text(Message(_l("summary")), self.summary)
        return split_body(self.body)


# Zero-width (non-)joiners belong to Persian and Kurdish spelling; every other control or
# format character (NUL, bidi overrides such as U+202E, marks) is invisible and can hide
# or reorder what a reader sees. Whitespace is folded by ``normalize``.
_ALLOWED_INVISIBLE = frozenset("\u200c\u200d\t\n\r")


def check_plain_text(what: Message, text: str) -> None:
    """Refuse a title, summary, author or tag that holds an invisible control character."""
    for character in text:
        if unicodedata.category(character) in {"Cc", "Cf", "Cs"} and (
            character not in _ALLOWED_INVISIBLE
        ):
            raise ContentError(
                _l("the %(what)s contains an invisible control character (U+%(code)s)"),
                what=what,
                code=f"{ord(character):04X}",
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


# ---------------------------------------------------------------- look-ups


def body_segments(segments: Iterable[Segment]) -> list[Segment]:
    """The segments that make up the body, in order: not the title, summary or teasers."""
    return [
        segment
        for segment in segments
        if segment.key not in (TITLE, SUMMARY) and segment.kind != TEASER
    ]


def get_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise ArticleNotFound(article_id)
    return article


def get_counterpart(session: Session, article_id: int, edition: str) -> Counterpart | None:
    return session.scalars(
        select(Counterpart).where(
            Counterpart.article_id == article_id, Counterpart.edition == edition
        )
    ).one_or_none()


def source_segments(session: Session, article_id: int) -> list[Segment]:
    return list(
        session.scalars(
            select(Segment).where(Segment.article_id == article_id).order_by(Segment.position)
        )
    )


def check_edition(editions: Mapping[str, Edition], code: str) -> Edition:
    try:
        return editions[code]
    except KeyError:
        raise UnknownEditionError(code, editions) from None


def check_translatable(editions: Mapping[str, Edition], article: Article, code: str) -> Edition:
    """An edition the article is translated into: a configured one other than its source."""
    edition = check_edition(editions, code)
    if code == article.source_edition:
        raise ContentError(
            _l("%(edition)s is the source edition of article %(article_id)s"),
            edition=code,
            article_id=article.id,
        )
    return edition


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_") or "item"


def ensure_author(session: Session, name: str) -> Author:
    check_plain_text(Message(_l("author")), name)
    slug = slugify(name)
    author = session.scalars(select(Author).where(Author.slug == slug)).one_or_none()
    if author is None:
        author = Author(name=name.strip(), slug=slug)
        session.add(author)
    return author


def name_author(
    session: Session, editions: Mapping[str, Edition], slug: str, edition: str, name: str
) -> Author:
    """Set how ``edition`` writes an author's name; an empty name goes back to the source form."""
    check_edition(editions, edition)
    author = session.scalars(select(Author).where(Author.slug == slug)).one_or_none()
    if author is None:
        raise ContentError(_l("there is no author '%(slug)s'"), slug=slug)
    name = normalize(name)
    kept = next((entry for entry in author.names if entry.edition == edition), None)
    if not name:
        if kept is not None:
            author.names.remove(kept)
    elif kept is None:
        author.names.append(AuthorName(edition=edition, name=name))
    else:
        kept.name = name
    return author


def ensure_tags(
    session: Session, slugs: Iterable[str], labels: Mapping[str, Mapping[str, str]] | None = None
) -> list[Tag]:
    # "Books" and "books" are one tag: keep the first spelling's order, once.
    slugs = list(slugs)
    for slug in slugs:
        check_plain_text(Message(_l("tag")), slug)
    wanted = list(dict.fromkeys(slugify(slug) for slug in slugs))
    existing = {tag.slug: tag for tag in session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    tags = []
    for slug in wanted:
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(slug=slug)
            session.add(tag)
            existing[slug] = tag
        for edition, name in (labels or {}).get(slug, {}).items():
            if not any(label.edition == edition for label in tag.labels):
                tag.labels.append(TagLabel(edition=edition, name=name))
        tags.append(tag)
    return tags


# ---------------------------------------------------------------- the source


def next_article_id(session: Session) -> int:
    """The id after the highest; once an article holds the highest id possible (an import
    may give any valid id), the lowest free one."""
    after_highest = (session.scalar(select(func.max(Article.id))) or 0) + 1
    if after_highest <= MAX_ID:
        return after_highest
    taken = aliased(Article)
    lowest_free = session.scalar(
        select(func.min(Article.id) + 1).where(
            ~select(taken.id).where(taken.id == Article.id + 1).exists(), Article.id < MAX_ID
        )
    )
    if lowest_free is None:
        raise ContentError(_l("every article id is taken"))
    return 1 if session.get(Article, 1) is None else lowest_free


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
    try:
        section = Section(section)
    except ValueError:
        known = ", ".join(member.value for member in Section)
        raise ContentError(
            _l("unknown section '%(section)s'; sections are: %(known)s"),
            section=section,
            known=known,
        ) from None
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
    segments = source_segments(session, article.id)
    by_key = {segment.key: segment for segment in segments}
    body = body_segments(segments)
    impact = _impact(session, article, segments, text, blocks, keys_for_new=None)
    alignment = align_blocks(body, blocks)

    if impact.removed:
        session.execute(
            delete(Segment).where(Segment.article_id == article.id, Segment.key.in_(impact.removed))
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

    if minor and previous_text:
        _carry_translations_over(session, previous_text)
    rewritten = [
        segment
        for segment in source_segments(session, article.id)
        if segment.id in previous_text or segment.key not in by_key
    ]
    restored = restore_translations(session, article, rewritten)

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
            summary=summary,
            body=text.body,
            minor=minor,
            note=note.strip(),
            created_by_id=user.id if user else None,
        )
    )
    source.title, source.summary, source.body = normalize(text.title), summary, text.body
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
    for counterpart_id, made_from, text in session.execute(
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
            translate_segment(session, counterpart, segment, text, origin="restored", refresh=False)
            restored += 1
    session.flush()
    return restored


# ---------------------------------------------------------------- counterparts


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
    if counterpart.edition == session.get(Article, counterpart.article_id).source_edition:  # type: ignore[union-attr]
        raise ContentError(_l("the source edition is edited as source, not translated"))
    text = normalize(text)
    if not text:
        raise ContentError(_l("the translation of segment %(key)s is empty"), key=segment.key)
    made_from = normalize(source_text) if source_text is not None else segment.text
    translation = session.scalars(
        select(Translation).where(
            Translation.counterpart_id == counterpart.id, Translation.segment_id == segment.id
        )
    ).one_or_none()
    if translation is not None and (
        translation.text,
        translation.source_checksum,
        translation.draft,
    ) == (text, checksum(made_from), draft):
        return None
    session.add(
        TranslationChange(
            counterpart_id=counterpart.id,
            segment_key=segment.key,
            old_text=translation.text if translation else None,
            new_text=text,
            origin=origin,
            user_id=user.id if user else None,
            source_checksum=None if draft else checksum(made_from),
        )
    )
    if translation is None:
        translation = Translation(counterpart_id=counterpart.id, segment_id=segment.id)
        session.add(translation)
    translation.text = text
    translation.source_text = made_from
    translation.source_checksum = checksum(made_from)
    translation.draft = draft
    translation.reviewed = False
    translation.updated_by_id = user.id if user else None
    if refresh:
        session.flush()
        refresh_counterpart(session, counterpart)
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
    for segment, translated in pairs:
        translate_segment(
            session, counterpart, segment, translated, user=user, origin=origin, refresh=False
        )
    session.flush()
    refresh_counterpart(session, counterpart)
    if state is PublicationState.PUBLISHED:
        publish(session, counterpart, check_edition(editions, edition))
    elif state is PublicationState.DRAFT:
        counterpart.state = PublicationState.DRAFT
        mark_status_changed(session, article.id)
    return counterpart


def refresh_counterpart(session: Session, counterpart: Counterpart) -> None:
    """Rebuild what readers see of a translation from its segments."""
    rows = session.execute(
        select(Segment, Translation.text)
        .outerjoin(
            Translation,
            (Translation.segment_id == Segment.id) & (Translation.counterpart_id == counterpart.id),
        )
        .where(Segment.article_id == counterpart.article_id)
        .order_by(Segment.position)
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
        select(Segment.key, Segment.checksum, Translation.source_checksum, Translation.draft)
        .outerjoin(
            Translation,
            (Translation.segment_id == Segment.id) & (Translation.counterpart_id == counterpart.id),
        )
        .where(Segment.article_id == counterpart.article_id)
        .order_by(Segment.position)
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


__all__ = [
    "ArticleNotFound",
    "ContentError",
    "Impact",
    "MarkdownError",
    "NotReadyToPublish",
    "QualityErrors",
    "SourceText",
    "add_counterpart",
    "create_article",
    "get_article",
    "get_counterpart",
    "import_counterpart",
    "preview_revision",
    "publish",
    "quality_errors",
    "refresh_counterpart",
    "revise_source",
    "translate_segment",
]
