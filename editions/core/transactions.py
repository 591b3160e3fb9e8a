"""Transactions under many writers: who waits, for how long, in which order, and what fails.

Reading and writing transactions
    A transaction is a *writing* one unless it is begun on a bind carrying the execution
    option ``READS_ONLY`` (``reading(engine)``). On SQLite a writing transaction begins
    with ``BEGIN IMMEDIATE``: it takes the write lock at once and waits for it on the busy
    timeout. (A deferred ``BEGIN`` that writes later cannot wait: SQLite refuses the
    upgrade at once with "database is locked".) A reading one begins deferred and is
    read-only (``PRAGMA query_only``); with WAL it never waits on a writer. On PostgreSQL
    a reading transaction is ``READ ONLY``. Either way a write slipped into a reading
    transaction fails at once, in the tests, instead of failing only under load.

Timeouts
    ``WEB_TIMEOUTS`` (a ``Timeouts``) bounds, per transaction (``SET LOCAL``), how long a
    PostgreSQL statement waits for a lock and runs at all: web requests carry it, so a
    page answers 503 rather than hanging until its worker is killed. Command-line jobs
    carry none and wait as long as they must.

Lock order
    Every writer that takes row locks takes them in this order, so that two writers
    never wait on each other in a circle:

    1. the article catalogue (``lock_article_catalogue``): new article ids, authors and
       tags, which are found or made by name;
    2. the article row (``lock_article``), before anything of the article is read to
       be changed: two writers of one article queue here, and the second then reads
       what the first committed;
    3. its counterparts, 4. its segments, 5. their translations, in id order;
    6. the kept statuses (``status_entries``, ``article_work``, then ``status_counts``
       in sorted key order), written last, just before the commit.

    A writer of several articles locks them in ascending id order. On SQLite the write
    lock already serialises writers: the row locks are no-ops there. What a request
    records on the side (a token's last use, the day's point of the dashboard chart) is
    written before any of this, or in a short transaction of its own
    (``webapp.database.writing``).

Failures
    ``is_retryable``: a PostgreSQL deadlock, serialisation failure, or a unique key that
    another writer took meanwhile. The whole unit of work (a request: its view, then its
    commit; elsewhere ``run_unit_of_work``) is rolled back and run once more.
    ``is_busy``: the locks could not be had in time (SQLite busy after its timeout,
    PostgreSQL ``lock_timeout`` or ``statement_timeout``). That, or a second retryable
    failure, is rolled back and reported as "busy, try again": the web answers 503 with
    ``Retry-After``, a command exits with that sentence.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from editions.core.models import Article

T = TypeVar("T")
log = logging.getLogger(__name__)

READS_ONLY = "editions_reads_only"
WEB_TIMEOUTS = "editions_web_timeouts"

# PostgreSQL SQLSTATEs: run the work again / the lock was not had in time. A unique key
# that a concurrent writer took while this one waited for it (unique_violation) is worth
# a second look too: run again, the work finds that row and uses or refuses it.
_RETRYABLE = frozenset({"40P01", "40001", "23505"})
_BUSY = frozenset({"55P03", "57014"})  # lock_not_available, query_canceled (timeout)
_SQLITE_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})

# Any constant names the catalogue lock; PostgreSQL only compares them.
_CATALOGUE_LOCK = 0x45444954  # "EDIT"


@dataclass(frozen=True)
class Timeouts:
    """How long a web request's statements may wait for a lock and run, in seconds."""

    lock: float
    statement: float


def reading(engine: Engine) -> Engine:
    """The same engine, whose transactions only read (see the module's docstring)."""
    return engine.execution_options(**{READS_ONLY: True})


def with_timeouts(engine: Engine, timeouts: Timeouts) -> Engine:
    return engine.execution_options(**{WEB_TIMEOUTS: timeouts})


def is_retryable(error: BaseException) -> bool:
    """A deadlock, serialisation failure or unique key taken meanwhile: the same work may
    well succeed a second time."""
    return _sqlstate(error) in _RETRYABLE


def is_busy(error: BaseException) -> bool:
    """The database could not give this work its locks in time."""
    if _sqlstate(error) in _BUSY:
        return True
    original = getattr(error, "orig", None)
    return (
        isinstance(original, sqlite3.OperationalError)
        and getattr(original, "sqlite_errorcode", None) in _SQLITE_BUSY
    )


def _sqlstate(error: BaseException) -> str | None:
    if not isinstance(error, DBAPIError):
        return None
    return getattr(error.orig, "sqlstate", None)


def run_unit_of_work(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` in ``session`` and commit: one unit of work (a command's step, a long
    job's batch). A deadlock or serialisation failure rolls all of it back and runs it
    once more; a second one, or a busy database, is raised after the rollback."""
    for attempt in (1, 2):
        try:
            result = work()
            session.commit()
            return result
        except DBAPIError as error:
            session.rollback()
            if attempt == 2 or not is_retryable(error):
                raise
            log.warning("%s; running the unit of work once more", error.orig)
    raise AssertionError("unreachable: the second attempt returns or raises")


def lock_article(session: Session, article_id: int) -> Article | None:
    """The article, its row locked for this transaction (step 2 of the lock order); None
    when there is no such article. Call it before reading what the transaction changes:
    a second writer of the article waits here, then reads what the first one wrote."""
    if session.get_bind().dialect.name != "postgresql":
        return session.get(Article, article_id)  # SQLite's write lock is taken already
    return session.get(Article, article_id, with_for_update=True)


def lock_articles(session: Session, article_ids: Iterable[int]) -> None:
    """Step 2 for a writer of several articles (a long job's batch): their rows locked
    in ascending id order. ``FOR NO KEY UPDATE``, what an ``UPDATE`` of the row takes,
    makes web writers of these articles wait for the batch while rows that only refer
    to an article are still inserted. On SQLite the write lock is taken already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        select(Article.id)
        .where(Article.id.in_(sorted(set(article_ids))))
        .order_by(Article.id)
        .with_for_update(key_share=True)
    )


def lock_article_catalogue(session: Session) -> None:
    """Take the catalogue lock (step 1) before choosing an id or finding-or-making names.

    Two transactions that both read "no author 'A. Writer' yet" or "the highest id is 41"
    would both insert and one would fail on the unique key; this makes the second wait
    until the first commits and then read what it made.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CATALOGUE_LOCK})


__all__ = [
    "READS_ONLY",
    "WEB_TIMEOUTS",
    "Timeouts",
    "is_busy",
    "is_retryable",
    "lock_article",
    "lock_article_catalogue",
    "lock_articles",
    "reading",
    "run_unit_of_work",
    "with_timeouts",
]
