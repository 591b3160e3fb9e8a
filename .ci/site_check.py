"""What a newcomer sees after `make run`, checked over HTTP by .ci/run.

``site_check.py ready URL`` exits 0 once the server answers at all;
``site_check.py pages URL`` fetches the home page, a Persian article and the sign-in
page and fails, saying what it got, unless each answers 200 with what a reader expects.
Standard library only: it runs with the system Python, outside the project's venv.
"""

from __future__ import annotations

import re
import sys
import urllib.error
import urllib.request
from html import escape
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "editions" / "demo" / "articles"
# An article the demo publishes in Persian (its own fa.md says "state: published").
PERSIAN_ARTICLE = 16001


def fetch(url: str) -> tuple[int, str, str]:
    """Status, final URL (after redirects) and body of a GET."""
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.url, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode("utf-8", "replace")


def front_matter(path: Path, key: str) -> str:
    if not path.is_file():
        raise SystemExit(f"{path} does not exist: pick another Persian article")
    match = re.search(rf'^{key}: "?(.*?)"?$', path.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise SystemExit(f"{path} has no {key!r} in its front matter")
    return match.group(1)


def expect(name: str, url: str, needles: list[str]) -> None:
    status, final_url, body = fetch(url)
    missing = [needle for needle in needles if needle not in body]
    if status != 200 or missing:
        print(f"FAIL {name}: GET {url} -> {status} {final_url}", file=sys.stderr)
        for needle in missing:
            print(f"  missing from the page: {needle}", file=sys.stderr)
        print(body[:2000], file=sys.stderr)
        raise SystemExit(1)
    print(f"ok   {name}: GET {url} -> {status} {final_url}")


def check_pages(base: str) -> None:
    expect("home page", f"{base}/", ['<html lang="en"', "<title>"])
    source = DEMO / str(PERSIAN_ARTICLE) / "fa.md"
    if front_matter(source, "state") != "published":
        raise SystemExit(f"{source} is no longer published: pick another Persian article")
    expect(
        "Persian article",
        f"{base}/fa/posts/{PERSIAN_ARTICLE}",
        ['lang="fa"', 'dir="rtl"', escape(front_matter(source, "title"), quote=False)],
    )
    expect("sign-in page", f"{base}/login", ['name="username"', 'name="password"'])


def main() -> None:
    command, base = sys.argv[1], sys.argv[2].rstrip("/")
    if command == "ready":
        try:
            fetch(f"{base}/")
        except OSError:
            raise SystemExit(1) from None
    elif command == "pages":
        check_pages(base)
    else:
        raise SystemExit(f"unknown command {command!r}: ready or pages")


if __name__ == "__main__":
    main()
