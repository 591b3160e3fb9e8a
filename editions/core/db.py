"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

How transactions begin (reading or writing, timeouts) is set out in
``editions.core.transactions``; the ``begin`` listeners here carry it out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from editions.core.transactions import READS_ONLY, WEB_TIMEOUTS, Timeouts

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds a SQLite writer waits for the write lock


def make_engine(url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, **options: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        busy_milliseconds = max(0, round(busy_timeout * 1000))

        def pragmas(connection: Any, _record: Any) -> None:
            _sqlite_pragmas(connection, busy_milliseconds)

        event.listen(engine, "connect", pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **options)
    event.listen(engine, "begin", _postgresql_begin)
    return engine


def _sqlite_pragmas(connection: Any, busy_milliseconds: int) -> None:
    # pysqlite opens transactions on its own and breaks SAVEPOINT; let SQLAlchemy do it.
    connection.isolation_level = None
    cursor = connection.cursor()
    # WAL lets readers go on while a translator saves; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_milliseconds}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_QUERY_ONLY = "editions_query_only"  # what PRAGMA query_only is on this DBAPI connection


def _sqlite_begin(connection: Connection) -> None:
    reads_only = bool(connection.get_execution_options().get(READS_ONLY))
    kept = connection.connection.info
    if kept.get(_QUERY_ONLY, False) != reads_only:
        connection.exec_driver_sql(f"PRAGMA query_only={int(reads_only)}")
        kept[_QUERY_ONLY] = reads_only
    # A writer takes the write lock now, waiting on the busy timeout; a deferred BEGIN
    # that wrote later would be refused at once while another writer holds it.
    connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def _postgresql_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    settings: list[tuple[str, str]] = []
    if options.get(READS_ONLY):
        settings.append(("transaction_read_only", "on"))
    timeouts: Timeouts | None = options.get(WEB_TIMEOUTS)
    if timeouts is not None:
        settings.append(("lock_timeout", f"{max(1, round(timeouts.lock * 1000))}ms"))
        settings.append(("statement_timeout", f"{max(1, round(timeouts.statement * 1000))}ms"))
    if settings:
        # SET LOCAL, in one round trip: it ends with the transaction, whoever the pool
        # lends the connection to next.
        calls = ", ".join(f"set_config('{name}', '{value}', true)" for name, value in settings)
        connection.exec_driver_sql(f"SELECT {calls}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_postgresql(engine_or_session: Engine | Session) -> bool:
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return bind.dialect.name == "postgresql"
