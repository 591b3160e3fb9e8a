"""Alembic, driven from code: the CLI, the tests and ``make`` all migrate through here."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import editions.tables  # noqa: F401 - every table must be known to Alembic
from editions.settings import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


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
