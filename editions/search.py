"""Full-text search over counterparts: SQLite FTS5 by default, PostgreSQL full-text search.

One interface: ``index_counterpart`` keeps a counterpart's entry current (content code
calls it whenever a counterpart's text changes), ``search`` returns the ids of
published articles in an edition that contain every word of the query, best first.

Readers type the same word in several spellings: Arabic or Persian yeh and kaf, alef
with or without hamza, with or without diacritics, with a tatweel, with or without a
zero-width non-joiner, in Persian, Arabic-Indic or Latin digits. ``normalize_for_search``
folds all of them to one form; it runs on the indexed text and on the query alike, so
the engines only ever see folded words separated by spaces.

Storage: ``search_entries`` holds the folded text of each counterpart (both databases).
On SQLite an external-content FTS5 table ``search_fts`` indexes it, kept in step by
triggers; on PostgreSQL a GIN index over ``to_tsvector('simple', text)`` does. Both are
created by migration 0002 and are not part of the SQLAlchemy metadata.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from sqlalchemy import ForeignKey, String, Text, column, func, literal_column, select, table, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.db import is_postgresql
from editions.models import Base, Counterpart, PublicationState
from editions.segmentation import without_link_targets

FTS_TABLE = "search_fts"
DOCUMENT_INDEX = "ix_search_entries_document"
_fts = table(FTS_TABLE, column("rowid"))

_FOLD = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Persian yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf → keheh
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above (Persian ezafe)
        "ە": "ه",
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Persian digits
    }
)
# Tashkeel and Quranic marks, superscript alef, tatweel, hamza above/below; joiners,
# direction marks and the soft hyphen, which readers never type.
_DROP = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u0654\u0655"
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u00ad\ufeff]"
)
_WORD = re.compile(r"[^\W_]+")
# A query's budget: readers type a few words; the engines' work grows with every term.
MAX_QUERY_CHARACTERS = 200
MAX_QUERY_WORDS = 12
RANKED_MATCHES = 2_000


class SearchEntry(Base):
    """The folded text of one counterpart, as the full-text index sees it."""

    __tablename__ = "search_entries"

    counterpart_id: Mapped[int] = mapped_column(
        ForeignKey("counterparts.id", ondelete="CASCADE"), primary_key=True
    )
    edition: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)


def is_search_object(name: str | None) -> bool:
    """True for the objects migration 0002 creates outside the metadata (and FTS5's own
    shadow tables), which Alembic's comparisons must leave alone."""
    return bool(name) and (name in (FTS_TABLE, DOCUMENT_INDEX) or name.startswith(f"{FTS_TABLE}_"))


def search_words(value: str) -> list[str]:
    """The words of ``value`` folded for search (see the module docstring)."""
    value = unicodedata.normalize("NFKC", value)
    value = _DROP.sub("", value).casefold()
    # Decomposed, the marks come off (alef with hamza is alef and a hamza above); then
    # the letters fold, in one pass: it runs over whole articles on every save.
    value = unicodedata.normalize("NFKD", value).translate(_fold_and_unmark())
    return _WORD.findall(value)


@cache
def _fold_and_unmark() -> dict[int, int | str | None]:
    """``_FOLD`` and every combining mark deleted, as one ``str.translate`` table."""
    # No combining mark lies past the supplementary multilingual plane.
    marks = {code: None for code in range(0x20000) if unicodedata.combining(chr(code))}
    return {**marks, **_FOLD}


def normalize_for_search(value: str) -> str:
    return " ".join(search_words(value))


def document_text(counterpart: Counterpart) -> str:
    body = without_link_targets(counterpart.body)
    return normalize_for_search(f"{counterpart.title}\n{counterpart.summary}\n{body}")


