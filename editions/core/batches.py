"""Long jobs in bounded steps: each batch of articles is its own short transaction.

An import of 100,000 articles must not hold the database for minutes: on SQLite the
write lock is the whole file's, so every translator's save would wait for it (and fail
after ``busy_timeout``); on PostgreSQL the rows it touched stay locked until it commits,
and a deadlock with a web write would roll back everything done so far. So a long job
works through articles in ascending id order, a few hundred at a time or about a second's
work, whichever ends first, commits after each batch and holds nothing in between; a
re-run after an interrupt redoes at most one batch.

Each batch begins by taking its locks the way web writers do, article rows first (in id
order), before counterparts, segments, translations and the kept status rows that the
batch then writes: two writers that lock in one order wait for each other instead of
deadlocking. A batch that still loses a deadlock, or cannot get SQLite's lock in time,
is rolled back and run again from its start (the work of a batch is idempotent).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from editions.core.transactions import is_busy, is_retryable, lock_articles

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item of work
R = TypeVar("R")  # what applying it gives

BATCH_SIZE = 200  # articles per transaction at most...
BATCH_SECONDS = 1.0  # ...and a transaction ends at the next article after this long
# SQLite's busy handler looks for the write lock again every 100 ms at most, and a job
# that took it back at once after each commit would starve the web's writers (measured:
# a quarter of translators' saves answered 503 during a long import): between batches it
# stands aside for longer than that. PostgreSQL queues lock waiters in order.
STAND_ASIDE_SECONDS = 0.15
ATTEMPTS = 3  # a batch that keeps losing lock races after this is a real problem: say so


def apply_in_batches(
    session: Session,
    items: Sequence[I],
    article_of: Callable[[I], int],
    apply: Callable[[I], R],
    *,
    size: int = BATCH_SIZE,
    seconds: float = BATCH_SECONDS,
    keep: Callable[[list[R]], bool] = lambda _results: True,
) -> Iterator[tuple[list[R], bool]]:
    """``apply`` each of ``items`` (in article order), a batch per transaction; yields each
    batch's results and whether they were kept (committed).

    A batch ends after ``size`` articles or, at the next article, once it has worked for
    ``seconds``: what a writer waits for is bounded by time, whatever the articles' length
    or the machine's load. An article's items are never split between batches.
    """
    position = 0
    while position < len(items):
        end, articles = position, 0
        while end < len(items) and (
            articles < size or article_of(items[end]) == article_of(items[end - 1])
        ):
            if end == position or article_of(items[end]) != article_of(items[end - 1]):
                articles += 1
            end += 1
        window = items[position:end]

        def work(window: Sequence[I] = window) -> list[R]:
            deadline = time.monotonic() + seconds
            results: list[R] = []
            for index, item in enumerate(window):
                new_article = index and article_of(item) != article_of(window[index - 1])
                if new_article and time.monotonic() > deadline:
                    break
                results.append(apply(item))
            return results

        results, kept = run_batch(
            session, sorted({article_of(item) for item in window}), work, keep=keep
        )
        position += len(results)
        yield results, kept


def run_batch(
    session: Session,
    article_ids: Sequence[int],
    work: Callable[[], T],
    *,
    keep: Callable[[T], bool] = lambda _result: True,
    attempts: int = ATTEMPTS,
) -> tuple[T, bool]:
    """Lock ``article_ids``, do ``work``, then commit, or roll back when ``keep`` says
    its result is not to be kept; run it again, from a rolled-back start, when it loses
    a lock race. Returns the result and whether it was kept. What the caller's session
    did before (its reads) is committed first, so the batch's lock is the first
    statement of its own transaction."""
    session.commit()
    for attempt in range(1, attempts + 1):
        try:
            lock_articles(session, article_ids)
            result = work()
            kept = keep(result)
            if kept:
                session.commit()
            else:
                session.rollback()
            _stand_aside(session)
            return result, kept
        except DBAPIError as error:
            session.rollback()
            if attempt == attempts or not (is_retryable(error) or is_busy(error)):
                raise
            time.sleep(0.05 * attempt)  # let the other writer finish first
    raise AssertionError("unreachable: the last attempt returns or raises")


def _stand_aside(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        time.sleep(STAND_ASIDE_SECONDS)
