"""A synthetic corpus for benchmarks: N articles of about 600 words in every edition.

Rows go in through Core bulk inserts with ids assigned here, because the ORM unit of
work would spend minutes on 100,000 articles. The mix of statuses is fixed by the
seed: most counterparts current, some stale, some drafts, some missing.

``long_article`` adds one long article (a report, a book: 2,000 paragraphs is normal)
through the domain functions an editor's and a translator's saves go through.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import count

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from editions.content.articles import SourceText
from editions.content.counterparts import import_counterpart
from editions.content.sources import create_article, revise_source
from editions.content.status import refresh_status
from editions.core.batches import run_batch
from editions.core.db import is_postgresql
from editions.core.languages import Edition
from editions.core.models import (
    Article,
    Counterpart,
    PublicationState,
    Section,
    Segment,
    Translation,
)
from editions.text.segmentation import checksum

# Invented vocabularies: the corpus must look like each script, not say anything.
_WORDS = {
    "latin": [
        "river",
        "library",
        "morning",
        "council",
        "festival",
        "archive",
        "market",
        "school",
        "garden",
        "bridge",
        "harbour",
        "lantern",
        "chorus",
        "workshop",
        "museum",
        "reader",
        "letter",
        "station",
        "theatre",
        "island",
        "valley",
        "teacher",
        "bakery",
        "journal",
        "poster",
        "street",
        "window",
        "village",
        "meeting",
        "season",
        "signal",
    ],
    "ar": [
        "مكتبة",
        "نهر",
        "صباح",
        "مدينة",
        "مهرجان",
        "أرشيف",
        "سوق",
        "مدرسة",
        "حديقة",
        "جسر",
        "ميناء",
        "فانوس",
        "جوقة",
        "ورشة",
        "متحف",
        "قارئ",
        "رسالة",
        "محطة",
        "مسرح",
        "جزيرة",
        "وادي",
        "معلم",
        "مخبز",
        "مجلة",
        "شارع",
        "نافذة",
        "قرية",
        "لقاء",
        "موسم",
    ],
    "fa": [
        "کتابخانه",
        "رود",
        "صبح",
        "شهر",
        "جشنواره",
        "بایگانی",
        "بازار",
        "مدرسه",
        "باغ",
        "پل",
        "بندر",
        "فانوس",
        "گروه\u200cکُر",
        "کارگاه",
        "موزه",
        "خواننده",
        "نامه",
        "ایستگاه",
        "تماشاخانه",
        "جزیره",
        "دره",
        "معلم",
        "نانوایی",
        "نشریه",
        "خیابان",
        "پنجره",
    ],
}
PARAGRAPHS = 9
WORDS_PER_PARAGRAPH = 64
BATCH = 500  # articles per transaction


def _words(rng: random.Random, edition: str, count: int) -> str:
    vocabulary = _WORDS.get(edition, _WORDS["latin"])
    return " ".join(rng.choices(vocabulary, k=count)).capitalize() + "."


def generate(
    session: Session,
    codes: Sequence[str],
    articles: int,
    seed: int = 16009,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
) -> list[int]:
    """Add ``articles`` synthetic articles after the highest id; returns their ids.

    Each batch of ``batch_size`` articles is committed on its own, kept statuses and all,
    so the site goes on working while a large corpus is made; its ids are taken inside
    its transaction (from the sequences on PostgreSQL), so writers at the same time never
    collide with it. A batch's text depends on the seed and its place only: a batch that
    is run again makes the same articles.
    """
    added: list[int] = []
    for first_offset in range(0, articles, batch_size):
        size = min(batch_size, articles - first_offset)
        batch, _kept = run_batch(
            session,
            [],
            partial(_add_batch, session, codes, first_offset, size, articles, seed),
        )
        added += batch
        if progress:
            progress(size)
    return added


def _next_ids(
    session: Session, model: type[Counterpart | Segment | Translation], chunk: int
) -> Iterator[int]:
    """Ids for new rows that nobody else can take: the sequence's on PostgreSQL (``chunk``
    at a time); after the highest on SQLite, whose write lock the batch holds."""
    if is_postgresql(session):
        sequence = f"pg_get_serial_sequence('{model.__tablename__}', 'id')"
        while True:
            yield from session.scalars(
                text(f"SELECT nextval({sequence}) FROM generate_series(1, {chunk})")
            )
    yield from count((session.scalar(select(func.max(model.id))) or 0) + 1)


def _add_batch(
    session: Session,
    codes: Sequence[str],
    first_offset: int,
    size: int,
    articles: int,
    seed: int,
) -> list[int]:
    """Articles ``first_offset`` to ``first_offset + size`` of a corpus of ``articles``."""
    rng = random.Random(f"{seed}/{first_offset}")
    first_id = max(session.scalar(select(func.max(Article.id))) or 0, 100_000) + 1
    article_ids = list(range(first_id, first_id + size))
    rows_per_article: dict[type[Counterpart | Segment | Translation], int] = {
        Counterpart: len(codes),
        Segment: PARAGRAPHS + 2,
        Translation: (PARAGRAPHS + 2) * len(codes),
    }
    next_ids = {
        model: _next_ids(session, model, size * rows) for model, rows in rows_per_article.items()
    }
    sources = [codes[0]] * 8 + list(codes[1:])
    start = date(2006, 1, 1)
    now = datetime.now(UTC)
    rows: dict[type, list[dict]] = {
        model: [] for model in (Article, Counterpart, Segment, Translation)
    }
    for offset, article_id in enumerate(article_ids):
        source = rng.choice(sources)
        published_on = start + timedelta(days=(first_offset + offset) * 7300 // articles)
        rows[Article].append(_article_row(rng, article_id, source, published_on, now))
        blocks = _blocks(rng, source)
        segment_ids = [next(next_ids[Segment]) for _ in blocks]
        rows[Segment] += _segment_rows(article_id, segment_ids, blocks)
        for edition in codes:
            roll = rng.random()
            if edition != source and roll < 0.2:
                continue  # missing
            state = "draft" if edition != source and roll < 0.3 else "published"
            texts = [
                body_text if edition == source else _words(rng, edition, len(body_text.split()))
                for _, _, _, body_text in blocks
            ]
            counterpart_id = next(next_ids[Counterpart])
            rows[Counterpart].append(
                _counterpart_row(counterpart_id, article_id, edition, state, blocks, texts, now)
            )
            if edition != source:
                stale = 0.3 <= roll < 0.45
                rows[Translation] += _translation_rows(
                    next_ids[Translation], counterpart_id, segment_ids, blocks, texts, stale, now
                )
    for model in (Article, Counterpart, Segment, Translation):
        if rows[model]:
            session.execute(insert(model), rows[model])
    refresh_status(session, codes, article_ids)
    return article_ids


_Block = tuple[str, str, str, str]  # key, kind, Markdown prefix, text


def _article_row(
    rng: random.Random, article_id: int, source: str, published_on: date, now: datetime
) -> dict:
    return {
        "id": article_id,
        "section": rng.choice(list(Section)[:8]).value,
        "source_edition": source,
        "published_on": published_on,
        "segment_counter": PARAGRAPHS + 1,
        "created_at": now,
        "updated_at": now,
    }


def _blocks(rng: random.Random, source: str) -> list[_Block]:
    """A title, a summary, a heading and ``PARAGRAPHS`` paragraphs in ``source``."""
    blocks = [("title", "title", "", _words(rng, source, 7))]
    blocks.append(("summary", "summary", "", _words(rng, source, 18)))
    blocks.append(("b1", "heading", "## ", _words(rng, source, 5)))
    blocks += [
        (f"b{n}", "paragraph", "", _words(rng, source, WORDS_PER_PARAGRAPH))
        for n in range(2, PARAGRAPHS + 2)
    ]
    return blocks


def _segment_rows(
    article_id: int, segment_ids: Sequence[int], blocks: Sequence[_Block]
) -> list[dict]:
    return [
        {
            "id": segment_id,
            "article_id": article_id,
            "key": key,
            "position": position,
            "kind": kind,
            "prefix": prefix,
            "continues": False,
            "text": body_text,
            "checksum": checksum(body_text),
            "words": len(body_text.split()),
        }
        for position, (segment_id, (key, kind, prefix, body_text)) in enumerate(
            zip(segment_ids, blocks, strict=True)
        )
    ]


def _counterpart_row(
    counterpart_id: int,
    article_id: int,
    edition: str,
    state: str,
    blocks: Sequence[_Block],
    texts: Sequence[str],
    now: datetime,
) -> dict:
    """The counterpart as readers see it: title, summary, and the body after them."""
    body = "\n\n".join(prefix + texts[i] for i, (_, _, prefix, _) in enumerate(blocks) if i > 1)
    return {
        "id": counterpart_id,
        "article_id": article_id,
        "edition": edition,
        "state": state,
        "title": texts[0],
        "summary": texts[1],
        "body": body + "\n",
        "body_html": "\n".join(
            f"<h2>{html.escape(texts[2])}</h2>" if i == 2 else f"<p>{html.escape(texts[i])}</p>"
            for i in range(2, len(blocks))
        ),
        "published_at": now if state == "published" else None,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _translation_rows(
    ids: Iterator[int],
    counterpart_id: int,
    segment_ids: Sequence[int],
    blocks: Sequence[_Block],
    texts: Sequence[str],
    stale: bool,
    now: datetime,
) -> list[dict]:
    """Every segment translated; in a ``stale`` counterpart, the first paragraph from an
    earlier wording of its source."""
    rows = []
    for index, (segment_id, (_, _, _, source_text)) in enumerate(
        zip(segment_ids, blocks, strict=True)
    ):
        made_from = "An earlier wording. " + source_text if stale and index == 3 else source_text
        rows.append(
            {
                "id": next(ids),
                "counterpart_id": counterpart_id,
                "segment_id": segment_id,
                "text": texts[index],
                "source_text": made_from,
                "source_checksum": checksum(made_from),
                "draft": False,
                "reviewed": False,
                "updated_at": now,
                "version": 1,
            }
        )
    return rows


def long_article(
    session: Session,
    editions: Mapping[str, Edition],
    paragraphs: int = 2000,
    *,
    translated_into: str = "fa",
    seed: int = 16009,
) -> int:
    """Add one article of ``paragraphs`` paragraphs (a heading every 20), written in the
    first edition and published in ``translated_into``; then revised so that one
    paragraph in ten is stale there and one in twenty is new. Returns its id."""
    codes = list(editions)
    source = codes[0]
    rng = random.Random(seed)
    new = paragraphs // 20

    def body(count: int, edition: str) -> list[str]:
        return [
            "## " + _words(rng, edition, 5) if n % 20 == 0 else _words(rng, edition, 64)
            for n in range(count)
        ]

    first = body(paragraphs - new, source)
    article = create_article(
        session,
        editions,
        article_id=max(session.scalar(select(func.max(Article.id))) or 0, 100_000) + 1,
        source_edition=source,
        section=Section.BOOKS,
        text=SourceText(_words(rng, source, 7), _words(rng, source, 18), "\n\n".join(first)),
        published_on=date(2026, 1, 1),
    )
    translation = body(paragraphs - new, translated_into)
    import_counterpart(
        session,
        editions,
        article,
        translated_into,
        SourceText(
            _words(rng, translated_into, 7),
            _words(rng, translated_into, 18),
            "\n\n".join(translation),
        ),
        state=PublicationState.PUBLISHED,
    )
    revised = list(first)
    for index in range(1, len(revised), 10):
        if not revised[index].startswith("#"):
            revised[index] = revised[index][:-1] + " " + _words(rng, source, 3).lower()
    for index in range(len(revised) - 1, 0, -(len(revised) // max(new, 1))):
        if len(revised) < paragraphs:
            revised.insert(index, _words(rng, source, 40))
    source_counterpart = session.scalars(
        select(Counterpart).where(
            Counterpart.article_id == article.id, Counterpart.edition == source
        )
    ).one()
    revise_source(
        session,
        article,
        SourceText(source_counterpart.title, source_counterpart.summary, "\n\n".join(revised)),
    )
    return article.id
