"""The site while a long import runs: web latency, writes per second and errors.

For each database and corpus size: a folder of N synthetic articles (every edition, made
with ``editions synth`` and ``editions articles export``, kept between runs) is imported
with ``editions articles import`` in one process while gunicorn (2 workers) serves the
demo site from the same database to threads that act as its users:

- readers fetch article pages in every edition;
- translators (one per translated edition) open the segment editor and save a segment;
- a coordinator uploads a PO file through the web, previews it and applies it.

First the same load runs for a few seconds without the import (the baseline), then for
as long as the import runs. Printed: the import's time, and per kind of request the count,
the rate, p50/p99/max latency and the responses by status; a 5xx is an error, a 409
(two saves of one segment) is not. ``max`` is the longest a web request waited.

    .venv/bin/python bench/concurrency.py --articles 1000,10000 --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib
import requests
from sqlalchemy import text

from editions.core.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from common import corpus, editions, environment, scratch_database  # noqa: E402 - bench/ is not a package
from reader import free_port, wait_until_up  # noqa: E402

DEMO_PASSWORD = "editions-demo"
TRANSLATORS = {"fa": 16001, "ar": 16002, "sq": 16003}  # each saves its own segment
PO_ARTICLES = ("16004", "16005", "16006")  # what the coordinator's PO file translates
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# ---------------------------------------------------------------- measuring


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1


class Load:
    """The web users' threads, each recording into the tally of its kind of request."""

    def __init__(self, pages: list[str], po_files: list[bytes], readers: int, pause: float) -> None:
        self.base = ""
        self.pages = pages
        self.po_files = po_files
        self.readers = readers
        self.pause = pause
        self.tallies: dict[str, Tally] = {}
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.clients: dict[str, requests.Session] = {}

    def sign_in_everyone(self) -> None:
        """Sign every user in and warm both workers up, before anything is timed."""
        for username in [f"translator-{code}" for code in TRANSLATORS] + ["coordinator"]:
            self.clients[username] = self.signed_in(username)
        for page in self.pages[:20]:
            requests.get(self.base + page, timeout=120)

    def start(self) -> None:
        self.tallies = {name: Tally() for name in ("read", "save", "PO import")}
        self.stop.clear()
        workers: list[Callable[[], None]] = [self.reader] * self.readers
        workers += [lambda code=code: self.translator(code) for code in TRANSLATORS]
        workers.append(self.coordinator)
        self.threads = [
            threading.Thread(target=self.reporting(work), daemon=True) for work in workers
        ]
        for thread in self.threads:
            thread.start()

    @staticmethod
    def reporting(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except Exception:  # a user's thread that dies must say why, not vanish
                traceback.print_exc()

        return run

    def finish(self) -> dict[str, Tally]:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)
        return self.tallies

    def timed(self, kind: str, send: Callable[[], requests.Response]) -> requests.Response | None:
        started = time.monotonic()
        try:
            response = send()
        except requests.RequestException:
            self.tallies[kind].add(time.monotonic() - started, 0)  # no answer at all
            return None
        self.tallies[kind].add(time.monotonic() - started, response.status_code)
        return response

    def signed_in(self, username: str) -> requests.Session:
        client = requests.Session()
        page = client.get(f"{self.base}/login", timeout=60).text
        client.post(
            f"{self.base}/login",
            data={
                "username": username,
                "password": DEMO_PASSWORD,
                "csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
            },
            timeout=60,
        ).raise_for_status()
        return client

    def reader(self) -> None:
        client = requests.Session()
        rng = random.Random()
        while not self.stop.wait(self.pause):
            url = self.base + rng.choice(self.pages)
            self.timed("read", lambda url=url: client.get(url, timeout=60))

    def translator(self, code: str) -> None:
        client = self.clients[f"translator-{code}"]
        url = f"{self.base}/dashboard/{code}/posts/{TRANSLATORS[code]}"
        words = {"fa": ("نسخهٔ یکم", "نسخهٔ دوم"), "ar": ("النسخة الأولى", "النسخة الثانية")}
        texts = words.get(code, ("Versioni i parë", "Versioni i dytë"))
        turn = 0
        while not self.stop.wait(self.pause):
            page = client.get(url, timeout=60).text
            version = re.search(r'name="version-title" value="(\d+)"', page)
            token = CSRF.search(page)
            if not (version and token):
                time.sleep(0.5)
                continue
            turn += 1
            form = {
                "csrf_token": token.group(1),
                "action": "save",
                "text-title": texts[turn % 2],
                "version-title": version.group(1),
            }
            self.timed(
                "save",
                lambda form=form: client.post(url, data=form, timeout=60, allow_redirects=False),
            )

    def coordinator(self) -> None:
        client = self.clients["coordinator"]
        turn = 0
        while not self.stop.wait(self.pause):
            turn += 1
            page = client.get(f"{self.base}/dashboard/exchange/", timeout=60).text
            token = CSRF.search(page)
            if token is None:
                time.sleep(0.5)
                continue
            upload = {"file": ("fa.po", self.po_files[turn % 2], "text/x-gettext-translation")}
            form = {"csrf_token": token.group(1), "edition": "fa"}
            preview = self.timed(
                "PO import",
                lambda form=form, upload=upload: client.post(
                    f"{self.base}/dashboard/exchange/import",
                    data=form,
                    files=upload,
                    timeout=60,
                ),
            )
            if preview is None or preview.status_code != 200:
                continue
            fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', preview.text))
            self.timed(
                "PO import",
                lambda fields=fields: client.post(
                    f"{self.base}/dashboard/exchange/apply",
                    data=fields,
                    timeout=60,
                    allow_redirects=False,
                ),
            )


