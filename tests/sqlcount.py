"""Count the SQL statements a block of code sends: the measure of N+1 in tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, event


class QueryLog(list[str]):
    @property
    def count(self) -> int:
        return len(self)


@contextmanager
def count_queries(connection: Connection) -> Iterator[QueryLog]:
    log = QueryLog()

    def record(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            log.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(connection, "before_cursor_execute", record)
