"""``editions db``: migrate the database, and back it up to one file and restore it.

SQLite is copied with its online backup API (``editions.maintenance.backup``); PostgreSQL is
backed up with pg_dump, whose exact command line for the configured database these
commands print instead, writing nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from editions.maintenance import schema
from editions.maintenance.backup import (
    DatabaseSummary,
    Progress,
    backup_sqlite,
    is_current,
    postgres_commands,
    restore_sqlite,
    sqlite_path,
)
from webapp.database import settings


@click.group("db", cls=AppGroup)
def database() -> None:
    """Create, migrate, back up and restore the database."""


@database.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    # The instance folder: files of older versions (images) are carried into the database.
    schema.upgrade(settings().database_url, revision, settings().instance_path)
    click.echo(f"database at {revision}")


@database.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION ('base' empties it)."""
    schema.downgrade(settings().database_url, revision, settings().instance_path)
    click.echo(f"database at {revision}")


@contextlib.contextmanager
def pages_bar() -> Iterator[Progress]:
    """A progress bar per copy, opened at its first step: a prompt may come before it."""
    with contextlib.ExitStack() as stack:
        bars: dict[str, Any] = {}  # click's ProgressBar class is not public

        def advance(label: str, done: int, total: int) -> None:
            if label not in bars:
                stack.close()
                bars[label] = stack.enter_context(
                    click.progressbar(length=max(total, 1), label=label)
                )
            bar = bars[label]
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield advance


def _database_file(action: str, file: Path) -> Path:
    """The configured SQLite file, or a refusal naming the PostgreSQL commands."""
    url = settings().database_url
    database = sqlite_path(url)
    if database is not None:
        return database
    commands = postgres_commands(url, file)
    password = (
        "\nThe password is left out: give it in PGPASSWORD or ~/.pgpass."
        if commands.password_hidden
        else ""
    )
    if action == "backup":
        advice = (
            "The database is PostgreSQL: back it up with pg_dump (PostgreSQL's client tools, "
            "of the server's major version or newer), while the site runs:\n\n"
            f"  {commands.backup}\n\n"
            f"and restore it with `editions db restore {file}`'s instructions.{password}\n"
            "No backup was written."
        )
    else:
        advice = (
            "The database is PostgreSQL: restore a pg_dump backup with pg_restore, every app "
            "server stopped; it replaces the tables in one transaction, so a failure "
            "changes nothing:\n\n"
            f"  {commands.restore}\n\n"
            "then `editions db upgrade` (a backup made by an older version is migrated), "
            f"and start the site.{password}\nNothing was restored."
        )
    raise click.ClickException(advice)


@database.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def db_backup(file: Path, force: bool) -> None:
    """Copy the database to FILE, whole and consistent, while the site keeps running."""
    database = _database_file("backup", file)
    with pages_bar() as progress:
        summary = backup_sqlite(database, file, progress=progress, replace=force)
    click.echo(f"{database} backed up to {file}: integrity checked, schema {summary.revision}")
    click.echo(summary.describe())


@database.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking first.")
def db_restore(file: Path, yes: bool) -> None:
    """Replace the database with the backup FILE; the current one is kept aside first."""
    database = _database_file("restore", file)

    def confirm(summary: DatabaseSummary) -> None:
        click.echo(f"{file}: integrity checked, schema {summary.revision}")
        click.echo(summary.describe())
        if not yes:
            click.confirm(
                f"Replace every article, translation and account in {database} with this "
                "backup? (the current database is kept aside first)",
                abort=True,
            )

    with pages_bar() as progress:
        summary, kept = restore_sqlite(file, database, progress=progress, before=confirm)
    if kept:
        click.echo(f"the database it replaced is kept at {kept}")
    if not is_current(summary):
        schema.upgrade(settings().database_url)
        click.echo(f"migrated from schema {summary.revision} to the current one")
    click.echo(f"{database} restored from {file}: {summary.describe()}")
