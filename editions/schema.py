"""Alembic, driven from code: the CLI, the tests and ``make`` all migrate through here."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

import editions.tables  # noqa: F401 - every table must be known to Alembic
from editions.settings import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
