"""The newsletter's reader pages: the archive of an edition, an issue, its Atom feed."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _

from webapp.database import settings
from webapp.reader import issues, queries
from webapp.reader.blueprint import blueprint
from webapp.reader.caching import fingerprint, newest, public_page
from webapp.reader.feeds import FEED_ENTRIES, atom_feed
from webapp.reader.navigation import absolute_url, alternates, x_default
from webapp.reader.reads import reads
from webapp.reader.share import share_links
from webapp.reader.views import listing_page, not_in_this_edition, page_number_asked


@blueprint.get("/<edition>/newsletter/")
def newsletter_archive(edition: str):
    page = page_number_asked()
    entries = issues.archive(reads(), edition, page)
    more = len(entries) > queries.PAGE_SIZE
    entries = entries[: queries.PAGE_SIZE]
    if page > 1 and not entries:
        abort(404)
    recent = queries.recent_posts(reads(), edition)
    return listing_page(
        "reader/newsletter_archive.html",
        [*entries, *recent],
        entries=entries,
        recent=recent,
        heading=_("Newsletter"),
        page_number=page,
        more=more,
    )


@blueprint.get("/<edition>/newsletter/<int:number>")
def newsletter(edition: str, number: int):
    issue = issues.issue_by_number(reads(), number)
    page = None if issue is None else queries.article_page(reads(), issue.article_id, edition)
    if issue is None or page is None:
        abort(404)

    def path_in(code: str) -> str | None:
        sibling = page.siblings.get(code)
        if sibling is None or not sibling.published:
            return None
        return url_for("reader.newsletter", edition=code, number=number)

    entries = alternates(path_in)
    if not page.published:
        return not_in_this_edition(page, entries)
    items = issues.issue_items(reads(), issue, edition, page.source_edition)
    recent = queries.recent_posts(reads(), edition)
    about = issues.about_box(reads(), edition)
    canonical = url_for("reader.newsletter", edition=edition, number=number)
    source = page.siblings.get(page.source_edition)
    return public_page(
        lambda: render_template(
            "reader/newsletter_issue.html",
            issue=issue,
            page=page,
            items=items,
            recent=recent,
            about=about,
            alternates=entries,
            x_default=x_default(entries, page.source_edition),
            canonical=canonical,
            source=source if source is not None and source.published else None,
            source_edition=settings().editions.get(page.source_edition),
            share=share_links(canonical, page.title),
        ),
        etag=fingerprint("newsletter", request.path, issue, page.version, items, recent, about),
        last_modified=newest(
            [issue.updated_at, page.updated_at, *(row.updated_at for row in [*items, *recent])]
        ),
    )


@blueprint.get("/<edition>/newsletter/feed.atom")
def newsletter_feed(edition: str):
    entries = issues.archive(reads(), edition, 1, limit=FEED_ENTRIES)[:FEED_ENTRIES]
    title = _(
        "%(site)s: newsletter issues in %(edition)s",
        site=settings().site_name(edition),
        edition=settings().editions[edition].name_in(edition),
    )
    return atom_feed(
        "newsletter-feed",
        edition,
        entries,
        title,
        self_url=absolute_url("reader.newsletter_feed", edition=edition),
        home_url=absolute_url("reader.newsletter_archive", edition=edition),
        entry_url=lambda entry: absolute_url(
            "reader.newsletter", edition=edition, number=entry.number
        ),
    )
