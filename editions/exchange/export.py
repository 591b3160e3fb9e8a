"""Export: one PO entry per segment, streamed from the database in article order.

An entry's ``msgctxt`` is ``<article id>:<segment key>`` (``16009:b7``): keys are never
reused, so an old file can never write into another paragraph. ``msgid`` is the
current source text and ``msgstr`` the translation, if any. A stale translation is
``#, fuzzy`` with ``#| msgid`` giving the source text it was made from, so Poedit,
Lokalize and Weblate show what changed; a draft is ``#, fuzzy`` alone.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import IO

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from editions.content.articles import parse_section
from editions.core.errors import ContentError
from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import Article, Counterpart, Section, Segment, Translation, utcnow
from editions.exchange.pofiles import write_entry, write_header
from editions.text.terms import Term
from editions.translation.glossary import GlossaryCache

Progress = Callable[[int], object]
_BATCH = 2000  # rows per fetch, and entries per progress update


class Only(StrEnum):
    ALL = "all"
    MISSING = "missing"  # segments with no translation at all
    STALE = "stale"  # translations made from an older source text
    UNTRANSLATED = "untranslated"  # everything not done yet: missing, draft or stale


@dataclass(frozen=True)
class ExportQuery:
    article_ids: tuple[int, ...] = ()
    section: Section | None = None
    since: date | None = None
    until: date | None = None
    only: Only = Only.ALL

    @classmethod
    def build(
        cls,
        *,
        article_ids: tuple[int, ...] = (),
        section: str | None = None,
        since: date | None = None,
        until: date | None = None,
        only: str = "all",
    ) -> ExportQuery:
        """A query from user input, with a clear error for a bad section or range."""
        chosen = parse_section(section) if section else None
        if since and until and since > until:
            raise ContentError(
                _l("the date range is empty: %(since)s is after %(until)s"),
                since=since,
                until=until,
            )
        try:
            wanted = Only(only)
        except ValueError:
            known = ", ".join(member.value for member in Only)
            raise ContentError(
                _l("unknown choice %(only)s; choose one of: %(known)s"), only=only, known=known
            ) from None
        return cls(tuple(article_ids), chosen, since, until, wanted)


def entries_select(code: str, query: ExportQuery) -> Select:
    """Every segment to export into edition ``code``, with its translation, in article order."""
    source = aliased(Counterpart)
    target = aliased(Counterpart)
    stale = Translation.source_checksum != Segment.checksum
    statement = (
        select(
            Article.id.label("article_id"),
            Article.section,
            Article.source_edition,
            source.title.label("article_title"),
            Segment.key,
            Segment.position,
            Segment.text.label("source_text"),
            Translation.text.label("translation"),
            Translation.source_text.label("made_from"),
            Translation.draft,
            stale.label("stale"),
        )
        .join(Segment, Segment.article_id == Article.id)
        .join(
            source, and_(source.article_id == Article.id, source.edition == Article.source_edition)
        )
        .outerjoin(target, and_(target.article_id == Article.id, target.edition == code))
        .outerjoin(
            Translation,
            and_(Translation.counterpart_id == target.id, Translation.segment_id == Segment.id),
        )
        .where(Article.source_edition != code)
        .order_by(Article.id, Segment.position)
    )
    if query.article_ids:
        statement = statement.where(Article.id.in_(query.article_ids))
    if query.section:
        statement = statement.where(Article.section == query.section)
    if query.since:
        statement = statement.where(Article.published_on >= query.since)
    if query.until:
        statement = statement.where(Article.published_on <= query.until)
    if query.only is Only.MISSING:
        statement = statement.where(Translation.id.is_(None))
    elif query.only is Only.STALE:
        statement = statement.where(Translation.id.is_not(None), stale)
    elif query.only is Only.UNTRANSLATED:
        statement = statement.where(or_(Translation.id.is_(None), Translation.draft, stale))
    return statement


def count_entries(session: Session, code: str, query: ExportQuery) -> int:
    return (
        session.scalar(select(func.count()).select_from(entries_select(code, query).subquery()))
        or 0
    )


def export_edition(
    session: Session,
    edition: Edition,
    query: ExportQuery,
    out: IO[str],
    *,
    site_url: str = "",
    created: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the PO file of one edition to ``out``, entry by entry; returns the count.

    Rows come in batches through a server-side cursor on PostgreSQL (``yield_per``),
    unpacked as tuples, and what is the same for every segment of an article (its comment and
    reference) is built once per article: per-row Python work is most of an export's time.
    """
    write_header(
        out,
        edition,
        created or utcnow(),
        f"Editions: segments to translate into {edition.english_name} ({edition.code}).",
    )
    site = site_url.rstrip("/")
    statement = entries_select(edition.code, query).execution_options(yield_per=_BATCH)
    rows = session.connection().execute(statement)  # Core rows: no ORM loading per row
    count = 0
    article = None
    comment = reference = ""
    glossary = GlossaryCache(session, edition.code)
    for (
        article_id,
        section,
        source_edition,
        title,
        key,
        position,
        text,
        translation,
        made_from,
        draft,
        stale,
    ) in rows:
        if article_id != article:
            article = article_id
            path = f"{source_edition}/posts/{article_id}"
            comment = f"{title}\n{section.value}\n{site}/{path}"
            reference = f"{path}:"
        translated = translation is not None
        terms = glossary(source_edition)
        write_entry(
            out,
            msgctxt=f"{article_id}:{key}",
            msgid=text,
            msgstr=translation or "",
            comment=comment + glossary_comment(terms.terms_in(text)) if terms else comment,
            reference=f"{reference}{position}",
            fuzzy=translated and (draft or stale),
            previous_msgid=made_from if translated and stale else None,
        )
        count += 1
        if progress and count % _BATCH == 0:
            progress(_BATCH)
    if progress:
        progress(count % _BATCH)
    return count


def glossary_comment(terms: list[Term]) -> str:
    """Lines for the entry's ``#.`` comment: each glossary term and its approved translation."""
    lines = []
    for term in terms:
        if term.do_not_translate:
            line = f"Glossary: {term.text} (do not translate)"
        elif term.translation:
            line = f"Glossary: {term.text} = {term.translation}"
        else:
            line = f"Glossary: {term.text} (no approved translation yet)"
        lines.append(f"{line}; {term.note}" if term.note else line)
    return "".join(f"\n{line}" for line in lines)


def export_all(
    session: Session,
    editions: Mapping[str, Edition],
    query: ExportQuery,
    out: IO[bytes],
    *,
    site_url: str = "",
    created: datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """A zip with one ``<edition>.po`` per edition, each streamed into the archive."""
    counts = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for code, edition in editions.items():
            with (
                archive.open(f"{code}.po", "w", force_zip64=True) as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="\n") as text,
            ):
                counts[code] = export_edition(
                    session,
                    edition,
                    query,
                    text,
                    site_url=site_url,
                    created=created,
                    progress=progress,
                )
    return counts
