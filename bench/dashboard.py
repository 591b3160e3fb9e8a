"""Server time of the dashboard's pages over a synthetic corpus, on SQLite and PostgreSQL.

    .venv/bin/python bench/dashboard.py --articles 100000 --backends sqlite,postgresql
    .venv/bin/python bench/dashboard.py --database sqlite:////tmp/dash.sqlite3

Builds the corpus with `editions synth`'s generator (kept statuses included), then
requests each page through the app's test client (routing, queries and template
rendering: everything but the network) and reports the median of --repeat runs and
the number of SQL statements each page sends. It also times the dashboard's queries
alone (the summary, the count for pagination, one page of ids per sort and filter).
Prints Markdown tables.

``--database URL`` keeps the corpus: the first run builds it there (migrating the
schema), later runs only measure, so an optimisation can be measured against the same
100,000 articles without generating them again.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from common import median_seconds, scratch_database
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from editions.accounts.roles import create_user
from editions.content.status import Status, keep_status_current
from editions.core.db import is_postgresql, make_engine, make_session_factory
from editions.core.models import Article, User
from editions.core.settings import Settings
from editions.demo.synth import generate
from editions.maintenance import schema
from editions.translation import dashboard
from webapp import create_app

PAGES = {
    "dashboard, first page": "/dashboard/",
    "dashboard, fa stale, newest first": "/dashboard/?edition=fa&status=stale",
    "dashboard, fa stale, oldest first": "/dashboard/?edition=fa&status=stale&sort=stale",
    "dashboard, most words to do": "/dashboard/?sort=todo",
    "dashboard, fa, most words to do": "/dashboard/?edition=fa&sort=todo",
    "dashboard, stale first": "/dashboard/?sort=stale",
    "dashboard, draft (any edition)": "/dashboard/?status=draft",
    "dashboard, page 500": "/dashboard/?page=500",
    "status API (JSON), first page": "/api/v1/status",
    "my queue": "/dashboard/queue",
}
QUERIES: dict[str, dashboard.Filters] = {
    "one page of the matrix (newest first)": dashboard.Filters(),
    "one page, status draft (any edition)": dashboard.Filters(status=Status.DRAFT),
    "one page, fa stale": dashboard.Filters(edition="fa", status=Status.STALE),
    "one page, most words to do": dashboard.Filters(sort=dashboard.Sort.TODO),
    "one page, fa most words to do": dashboard.Filters(edition="fa", sort=dashboard.Sort.TODO),
    "one page, stale first": dashboard.Filters(sort=dashboard.Sort.STALE),
}


def prepare(url: str, settings: Settings, articles: int) -> None:
    """Migrate, and build the corpus and the bench user unless the database has them."""
    schema.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    keep_status_current(sessions, list(settings.editions))
    with sessions() as session:
        if not session.scalar(select(func.count()).select_from(Article)):
            start = time.perf_counter()
            generate(session, list(settings.editions), articles, seed=articles)
            session.commit()
            print(f"{articles} articles in {time.perf_counter() - start:.0f}s", file=sys.stderr)
        if session.scalar(select(User.id).where(User.username == "bench")) is None:
            create_user(
                session,
                settings.editions,
                username="bench",
                password="bench password",
                role="translator",
                edition_codes=["fa", "sq"],
            )
            session.commit()
    # VACUUM runs outside a transaction; it also sets the visibility map index-only scans need.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if is_postgresql(engine) else "ANALYZE"))
    engine.dispose()


def measure_queries(session: Session, codes: list[str], repeat: int) -> list[tuple[str, float]]:
    results = [
        (
            "summary (counts per edition and status)",
            median_seconds(lambda: dashboard.summary(session, codes), repeat, warm_up=True),
        )
    ]
    results.append(
        (
            "count for pagination (no filter)",
            median_seconds(
                lambda: dashboard.count(session, codes, dashboard.Filters()), repeat, warm_up=True
            ),
        )
    )
    results.append(
        (
            "count for pagination (fa stale)",
            median_seconds(
                lambda: dashboard.count(session, codes, dashboard.Filters("fa", Status.STALE)),
                repeat,
                warm_up=True,
            ),
        )
    )
    results.append(
        (
            "count for pagination (draft, any edition)",
            median_seconds(
                lambda: dashboard.count(session, codes, dashboard.Filters(status=Status.DRAFT)),
                repeat,
                warm_up=True,
            ),
        )
    )
    for name, filters in QUERIES.items():
        results.append(
            (
                name,
                median_seconds(
                    lambda f=filters: dashboard.page_ids(session, codes, f), repeat, warm_up=True
                ),
            )
        )
    translator = session.scalars(select(User).where(User.username == "bench")).one()
    results.append(
        (
            "my queue (fa, sq translator)",
            median_seconds(
                lambda: dashboard.queue(session, translator, codes), repeat, warm_up=True
            ),
        )
    )
    return results


def run(url: str, settings: Settings, repeat: int) -> tuple[list, list]:
    codes = list(settings.editions)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        queries = measure_queries(session, codes, repeat)
    engine.dispose()
    app = create_app(settings)
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": "bench password"})
    statements: list[str] = []
    app_engine = app.extensions["editions"].engine
    event.listen(app_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    pages = []
    for name, path in PAGES.items():
        assert client.get(path).status_code == 200, path  # warm caches and the day's snapshot
        timings = []
        for _attempt in range(repeat):
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200
        pages.append((name, statistics.median(timings), len(statements)))
    app_engine.dispose()
    return pages, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database", help="a database URL to build the corpus in once and keep")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as scratch:
        targets = (
            [arguments.database]
            if arguments.database
            else [
                scratch.enter_context(
                    scratch_database(backend, Path(workdir), "editions_bench_dashboard")
                )
                for backend in arguments.backends.split(",")
            ]
        )
        for url in targets:
            settings = Settings(
                instance_path=Path(workdir), database_url=url, secret_key="bench", testing=True
            )
            prepare(url, settings, arguments.articles)
            backend = "postgresql" if url.startswith("postgresql") else "sqlite"
            results.append((backend, *run(url, settings, arguments.repeat)))
    print("| database | page | median server time (ms) | SQL statements |")
    print("| --- | --- | ---: | ---: |")
    for backend, pages, _queries in results:
        for name, seconds, count in pages:
            print(f"| {backend} | {name} | {seconds * 1000:.0f} | {count} |")
    print()
    print("| database | query | median time (ms) |")
    print("| --- | --- | ---: |")
    for backend, _pages, queries in results:
        for name, seconds in queries:
            print(f"| {backend} | {name} | {seconds * 1000:.1f} |")


if __name__ == "__main__":
    main()
