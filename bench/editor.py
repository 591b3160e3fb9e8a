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
import io
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event, select, text

from editions import schema
from editions.accounts import create_user
from editions.content import get_counterpart, quality_errors
from editions.db import make_engine, make_session_factory
from editions.editor import PAGE_SIZE
from editions.exchange.export import ExportQuery, export_edition
from editions.models import Segment, Translation
from editions.settings import Settings
from editions.status import keep_status_current
from editions.synth import generate, long_article
from webapp import create_app

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "editions_bench_editor"
PASSWORD = "bench password"


def temporary_url(backend: str, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    admin = make_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    return f"{POSTGRES}?options=-csearch_path%3D{SCHEMA}"


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        admin = make_engine(POSTGRES)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def median(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _attempt in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


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
        if url.startswith("postgresql"):
            session.execute(text("ANALYZE"))
        for size in sizes:
            start = time.perf_counter()
            ids[size] = long_article(session, settings.editions, size)
            session.commit()
            print(f"{size} paragraphs in {time.perf_counter() - start:.1f}s", file=sys.stderr)
        for name, role, codes in (("bench-fa", "translator", ["fa"]), ("bench-en", "editor", ["en"])):
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
    """The editor form of a page with every segment's text changed by one word."""
    form = {"page": str(number), "action": "save"}
    for key, version in re.findall(r'name="version-([^"]+)" value="(\d+)"', html):
        form[f"version-{key}"] = version
        # No digits: the page is published, and the gate would refuse added numbers.
        form[f"text-{key}"] = "کتابخانهٔ شهر " + "تازه " * (int(version) % 7 + 1) + "شد."
    return form


def measure(url: str, settings: Settings, ids: dict[int, int], repeat: int) -> list[tuple]:
    app = create_app(settings)
    engine = app.extensions["editions"].engine
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    translator, editor = signed_in(app, "bench-fa"), signed_in(app, "bench-en")
    rows = []
    for size, article_id in ids.items():
        path = f"/dashboard/fa/posts/{article_id}"
        with make_session_factory(engine)() as session:
            segments = session.scalar(
                select(text("count(*)")).select_from(Segment).where(Segment.article_id == article_id)
            )
        pages = -(-segments // PAGE_SIZE)
        for name, number in (("first", 1), ("middle", pages // 2 + 1), ("last", pages)):
            url_path = f"{path}?page={number}"
            assert translator.get(url_path).status_code == 200
            seconds = median(lambda url_path=url_path: translator.get(url_path), repeat)
            statements.clear()
            translator.get(url_path)
            rows.append((size, f"editor: {name} page (GET)", seconds, len(statements)))

        def save(number: int = pages // 2 + 1) -> None:
            html = translator.get(f"{path}?page={number}").text
            started = time.perf_counter()
            response = translator.post(path, data=page_form(html, number))
            save.seconds.append(time.perf_counter() - started)  # type: ignore[attr-defined]
            assert response.status_code == 302, response.status_code

        save.seconds = []  # type: ignore[attr-defined]
        for _attempt in range(repeat):
            save()
        rows.append((size, "editor: save a page of 50 (POST)", statistics.median(save.seconds), 0))

        with make_session_factory(engine)() as session:
            counterpart = get_counterpart(session, article_id, "fa")
            assert counterpart is not None
            pairs = session.execute(
                select(Segment.key, Segment.text, Translation.text)
                .join(Translation, Translation.segment_id == Segment.id)
                .where(Translation.counterpart_id == counterpart.id)
            ).all()
            edition = settings.editions["fa"]
            seconds = median(lambda: quality_errors(edition, pairs), repeat)
            rows.append((size, f"publishing gate: checks of {len(pairs)} segments", seconds, 0))
            query = ExportQuery(article_ids=(article_id,))
            seconds = median(
                lambda: export_edition(session, edition, query, io.StringIO()), repeat
            )
            rows.append((size, "PO export of the article (fa)", seconds, 0))

        edit_path = f"/dashboard/articles/{article_id}/edit"
        seconds = median(lambda: editor.get(edit_path), repeat)
        rows.append((size, "authoring: edit page (GET)", seconds, 0))
        html = editor.get(edit_path).text
        values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', html))
        body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', html, re.S)
        title = values.get("title", "")
        assert body is not None
        import html as markup

        source = markup.unescape(body.group(1))
        form = {
            "title": markup.unescape(title) or "Title",
            "summary": "",
            "body": source.replace("Library", "Libraries", 1) + "\n\nOne more paragraph.\n",
            "section": "books",
            "date": "2026-01-01",
            "state": "draft",
            "revision": values.get("revision", "0"),
        }
        seconds = median(lambda: editor.post(edit_path, data=form), repeat)
        rows.append((size, "authoring: review the impact of an edit (POST)", seconds, 0))
        started = time.perf_counter()
        response = editor.post(edit_path, data={**form, "action": "save"})
        assert response.status_code == 302, response.status_code
        rows.append((size, "authoring: save the edit (POST)", time.perf_counter() - started, 0))
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
        with tempfile.TemporaryDirectory() as workdir:
            url = temporary_url(backend, Path(workdir))
            settings = Settings(
                instance_path=Path(workdir), database_url=url, secret_key="bench", testing=True
            )
            try:
                ids = prepare(url, settings, arguments.articles, sizes)
                results += [(backend, *row) for row in measure(url, settings, ids, arguments.repeat)]
            finally:
                drop(url)
    print("| database | paragraphs | what | median server time (ms) | SQL statements |")
    print("| --- | ---: | --- | ---: | ---: |")
    for backend, size, name, seconds, count in results:
        print(f"| {backend} | {size:,} | {name} | {seconds * 1000:.0f} | {count or ''} |")


if __name__ == "__main__":
    main()
