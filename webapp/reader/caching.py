"""HTTP caching for public pages: validators, 304s and headers a CDN can act on.

A page's ETag is a digest of everything it shows (the rows it read), of where it is
served (site URL, script root: its absolute links), of the year (the footer) and of the
release (templates and catalogs), computed *before* rendering: a conditional request
that matches costs the queries but no template.

Because an ETag names exactly one body, a page whose ETag covers all its inputs may
keep its rendered body in the process under that ETag (``public_page(..., keep=True)``):
a changed row gives a new ETag, so a kept body is never served after its content
changed. Kept bodies are bounded (``KEPT_PAGES`` per process, least recently used
dropped first) and never kept while templates auto-reload (debug).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask, Response, current_app, request
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
    keep: bool = False,
) -> Response:
    """A cacheable response in the current edition; 304 without rendering when unchanged.

    ``keep``: the ETag covers every input of ``render``, so its body may be kept.
    """
    response = Response(status=status, mimetype=mimetype)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    response.headers["Cache-Control"] = cache_control
    response.headers["Content-Language"] = current_edition().code
    if status == 200 and not is_resource_modified(
        request.environ, etag=etag, last_modified=response.last_modified
    ):
        response.status_code = 304
        return response
    response.set_data(_kept(etag, render) if keep else render())
    return response


class KeptPages:
    """Rendered bodies by ETag, the least recently used dropped beyond ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(etag)
            if body is not None:
                self._bodies.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> None:
        with self._lock:
            self._bodies[etag] = body
            while len(self._bodies) > self.limit:
                self._bodies.popitem(last=False)

    def __len__(self) -> int:
        return len(self._bodies)


def kept_pages(app: Flask) -> KeptPages:
    return app.extensions.setdefault("reader_pages", KeptPages(KEPT_PAGES))


def _kept(etag: str, render: Callable[[], str]) -> bytes:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.jinja_env.auto_reload:  # templates may change under a running process
        return render().encode()
    pages = kept_pages(app)
    body = pages.get(etag)
    if body is None:
        body = render().encode()
        pages.put(etag, body)
    return body


__all__ = [
    "PUBLIC",
    "SHORT",
    "KeptPages",
    "fingerprint",
    "kept_pages",
    "newest",
    "public_page",
    "release_key",
]