def published_pages(url: str) -> list[str]:
    """The demo's published article pages, every edition (what readers fetch)."""
    engine = make_engine(url)
    with engine.connect() as connection:
        pages = [
            f"/{edition}/posts/{article_id}"
            for article_id, edition in connection.execute(
                text(
                    "SELECT article_id, edition FROM counterparts "
                    "WHERE state = 'published' AND article_id < 100000"
                )
            )
        ]
    engine.dispose()
    return pages


def po_files(env: dict[str, str], folder: Path) -> list[bytes]:
    """Two versions of a Persian PO file, so that every apply changes something."""
    path = folder / "fa.po"
    editions(env, "po", "export", "--edition", "fa", "-o", str(path), "--only", "all",
             *(f"--article={number}" for number in PO_ARTICLES))  # fmt: skip
    versions = []
    for word in ("یکم", "دوم"):
        catalog = polib.pofile(str(path), wrapwidth=0)
        titles = [entry for entry in catalog if entry.msgctxt.endswith(":title")]
        assert titles, "the PO file has no titles to translate"
        for entry in titles:
            entry.msgstr = f"عنوان {word}"
            entry.flags = []
        versions.append(str(catalog).encode("utf-8"))
    return versions


# ---------------------------------------------------------------- reporting


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def table(title: str, tallies: dict[str, Tally], seconds: float) -> None:
    print(f"\n{title} ({seconds:.0f} s)\n")
    print("| request | count | per s | p50 ms | p99 ms | max ms | responses |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind, tally in tallies.items():
        values = tally.latencies
        statuses = ", ".join(
            f"{status or 'no answer'}: {count}" for status, count in sorted(tally.statuses.items())
        )
        print(
            f"| {kind} | {len(values)} | {len(values) / seconds:.1f} "
            f"| {statistics.median(values) * 1000 if values else 0:.0f} "
            f"| {percentile(values, 0.99) * 1000:.0f} | {max(values, default=0) * 1000:.0f} "
            f"| {statuses} |"
        )
    every = [value for tally in tallies.values() for value in tally.latencies]
    errors = sum(
        count
        for tally in tallies.values()
        for status, count in tally.statuses.items()
        if status >= 500 or status == 0
    )
    print(
        f"\nerrors (5xx or no answer): {errors}; longest wait of a web request: "
        f"{max(every, default=0) * 1000:.0f} ms"
    )


# ---------------------------------------------------------------- one run


def run(backend: str, articles: int, options: argparse.Namespace) -> None:
    files = corpus(articles)
    count = sum(1 for _ in files.rglob("*.md"))
    with (
        tempfile.TemporaryDirectory(prefix="editions-bench-") as name,
        scratch_database(backend, Path(name), f"bench_concurrency_{os.getpid()}") as url,
    ):
        folder = Path(name)
        env = environment(url, folder)
        server = None
        try:
            editions(env, "db", "upgrade")
            editions(env, "demo", "load")
            load = Load(published_pages(url), po_files(env, folder), options.readers, options.pause)
            port = free_port()
            load.base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                 "--access-logfile", "/dev/null", "webapp:create_app()"],
                env=env, cwd=ROOT,
            )  # fmt: skip
            wait_until_up(load.base)
            load.sign_in_everyone()
            print(
                f"\n## {backend}, {articles:,} articles ({count:,} files), batches of "
                f"{options.batch_size}; {options.readers} readers, {len(TRANSLATORS)} translators, "
                f"1 coordinator, {options.pause} s between requests; "
                f"load average before: {os.getloadavg()[0]:.2f}"
            )
            load.start()
            time.sleep(options.baseline)
            table("Without the import", load.finish(), options.baseline)

            load.start()
            started = time.monotonic()
            importing = subprocess.run(
                [str(BIN / "editions"), "articles", "import", "--batch-size",
                 str(options.batch_size), str(files)],
                env=env, cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            seconds = time.monotonic() - started
            tallies = load.finish()
            summary = importing.stdout.strip().splitlines()[-1] if importing.stdout else ""
            print(
                f"\nimport: {seconds:.0f} s, {articles / seconds:.1f} articles/s, "
                f"exit status {importing.returncode}: {summary}"
            )
            if importing.returncode:
                print(importing.stderr[-2000:])
            table("While the import runs", tallies, seconds)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="1000", help="sizes, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument(
        "--pause", type=float, default=0.1, help="seconds each user waits between requests"
    )
    parser.add_argument("--baseline", type=float, default=20, help="seconds without import")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    print(f"commit {commit}, {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs")
    for backend in options.backends.split(","):
        for size in options.articles.split(","):
            run(backend, int(size), options)


if __name__ == "__main__":
    main()
