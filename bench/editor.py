"""Long articles in the segment editor, authoring and PO export, on SQLite and PostgreSQL.

    .venv/bin/python bench/editor.py --paragraphs 600,2000 --articles 1000

Builds a corpus of --articles synthetic articles (what the translation memory searches),
then for each size adds one article of that many paragraphs with ``editions synth``'s
``long_article`` (written in English, published in Persian, then revised: one paragraph
in ten stale, one in twenty new), and times, through the app's test client (routing,
queries, checks and templates: everything but the network), the median of --repeat runs:

- the editor's first page, a middle page and the last page (GET), with SQL statements;
- saving one page of edited segments (POST, then the redirect not followed);
- the publishing gate's quality checks over every translated segment;
- the PO export of that article in Persian;
- the authoring page, its impact review and a save of a one-paragraph edit.

Prints Markdown tables; the numbers are recorded in ``bench/editor.md``.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from common import median_seconds, scratch_database
from sqlalchemy import event, select, text

from editions.accounts.roles import create_user
from editions.content.articles import get_counterpart
from editions.content.counterparts import quality_errors
from editions.content.search import reindex
from editions.content.status import keep_status_current
from editions.core.db import make_engine, make_session_factory
from editions.core.models import Segment, Translation
from editions.core.settings import Settings
from editions.demo.synth import generate, long_article
from editions.exchange.export import ExportQuery, export_edition
from editions.maintenance import schema
from editions.translation.editor import PAGE_SIZE
from webapp import create_app

PASSWORD = "bench password"


def prepare(url: str, settings: Settings, articles: int, sizes: list[int]) -> dict[int, int]:
    """The corpus, the long articles (size -> id) and the bench users."""
    schema.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    keep_status_current(sessions, list(settings.editions))
    ids = {}
    with sessions() as session:
        generate(session, list(settings.editions), articles)
        session.commit()
        reindex(session)  # the translation memory looks candidates up in the search index
        session.commit()
        if url.startswith("postgresql"):
            session.execute(text("ANALYZE"))
        for size in sizes:
            start = time.perf_counter()
            ids[size] = long_article(session, settings.editions, size)
            session.commit()
            print(f"{size} paragraphs in {time.perf_counter() - start:.1f}s", file=sys.stderr)
        users = (("bench-fa", "translator", ["fa"]), ("bench-en", "editor", ["en"]))
        for name, role, codes in users:
            create_user(
                session,
                settings.editions,
                username=name,
                password=PASSWORD,
                role=role,
                edition_codes=codes,
            )
        session.commit()
        if url.startswith("postgresql"):
            session.execute(text("ANALYZE"))
            session.commit()
    engine.dispose()
    return ids


def signed_in(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def page_form(html: str, number: int) -> dict[str, str]:
    """The editor form of a page with every segment's text changed."""
    form = {"page": str(number), "action": "save"}
    for key, version in re.findall(r'name="version-([^"]+)" value="(\d+)"', html):
        form[f"version-{key}"] = version
        # No digits: the page is published, and the gate would refuse added numbers.
        form[f"text-{key}"] = "کتابخانهٔ شهر " + "تازه " * (int(version) % 7 + 1) + "شد."
    return form


def editor_rows(client, statements: list[str], article_id: int, repeat: int) -> list[tuple]:
    path = f"/dashboard/fa/posts/{article_id}"
    first = client.get(path).text
    pages = int(re.search(r"Page 1 of (\d+)", first)[1])
    rows = []
    for name, number in (("first", 1), ("middle", pages // 2 + 1), ("last", pages)):
        page_path = f"{path}?page={number}"
        assert client.get(page_path).status_code == 200
        seconds = median_seconds(partial(client.get, page_path), repeat)
        statements.clear()
        client.get(page_path)
        rows.append((f"editor: {name} page (GET)", seconds, len(statements)))
    saves = []
    for _attempt in range(repeat):
        number = pages // 2 + 1
        form = page_form(client.get(f"{path}?page={number}").text, number)
        started = time.perf_counter()
        response = client.post(path, data=form)
        saves.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    rows.append((f"editor: save a page of {PAGE_SIZE} (POST)", statistics.median(saves), 0))
    return rows


def domain_rows(engine, settings: Settings, article_id: int, repeat: int) -> list[tuple]:
    edition = settings.editions["fa"]
    with make_session_factory(engine)() as session:
        counterpart = get_counterpart(session, article_id, "fa")
        assert counterpart is not None
        pairs = session.execute(
            select(Segment.key, Segment.text, Translation.text)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Translation.counterpart_id == counterpart.id)
        ).all()
        gate = median_seconds(partial(quality_errors, edition, pairs), repeat)
        query = ExportQuery(article_ids=(article_id,))
        export = median_seconds(
            lambda: export_edition(session, edition, query, io.StringIO()), repeat
        )
    return [
        (f"publishing gate: checks of {len(pairs)} segments", gate, 0),
        ("PO export of the article (fa)", export, 0),
    ]


def authoring_rows(client, article_id: int, repeat: int) -> list[tuple]:
    path = f"/dashboard/articles/{article_id}/edit"
    seconds = median_seconds(partial(client.get, path), repeat)
    page = client.get(path).text
    form = {
        "title": html.unescape(re.search(r'name="title" value="([^"]*)"', page)[1]),
        "summary": "",
        "body": html.unescape(re.search(r'name="body"[^>]*>(.*?)</textarea>', page, re.S)[1])
        + "\n\nOne more paragraph.\n",
        "section": "books",
        "date": "2026-01-01",
        "state": "draft",
        "revision": re.search(r'name="revision" value="(\d+)"', page)[1],
    }
    review = median_seconds(partial(client.post, path, data=form), repeat)
    started = time.perf_counter()
    response = client.post(path, data={**form, "action": "save"})
    saved = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return [
        ("authoring: edit page (GET)", seconds, 0),
        ("authoring: review the impact of an edit (POST)", review, 0),
        ("authoring: save the edit (POST)", saved, 0),
    ]


def measure(settings: Settings, ids: dict[int, int], repeat: int) -> list[tuple]:
    app = create_app(settings)
    engine = app.extensions["editions"].engine
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    translator, editor = signed_in(app, "bench-fa"), signed_in(app, "bench-en")
    rows = []
    for size, article_id in ids.items():
        found = editor_rows(translator, statements, article_id, repeat)
        found += domain_rows(engine, settings, article_id, repeat)
        found += authoring_rows(editor, article_id, repeat)
        rows += [(size, *row) for row in found]
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraphs", default="600,2000")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.paragraphs.split(",")]
    results = []
    for backend in arguments.backends.split(","):
        with (
            tempfile.TemporaryDirectory() as workdir,
            scratch_database(backend, Path(workdir), "editions_bench_editor") as url,
        ):
            settings = Settings(
                instance_path=Path(workdir), database_url=url, secret_key="bench", testing=True
            )
            ids = prepare(url, settings, arguments.articles, sizes)
            rows = measure(settings, ids, arguments.repeat)
            results += [(backend, *row) for row in rows]
    print("| database | paragraphs | what | median server time (ms) | SQL statements |")
    print("| --- | ---: | --- | ---: | ---: |")
    for backend, size, name, seconds, count in results:
        print(f"| {backend} | {size:,} | {name} | {seconds * 1000:.0f} | {count or ''} |")


if __name__ == "__main__":
    main()
