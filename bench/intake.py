"""Time `editions articles import` of a synthetic corpus into an empty database.

For each database and corpus size: N synthetic articles in every edition (made once with
``editions synth`` and ``editions articles export``, kept between runs) are imported by
the command as a coordinator runs it, committed in batches, into a fresh database. Prints
the wall time of the command and articles and files per second; run with ``--repeat`` to
take the median.

    .venv/bin/python bench/intake.py --articles 200,1000 --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from common import corpus, editions, environment, scratch_database


def import_seconds(backend: str, files: Path) -> float:
    with (
        tempfile.TemporaryDirectory(prefix="editions-bench-") as name,
        scratch_database(backend, Path(name), f"bench_intake_{os.getpid()}") as url,
    ):
        env = environment(url, Path(name))
        editions(env, "db", "upgrade")
        started = time.perf_counter()
        editions(env, "articles", "import", str(files))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="200", help="sizes, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=1)
    options = parser.parse_args()
    print("| database | articles | files | import (s) | articles/s | files/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for articles in (int(size) for size in options.articles.split(",")):
        files = corpus(articles)
        count = sum(1 for _ in files.rglob("*.md"))
        for backend in options.backends.split(","):
            seconds = statistics.median(
                import_seconds(backend, files) for _ in range(options.repeat)
            )
            print(
                f"| {backend} | {articles} | {count} | {seconds:.1f} "
                f"| {articles / seconds:.1f} | {count / seconds:.1f} |"
            )


if __name__ == "__main__":
    main()
