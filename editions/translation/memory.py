"""Translation memory: what this source text, or a very close one, became in this edition before.

An exact match is a translation, into the same edition, made from the same source text
(compared as stored: NFC, whitespace folded); one indexed query on
``translations.source_checksum`` finds them for every segment of an article.

A near match is made from a source text whose words are at least ``NEAR`` alike
(difflib's ratio over words, the measure the editor's word diffs use), offered with that
similarity and the word differences between the two source texts. Comparing a segment
with every translation ever made would grow with the corpus, so the candidates come from
the full-text index of ``editions.content.search``, which already holds every counterpart's words
folded for search (Arabic and Persian yeh, kaf, hamza forms, digits): the few newest
articles, written in the same source edition, whose text holds the longest words of the
segment's first half or those of its second half. Longer words are rarer ones, and an
edit that keeps the ratio above ``NEAR`` leaves at least one half of the words in place.
Two more queries, whatever the size of the corpus and however many segments: one for
the candidate articles of every segment at once, one for their translations into the
edition. The segments' probes travel as one JSON parameter, so the first statement has
the same shape for 1 segment or 5,000 (no ``UNION`` arm per segment: SQLite refused
more than 500): on SQLite each probe takes its newest matches from FTS5, which hands
them over in rowid order and stops at the few needed; on PostgreSQL the matches of
every probe come from the GIN index and a window function keeps the newest per probe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz.distance import Indel
from sqlalchemy import (
    ColumnElement,
    Text,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, aliased

from editions.content.search import DOCUMENT, FTS_TABLE, SearchEntry, search_words
from editions.core.db import is_postgresql
from editions.core.models import Article, Counterpart, Segment, Translation
from editions.text.diff import Piece, word_diff

MAX_MATCHES = 3
NEAR = 0.75  # lowest word-level similarity offered
PROBE_WORDS = 3  # longest words taken from each half of a segment
CANDIDATE_ARTICLES = 5  # per segment
_fts = table(FTS_TABLE, column("rowid"))


@dataclass(frozen=True)
class MemoryMatch:
    text: str
    article_id: int
    updated_at: datetime
    uses: int  # how many translations agree on this text
    similarity: float = 1.0  # of the source texts, 0.75–1
    source_text: str = ""  # what a near match was translated from
    differences: tuple[Piece, ...] = ()  # from that source text to this segment's

    @property
    def exact(self) -> bool:
        return self.similarity == 1.0

    @property
    def percent(self) -> int:
        """The similarity as a whole percentage, never rounded up to 100 for a near match."""
        return 100 if self.exact else min(99, round(self.similarity * 100))


def suggestions(
    session: Session,
    edition: str,
    segments: Sequence[Segment],
    exclude_article: int,
    source_edition: str,
) -> dict[str, list[MemoryMatch]]:
    """For each segment key, earlier translations into ``edition`` of the same text or of a
    very close one (``segments`` are written in ``source_edition``).

    Exact matches first (most used, then newest), then near ones (most alike first); at
    most three queries for all the segments of an article.
    """
    found = _exact(session, edition, segments, exclude_article)
    rest = [segment for segment in segments if segment.key not in found]
    found.update(_near(session, edition, rest, exclude_article, source_edition))
    return found


def _exact(
    session: Session, edition: str, segments: Sequence[Segment], exclude_article: int
) -> dict[str, list[MemoryMatch]]:
    by_checksum: dict[str, list[str]] = {}
    for segment in segments:
        by_checksum.setdefault(segment.checksum, []).append(segment.key)
    if not by_checksum:
        return {}
    rows = session.execute(
        select(
            Translation.source_checksum,
            Translation.text,
            func.max(Counterpart.article_id),
            func.max(Translation.updated_at),
            func.count(),
        )
        .join(Counterpart, Counterpart.id == Translation.counterpart_id)
        .where(
            Translation.source_checksum.in_(list(by_checksum)),
            Translation.draft.is_(False),
            Counterpart.edition == edition,
            Counterpart.article_id != exclude_article,
        )
        .group_by(Translation.source_checksum, Translation.text)
    ).all()
    found: dict[str, list[MemoryMatch]] = {}
    for made_from, target, article_id, updated_at, uses in rows:
        for key in by_checksum[made_from]:
            found.setdefault(key, []).append(MemoryMatch(target, article_id, updated_at, uses))
    return {
        key: sorted(matches, key=lambda m: (m.uses, m.updated_at), reverse=True)[:MAX_MATCHES]
        for key, matches in found.items()
    }


def _near(
    session: Session,
    edition: str,
    segments: Sequence[Segment],
    exclude_article: int,
    source_edition: str,
) -> dict[str, list[MemoryMatch]]:
    probes = {segment.key: _probe(segment.text) for segment in segments}
    probes = {key: probe for key, probe in probes.items() if any(probe)}
    if not probes:
        return {}
    candidates: dict[str, set[int]] = {}
    for key, article_id in session.execute(
        _candidates_select(session, edition, probes, exclude_article, source_edition)
    ):
        candidates.setdefault(key, set()).add(article_id)
    if not candidates:
        return {}
    counterpart = aliased(Counterpart)
    earlier = session.execute(
        select(Translation.source_text, Translation.text, counterpart.article_id)
        .add_columns(Translation.updated_at)
        .join(counterpart, counterpart.id == Translation.counterpart_id)
        .where(
            counterpart.article_id.in_(set().union(*candidates.values())),
            counterpart.edition == edition,
            Translation.draft.is_(False),
        )
    ).all()
    by_article: dict[int, list] = {}
    for row in earlier:
        by_article.setdefault(row.article_id, []).append(row)
    found: dict[str, list[MemoryMatch]] = {}
    for segment in segments:
        words = segment.text.split()
        matches: dict[str, MemoryMatch] = {}
        for article_id in candidates.get(segment.key, ()):
            for row in by_article.get(article_id, ()):
                similarity = _similarity(row.source_text.split(), words)
                if similarity < NEAR or similarity == 1.0:
                    continue  # an identical text (stale or a duplicate) is an exact match
                known = matches.get(row.text)
                if known is None or similarity > known.similarity:
                    matches[row.text] = MemoryMatch(
                        row.text,
                        row.article_id,
                        row.updated_at,
                        1,
                        similarity,
                        row.source_text,
                        tuple(word_diff(row.source_text, segment.text)),
                    )
        if matches:
            best = sorted(matches.values(), key=lambda m: (m.similarity, m.updated_at))
            found[segment.key] = best[::-1][:MAX_MATCHES]
    return found


def _probe(value: str) -> tuple[list[str], list[str]]:
    """The longest folded words of each half of a text (empty when it has too few words)."""
    words = search_words(value)
    if len(words) < 2:
        return ([], [])
    middle = len(words) // 2
    return (_longest(words[:middle]), _longest(words[middle:]))


def _longest(words: list[str]) -> list[str]:
    distinct = sorted(set(words), key=lambda word: (-len(word), word))
    return distinct[:PROBE_WORDS]


def _similarity(a: list[str], b: list[str]) -> float:
    """difflib's ratio of two word lists (2 × common subsequence / all), 0 below ``NEAR``."""
    return Indel.normalized_similarity(a, b, score_cutoff=NEAR)