def index_counterpart(session: Session, counterpart: Counterpart) -> None:
    """Bring a counterpart's search entry up to date with its title, summary and body."""
    if counterpart.id is None:
        session.flush()
    folded = document_text(counterpart)
    entry = session.get(SearchEntry, counterpart.id)
    if entry is None:
        session.add(
            SearchEntry(counterpart_id=counterpart.id, edition=counterpart.edition, text=folded)
        )
    elif entry.text != folded:
        entry.text = folded


def reindex(session: Session, batch: int = 500) -> int:
    """Rebuild every entry (after a bulk import such as ``editions synth``); returns a count."""
    done = 0
    last = 0
    while True:
        counterparts = session.scalars(
            select(Counterpart).where(Counterpart.id > last).order_by(Counterpart.id).limit(batch)
        ).all()
        if not counterparts:
            return done
        for counterpart in counterparts:
            index_counterpart(session, counterpart)
        session.flush()
        last = counterparts[-1].id
        done += len(counterparts)
        session.expunge_all()


def query_words(query: str) -> list[str]:
    """The words a query searches for, within its budget: its first ``MAX_QUERY_CHARACTERS``
    characters, each word once, at most ``MAX_QUERY_WORDS`` of them."""
    return list(dict.fromkeys(search_words(query[:MAX_QUERY_CHARACTERS])))[:MAX_QUERY_WORDS]


def search(session: Session, edition: str, query: str, limit: int = 20) -> list[int]:
    """Ids of published articles in ``edition`` containing every word of ``query``, best first.

    Every word of two letters or more also matches as a prefix, so a reader still typing
    finds something (a one-letter prefix would make the engines merge the postings of
    a good part of the vocabulary). Ranking reads the newest ``RANKED_MATCHES`` matches
    at most: a query that matches more (``the``) is ranked among those.
    """
    words = query_words(query)
    if not words:
        return []
    published = Counterpart.state == PublicationState.PUBLISHED
    if is_postgresql(session):
        terms = " & ".join(f"{word}:*" if len(word) > 1 else word for word in words)
        document = func.to_tsvector(text("'simple'"), SearchEntry.text)
        tsquery = func.to_tsquery(text("'simple'"), terms)
        # Materialized, so the matches come from the full-text index: ordered by id and
        # limited, the planner may otherwise walk every row computing its tsvector.
        matches = (
            select(SearchEntry.counterpart_id, SearchEntry.text)
            .where(SearchEntry.edition == edition, document.op("@@")(tsquery))
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        newest = (
            select(Counterpart.article_id, matches.c.text)
            .join(matches, matches.c.counterpart_id == Counterpart.id)
            .where(published)
            .order_by(matches.c.counterpart_id.desc())
            .limit(RANKED_MATCHES)
            .subquery()
        )
        rank = func.ts_rank(func.to_tsvector(text("'simple'"), newest.c.text), tsquery)
        statement = select(newest.c.article_id).order_by(rank.desc(), newest.c.article_id.desc())
    else:
        terms = " ".join(f'"{word}"*' if len(word) > 1 else f'"{word}"' for word in words)
        newest = (
            select(Counterpart.article_id, literal_column(f"bm25({FTS_TABLE})").label("score"))
            .select_from(_fts)
            .join(SearchEntry, SearchEntry.counterpart_id == _fts.c.rowid)
            .join(Counterpart, Counterpart.id == SearchEntry.counterpart_id)
            .where(text(f"{FTS_TABLE} MATCH :terms").bindparams(terms=terms))
            .where(SearchEntry.edition == edition, published)
            .order_by(_fts.c.rowid.desc())
            .limit(RANKED_MATCHES)
            .subquery()
        )
        statement = select(newest.c.article_id).order_by(newest.c.score, newest.c.article_id.desc())
    return list(session.scalars(statement.limit(limit)))


__all__ = [
    "DOCUMENT_INDEX",
    "FTS_TABLE",
    "SearchEntry",
    "document_text",
    "index_counterpart",
    "is_search_object",
    "normalize_for_search",
    "query_words",
    "reindex",
    "search",
    "search_words",
]
