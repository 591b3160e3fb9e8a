"""One SQLAlchemy session per request or command, committed or rolled back in one place.

A request that succeeds (status below 400) commits after the view returns, so a
failing commit still turns into an error response instead of a lost write; any other
outcome rolls back when the app context ends.

Concurrent writers (``editions.core.transactions``): a GET, HEAD or OPTIONS request reads in
a reading transaction, which never waits on a writer; every other request, and every
command, writes. The few things a reading request records go through ``writing()``, a
short write transaction of their own. A request's view and its commit are one unit of
work (``EditionsApp``): a deadlock runs it once more; a database that cannot give it its
locks in time answers 503 with ``Retry-After`` (``webapp.errors``), in the page's
language (the API: a problem document), with everything rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    request,
)
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import ServiceUnavailable

from editions.content.status import keep_status_current
from editions.core.db import make_engine, make_session_factory
from editions.core.settings import Settings
from editions.core.transactions import Timeouts, is_busy, is_retryable, reading, with_timeouts

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditionsState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    # The sessions' engine with the options of each kind of transaction, made once.
    binds: dict[tuple[Engine, bool, bool], Engine] = field(default_factory=dict)


def init_app(app: Flask, settings: Settings) -> None:
    engine = make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
    sessions = make_session_factory(engine)
    keep_status_current(sessions, list(settings.editions))
    app.extensions["editions"] = EditionsState(settings, engine, sessions)
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close_session)


def state() -> EditionsState:
    return current_app.extensions["editions"]


def settings() -> Settings:
    return state().settings


def db() -> Session:
    """The session of this request or command, opened on first use."""
    if "db_session" not in g:
        g.db_session = state().sessions(bind=transaction_bind(reads_only=request_reads_only()))
    return g.db_session


def request_reads_only() -> bool:
    """Whether this request's transaction only reads (commands always write)."""
    return has_request_context() and request.method in READING_METHODS


def transaction_bind(*, reads_only: bool) -> Engine | Connection:
    """What a session of this request or command is bound to: the engine with the options
    of a reading or writing transaction, and in a request the web's timeouts."""
    current = state()
    base = current.sessions.kw["bind"]
    if not isinstance(base, Engine):
        return base  # the tests' one connection, whose transaction is already open
    web = has_request_context()
    key = (base, reads_only, web)
    bind = current.binds.get(key)
    if bind is None:
        bind = reading(base) if reads_only else base
        if web:
            config = current.settings
            bind = with_timeouts(bind, Timeouts(config.lock_timeout, config.statement_timeout))
        current.binds[key] = bind
    return bind


@contextmanager
def writing() -> Iterator[Session]:
    """A session to write in, for the few writes a reading request makes (a token's last
    use): a short write transaction of its own, committed at once. In a request or
    command that writes anyway, it is that request's or command's session."""
    if not request_reads_only():
        yield db()
        return
    session = state().sessions(bind=transaction_bind(reads_only=False))
    try:
        yield session
        session.commit()
    finally:
        session.close()


class EditionsApp(Flask):
    """Flask, running each request's view and commit as one unit of work."""

    def full_dispatch_request(self) -> Response:
        try:
            return super().full_dispatch_request()
        except DBAPIError as error:
            _start_over()
            if not is_retryable(error):
                return self._busy(error)
            log.warning("%s %s: %s; running it once more", request.method, request.path, error)
        try:
            return super().full_dispatch_request()
        except DBAPIError as error:
            _start_over()
            if not (is_retryable(error) or is_busy(error)):
                raise
            return self._busy(error)

    def _busy(self, error: DBAPIError) -> Response:
        if not is_busy(error):
            raise error
        log.warning("%s %s answered 503: %s", request.method, request.path, error)
        # The busy page: webapp.errors.
        busy = self.handle_http_exception(ServiceUnavailable())
        return self.finalize_request(busy, from_error_handler=True)


def _start_over() -> None:
    """Undo everything the failed attempt did, so that nothing of it is committed later."""
    session: Session | None = g.get("db_session")
    if session is not None:
        session.rollback()
    # Uploads the view read are read again from their start; a body never parsed stays so.
    for upload in request.__dict__.get("files", {}).values():
        upload.stream.seek(0)


def _commit_on_success(response: Response) -> Response:
    session: Session | None = g.get("db_session")
    if session is not None and response.status_code < 400:
        session.commit()
    return response


def _close_session(_error: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
