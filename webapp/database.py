"""One SQLAlchemy session per request or command, committed or rolled back in one place.

A request that succeeds (status below 400) commits after the view returns, so a
failing commit still turns into an error response instead of a lost write; any other
outcome rolls back when the app context ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from editions.db import make_engine, make_session_factory
from editions.settings import Settings
from editions.status import keep_status_current


@dataclass(frozen=True)
class EditionsState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def init_app(app: Flask, settings: Settings) -> None:
    engine = make_engine(settings.database_url)
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
        g.db_session = state().sessions()
    return g.db_session


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
