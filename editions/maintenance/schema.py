"""Alembic, driven from code: the CLI, the tests and ``make`` all migrate through here."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import editions.maintenance.tables  # noqa: F401 - every table must be known to Alembic
from editions.core.settings import bundled

MIGRATIONS = bundled("migrations")


def alembic_config(database_url: str, instance_path: Path | None = None) -> Config:
    """Alembic's configuration; ``instance_path`` is the folder whose files a data
    migration may carry into the database (the shared storage's images and previews)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    config.attributes["instance_path"] = instance_path
    return config


def upgrade(database_url: str, revision: str = "head", instance_path: Path | None = None) -> None:
    command.upgrade(alembic_config(database_url, instance_path), revision)


def downgrade(database_url: str, revision: str, instance_path: Path | None = None) -> None:
    command.downgrade(alembic_config(database_url, instance_path), revision)


@cache
def head_revision() -> str | None:
    """The newest revision this code knows (read from the migration files once)."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it was never migrated. Raises the
    driver's error when the database does not answer.

    Read on the driver's connection, outside any transaction: no write lock on SQLite,
    whatever ``BEGIN`` the engine's sessions use, so a health check never waits on writers.
    """
    connection = engine.raw_connection()  # a database that does not answer fails here
    try:
        cursor = connection.cursor()
        try:
            cursor.execute("SELECT version_num FROM alembic_version")
        except engine.dialect.loaded_dbapi.Error:
            return None  # never migrated: no table
        row = cursor.fetchone()
        return row[0] if row else None
    finally:
        connection.close()  # back to the pool, rolled back
