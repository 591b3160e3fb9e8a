"""Fixtures: a real SQLite file and, where it answers, the real PostgreSQL server.

The schema is built by the Alembic migrations once per database; every test runs in
a transaction that is rolled back afterwards, with the app's sessions joined to it
through savepoints, so requests may commit without leaking into the next test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from editions.accounts import roles
from editions.content.status import keep_status_current
from editions.core.db import make_engine
from editions.core.settings import DEFAULT_EDITIONS, Settings
from editions.demo import load_demo
from editions.maintenance import schema
from webapp import create_app
from webapp.cli import cli

# Property tests judge results, never speed: a per-example deadline fails them at random on
# a machine busy with other work (speed is measured in bench/).
hypothesis_settings.register_profile("editions", deadline=None)
hypothesis_settings.load_profile("editions")

POSTGRES_SERVER_URL = os.environ.get(
    "EDITIONS_TEST_POSTGRES_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
)
# A database of its own per test process (each pytest-xdist worker is one), made from the
# server's: the catalogue lock is an advisory lock, one per database, which a test holds
# until its transaction is rolled back, so processes sharing a database wait for each
# other's tests, and a writer with a lock timeout could answer 503 in one of them.
POSTGRES_DATABASE = f"editions_test_{os.getpid()}"
POSTGRES_URL = (
    make_url(POSTGRES_SERVER_URL)
    .set(database=POSTGRES_DATABASE)
    .render_as_string(hide_password=False)
)
POSTGRES_SCHEMA = f"editions_test_{os.getpid()}"


def _postgres_engine() -> Engine:
    admin = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {POSTGRES_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {POSTGRES_SCHEMA}"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {error.orig}")
    finally:
        admin.dispose()
    return make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={POSTGRES_SCHEMA}"})


def _url_with_schema() -> str:
    return f"{POSTGRES_URL}?options=-csearch_path%3D{POSTGRES_SCHEMA}"


@pytest.fixture(scope="session", autouse=True)
def postgres_database() -> Iterator[None]:
    """This process's database (``POSTGRES_URL``), made empty first and dropped at the end.
    Where the server does not answer, the PostgreSQL tests skip when they connect to it."""
    server = make_engine(
        POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    drop = text(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    try:
        with server.connect() as connection:
            connection.execute(drop)
            connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE}"))
    except OperationalError:
        server.dispose()
        yield
        return
    yield
    with server.connect() as connection:
        connection.execute(drop)
    server.dispose()


@pytest.fixture(scope="session", autouse=True)
def passwords_hashed_once() -> Iterator[None]:
    """Each password is hashed once per test process, and each hash checked once against a
    password: the hashes are werkzeug's own at the production cost (scrypt, about 0.1 s),
    which was half the time of the tests that sign in. A hash checks the same way every
    time, so no answer changes; test users who share a password share its salt too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(roles, "generate_password_hash", cache(generate_password_hash))
        patch.setattr(roles, "check_password_hash", cache(check_password_hash))
        yield


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'editions.sqlite3'}"
        return
    _postgres_engine().dispose()
    yield _url_with_schema()
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {POSTGRES_SCHEMA} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    schema.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo site on a SQLite file, loaded once: for tests that only read its pages
    (every page in every edition, and the browser tests)."""
    from webapp.database import state

    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'editions.sqlite3'}"
    schema.upgrade(url)
    settings = Settings(instance_path=folder, database_url=url, secret_key="demo", testing=True)
    app = create_app(settings)
    with app.app_context():
        session = state().sessions()
        load_demo(session, settings.editions)
        session.commit()
        session.close()
    yield app
    app.extensions["editions"].engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    sessions = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    keep_status_current(sessions, DEFAULT_EDITIONS)
    return sessions


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        secret_key="test-secret",
        testing=True,
    )


@pytest.fixture
def editions(settings: Settings):
    return settings.editions


@pytest.fixture
def app(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> Flask:
    app = create_app(settings)
    state = app.extensions["editions"]
    app.extensions["editions"] = replace(state, engine=engine, sessions=sessions)
    state.engine.dispose()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def run_cli(app: Flask):
    """Run an ``editions`` command against the test app; returns click's Result."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = app.test_cli_runner()
        return runner.invoke(
            cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input, env=env
        )

    return run


@pytest.fixture
def sign_in(session: Session, editions):
    """Create a user, sign them in on a client: ``sign_in(client, "translator", ["fa"])``."""
    from editions.accounts.roles import create_user

    def sign(
        client: FlaskClient,
        role: str = "coordinator",
        edition_codes: tuple[str, ...] | list[str] = (),
        username: str | None = None,
    ):
        username = username or f"{role}-{'-'.join(edition_codes) or 'all'}"
        password = "correct horse battery"
        user = create_user(
            session,
            editions,
            username=username,
            password=password,
            role=role,
            edition_codes=edition_codes,
        )
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.text
        return user

    return sign


@pytest.fixture
def coordinator(client: FlaskClient, sign_in) -> FlaskClient:
    """A client signed in as a coordinator."""
    sign_in(client, "coordinator")
    return client
