"""Backups: SQLite's online backup API for the embedded database, pg_dump for PostgreSQL.

A SQLite backup is taken from one read transaction, so it is the database as it was at
one instant, whole, while the site goes on writing (WAL lets writers commit past a
reader). The backup API copies pages in steps; a step that starts a fresh read would
see the other connections' commits and start over, endlessly under steady writing, so
the copy runs inside a read transaction held from the first step to the last.

A restore goes the other way through the same API: the configured database is replaced
in one write transaction, so the site's processes see the old database or the restored
one, never a mix, and their writers wait meanwhile. Before anything is replaced the
backup must pass ``PRAGMA integrity_check`` and carry a schema revision this code knows,
and the current database is first copied aside: a restore loses nothing, not even what
it replaces.

PostgreSQL has its own tools, better than anything written here: ``pg_dump
--format=custom`` and ``pg_restore``; :func:`postgres_commands` spells them out for a
configured database URL.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, make_url

from editions.maintenance import schema

# What a restore reports, in the publisher's words: the articles, their counterparts,
# the translated segments and the history of sources and translations.
COUNTED_TABLES: tuple[tuple[str, str], ...] = (
    ("articles", "articles"),
    ("counterparts", "counterparts"),
    ("translations", "translations"),
    ("source_revisions", "source revisions"),
    ("translation_changes", "translation changes"),
)
SQLITE_HEADER = b"SQLite format 3\x00"
# 1,024 pages of 4 KiB: a step every 4 MiB, so the progress bar moves on a large file.
PAGES_PER_STEP = 1024

Progress = Callable[[str, int, int], None]
"""Called after each step with what is being copied ("Backing up", "Restoring"…), the
pages copied so far and the pages in all."""


class BackupError(RuntimeError):
    """A backup or restore refused before anything was written, with the reason."""


@dataclass(frozen=True)
class DatabaseSummary:
    """What a database file holds: its schema revision and the rows that matter."""

    revision: str
    counts: dict[str, int]

    def describe(self) -> str:
        return ", ".join(f"{self.counts[table]:,} {label}" for table, label in COUNTED_TABLES)


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite database URL; None for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _connect(path: Path, *, mode: str) -> sqlite3.Connection:
    # mode=rw never creates a missing file, unlike a plain connect; ro for backups we read.
    connection = sqlite3.connect(
        f"file:{path}?mode={mode}", uri=True, isolation_level=None, check_same_thread=False
    )
    connection.execute("PRAGMA busy_timeout=5000")
    return connection


@contextlib.contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def backup_sqlite(
    database: Path,
    target: Path,
    *,
    progress: Progress | None = None,
    pages_per_step: int = PAGES_PER_STEP,
    replace: bool = False,
) -> DatabaseSummary:
    """Copy the live ``database`` to ``target``, consistent while the site writes.

    The copy is written beside ``target`` and renamed into place only once it has
    passed its integrity check, so ``target`` is never a half-written backup.
    """
    if not database.is_file():
        raise BackupError(f"there is no database at {database}: nothing to back up")
    if target.exists() and target.resolve() == database.resolve():
        raise BackupError(f"{target} is the database itself")
    if target.exists() and not replace:
        raise BackupError(f"{target} exists: choose a new file name, or replace it with --force")
    with _partial_file(target) as partial:
        try:
            _copy_database(database, partial, progress, "Backing up", pages_per_step)
        except sqlite3.Error as error:
            raise BackupError(
                f"{database} could not be copied ({error}); nothing was written to {target}"
            ) from error
        summary = inspect_sqlite(partial)
        partial.replace(target)
    return summary


@contextlib.contextmanager
def _partial_file(target: Path) -> Iterator[Path]:
    """A new file beside ``target`` (readable by its owner only), gone unless renamed."""
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _copy_database(
    database: Path, target: Path, progress: Progress | None, label: str, pages_per_step: int
) -> None:
    with _closing(_connect(database, mode="rw")) as source:
        _copy(source, target, progress, label, pages_per_step, hold_snapshot=True)
    with _closing(sqlite3.connect(target, isolation_level=None)) as copy:
        # One self-contained file: no -wal beside it to forget when it is moved.
        copy.execute("PRAGMA journal_mode=DELETE")


def _copy(
    source: sqlite3.Connection,
    target: Path,
    progress: Progress | None,
    label: str,
    pages_per_step: int,
    *,
    hold_snapshot: bool,
) -> None:
    with _closing(sqlite3.connect(target, isolation_level=None)) as destination:
        # A restore waits for the site's writers to finish (a backup's file has none).
        destination.execute("PRAGMA busy_timeout=5000")
        if hold_snapshot:
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        try:
            source.backup(
                destination,
                pages=pages_per_step,
                progress=(
                    lambda _status, remaining, total: progress(label, total - remaining, total)
                )
                if progress
                else None,
            )
        finally:
            if hold_snapshot:
                source.execute("COMMIT")


def inspect_sqlite(path: Path) -> DatabaseSummary:
    """Refuse a file that is not a whole Editions database this code can migrate."""
    if not path.is_file():
        raise BackupError(f"there is no file at {path}")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database")
    try:
        with _closing(_connect(path, mode="ro")) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    f"{path} is damaged (PRAGMA integrity_check: {'; '.join(problems[:5])})"
                )
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_schema")}
            if "alembic_version" not in tables or "articles" not in tables:
                raise BackupError(f"{path} is a SQLite database, but not one of Editions")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table, _label in COUNTED_TABLES
                if table in tables
            }
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is damaged: it cannot be read ({error})") from error
    if revision is None:
        raise BackupError(f"{path} has no schema revision: it was never migrated")
    _check_known_revision(path, revision[0])
    return DatabaseSummary(
        revision[0], {table: counts.get(table, 0) for table, _ in COUNTED_TABLES}
    )


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(schema.alembic_config("sqlite://"))


def _check_known_revision(path: Path, revision: str) -> None:
    try:
        known = _scripts().get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"{path} is at schema revision {revision!r}, which this version of Editions "
            "does not know: restore it with the version that made it"
        )


def is_current(summary: DatabaseSummary) -> bool:
    return summary.revision == _scripts().get_current_head()


def restore_sqlite(
    backup: Path,
    database: Path,
    *,
    before: Callable[[DatabaseSummary], None] = lambda _summary: None,
    progress: Progress | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> tuple[DatabaseSummary, Path | None]:
    """Replace ``database`` with ``backup``; returns the backup's summary and where the
    database it replaced was kept (None when there was none).

    ``before`` sees the checked backup before anything is written, and may refuse (raise).
    """
    if database.exists() and backup.resolve() == database.resolve():
        raise BackupError(f"{backup} is the database itself")
    summary = inspect_sqlite(backup)
    before(summary)
    kept = _keep_aside(database, progress, pages_per_step) if database.is_file() else None
    database.parent.mkdir(parents=True, exist_ok=True)
    with _closing(_connect(backup, mode="ro")) as source:
        try:
            _copy(source, database, progress, "Restoring", pages_per_step, hold_snapshot=False)
        except sqlite3.Error as error:
            raise BackupError(
                f"the database at {database} could not be replaced ({error}); "
                f"it is unchanged{f', and a copy is at {kept}' if kept else ''}"
            ) from error
    return summary, kept


def _keep_aside(database: Path, progress: Progress | None, pages_per_step: int) -> Path:
    """Copy the database a restore replaces, as it is: a damaged one (often the reason for
    the restore) is kept too, unchecked."""
    kept = database.with_name(
        f"{database.stem}-before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}{database.suffix}"
    )
    with _partial_file(kept) as partial:
        try:
            _copy_database(
                database, partial, progress, "Keeping the current database", pages_per_step
            )
        except sqlite3.Error as error:
            raise BackupError(
                f"the current database {database} cannot be read ({error}), so it cannot be "
                "kept aside: move it (with its -wal file) out of the way yourself, then "
                "restore again; nothing was changed"
            ) from error
        partial.replace(kept)
    return kept


# ------------------------------------------------------------------ PostgreSQL


@dataclass(frozen=True)
class PostgresCommands:
    backup: str
    restore: str
    password_hidden: bool


def postgres_commands(database_url: str, file: Path | str) -> PostgresCommands:
    """The pg_dump and pg_restore command lines for a configured PostgreSQL URL."""
    url = make_url(database_url)
    libpq = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    schema_name = _first_schema(url)
    dump = ["pg_dump", "--format=custom", f"--file={file}"]
    if schema_name:
        dump.append(f"--schema={schema_name}")
    return PostgresCommands(
        backup=shlex.join([*dump, libpq]),
        # One transaction: a restore that fails half-way leaves the database as it was.
        restore=shlex.join(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={libpq}",
                str(file),
            ]
        ),
        password_hidden=url.password is not None,
    )


def _first_schema(url: URL) -> str | None:
    """The schema Editions' tables live in when the URL sets a search_path."""
    options = url.query.get("options")
    text = " ".join(options) if isinstance(options, tuple) else options or ""
    match = re.search(r"(?:-c\s*|--)search_path=([^\s,]+)", text)
    return match.group(1).strip('"') if match else None
