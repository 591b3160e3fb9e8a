"""What the glossary costs a PO export and the editor: ``python bench/glossary.py``.

Builds a synthetic corpus (``editions synth``, SQLite in a temporary folder), then times
the Persian PO export without a glossary and with one of ``--terms`` entries (single
words and two-word names from the corpus's vocabulary, so many segments hold terms), and
the term matching of one segment alone. Prints a Markdown table; results in glossary.md.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from sqlalchemy import func, select

from editions.content.articlefiles import read_article_file
from editions.core.db import make_engine, make_session_factory
from editions.core.languages import load_editions
from editions.core.models import Segment
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.demo import ARTICLES, DEMO_ROOT
from editions.demo.synth import _WORDS, generate
from editions.exchange.export import ExportQuery, export_edition
from editions.maintenance import schema
from editions.text.segmentation import split_body
from editions.text.terms import Term, TermPairs
from editions.translation.glossary import EntryData, apply_rows, term_pairs

EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)


def glossary_rows(count: int) -> list[EntryData]:
    words = _WORDS["latin"]
    rows = [
        EntryData(terms={"en": word, "fa": f"واژهٔ {index}"}) for index, word in enumerate(words)
    ]
    for index in range(count - len(words)):
        first, second = words[index % len(words)], words[(index * 7 + 3) % len(words)]
        rows.append(EntryData(terms={"en": f"{first} {second}", "fa": f"نام {index}"}))
    return rows[:count]


def export_seconds(sessions, repeat: int) -> tuple[float, int]:
    timings, count = [], 0
    for _ in range(repeat):
        with sessions() as session:
            out = io.StringIO()
            start = time.perf_counter()
            count = export_edition(session, EDITIONS["fa"], ExportQuery(), out)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--terms", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with sessions() as session:
            generate(session, list(EDITIONS), args.articles, seed=15)
            session.commit()
        without, entries = export_seconds(sessions, args.repeat)
        with sessions() as session:
            apply_rows(session, EDITIONS, glossary_rows(args.terms))
            session.commit()
        with_terms, _ = export_seconds(sessions, args.repeat)
        with sessions() as session:
            pairs = term_pairs(session, "en", "fa")
            texts = session.scalars(select(Segment.text).limit(2000)).all()
            words = session.scalar(select(func.avg(Segment.words)))
        start = time.perf_counter()
        found = sum(len(pairs.terms_in(text)) for text in texts)
        per_segment = (time.perf_counter() - start) / len(texts)
        engine.dispose()
    demo_per_segment, demo_terms, demo_segments = demo_matching()
    print(
        f"| articles | PO entries | glossary entries | export without | export with | "
        f"matching one segment (avg {words:.0f} words) | terms per segment |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {args.articles:,} | {entries:,} | {args.terms} | {without:.2f} s "
        f"({entries / without:,.0f}/s) | {with_terms:.2f} s ({entries / with_terms:,.0f}/s) "
        f"| {per_segment * 1e6:.0f} µs | {found / len(texts):.1f} |"
    )

    print()
    print(
        f"Demo articles' English segments ({demo_segments}) against the demo glossary plus "
        f"{args.terms} synthetic entries: {demo_per_segment * 1e6:.0f} µs per segment, "
        f"{demo_terms:.2f} terms per segment."
    )


def demo_matching() -> tuple[float, float, int]:
    """Matching on real prose: the demo's English paragraphs, the demo glossary."""
    texts = [
        block.text
        for path in sorted(ARTICLES.glob("*/en.md"))
        for block in split_body(read_article_file(path).text.body)
    ]
    entries = yaml.safe_load((DEMO_ROOT / "glossary.yaml").read_text(encoding="utf-8"))
    terms = [
        Term(number, entry["terms"]["en"], entry["terms"].get("fa"))
        for number, entry in enumerate(entries)
    ]
    terms += [
        Term(1000 + n, row.terms["en"], row.terms["fa"]) for n, row in enumerate(glossary_rows(300))
    ]
    pairs = TermPairs("en", "fa", terms)
    start = time.perf_counter()
    found = sum(len(pairs.terms_in(text)) for _ in range(20) for text in texts)
    return (time.perf_counter() - start) / (20 * len(texts)), found / (20 * len(texts)), len(texts)


if __name__ == "__main__":
    main()
