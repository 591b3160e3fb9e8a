"""Backups and restores: `editions db backup FILE` / `editions db restore FILE`.

SQLite through its online backup API, while a real writer thread keeps committing;
PostgreSQL through the pg_dump and pg_restore command lines the command prints. A
restore is judged by a fingerprint of every table: each row's values, hashed in
primary-key order, against the database the backup was taken from.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError

from editions.accounts.roles import create_user
from editions.content.articles import SourceText
from editions.content.sources import revise_source
from editions.content.status import keep_status_current
from editions.core.db import make_engine, make_session_factory
from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS, Settings
from editions.maintenance import schema
from editions.maintenance.backup import (
    BackupError,
    backup_sqlite,
    inspect_sqlite,
    postgres_commands,
    restore_sqlite,
    sqlite_path,
)
from editions.maintenance.tables import Base
from tests.conftest import POSTGRES_URL
from tests.factories import SOURCE_BODY, make_article
from webapp import create_app
from webapp.cli import cli

Fingerprint = dict[str, tuple[int, str]]
# The rows a publisher would miss first: none of them may be absent from a backup.
ESSENTIAL = ("articles", "counterparts", "translations", "source_revisions", "translation_changes")
EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)


def fingerprint(engine: Engine) -> Fingerprint:
    """Every table's row count and a SHA-256 of its rows in primary-key order."""
    prints: Fingerprint = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            digest = hashlib.sha256()
            count = 0
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            prints[table.name] = (count, digest.hexdigest())
    return prints


def fingerprint_of(url: str) -> Fingerprint:
    engine = make_engine(url)
    try:
        return fingerprint(engine)
    finally:
        engine.dispose()


def load_site_into(url: str) -> None:
    """A small site with every kind of row a restore must bring back: articles, their
    counterparts and translations, a revised source (history, stale segments), an account."""
    schema.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    keep_status_current(sessions, list(DEFAULT_EDITIONS))
    with sessions() as session:
        articles = [make_article(session, EDITIONS, article_id=16001 + n) for n in range(4)]
        create_user(
            session,
            EDITIONS,
            username="translator-fa",
            password="a long enough secret",
            role="translator",
            edition_codes=["fa"],
        )
        revise_source(
            session,
            articles[0],
            SourceText("A reading festival", "A new festival.", SOURCE_BODY + "\nSee you there.\n"),
        )
        session.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def demo_file(demo_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (loaded once for the whole suite) copied into a file of this module's;
    each test works on its own copy of that."""
    demo = sqlite_path(demo_app.extensions["editions"].settings.database_url)
    assert demo is not None
    path = tmp_path_factory.mktemp("demo") / "editions.sqlite3"
    with closing(sqlite3.connect(demo)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return path


def articles_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as database:
        return database.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.fixture
def site(tmp_path: Path, demo_file: Path) -> Path:
    """The instance folder of a site whose database is a copy of the demo."""
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copyfile(demo_file, instance / "editions.sqlite3")
    return instance


def editions_command(instance: Path, database_url: str | None = None) -> Callable[..., Result]:
    """Run `editions …` against the site in ``instance``, as an operator would."""
    settings = Settings(
        instance_path=instance,
        database_url=database_url or f"sqlite:///{instance / 'editions.sqlite3'}",
        secret_key="test",
        testing=True,
    )
    app = create_app(settings)

    def run(*args: str, input: str | None = None) -> Result:
        return app.test_cli_runner().invoke(
            cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input
        )

    return run


def break_the_site(url: str) -> None:
    """A bad day: an article deleted with its whole history, translations overwritten."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE id = 16001"))
        connection.execute(text("UPDATE translations SET text = 'lost' WHERE id % 3 = 0"))
    engine.dispose()


# ------------------------------------------------------------------ SQLite


