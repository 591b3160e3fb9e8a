"""The editions switcher, hreflang alternates and absolute URLs.

Switcher entries lead through ``/<edition>/choose`` so that the reader's choice is
remembered in the ``edition`` cookie without any cacheable page setting a cookie.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import request, url_for

from editions.core.languages import Edition
from webapp.database import settings
from webapp.i18n import current_edition


@dataclass(frozen=True)
class Alternate:
    """One entry of the editions menu: where it leads and whether the page exists there."""

    edition: Edition
    path: str  # the page in that edition, or that edition's home when it is not available
    available: bool
    current: bool

    @property
    def href(self) -> str:
        return url_for("reader.choose", edition=self.edition.code, next=self.path)

    @property
    def url(self) -> str:
        return absolute(self.path)


def site_base() -> str:
    """Where the site is served: the configured site URL, else the request's host."""
    return (settings().site_url or request.host_url).rstrip("/")


def absolute(path: str) -> str:
    """An absolute URL for a site path."""
    return site_base() + path


def absolute_url(endpoint: str, **values: object) -> str:
    return absolute(url_for(endpoint, **values))


# The about and contact pages have addresses of their own; their permalinks redirect there.
PAGE_SLUGS = ("about", "contact")


def article_address(
    edition: str, article_id: int, slug: str | None, issue_number: int | None
) -> str:
    """Where readers find an article in ``edition``: a page or a newsletter issue at its
    own address, any other article at its permalink."""
    if slug in PAGE_SLUGS:
        return url_for("reader.page", edition=edition, slug=slug)
    if issue_number is not None:
        return url_for("reader.newsletter", edition=edition, number=issue_number)
    return url_for("reader.article", edition=edition, article_id=article_id)


def alternates(path_in: Callable[[str], str | None]) -> list[Alternate]:
    """The menu for a page: ``path_in(code)`` is the page in that edition, or None."""
    here = current_edition().code
    entries = []
    for code, edition in settings().editions.items():
        path = path_in(code)
        available = path is not None
        entries.append(
            Alternate(
                edition=edition,
                path=path if path is not None else url_for("reader.home", edition=code),
                available=available,
                current=code == here,
            )
        )
    return entries


def same_page_elsewhere() -> list[Alternate]:
    """The menu of a page that exists in every edition (a home, a listing, search)."""
    endpoint = request.endpoint or "reader.home"
    values: Mapping[str, object] = request.view_args or {}
    keep = {key: value for key, value in request.args.items() if key == "q"}

    def path_in(code: str) -> str:
        return url_for(endpoint, **{**values, **keep, "edition": code})

    return alternates(path_in)


def x_default(entries: list[Alternate], preferred: str | None = None) -> Alternate | None:
    """The alternate for readers matching no edition: the source, else the default edition."""
    available = {entry.edition.code: entry for entry in entries if entry.available}
    for code in (preferred, settings().default_edition):
        if code in available:
            return available[code]
    return next(iter(available.values()), None)


def safe_next(edition: str, target: str | None) -> str:
    """A local path inside ``edition`` to go on to; that edition's home for anything else."""
    home = url_for("reader.home", edition=edition)
    if not target:
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not target.startswith(f"/{edition}/"):
        return home
    return target


__all__ = [
    "Alternate",
    "absolute",
    "absolute_url",
    "alternates",
    "safe_next",
    "same_page_elsewhere",
    "site_base",
    "x_default",
]
