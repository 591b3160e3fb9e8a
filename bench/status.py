"""Time status computation for a whole corpus and the alignment of a 30-paragraph edit.

    .venv/bin/python bench/status.py --sizes 1000,10000,100000 --backends sqlite,postgresql

The corpus grows in place (1k, then 9k more, then 90k more) from `editions synth`'s
generator. Each timing is the median of --repeat runs. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import median_seconds, scratch_database
from sqlalchemy import func, select, text

from editions.content.articles import SourceText
from editions.content.sources import create_article, revise_source
from editions.content.status import compute_status, keep_status_current, refresh_status
from editions.core.db import make_engine, make_session_factory
from editions.core.languages import load_editions
from editions.core.models import Article
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.demo.synth import generate
from editions.maintenance import schema
from editions.text.alignment import align

EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)
CODES = list(EDITIONS)


def paragraphs(seed: str, count: int = 30) -> list[str]:
    return [
        f"Paragraph {n} of the {seed} report tells how the river library opened a new "
        f"reading room, who came on the first morning and what the volunteers built ({n})."
        for n in range(count)
    ]


def edited(old: list[str]) -> list[str]:
    """Five paragraphs reworded, two moved, one inserted at the top, one removed."""
    new = [
        p.replace("new reading room", "larger reading room") if i % 6 == 0 else p
        for i, p in enumerate(old)
    ]
    new.insert(0, "A short new opening paragraph about the weather on the day.")
    new.append(new.pop(5))
    new.append(new.pop(9))
    del new[20]
    return new


def run(backend: str, sizes: list[int], repeat: int) -> list[tuple]:
    results = []
    with (
        tempfile.TemporaryDirectory() as workdir,
        scratch_database(backend, Path(workdir), "editions_bench") as url,
    ):
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        keep_status_current(sessions, CODES)
        body = "\n\n".join(paragraphs("spring"))
        with sessions() as session:
            article = create_article(
                session,
                EDITIONS,
                article_id=1,
                source_edition="en",
                section="articles",
                text=SourceText("Bench", "", body),
                published_on=date(2026, 1, 1),
            )
            session.commit()
        have = 0
        for size in sizes:
            with sessions() as session:
                start = time.perf_counter()
                generate(session, CODES, size - have, seed=size)
                session.commit()
                synth_seconds = time.perf_counter() - start
                have = size
                if backend == "postgresql":
                    session.execute(text("ANALYZE"))
                    session.commit()
                count = session.scalar(select(func.count()).select_from(Article))
                status_seconds = median_seconds(lambda s=session: compute_status(s, CODES), repeat)
                refresh_seconds = median_seconds(lambda s=session: refresh_status(s, CODES), 1)
                session.rollback()
                old, new = paragraphs("spring"), edited(paragraphs("spring"))
                edit = "\n\n".join(new)
                align_seconds = median_seconds(lambda o=old, n=new: align(o, n), repeat * 20)

                def revise(s=session, a=article, edit=edit) -> None:
                    revise_source(s, s.get(Article, a.id), SourceText("Bench", "", edit))
                    s.commit()
                    revise_source(s, s.get(Article, a.id), SourceText("Bench", "", body))
                    s.commit()

                revise_seconds = median_seconds(revise, repeat) / 2
            results.append(
                (
                    backend,
                    count,
                    synth_seconds,
                    status_seconds,
                    refresh_seconds,
                    align_seconds,
                    revise_seconds,
                )
            )
            print(f"{backend} {count}: status {status_seconds:.3f}s", file=sys.stderr)
        engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    rows = []
    for backend in arguments.backends.split(","):
        rows += run(backend, sizes, arguments.repeat)
    print(
        "| database | articles | synth (s) | status, whole corpus (s) | rebuild kept statuses (s)"
        " | align 30 paragraphs (ms) | save a 30-paragraph edit (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for backend, count, synth, status, refresh, aligned, revised in rows:
        print(
            f"| {backend} | {count:,} | {synth:.1f} | {status:.2f} | {refresh:.1f} "
            f"| {aligned * 1000:.2f} | {revised * 1000:.1f} |"
        )


if __name__ == "__main__":
    main()
