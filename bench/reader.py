"""Reader throughput: gunicorn (2 sync workers) on a synth corpus, loaded by Debian's wrk.

    .venv/bin/python bench/reader.py --articles 20000 --duration 10 --connections 16

Builds a temporary SQLite database (`editions db upgrade`, `editions synth`), serves it
with gunicorn on a free loopback port, then runs wrk against an English article, a
Persian article and a conditional request answered 304. Loopback only, bounded in
time. Prints a Markdown table (recorded in bench/reader.md). ``--database-url`` runs
the same against another database (e.g. an empty PostgreSQL schema).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import text

from editions.core.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def published_article(url: str, edition: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        article_id = connection.execute(
            text(
                "SELECT article_id FROM counterparts WHERE edition = :edition "
                "AND state = 'published' ORDER BY article_id DESC LIMIT 1 OFFSET 100"
            ),
            {"edition": edition},
        ).scalar_one()
    engine.dispose()
    return article_id


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/robots.txt", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def wrk(url: str, duration: int, connections: int, headers: list[str]) -> dict[str, str]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for header in headers:
        args += ["-H", header]
    output = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"\s50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"\s99%\s+([\d.]+\w+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rate": rate.group(1) if rate else "?",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "errors": errors.group(1) if errors else "0",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument(
        "--reuse", action="store_true", help="the database already holds a corpus: no synth"
    )
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (sync, gthread)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--revalidate-seconds",
        default="1",
        help="EDITIONS_READER_REVALIDATE_SECONDS: a kept page is served without SQL for "
        "this long after a check (0: check on every request)",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="editions-bench-") as folder:
        url = options.database_url or f"sqlite:///{folder}/bench.sqlite3"
        env = {
            **os.environ,
            "EDITIONS_INSTANCE": folder,
            "EDITIONS_DATABASE_URL": url,
            "EDITIONS_SECRET_KEY": "bench",
            "EDITIONS_TRUSTED_HOSTS": "127.0.0.1,localhost",
            "EDITIONS_READER_REVALIDATE_SECONDS": options.revalidate_seconds,
        }
        if not options.reuse:
            started = time.monotonic()
            run([str(BIN / "editions"), "db", "upgrade"], env)
            run([str(BIN / "editions"), "synth", "--articles", str(options.articles)], env)
            print(f"corpus: {options.articles} articles in {time.monotonic() - started:.0f} s")
        english, persian = published_article(url, "en"), published_article(url, "fa")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--worker-class",
                options.worker_class,
                "--threads",
                str(options.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
                "webapp:create_app()",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_until_up(base)
            with urllib.request.urlopen(f"{base}/fa/posts/{persian}") as response:
                etag = response.headers["ETag"]
            cases = [
                ("English article, 200", f"{base}/en/posts/{english}", []),
                ("Persian article, 200", f"{base}/fa/posts/{persian}", []),
                ("Persian article, 304", f"{base}/fa/posts/{persian}", [f"If-None-Match: {etag}"]),
            ]
            for _label, case_url, headers in cases:  # warm both workers
                wrk(case_url, 2, options.connections, headers)
            backend = url.split(":")[0]
            print(
                f"\n{options.connections} connections, {options.duration} s per run, {backend}, "
                f"{options.worker_class} workers x {options.threads} thread(s), "
                f"revalidate after {options.revalidate_seconds} s; "
                f"load average before: {os.getloadavg()[0]:.2f}\n"
            )
            print("| request | requests/s | p50 | p99 | non-2xx/3xx |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for label, case_url, headers in cases:
                result = wrk(case_url, options.duration, options.connections, headers)
                print(
                    f"| {label} | {result['rate']} | {result['p50']} | {result['p99']} "
                    f"| {result['errors']} |"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