def test_a_backup_taken_while_the_site_writes_is_whole_and_consistent(
    site: Path, demo_file: Path, tmp_path
):
    database = site / "editions.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    sessions = make_session_factory(engine)
    keep_status_current(sessions, list(DEFAULT_EDITIONS))
    first_id = 200001
    committed: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        # Each commit adds a whole article: source, three counterparts, their segments.
        try:
            while not stop.is_set():
                with sessions() as session:
                    make_article(session, EDITIONS, article_id=first_id + len(committed))
                    session.commit()
                committed.append(first_id + len(committed))
        except BaseException as error:
            failures.append(error)

    pages_done: list[int] = []

    def progress(_label: str, done: int, total: int) -> None:
        pages_done.append(done)
        if len(pages_done) == 3:
            # Halfway through the copy, the site commits twice more: writers never wait
            # for a backup, and the copy must not include what they wrote.
            target = len(committed) + 2
            deadline = time.monotonic() + 30
            while len(committed) < target and not failures and time.monotonic() < deadline:
                time.sleep(0.01)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 2 and not failures:
            time.sleep(0.01)
        before = len(committed)
        summary = backup_sqlite(
            database, tmp_path / "backup.sqlite3", progress=progress, pages_per_step=8
        )
        after = len(committed)
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    assert not failures, failures
    assert after >= before + 2, "the writer committed while the backup ran"
    assert len(pages_done) > 3 and pages_done == sorted(pages_done), "the copy never restarted"

    with closing(sqlite3.connect(tmp_path / "backup.sqlite3")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        written = [
            article_id
            for (article_id,) in copy.execute(
                "SELECT id FROM articles WHERE id >= ? ORDER BY id", (first_id,)
            )
        ]
        # One instant of the site: the first k commits, each whole, none half-written.
        assert before <= len(written) <= after
        assert written == list(range(first_id, first_id + len(written)))
        parts = copy.execute(
            "SELECT a.id, count(DISTINCT c.id), count(t.id) FROM articles a "
            "JOIN counterparts c ON c.article_id = a.id "
            "LEFT JOIN translations t ON t.counterpart_id = c.id "
            "WHERE a.id >= ? GROUP BY a.id",
            (first_id,),
        ).fetchall()
    assert {(counterparts, translations) for _id, counterparts, translations in parts} == {
        (4, 3 * 6)
    }, "every article in the copy has its three counterparts, each fully translated"
    assert summary.counts["articles"] == articles_in(demo_file) + len(written)


def test_backup_then_restore_finds_every_article_translation_and_history_row(site: Path):
    url = f"sqlite:///{site / 'editions.sqlite3'}"
    original = fingerprint_of(url)
    assert all(original[table][0] > 0 for table in ESSENTIAL)
    editions = editions_command(site)
    backup = site.parent / "nightly.sqlite3"

    result = editions("db", "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert "Backing up" in result.output and "integrity checked" in result.output
    assert f"{original['articles'][0]} articles" in result.output
    assert f"{original['translations'][0]:,} translations" in result.output

    break_the_site(url)
    broken = fingerprint_of(url)
    assert broken["articles"][0] == original["articles"][0] - 1

    result = editions("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "Keeping the current database" in result.output and "Restoring" in result.output
    assert fingerprint_of(url) == original
    # What the restore replaced is kept, whole: restoring the wrong file loses nothing.
    kept = [path for path in site.iterdir() if "before-restore" in path.name]
    assert len(kept) == 1 and f"kept at {kept[0]}" in result.output
    assert fingerprint_of(f"sqlite:///{kept[0]}") == broken


def test_restore_asks_first_and_a_no_changes_nothing(site: Path):
    url = f"sqlite:///{site / 'editions.sqlite3'}"
    editions = editions_command(site)
    backup = site.parent / "backup.sqlite3"
    assert editions("db", "backup", str(backup)).exit_code == 0
    break_the_site(url)
    broken = fingerprint_of(url)

    result = editions("db", "restore", str(backup), input="n\n")
    assert result.exit_code == 1
    assert "Replace every article, translation and account" in result.output
    assert "Aborted" in result.output
    assert fingerprint_of(url) == broken
    assert [path.name for path in site.iterdir() if path.suffix == ".sqlite3"] == [
        "editions.sqlite3"
    ]


def test_a_damaged_database_is_restored_and_kept_aside_as_it_was(site: Path):
    database = site / "editions.sqlite3"
    url = f"sqlite:///{database}"
    original = fingerprint_of(url)
    editions = editions_command(site)
    backup = site.parent / "backup.sqlite3"
    assert editions("db", "backup", str(backup)).exit_code == 0
    _damaged(database, database)
    with pytest.raises(BackupError, match="is damaged"):
        inspect_sqlite(database)

    result = editions("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert fingerprint_of(url) == original
    (kept,) = (path for path in site.iterdir() if "before-restore" in path.name)
    assert kept.stat().st_size == database.stat().st_size


def _not_sqlite(path: Path, _backup: Path) -> None:
    path.write_text("id,title\n16001,a spreadsheet\n")


def _damaged(path: Path, backup: Path) -> None:
    data = bytearray(backup.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xff" * 8192
    path.write_bytes(bytes(data))


def _truncated(path: Path, backup: Path) -> None:
    path.write_bytes(backup.read_bytes()[: 3 * 4096])


def _another_application(path: Path, _backup: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")


def _from_a_newer_version(path: Path, backup: Path) -> None:
    shutil.copyfile(backup, path)
    with closing(sqlite3.connect(path, isolation_level=None)) as newer:
        newer.execute("UPDATE alembic_version SET version_num = 'i99_from_the_future'")


@pytest.mark.parametrize(
    ("make_file", "reason"),
    [
        (_not_sqlite, "is not a SQLite database"),
        (_damaged, "damaged"),
        (_truncated, "damaged"),
        (_another_application, "but not one of Editions"),
        (_from_a_newer_version, "does not know: restore it with the version that made it"),
    ],
    ids=["not-sqlite", "damaged", "truncated", "another-application", "newer-version"],
)
def test_restore_refuses_what_is_not_a_whole_editions_backup(
    site: Path, make_file: Callable[[Path, Path], None], reason: str
):
    url = f"sqlite:///{site / 'editions.sqlite3'}"
    editions = editions_command(site)
    good = site.parent / "good.sqlite3"
    assert editions("db", "backup", str(good)).exit_code == 0
    before = fingerprint_of(url)
    bad = site.parent / "bad.sqlite3"
    make_file(bad, good)

    result = editions("db", "restore", str(bad), "--yes")
    assert result.exit_code == 1
    assert reason in result.output
    assert "Traceback" not in result.output
    assert fingerprint_of(url) == before
    assert not [path for path in site.iterdir() if "before-restore" in path.name]


def test_a_backup_never_replaces_a_file_unless_told(site: Path):
    editions = editions_command(site)
    backup = site.parent / "backup.sqlite3"
    backup.write_text("last week's notes")

    result = editions("db", "backup", str(backup))
    assert result.exit_code == 1
    assert "exists: choose a new file name, or replace it with --force" in result.output
    assert backup.read_text() == "last week's notes"

    assert editions("db", "backup", str(backup), "--force").exit_code == 0
    assert inspect_sqlite(backup).counts["articles"] == articles_in(site / "editions.sqlite3")
    assert [path.name for path in site.parent.iterdir() if "partial" in path.name] == []


def test_backup_of_a_site_without_a_database_says_so(tmp_path: Path):
    database = tmp_path / "instance" / "editions.sqlite3"
    with pytest.raises(BackupError, match=r"there is no database at .*: nothing to back up"):
        backup_sqlite(database, tmp_path / "backup.sqlite3")
    assert not database.exists()


def test_restore_onto_a_new_machine_creates_the_database(tmp_path: Path, demo_file: Path):
    database = tmp_path / "instance" / "editions.sqlite3"
    summary, kept = restore_sqlite(demo_file, database)
    assert kept is None
    assert summary.counts["articles"] == articles_in(demo_file)
    assert fingerprint_of(f"sqlite:///{database}") == fingerprint_of(f"sqlite:///{demo_file}")


def test_a_backup_made_by_an_older_version_is_restored_then_migrated(site: Path, tmp_path: Path):
    scripts = ScriptDirectory.from_config(schema.alembic_config("sqlite://"))
    previous = scripts.get_revision(scripts.get_current_head()).down_revision
    assert isinstance(previous, str)
    older = tmp_path / "older.sqlite3"
    schema.upgrade(f"sqlite:///{older}", previous)

    result = editions_command(site)("db", "restore", str(older), "--yes")
    assert result.exit_code == 0, result.output
    assert f"migrated from schema {previous}" in result.output
    assert inspect_sqlite(site / "editions.sqlite3").revision == scripts.get_current_head()


# ------------------------------------------------------------------ PostgreSQL


def test_the_postgresql_commands_name_the_configured_database_without_its_password():
    commands = postgres_commands(
        "postgresql+psycopg://editions:s3cret@db.internal:6432/news?sslmode=require",
        Path("/backups/news 2026-11-30.dump"),
    )
    assert commands.backup == (
        "pg_dump --format=custom '--file=/backups/news 2026-11-30.dump' "
        "'postgresql://editions@db.internal:6432/news?sslmode=require'"
    )
    assert commands.restore == (
        "pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error "
        "'--dbname=postgresql://editions@db.internal:6432/news?sslmode=require' "
        "'/backups/news 2026-11-30.dump'"
    )
    assert commands.password_hidden
    assert "s3cret" not in commands.backup + commands.restore


@pytest.fixture(scope="module")
def postgres_site() -> Iterator[str]:
    """A site in a schema of its own on the test server: backed up and restored whole."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed (Debian: postgresql-client)")
    name = f"editions_backup_{os.getpid()}"
    admin = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {name}"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {error.orig}")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    load_site_into(url)
    yield url
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


def printed_command(output: str, program: str) -> list[str]:
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith(program)]
    assert len(lines) == 1, output
    return shlex.split(lines[0])


def test_postgresql_backup_and_restore_with_the_commands_editions_prints(
    postgres_site: str, tmp_path: Path
):
    original = fingerprint_of(postgres_site)
    assert all(original[table][0] > 0 for table in ESSENTIAL)
    editions = editions_command(tmp_path, postgres_site)
    dump = tmp_path / "editions.dump"

    result = editions("db", "backup", str(dump))
    assert result.exit_code == 1, "no backup was written, and a script must know it"
    assert "No backup was written" in result.output
    subprocess.run(printed_command(result.output, "pg_dump"), check=True, timeout=120)

    break_the_site(postgres_site)
    assert fingerprint_of(postgres_site) != original

    result = editions("db", "restore", str(dump))
    assert result.exit_code == 1
    assert "Nothing was restored" in result.output
    subprocess.run(
        printed_command(result.output, "pg_restore"), check=True, timeout=120, capture_output=True
    )
    assert fingerprint_of(postgres_site) == original


def test_postgresql_backup_brings_back_a_schema_that_was_dropped(
    postgres_site: str, tmp_path: Path
):
    """The worst day: every table gone. The same pg_restore line restores into an empty
    database or schema (the README's path to a new database works the same way)."""
    original = fingerprint_of(postgres_site)
    dump = tmp_path / "editions.dump"
    commands = postgres_commands(postgres_site, dump)
    subprocess.run(shlex.split(commands.backup), check=True, timeout=120)
    schema_name = postgres_site.rsplit("%3D", 1)[1]
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
    admin.dispose()

    subprocess.run(shlex.split(commands.restore), check=True, timeout=120, capture_output=True)
    assert fingerprint_of(postgres_site) == original
