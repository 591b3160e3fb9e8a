"""The reader's pages: the chooser at ``/``, homes, articles, listings and search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from editions.content.attachments import KINDS, Kind, attachment_url
from editions.content.search import MAX_QUERY_CHARACTERS, search
from editions.core.ids import parse_id
from editions.core.models import Section
from editions.text.localization import reading_minutes
from webapp.database import db, settings
from webapp.i18n import EDITION_COOKIE, current_edition, negotiate_edition
from webapp.labels import section_label
from webapp.reader import queries
from webapp.reader.blueprint import blueprint
from webapp.reader.caching import (
    PUBLIC,
    SHORT,
    KeptPage,
    fingerprint,
    keeping,
    kept_pages,
    kept_response,
    newest,
    page_etag,
    public_page,
)
from webapp.reader.navigation import (
    PAGE_SLUGS,
    Alternate,
    alternates,
    article_address,
    safe_next,
    same_page_elsewhere,
    x_default,
)
from webapp.reader.reads import reads
from webapp.reader.share import share_links

COOKIE_SECONDS = 365 * 24 * 3600
SEARCH_RESULTS = 20


@blueprint.get("/")
def root():
    """Send the reader to their edition: remembered choice, then Accept-Language, then default."""
    response = redirect(url_for("reader.home", edition=negotiate_edition()), 302)
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blueprint.get("/<edition>/choose")
def choose(edition: str):
    """Remember the reader's edition, then go on to the page they picked in it."""
    response = redirect(safe_next(edition, request.args.get("next")), 303)
    response.set_cookie(
        EDITION_COOKIE,
        edition,
        max_age=COOKIE_SECONDS,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/<edition>/")
def home(edition: str):
    sections = queries.home_sections(reads(), edition)
    recent = queries.recent_posts(reads(), edition)
    rows = [row for rows in sections.values() for row in rows]
    return listing_page("reader/home.html", rows + recent, sections=sections, recent=recent)


@blueprint.get("/<edition>/category/<section>")
def section(edition: str, section: str):
    try:
        chosen = Section(section)
    except ValueError:
        abort(404)
    if chosen is Section.PAGES:
        abort(404)
    page = page_number_asked()
    posts = queries.section_posts(reads(), edition, chosen, page)
    return _listing(posts, page, heading=section_label(chosen), section=chosen)


@blueprint.get("/<edition>/tag/<slug>")
def tag(edition: str, slug: str):
    label = queries.tag_label(reads(), slug, edition)
    if label is None:
        abort(404)
    page = page_number_asked()
    posts = queries.tag_posts(reads(), edition, slug, page)
    return _listing(posts, page, heading=label)


@blueprint.get("/<edition>/author/<slug>")
def author(edition: str, slug: str):
    name = queries.author_name(reads(), slug, edition)
    if name is None:
        abort(404)
    page = page_number_asked()
    posts = queries.author_posts(reads(), edition, slug, page)
    return _listing(posts, page, heading=name, author=name)


@blueprint.get("/<edition>/search")
def search_page(edition: str):
    query = request.args.get("q", "")[:MAX_QUERY_CHARACTERS].strip()
    found = search(db(), edition, query, limit=SEARCH_RESULTS) if query else []
    posts = queries.posts_by_id(reads(), edition, found)
    recent = queries.recent_posts(reads(), edition)
    return listing_page(
        "reader/search.html",
        posts + recent,
        query=query,
        max_query_characters=MAX_QUERY_CHARACTERS,
        posts=posts,
        recent=recent,
        cache_control=SHORT,
    )


# ------------------------------------------------------------------ articles


@blueprint.get("/<edition>/posts/<int:article_id>")
def article(edition: str, article_id: int):
    return _article(
        edition,
        lambda: article_id,
        lambda code: url_for("reader.article", edition=code, article_id=article_id),
        pages_move=True,
    )


@blueprint.get("/<edition>/posts/<int:article_id>/")
@blueprint.get("/<edition>/posts/<int:article_id>/<path:slug>")
def article_with_slug(edition: str, article_id: int, slug: str = ""):
    """A permalink with a trailing slug or slash: the id alone is canonical."""
    return redirect(url_for("reader.article", edition=edition, article_id=article_id), 301)


@blueprint.get("/<edition>/<any(about, contact):slug>")
def page(edition: str, slug: str):
    return _article(
        edition,
        lambda: queries.article_id_by(reads(), slug=slug),
        lambda code: url_for("reader.page", edition=code, slug=slug),
    )


def _article(
    edition: str,
    find_id: Callable[[], int | None],
    path_in: Callable[[str], str],
    *,
    pages_move: bool = False,
) -> Response:
    """An article page: kept and recently checked, kept and still current, or rendered.

    ``pages_move``: the about and contact pages and newsletter issues have addresses of
    their own, to which their ``/posts/<id>`` permalinks redirect.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept = kept_pages(app) if keeping(app) else None
    address = (request.host_url, request.script_root, request.path)
    window = settings().reader_revalidate_seconds
    if kept is not None and window > 0:
        recent_enough = kept.recently_checked(address, window)
        if recent_enough is not None:
            return kept_response(recent_enough, edition)
    article_id = find_id()
    version = None if article_id is None else queries.article_version(reads(), article_id, edition)
    if article_id is None or version is None:
        abort(404)
    etag = page_etag("article", request.path, *map(str, version))
    current = kept.get(etag) if kept is not None else None
    if current is None and request.if_none_match.contains(etag):
        # Only this article page was ever served under this ETag: unchanged, no render.
        return kept_response(KeptPage(etag, b"", None), edition)
    if current is None:
        page = queries.article_page(reads(), article_id, edition)
        if page is None:
            abort(404)  # deleted since the statement above
        if pages_move and (page.slug in PAGE_SLUGS or page.issue_number is not None):
            address = article_address(edition, article_id, page.slug, page.issue_number)
            return redirect(address, 301)
        if not page.published:
            return not_in_this_edition(page, _menu(page, path_in))
        current = _rendered(page, path_in, etag, has_files=version.attachments is not None)
        if kept is not None:
            kept.put(current)
    if kept is not None:
        kept.checked(address, current)
    return kept_response(current, edition)


def _rendered(
    page: queries.ArticlePage, path_in: Callable[[str], str], etag: str, *, has_files: bool
) -> KeptPage:
    edition = page.edition
    tags = queries.article_tags(reads(), page.article_id, edition)
    files = (
        [
            AttachedFile(
                row.title, attachment_url(row.id, row.filename), KINDS[row.media_type], row.size
            )
            for row in queries.article_attachments(reads(), page.article_id, edition)
        ]
        if has_files
        else []
    )
    recent = queries.recent_posts(reads(), edition)
    modified = newest([page.updated_at, *(row.updated_at for row in recent)])
    last_modified = modified.replace(microsecond=0) if modified is not None else None
    entries = _menu(page, path_in)
    source = page.siblings.get(page.source_edition)
    html = render_template(
        "reader/article.html",
        page=page,
        tags=tags,
        recent=recent,
        alternates=entries,
        x_default=x_default(entries, page.source_edition),
        canonical=path_in(edition),
        source=source if source is not None and source.published else None,
        source_edition=settings().editions.get(page.source_edition),
        reading_minutes=reading_minutes(page.body),
        share=share_links(path_in(edition), page.title),
        files=files,
    )
    return KeptPage(etag, html.encode(), last_modified)


@dataclass(frozen=True)
class AttachedFile:
    """A file the page offers: what readers see of it and where it is downloaded."""

    title: str
    url: str
    kind: Kind
    size: int


def _menu(page: queries.ArticlePage, path_in: Callable[[str], str]) -> list[Alternate]:
    return alternates(lambda code: path_in(code) if _published(page, code) else None)


def _published(page: queries.ArticlePage, code: str) -> bool:
    sibling = page.siblings.get(code)
    return sibling is not None and sibling.published


def not_in_this_edition(page: queries.ArticlePage, entries: list[Alternate]) -> Response:
    """The 404 of a counterpart that does not exist (yet): where the article can be read."""
    readable = [entry for entry in entries if entry.available]
    return public_page(
        lambda: render_template(
            "errors/not_in_edition.html", readable=readable, alternates=entries, page=page
        ),
        etag=fingerprint("missing", page.edition, [entry.path for entry in readable]),
        status=404,
        cache_control=SHORT,
    )


# ------------------------------------------------------------------ listings


def page_number_asked() -> int:
    """``?page=N``: an id-sized whole number; anything else is a page that does not exist."""
    page = parse_id(request.args.get("page", "1"))
    if page is None:
        abort(404)
    return page


def _listing(posts: list, page: int, heading: str, **context: object) -> Response:
    edition = current_edition().code
    more = len(posts) > queries.PAGE_SIZE
    posts = posts[: queries.PAGE_SIZE]
    if page > 1 and not posts:
        abort(404)
    recent = queries.recent_posts(reads(), edition)
    return listing_page(
        "reader/listing.html",
        posts + recent,
        posts=posts,
        recent=recent,
        heading=heading,
        page_number=page,
        more=more,
        **context,
    )


def listing_page(
    template: str, rows: list, *, cache_control: str = PUBLIC, **context: object
) -> Response:
    entries = same_page_elsewhere()
    return public_page(
        lambda: render_template(
            template,
            alternates=entries,
            x_default=x_default(entries),
            canonical=request.full_path.rstrip("?"),
            **context,
        ),
        etag=fingerprint(request.full_path, context.get("heading"), rows),
        last_modified=newest(row.updated_at for row in rows),
        cache_control=cache_control,
    )
