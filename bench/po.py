"""PO export and import speed and memory: ``python bench/po.py --articles 10000 [--url URL]``.

Uses the corpus already in the database (made with ``editions synth``), or builds one of
``--articles`` articles when the database has none (a fresh SQLite file by default).
Steps, each in a fresh process so its peak resident memory is its own:

- ``polib`` and ``writer``: the first 50,000 entries of the Persian export, fetched into a
  list first, serialized by ``polib.POEntry.__unicode__(wrapwidth=0)`` and by our
  ``write_entry``: the library baseline, measured under the same load as the export;
- ``export``: the Persian edition to a file, as ``editions po export --edition fa`` does;
- ``import``: the first entries of that export up to the upload limit (imports are bounded
  by ``Settings.max_upload_bytes`` because polib parses a whole file at once), previewed
  and applied, then rolled back.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import tempfile
import time
from itertools import islice
from pathlib import Path

import polib
from sqlalchemy import func, select

from editions.core.db import make_engine, make_session_factory
from editions.core.models import Article
from editions.core.settings import Settings
from editions.demo.synth import generate
from editions.exchange.export import ExportQuery, entries_select, export_edition
from editions.exchange.importer import import_files, sha256_of
from editions.exchange.pofiles import read_upload, write_entry
from editions.maintenance import schema

SAMPLE = 50_000


def _settings(url: str, folder: Path) -> Settings:
    return Settings(instance_path=folder, database_url=url, secret_key="bench")


def _sample(session) -> list:
    statement = entries_select("fa", ExportQuery()).execution_options(yield_per=2000)
    return list(islice(session.connection().execute(statement), SAMPLE))


def _polib(rows) -> int:
    out = io.StringIO()
    for row in rows:
        path = f"{row.source_edition}/posts/{row.article_id}"
        fuzzy = row.translation is not None and (row.draft or row.stale)
        entry = polib.POEntry(
            msgctxt=f"{row.article_id}:{row.key}",
            msgid=row.source_text,
            msgstr=row.translation or "",
            comment=f"{row.article_title}\n{row.section.value}\n/{path}",
            occurrences=[(path, str(row.position))],
            flags=["fuzzy"] if fuzzy else [],
            previous_msgid=row.made_from if row.translation is not None and row.stale else None,
        )
        out.write("\n")
        out.write(entry.__unicode__(wrapwidth=0))
    return len(rows)


def _writer(rows) -> int:
    out = io.StringIO()
    for row in rows:
        path = f"{row.source_edition}/posts/{row.article_id}"
        translated = row.translation is not None
        write_entry(
            out,
            msgctxt=f"{row.article_id}:{row.key}",
            msgid=row.source_text,
            msgstr=row.translation or "",
            comment=f"{row.article_title}\n{row.section.value}\n/{path}",
            reference=f"{path}:{row.position}",
            fuzzy=translated and (row.draft or row.stale),
            previous_msgid=row.made_from if translated and row.stale else None,
        )
    return len(rows)


def _step(name: str, url: str, folder: Path, queue) -> None:
    """One step in its own process: (entries, seconds, resident MiB at start, peak MiB)."""
    settings = _settings(url, folder)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    path = folder / "fa.po"
    with sessions() as session:
        if name in ("polib", "writer"):
            rows = _sample(session)
            start_rss = _rss()
            started = time.perf_counter()
            count = (_polib if name == "polib" else _writer)(rows)
        elif name == "export":
            start_rss = _rss()
            started = time.perf_counter()
            with path.open("w", encoding="utf-8", newline="\n") as out:
                count = export_edition(session, settings.editions["fa"], ExportQuery(), out)
        else:
            limit = settings.max_upload_bytes
            with path.open("rb") as handle:
                data = handle.read(limit)
            data = data[: data.rfind(b"\n\n") + 1]
            start_rss = _rss()
            started = time.perf_counter()
            files = read_upload(data, "fa.po", settings.editions, edition="fa", limit=limit)
            report = import_files(
                session,
                settings.editions,
                files,
                filename="fa.po",
                sha256=sha256_of(data),
                user=None,
                dry_run=False,
            )
            count = len(report.entries)
            session.rollback()
        seconds = time.perf_counter() - started
    engine.dispose()
    queue.put((count, seconds, start_rss, _rss()))


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000, help="when building a corpus")
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="po-bench-"))
    url = args.url or f"sqlite:///{folder / 'bench.sqlite3'}"
    schema.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        articles = session.scalar(select(func.count()).select_from(Article))
        if not articles:
            generate(session, list(_settings(url, folder).editions), args.articles)
            session.commit()
            articles = args.articles
    engine.dispose()
    print(f"{articles:,} articles, {url.split('?')[0].split(':')[0]}")
    context = multiprocessing.get_context("spawn")
    for name in ("polib", "writer", "export", "import"):
        queue = context.Queue()
        process = context.Process(target=_step, args=(name, url, folder, queue))
        process.start()
        count, seconds, start_rss, peak_rss = queue.get()
        process.join()
        print(
            f"| {name} | {count:,} | {seconds:.1f} s | {count / seconds:,.0f}/s | "
            f"{peak_rss:.0f} MiB ({start_rss:.0f} at start) |"
        )


if __name__ == "__main__":
    main()
