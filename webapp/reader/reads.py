"""The reader's database connection: plain Core reads, without an ORM session.

The reader writes nothing and loads no entity. Opening an ORM session, beginning it,
committing it and closing it cost more than the three statements of an article page
(about 0.5 ms of a 3 ms request), so public pages read on a ``Connection`` of their
own, checked out of the same pool on first use and given back when the request ends.

It is taken from the sessions' bind, so wherever sessions run on one connection (the
tests, inside their rolled-back transaction) the reader reads on that one too.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import Connection

from webapp.database import state
from webapp.reader.blueprint import blueprint


def reads() -> Connection:
    """This request's read connection, opened on first use."""
    connection = g.get("reader_connection")
    if connection is None:
        bind = state().sessions.kw["bind"]
        connection = g.reader_connection = bind if isinstance(bind, Connection) else bind.connect()
    return connection


@blueprint.teardown_app_request
def _close(_error: BaseException | None) -> None:
    connection: Connection | None = g.pop("reader_connection", None)
    if connection is not None and connection is not state().sessions.kw["bind"]:
        connection.close()  # rolls back the read transaction and returns it to the pool
