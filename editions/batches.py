"""Long jobs in bounded steps: each batch of articles is its own short transaction.

An import of 100,000 articles must not hold the database for minutes: on SQLite the
write lock is the whole file's, so every translator's save would wait for it (and fail
after ``busy_timeout``); on PostgreSQL the rows it touched stay locked until it commits,
and a deadlock with a web write would roll back everything done so far. So a long job
works through articles in ascending id order, a few hundred at a time, commits after each
batch and holds nothing in between; a re-run after an interrupt redoes at most one batch.

Each batch begins by taking its locks the way web writers do, article rows first (in id
order), before counterparts, segments, translations and the kept status rows that the
batch then writes: two writers that lock in one order wait for each other instead of
deadlocking. A batch that still loses a deadlock, or cannot get SQLite's lock in time,
is rolled back and run again from its start (the work of a batch is idempotent).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

import psycopg.errors
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from editions.db import is_postgresql
from editions.models import Article

T = TypeVar("T")

BATCH_SIZE = 200  # articles per transaction: about a second of import work, measured
ATTEMPTS = 3  # a batch that keeps losing lock races after this is a real problem: say so


def in_batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def lock_articles(session: Session, article_ids: Iterable[int]) -> None:
    """Begin a batch as a writer: take the article rows' locks first, in id order.

    On PostgreSQL ``FOR NO KEY UPDATE`` (what an ``UPDATE`` of the row takes) makes web
    writers of these articles wait for the batch, not the other way round halfway
    through it, while inserts that only reference an article still go ahead. On SQLite
    the first statement of the transaction must write: a transaction that reads first
    and writes later cannot wait for the lock (SQLite refuses the upgrade at once), a
    write that opens it waits on ``busy_timeout`` like ``BEGIN IMMEDIATE``.
    """
    if is_postgresql(session):
        session.execute(
            select(Article.id)
            .where(Article.id.in_(sorted(set(article_ids))))
            .order_by(Article.id)
            .with_for_update(key_share=True)
        )
    else:
        session.execute(text("UPDATE articles SET id = id WHERE 0"))


def is_lock_conflict(error: DBAPIError) -> bool:
    """A deadlock, a lock or statement timeout, or SQLite's lock not had in time:
    nothing wrong with the work itself, so the batch may simply run again."""
    if isinstance(
        error.orig,
        psycopg.errors.DeadlockDetected
        | psycopg.errors.LockNotAvailable
        | psycopg.errors.SerializationFailure
        | psycopg.errors.QueryCanceled,
    ):
        return True
    return isinstance(error.orig, sqlite3.OperationalError) and "locked" in str(error.orig)


def run_batch(
    session: Session,
    article_ids: Sequence[int],
    work: Callable[[], T],
    *,
    keep: Callable[[T], bool] = lambda _result: True,
    attempts: int = ATTEMPTS,
) -> T:
    """Lock ``article_ids``, do ``work``, then commit, or roll back when ``keep`` says
    its result is not to be kept; run it again, from a rolled-back start, when it loses
    a lock race. What the caller's session did before (its reads) is committed first,
    so the batch's lock is the first statement of its own transaction."""
    session.commit()
    for attempt in range(1, attempts + 1):
        try:
            lock_articles(session, article_ids)
            result = work()
            if keep(result):
                session.commit()
            else:
                session.rollback()
            return result
        except DBAPIError as error:
            session.rollback()
            if attempt == attempts or not is_lock_conflict(error):
                raise
            time.sleep(0.05 * attempt)  # let the other writer finish first
    raise AssertionError("unreachable: the last attempt returns or raises")
