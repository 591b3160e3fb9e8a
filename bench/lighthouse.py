"""Lighthouse on the reader's home and article pages in every edition, in Debian's Chromium.

    make lighthouse                       # lighthouse (pinned) into .checkers/lighthouse
    .venv/bin/python bench/lighthouse.py  # prints the Markdown table of bench/lighthouse.md

Loads the demo into a temporary SQLite database, serves it with gunicorn (2 sync
workers) on a free loopback port and runs Lighthouse's four categories (performance,
accessibility, best practices, SEO) on each page, with its default mobile emulation
and simulated slow 4G, or ``--preset desktop``. Chromium is ``/usr/bin/chromium`` with
the flags of the browser tests; Lighthouse never downloads a browser. Audits that did
not score 1 are listed under the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reader import BIN, ROOT, free_port, run, wait_until_up

LIGHTHOUSE = ROOT / ".checkers" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
EDITIONS = ("en", "ar", "fa", "sq")
ARTICLE = 16009  # in every edition of the demo


def lighthouse(url: str, preset: str, folder: Path) -> dict:
    report = folder / "report.json"
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROMIUM_FLAGS}",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    return json.loads(report.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    options = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run 'make lighthouse'")

    with tempfile.TemporaryDirectory(prefix="editions-lighthouse-") as name:
        folder = Path(name)
        env = {
            **os.environ,
            "EDITIONS_INSTANCE": name,
            "EDITIONS_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
            "EDITIONS_SECRET_KEY": "bench",
            "EDITIONS_TRUSTED_HOSTS": "127.0.0.1,localhost",
        }
        run([str(BIN / "editions"), "db", "upgrade"], env)
        run([str(BIN / "editions"), "demo", "load"], env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers=2",
                f"--bind=127.0.0.1:{port}",
                "--access-logfile=/dev/null",
                "webapp:create_app()",
            ],
            env=env,
            cwd=ROOT,
        )
        rows, misses = [], []
        try:
            wait_until_up(base)
            for code in EDITIONS:
                for page, path in (("home", f"/{code}/"), ("article", f"/{code}/posts/{ARTICLE}")):
                    result = lighthouse(base + path, options.preset, folder)
                    scores = [result["categories"][category]["score"] for category in CATEGORIES]
                    rows.append((code, page, scores))
                    misses += [
                        f"{code} {page}: {audit['id']} ({audit['score']})"
                        for audit in result["audits"].values()
                        if audit.get("score") is not None
                        and audit["score"] < 1
                        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
                    ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    chromium = result["environment"]["hostUserAgent"].split("Chrome/")[1].split(" ")[0]
    print(
        f"Lighthouse {result['lighthouseVersion']}, {options.preset} preset, Chromium {chromium}, "
        f"load average after: {os.getloadavg()[0]:.2f}, {time.strftime('%Y-%m-%d')}\n"
    )
    print("| edition | page | performance | accessibility | best practices | SEO |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for code, page, scores in rows:
        print(f"| {code} | {page} | " + " | ".join(f"{score:.2f}" for score in scores) + " |")
    if misses:
        print("\nAudits below 1:\n")
        print("\n".join(f"- {miss}" for miss in misses))
    sys.exit(0 if all(min(scores) >= 0.95 for _c, _p, scores in rows) else 1)


if __name__ == "__main__":
    main()
