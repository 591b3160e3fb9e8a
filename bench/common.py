"""What the benchmarks share: a scratch database on either backend, and median timings.

The scripts run as ``python bench/<name>.py``, so this folder is first on ``sys.path``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from editions.core.db import make_engine

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CORPUS = Path(tempfile.gettempdir()) / "editions-bench-corpus"


@contextmanager
def scratch_database(backend: str, folder: Path, schema: str) -> Iterator[str]:
    """A database URL to build a corpus in: a SQLite file in ``folder``, or a PostgreSQL
    schema of its own, dropped again afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    admin = make_engine(POSTGRES)
    drop = text(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    with admin.begin() as connection:
        connection.execute(drop)
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(drop)
        admin.dispose()


def median_seconds(action: Callable[[], object], repeat: int, *, warm_up: bool = False) -> float:
    """The median wall time of ``repeat`` runs (after one unmeasured run with ``warm_up``)."""
    if warm_up:
        action()
    timings = []
    for _attempt in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def editions(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "editions"), *args], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )


def environment(url: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EDITIONS_INSTANCE": str(folder),
        "EDITIONS_DATABASE_URL": url,
        "EDITIONS_SECRET_KEY": "bench",
        "EDITIONS_TRUSTED_HOSTS": "127.0.0.1,localhost",
        "EDITIONS_ENV": "development",
    }


def corpus(articles: int) -> Path:
    """Article files of ``articles`` synthetic articles, made once and kept."""
    folder = CORPUS / str(articles)
    if (folder / ".done").exists():
        return folder / "files"
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(f"sqlite:///{folder / 'scratch.sqlite3'}", folder)
    editions(env, "db", "upgrade")
    editions(env, "synth", "--articles", str(articles))
    editions(env, "articles", "export", str(folder / "files"))
    (folder / ".done").touch()
    return folder / "files"
