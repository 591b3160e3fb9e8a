"""Alembic environment: the database URL comes from Editions' settings, never from an ini file."""

from __future__ import annotations

from alembic import context

from editions.content.search import is_search_object
from editions.core.db import make_engine
from editions.core.settings import Settings
from editions.maintenance.tables import Base

config = context.config
url = config.attributes.get("database_url") or Settings.from_env().database_url


def run_migrations() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            # FTS5 tables and PostgreSQL-only indexes live outside the metadata.
            include_name=lambda name, _type, _parent: not is_search_object(name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
