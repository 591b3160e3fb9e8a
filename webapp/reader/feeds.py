"""Discovery: an Atom feed per edition, sitemaps with hreflang alternates, robots.txt."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from flask import Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.database import settings
from webapp.reader import queries
from webapp.reader.blueprint import blueprint
from webapp.reader.caching import PUBLIC, fingerprint, newest, public_page
from webapp.reader.navigation import absolute, absolute_url, article_address
from webapp.reader.reads import reads

FEED_ENTRIES = 20
# Well under the protocol's 50,000 URLs per file: an article has up to one URL per edition.
SITEMAP_ARTICLES = 5000


@blueprint.get("/<edition>/feed.atom")
def feed(edition: str):
    posts = queries.recent_posts(reads(), edition, limit=FEED_ENTRIES)
    title = _(
        "%(site)s: latest posts in %(edition)s",
        site=settings().site_name(edition),
        edition=settings().editions[edition].name_in(edition),
    )
    return atom_feed("feed", edition, posts, title)


def atom_feed(name: str, edition: str, entries: Sequence[Any], title: str, **urls: object):
    """An edition's Atom feed of ``entries`` (each with ``updated_at``), cached as ``name``;
    ``urls``: ``self_url``, ``home_url`` and ``entry_url`` when not the latest posts'."""
    updated = newest(entry.updated_at for entry in entries) or datetime(2006, 1, 1, tzinfo=UTC)
    return public_page(
        lambda: render_template(
            "reader/feed.xml",
            posts=entries,
            title=title,
            updated=rfc3339(updated),
            rfc3339=rfc3339,
            absolute_url=absolute_url,
            **urls,
        ),
        etag=fingerprint(name, edition, entries),
        last_modified=updated,
        mimetype="application/atom+xml",
    )


def rfc3339(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@blueprint.get("/sitemap.xml")
def sitemap_index():
    pages = queries.sitemap_pages(reads(), SITEMAP_ARTICLES)
    urls = [absolute_url("reader.sitemap", page=page) for page in range(1, pages + 1)]
    return _xml(render_template("reader/sitemap_index.xml", urls=urls))


@blueprint.get("/sitemap-<int:page>.xml")
def sitemap(page: int):
    if page < 1:
        abort(404)
    after = queries.sitemap_page_start(reads(), page, SITEMAP_ARTICLES)
    rows = queries.sitemap_rows(reads(), after, SITEMAP_ARTICLES)
    if not rows and page > 1:
        abort(404)
    articles = []
    for article_id, counterparts in groupby(rows, key=lambda row: row.article_id):
        urls = {
            row.edition: (
                absolute(article_address(row.edition, article_id, row.slug, row.issue_number)),
                row.updated_at,
            )
            for row in counterparts
        }
        articles.append(urls)
    return _xml(render_template("reader/sitemap.xml", articles=articles))


@blueprint.get("/robots.txt")
def robots():
    lines = [
        "User-agent: *",
        *(
            f"Disallow: {url_for('reader.search_page', edition=code)}"
            for code in settings().editions
        ),
        "Disallow: /dashboard/",
        "Disallow: /login",
        "Disallow: /api/",
        f"Sitemap: {absolute(url_for('reader.sitemap_index'))}",
    ]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Cache-Control"] = PUBLIC
    return response


@blueprint.get("/favicon.ico")
def favicon():
    """Clients that ask for the icon at its historical address, without reading the page."""
    response = redirect(url_for("static", filename="favicon.svg"), 301)
    response.headers["Cache-Control"] = PUBLIC
    return response


def _xml(body: str) -> Response:
    response = Response(body, mimetype="application/xml")
    response.headers["Cache-Control"] = PUBLIC
    return response
