"""Long work in bounded steps: ``kill -9`` halfway, run again, and the database is the one a
clean run makes.

These tests run the real ``editions`` command in a subprocess against a database of their
own (a SQLite file, or a PostgreSQL schema), because the rolled-back transaction the other
tests share cannot show what a killed process leaves behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.cli import ScriptInfo
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError

from editions.content.intake import ExportedFile, export_articles
from editions.content.status import StatusCount, StatusEntry, keep_status_current
from editions.core.db import make_engine, make_session_factory
from editions.core.models import (
    Article,
    Counterpart,
    Segment,
    SourceRevision,
    Translation,
    TranslationChange,
)
from editions.core.settings import DEFAULT_EDITIONS, Settings
from editions.demo.synth import generate
from editions.maintenance import schema
from tests.conftest import POSTGRES_URL
from webapp import create_app
from webapp.cli import cli

ARTICLES = 24
BATCH = 3  # eight batches: a kill after the second leaves most of the work undone
EDITIONS = str(Path(sys.executable).with_name("editions"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of article files, sources and their translations: a synthetic corpus,
    exported (two editions keep it quick to import)."""
    folder = tmp_path_factory.mktemp("corpus")
    url = f"sqlite:///{folder / 'scratch.sqlite3'}"
    schema.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    keep_status_current(sessions, DEFAULT_EDITIONS)
    with sessions() as session:
        generate(session, ["en", "fa"], ARTICLES, seed=7)
        session.commit()
        for item in export_articles(session):
            if isinstance(item, ExportedFile):
                path = folder / "files" / item.path
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(item.markdown(), encoding="utf-8")
    engine.dispose()
    return folder / "files"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases with the schema: one for the interrupted run, one for the clean."""
    if request.param == "sqlite":
        urls = tuple(f"sqlite:///{tmp_path / f'{name}.sqlite3'}" for name in ("killed", "clean"))
        for url in urls:
            schema.upgrade(url)
        yield urls  # type: ignore[misc]
        return
    schemas = [f"editions_resume_{os.getpid()}_{name}" for name in ("killed", "clean")]
    admin = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            for name in schemas:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
                connection.execute(text(f"CREATE SCHEMA {name}"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {error.orig}")
    urls = tuple(f"{POSTGRES_URL}?options=-csearch_path%3D{name}" for name in schemas)
    for url in urls:
        schema.upgrade(url)
    yield urls  # type: ignore[misc]
    with admin.begin() as connection:
        for name in schemas:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


def start(url: str, tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "EDITIONS_DATABASE_URL": url,
        "EDITIONS_ENV": "development",
        "EDITIONS_INSTANCE": str(tmp_path / "instance"),
        "EDITIONS_SECRET_KEY": "resume-test",
    }
    return subprocess.Popen(
        [EDITIONS, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def run_to_the_end(url: str, tmp_path: Path, *args: str) -> str:
    """Run a command in this process (a subprocess only pays the start-up again)."""
    settings = Settings(
        instance_path=tmp_path / "instance", database_url=url, secret_key="resume", testing=True
    )
    app = create_app(settings)
    try:
        result = app.test_cli_runner().invoke(
            cli, list(args), obj=ScriptInfo(create_app=lambda: app)
        )
    finally:
        app.extensions["editions"].engine.dispose()
    assert result.exit_code == 0, result.output
    return result.output


def kill_after(process: subprocess.Popen[bytes], engine: Engine, articles: int) -> int:
    """SIGKILL the process as soon as ``articles`` articles are committed; returns how
    many were committed when it died."""
    deadline = time.monotonic() + 300  # a loaded machine starts a process slowly
    while time.monotonic() < deadline and process.poll() is None:
        with engine.connect() as connection:
            if connection.scalar(select(func.count()).select_from(Article)) >= articles:
                break
        time.sleep(0.005)
    assert process.poll() is None, "the import ended before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.communicate()
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Article)) or 0


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """What the import wrote, by natural keys: row ids and times differ between any two
    runs (a PostgreSQL sequence never gives back what a killed transaction took)."""
    with engine.connect() as connection:

        def rows(statement) -> list[tuple]:
            return sorted(tuple(row) for row in connection.execute(statement))

        return {
            "articles": rows(
                select(
                    Article.id,
                    Article.section,
                    Article.source_edition,
                    Article.published_on,
                    Article.issue_number,
                    Article.slug,
                    Article.segment_counter,
                )
            ),
            "counterparts": rows(
                select(
                    Counterpart.article_id,
                    Counterpart.edition,
                    Counterpart.state,
                    Counterpart.title,
                    Counterpart.summary,
                    Counterpart.body,
                    Counterpart.body_html,
                )
            ),
            "segments": rows(
                select(
                    Segment.article_id,
                    Segment.key,
                    Segment.position,
                    Segment.kind,
                    Segment.prefix,
                    Segment.continues,
                    Segment.text,
                    Segment.checksum,
                )
            ),
            "translations": rows(
                select(
                    Counterpart.article_id,
                    Counterpart.edition,
                    Segment.key,
                    Translation.text,
                    Translation.source_checksum,
                    Translation.draft,
                )
                .join(Counterpart, Counterpart.id == Translation.counterpart_id)
                .join(Segment, Segment.id == Translation.segment_id)
            ),
            "revisions": rows(
                select(
                    SourceRevision.article_id,
                    SourceRevision.number,
                    SourceRevision.title,
                    SourceRevision.body,
                    SourceRevision.minor,
                )
            ),
            "translation history": rows(
                select(
                    Counterpart.article_id,
                    Counterpart.edition,
                    TranslationChange.segment_key,
                    TranslationChange.old_text,
                    TranslationChange.new_text,
                    TranslationChange.origin,
                ).join(Counterpart, Counterpart.id == TranslationChange.counterpart_id)
            ),
            "status": rows(
                select(
                    StatusEntry.article_id,
                    StatusEntry.edition,
                    StatusEntry.status,
                    StatusEntry.words_to_translate,
                    StatusEntry.words_stale,
                )
            ),
            "status counts": rows(
                select(StatusCount.edition, StatusCount.status, StatusCount.entries).where(
                    StatusCount.entries != 0
                )
            ),
        }


def test_an_import_killed_halfway_then_run_again_gives_the_database_of_one_clean_run(
    corpus: Path, database_urls: tuple[str, str], tmp_path: Path
):
    killed_url, clean_url = database_urls
    killed, clean = make_engine(killed_url), make_engine(clean_url)
    try:
        command = ("articles", "import", "--batch-size", str(BATCH), str(corpus))
        interrupted = start(killed_url, tmp_path, *command)
        committed = kill_after(interrupted, killed, 2 * BATCH)
        # Batches end early on a busy machine (after about a second): any number of
        # them may be committed, never all.
        assert 0 < committed < ARTICLES

        resumed = run_to_the_end(killed_url, tmp_path, *command)
        # The files of the committed batches are found already there.
        summary = resumed.splitlines()[-1]
        assert summary.endswith(", 0 failed"), resumed
        assert int(summary.split(", ")[2].split()[0]) >= committed, summary
        run_to_the_end(clean_url, tmp_path, *command)

        after_resume, after_clean = dump(killed), dump(clean)
        assert len(after_clean["articles"]) == ARTICLES
        assert len(after_clean["translations"]) > ARTICLES  # the translations came too
        for table, rows in after_clean.items():
            assert after_resume[table] == rows, f"{table} differ after a resumed import"
    finally:
        killed.dispose()
        clean.dispose()
