"""HTTP caching for public pages: validators, 304s and headers a CDN can act on.

A page's ETag is a digest of everything it shows (the rows it read), of where it is
served (site URL, script root: its absolute links), of the year (the footer) and of the
release (templates and catalogs), computed *before* rendering: a conditional request
that matches costs the queries but no template.

An article page keeps its rendered body in the process under its ETag (``KeptPages``),
and its ETag comes from one short statement (``queries.article_version``): a changed
row gives a new ETag, so a kept body is never served after its content changed. Kept
bodies are bounded (``KEPT_PAGES`` per process, least recently used dropped first) and
never kept while templates auto-reload (debug).

Micro-caching: a kept page checked against the database less than
``Settings.reader_revalidate_seconds`` ago (default 1 s) is served again without any
SQL, as nginx's ``proxy_cache_valid 1s`` would. A change made in this process forgets
every check at once (``watch_writes``); one made by another worker or process shows
within that window, well inside the ``s-maxage`` CDNs are already told.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask, Response, current_app, request
from sqlalchemy import event
from werkzeug.http import is_resource_modified

from webapp.i18n import current_edition
from webapp.reader.navigation import site_base

# Browsers revalidate after a minute; a CDN may keep a page five minutes and serve it
# stale while it revalidates, so a correction reaches readers within minutes.
PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
SHORT = "public, max-age=60, s-maxage=60"
KEPT_PAGES = 2000  # rendered bodies kept per process: about 25 MB of article pages


def release_key() -> str:
    """Changes whenever a template, a stylesheet or a compiled catalog changes."""
    key = current_app.extensions.get("reader_release")
    if key is None:
        roots = [Path(current_app.root_path) / "templates", Path(current_app.root_path) / "static"]
        settings = current_app.extensions["editions"].settings
        roots.append(Path(settings.translations_path))
        stamps = sorted(
            f"{path}:{path.stat().st_mtime_ns}"
            for root in roots
            for path in root.rglob("*")
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".mo", ".woff2"}
        )
        key = hashlib.blake2b("\n".join(stamps).encode(), digest_size=8).hexdigest()
        current_app.extensions["reader_release"] = key
    return key


def fingerprint(*parts: object) -> str:
    """The ETag of a page made of ``parts`` here: release, site URL, script root and year."""
    digest = hashlib.blake2b(digest_size=12)
    served = (release_key(), site_base(), request.script_root, date.today().year)
    digest.update(repr(served).encode())
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def newest(times: Iterable[datetime | None]) -> datetime | None:
    known = [_aware(time) for time in times if time is not None]
    return max(known) if known else None


def _aware(time: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC.
    return time if time.tzinfo else time.replace(tzinfo=UTC)


def public_page(
    render: Callable[[], str],
    etag: str,
    last_modified: datetime | None = None,
    *,
    status: int = 200,
    cache_control: str = PUBLIC,
    mimetype: str = "text/html",
) -> Response:
    """A cacheable response in the current edition; 304 without rendering when unchanged."""
    response = _conditional(
        etag, last_modified, current_edition().code, status, cache_control, mimetype
    )
    if response.status_code != 304:
        response.set_data(render())
    return response


def _conditional(
    etag: str,
    last_modified: datetime | None,
    language: str,
    status: int = 200,
    cache_control: str = PUBLIC,
    mimetype: str = "text/html",
) -> Response:
    """A cacheable response without its body: a 304 when the client has it already."""
    response = Response(status=status, mimetype=mimetype)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    response.headers["Cache-Control"] = cache_control
    response.headers["Content-Language"] = language
    if status == 200 and not is_resource_modified(
        request.environ, etag=etag, last_modified=response.last_modified
    ):
        response.status_code = 304
    return response


@dataclass(frozen=True)
class KeptPage:
    etag: str
    body: bytes
    last_modified: datetime | None


class KeptPages:
    """Rendered bodies by ETag, the least recently used dropped beyond ``limit``, and when
    each address was last checked against the database (``checked``, ``recently_checked``).

    ``clock`` is injectable so that tests step over the window without sleeping.
    """

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._bodies: OrderedDict[str, KeptPage] = OrderedDict()
        self._checked: dict[Hashable, tuple[float, KeptPage]] = {}
        self._lock = threading.Lock()

    def get(self, etag: str) -> KeptPage | None:
        with self._lock:
            page = self._bodies.get(etag)
            if page is not None:
                self._bodies.move_to_end(etag)
            return page

    def put(self, page: KeptPage) -> None:
        with self._lock:
            self._bodies[page.etag] = page
            while len(self._bodies) > self.limit:
                self._bodies.popitem(last=False)

    def checked(self, address: Hashable, page: KeptPage) -> None:
        """``page`` is what ``address`` shows, as the database said just now."""
        with self._lock:
            if len(self._checked) >= self.limit:
                self._checked.clear()  # cheaper than ordering; a few addresses recheck
            self._checked[address] = (self.clock(), page)

    def recently_checked(self, address: Hashable, seconds: float) -> KeptPage | None:
        """What ``address`` showed when checked less than ``seconds`` ago, if it was."""
        entry = self._checked.get(address)
        if entry is None or self.clock() - entry[0] >= seconds:
            return None
        return entry[1]

    def forget_checks(self) -> None:
        with self._lock:
            self._checked.clear()

    def __len__(self) -> int:
        return len(self._bodies)


def kept_pages(app: Flask) -> KeptPages:
    pages = app.extensions.get("reader_pages")
    if pages is None:
        pages = app.extensions["reader_pages"] = KeptPages(KEPT_PAGES)
        watch_writes(app, pages)
    return pages


def watch_writes(app: Flask, pages: KeptPages) -> None:
    """Whatever this process commits shows on its next request: checks are forgotten."""
    sessions = app.extensions["editions"].sessions
    event.listen(sessions, "after_commit", lambda _session: pages.forget_checks())


def keeping(app: Flask) -> bool:
    """Whether rendered pages may be kept: not while templates may change under us."""
    return not app.jinja_env.auto_reload


def kept_response(page: KeptPage, edition: str) -> Response:
    """A kept page's response, or its 304."""
    response = _conditional(page.etag, page.last_modified, edition)
    if response.status_code != 304:
        response.set_data(page.body)
    return response


def page_etag(*parts: str) -> str:
    """The ETag of a page whose database inputs are the strings ``parts``: cheaper than
    ``fingerprint`` (no ``repr`` of rows), and as stable across processes."""
    served = (release_key(), site_base(), request.script_root, str(date.today().year))
    return hashlib.blake2b("\0".join((*served, *parts)).encode(), digest_size=12).hexdigest()


__all__ = [
    "PUBLIC",
    "SHORT",
    "KeptPage",
    "KeptPages",
    "fingerprint",
    "keeping",
    "kept_pages",
    "kept_response",
    "newest",
    "page_etag",
    "public_page",
    "release_key",
]
