"""The Alembic migrations build exactly the schema the models describe, both ways."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from editions.content.search import is_search_object
from editions.core.db import make_engine
from editions.maintenance import schema
from editions.maintenance.tables import Base


def test_the_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # FTS5 tables and PostgreSQL-only indexes live outside the metadata.
                "include_name": lambda name, _type, _parent: not is_search_object(name),
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_every_revision_goes_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    schema.upgrade(url)
    schema.downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    schema.upgrade(url)
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
