"""``/healthz`` tells a load balancer whether this app server can serve, and why not."""

from __future__ import annotations

import shutil

import pytest

from editions.core.settings import Settings
from editions.maintenance import schema
from tests.sqlcount import count_queries
from webapp import create_app

HEALTHY = {"status": "ok", "database": "ok", "migrations": "ok", "catalogs": "ok"}


def test_a_migrated_database_with_compiled_catalogs_is_healthy(app, client, engine):
    with count_queries(engine) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json == HEALTHY
    assert queries == []  # no session, no transaction: one query on the driver's connection
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.vary
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def make_app(tmp_path):
    """An app of its own on ``database_url``; its connections are closed afterwards."""
    apps = []

    def make(database_url):
        settings = Settings(
            instance_path=tmp_path, database_url=database_url, secret_key="x", testing=True
        )
        apps.append(create_app(settings))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["editions"].engine.dispose()


def test_a_database_behind_on_its_migrations_is_named(tmp_path, make_app):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    schema.upgrade(url, "i16_search_vectors")
    response = make_app(url).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable" and response.json["database"] == "ok"
    assert response.json["migrations"] == (
        f"the database is at i16_search_vectors, the code needs {schema.head_revision()}: "
        "run 'editions db upgrade'"
    )
    empty = make_app(f"sqlite:///{tmp_path / 'new.sqlite3'}").test_client().get("/healthz")
    assert empty.status_code == 503 and "at no revision" in empty.json["migrations"]


def test_a_database_that_does_not_answer_is_named(make_app):
    # Nothing listens on port 1: the connection is refused at once.
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    response = make_app(url).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "not answering: OperationalError"
    assert response.json["catalogs"] == "ok"


def test_a_catalog_that_is_not_compiled_is_named(tmp_path, settings, engine, make_app):
    # engine: the database at settings.database_url is migrated, whichever test ran before.
    app = make_app(settings.database_url)
    translations = tmp_path / "translations"
    shutil.copytree(settings.translations_path, translations)
    (translations / "fa" / "LC_MESSAGES" / "messages.mo").unlink()
    # The app refuses to start without a catalog; one that disappears later is reported.
    app.extensions["editions"] = app.extensions["editions"].__class__(
        settings.with_changes(translations_path=translations),
        app.extensions["editions"].engine,
        app.extensions["editions"].sessions,
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["catalogs"] == "not compiled for fa: run 'make catalogs'"
    assert response.json["migrations"] == "ok"
