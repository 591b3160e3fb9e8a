"""The reader's database connection: plain Core reads, without an ORM session.

The reader writes nothing and loads no entity. Opening an ORM session, beginning it,
committing it and closing it cost more than the three statements of an article page
(about 0.5 ms of a 3 ms request), so public pages read on a ``Connection`` of their
own, checked out of the same pool on first use and given back when the request ends.

It is taken from the sessions' bind, so wherever sessions run on one connection (the
tests, inside their rolled-back transaction) the reader reads on that one too.

One snapshot per request: an article's ETag is read by one statement before the rows
it is rendered from, and a body kept under that ETag must show what the ETag names.
SQLite's transaction (a reading one, see ``editions.core.transactions``) already gives
one snapshot; on PostgreSQL the default READ COMMITTED takes one per statement, so the
reader asks for REPEATABLE READ (a read-only transaction at that level never fails to
serialize).
"""

from __future__ import annotations

from flask import g
from sqlalchemy import Connection, Engine

from webapp.database import state, transaction_bind
from webapp.reader.blueprint import blueprint


def reads() -> Connection:
    """This request's read connection, opened on first use."""
    connection = g.get("reader_connection")
    if connection is None:
        bind = transaction_bind(reads_only=True)
        connection = g.reader_connection = bind if isinstance(bind, Connection) else _connect(bind)
    return connection


def _connect(engine: Engine) -> Connection:
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")
    return connection


@blueprint.teardown_app_request
def _close(_error: BaseException | None) -> None:
    connection: Connection | None = g.pop("reader_connection", None)
    if connection is not None and connection is not state().sessions.kw["bind"]:
        # COMMIT, not the ROLLBACK close() would send: the transaction only read, and
        # psycopg forgets every prepared statement of a connection on ROLLBACK, so the
        # validator would be planned afresh on every request (2 ms instead of 0.4).
        if connection.in_transaction():
            connection.commit()
        connection.close()