def _candidates_select(
    session: Session,
    edition: str,
    probes: dict[str, tuple[list[str], list[str]]],
    exclude_article: int,
    source_edition: str,
):
    """(segment key, article id) of the newest source counterparts holding either half's
    longest words, a few per segment, in one statement over the full-text index; only
    articles translated into ``edition`` count."""
    postgresql = is_postgresql(session)
    rows = json.dumps([[key, _terms(halves, postgresql)] for key, halves in probes.items()])
    target = aliased(Counterpart)
    translated = exists().where(target.article_id == Article.id, target.edition == edition)
    candidate = (
        select(Counterpart.article_id)
        .select_from(SearchEntry)
        .join(Counterpart, Counterpart.id == SearchEntry.counterpart_id)
        .join(Article, Article.id == Counterpart.article_id)
        .where(
            SearchEntry.edition == source_edition,
            Article.source_edition == source_edition,
            Article.id != exclude_article,
            translated,
        )
    )
    if postgresql:
        values = func.jsonb_array_elements(cast(bindparam("probes", rows), JSONB))
        probe = values.table_valued("value").alias("probe")
        key = probe.c.value.op("->>")(0)
        terms: ColumnElement[str] = func.to_tsquery(
            literal_column("'simple'"), probe.c.value.op("->>")(1)
        )
        # Every match of every probe from the GIN index, ranked newest first per probe.
        ranked = (
            candidate.add_columns(
                key.label("key"),
                func.row_number()
                .over(partition_by=key, order_by=SearchEntry.counterpart_id.desc())
                .label("rank"),
            )
            .join(probe, DOCUMENT.op("@@")(terms))
            .subquery()
        )
        return select(ranked.c.key, ranked.c.article_id).where(ranked.c.rank <= CANDIDATE_ARTICLES)
    probe = func.json_each(bindparam("probes", rows)).table_valued("value").alias("probe")
    terms = cast(func.json_extract(probe.c.value, "$[1]"), Text)
    # Per probe, FTS5 hands its matches newest first (rowid order) and stops at the few
    # needed: a probe matching most of the corpus costs as much as a rare one.
    newest = (
        candidate.join(_fts, _fts.c.rowid == SearchEntry.counterpart_id)
        .where(literal_column(FTS_TABLE).op("MATCH")(terms))
        .order_by(_fts.c.rowid.desc())
        .limit(CANDIDATE_ARTICLES)
        .correlate(probe)
    )
    found = aliased(Article)
    return (
        select(func.json_extract(probe.c.value, "$[0]").label("key"), found.id)
        .select_from(probe)
        .join(found, found.id.in_(newest.scalar_subquery()))
    )


def _terms(halves: tuple[list[str], list[str]], postgresql: bool) -> str:
    """Either half's words, all of them: a tsquery or an FTS5 query of quoted words."""
    present = [half for half in halves if half]
    if postgresql:
        return " | ".join("(" + " & ".join(half) + ")" for half in present)
    return " OR ".join("(" + " ".join(f'"{word}"' for word in half) + ")" for half in present)


__all__ = ["MAX_MATCHES", "NEAR", "MemoryMatch", "suggestions"]
