"""Articles and their source text: look-ups, authors, tags, ids and the text's checks.

Every function takes the session and leaves committing to its caller, so a request
or a command is one transaction that either lands whole or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from editions.core.errors import ArticleNotFound, ContentError, check_edition
from editions.core.ids import MAX_ID
from editions.core.languages import Edition
from editions.core.messages import Message, _l
from editions.core.models import (
    Article,
    Author,
    AuthorName,
    Counterpart,
    Section,
    Segment,
    Tag,
    TagLabel,
)
from editions.text.segmentation import (
    Block,
    normalize,
    split_body,
)

TITLE, SUMMARY = "title", "summary"
# Segments of an article that live beside its body rather than in it: a newsletter
# issue's per-item teasers (editions.newsletter) are translated, checked and exported
# like any segment, but never part of the Markdown body a translation is rebuilt into.
TEASER = "teaser"


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


def parse_section(name: str) -> Section:
    """The section called ``name``, or a refusal that lists the sections there are."""
    known = [member.value for member in Section]
    if name not in known:
        raise ContentError(
            _l("unknown section '%(section)s'; sections are: %(known)s"),
            section=name,
            known=", ".join(known),
        )
    return Section(name)


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


def body_segments(segments: Iterable[Segment]) -> list[Segment]:
    """The segments that make up the body, in order: not the title, summary or teasers."""
    return [
        segment
        for segment in segments
        if segment.key not in (TITLE, SUMMARY) and segment.kind != TEASER
    ]


def articles_with_metadata(session: Session, ids: Iterable[int]) -> dict[int, Article]:
    """Articles by id with their author and tags, loaded in two statements for any number."""
    return {
        article.id: article
        for article in session.scalars(
            select(Article)
            .options(selectinload(Article.tags), joinedload(Article.author))
            .where(Article.id.in_(list(ids)))
        )
    }


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
