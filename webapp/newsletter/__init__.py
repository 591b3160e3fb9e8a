"""Composing newsletter issues in the dashboard, with readiness per edition in view.

The issue's text is its article (written in authoring, translated in the editor); here a
writer picks the articles it presents (by search or id), orders them (drag and drop, or
the Up and Down buttons that work without JavaScript), writes teasers and chooses what
editions do with missing items. Every change is saved at once and names the version it
started from: a composer who opened an older version is told instead of overwriting.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from editions.accounts.roles import PermissionDenied
from editions.content.articles import SourceText
from editions.content.intake import check_may_write_source, may_write_source
from editions.content.search import search
from editions.core.errors import EditionsError
from editions.core.ids import parse_id
from editions.core.models import Article, Counterpart, Role, Section
from editions.newsletter import (
    Composition,
    MissingItems,
    Readiness,
    compose,
    create_issue,
    current_composition,
    get_issue,
    make_issue,
    readiness,
)
from editions.newsletter.models import NewsletterIssue
from editions.newsletter.sending import not_ready
from webapp.database import db, settings
from webapp.i18n import edition_name, localdigits
from webapp.messages import describe
from webapp.security import current_user, roles_required

blueprint = Blueprint("newsletter", __name__, url_prefix="/dashboard/newsletters")
composers = roles_required(Role.EDITOR, Role.COORDINATOR)
FOUND = 10  # search results offered at once


def explain(entry: Readiness) -> list[str]:
    """What keeps an issue from going out in an edition, in the interface language:
    "2 of 6 articles have no Persian counterpart; the introduction is stale"."""
    return [describe(problem) for problem in not_ready(entry, edition_name(entry.edition))]


@blueprint.get("/")
@composers
def index():
    rows = (
        db()
        .execute(
            select(Article.id, Article.issue_number, Article.published_on, Counterpart.title)
            .join(
                Counterpart,
                (Counterpart.article_id == Article.id)
                & (Counterpart.edition == Article.source_edition),
            )
            .where(Article.section == Section.NEWSLETTER, Article.issue_number.is_not(None))
            .order_by(Article.issue_number.desc())
            .limit(100)
        )
        .all()
    )
    codes = list(settings().editions)
    found = readiness(db(), [row.id for row in rows], codes)
    return render_template(
        "newsletter/index.html",
        rows=rows,
        readiness=found,
        explain=explain,
        codes=codes,
        writable=[code for code in codes if may_write_source(current_user(), code)],
        today=date.today(),
    )


@blueprint.post("/")
@composers
def create():
    form = request.form
    number = parse_id(form.get("number", ""))
    source = form.get("source_edition", "")
    try:
        published_on = date.fromisoformat(form.get("date", ""))
    except ValueError:
        published_on = None
    if number is None or published_on is None or source not in settings().editions:
        flash(_("Give the issue a number, a date and its source edition."), "error")
        return redirect(url_for("newsletter.index"))
    try:
        check_may_write_source(current_user(), source)
        create_issue(
            db(),
            settings().editions,
            number=number,
            published_on=published_on,
            source_edition=source,
            text=SourceText(
                form.get("title", ""), form.get("summary", ""), form.get("introduction", "")
            ),
            composition=Composition([]),
            user=current_user(),
        )
    except (EditionsError, PermissionDenied) as error:
        db().rollback()
        flash(describe(error), "error")
        return redirect(url_for("newsletter.index"))
    db().commit()
    return redirect(url_for("newsletter.issue", number=number), 303)


def _numbered_article(number: int) -> Article:
    article = db().scalar(
        select(Article).where(Article.issue_number == number, Article.section == Section.NEWSLETTER)
    )
    if article is None:
        abort(404)
    return article


@blueprint.get("/<int:number>")
@composers
def issue(number: int):
    article = _numbered_article(number)
    issue = db().get(NewsletterIssue, article.id)
    composition = current_composition(db(), issue) if issue is not None else Composition([])
    codes = list(settings().editions)
    found = readiness(db(), [article.id], codes) if issue is not None else {}
    titles = _titles(composition.articles)
    query = request.args.get("q", "")[:200].strip()
    return render_template(
        "newsletter/compose.html",
        number=number,
        article=article,
        issue=issue,
        composition=composition,
        titles=titles,
        codes=codes,
        readiness=found,
        explain=explain,
        statuses={
            (item.article_id, code): item.status
            for (_id, code), entry in found.items()
            for item in entry.items
        },
        query=query,
        results=_search(article.source_edition, query, composition.articles) if query else [],
        policies=list(MissingItems),
        may_write=may_write_source(current_user(), article.source_edition),
    )


# Each article's id, source edition and title in it.
_SOURCE_TITLES = select(Article.id, Counterpart.title, Article.source_edition).join(
    Counterpart,
    (Counterpart.article_id == Article.id) & (Counterpart.edition == Article.source_edition),
)


def _titles(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each article's source title and source edition."""
    if not ids:
        return {}
    rows = db().execute(_SOURCE_TITLES.where(Article.id.in_(ids)))
    return {row.id: (row.title, row.source_edition) for row in rows}


def _search(edition: str, query: str, taken: list[int]) -> list[tuple[int, str, str]]:
    """Articles to add: an id typed as is, or the best matches in the issue's edition."""
    asked = parse_id(query)
    ids = [asked] if asked is not None else search(db(), edition, query, limit=FOUND * 2)
    rows = db().execute(
        _SOURCE_TITLES.where(
            Article.id.in_(ids),
            Article.section.not_in([Section.NEWSLETTER, Section.PAGES]),
            Article.id.not_in(taken or [0]),
        )
    )
    by_id = {row.id: (row.id, row.title, row.source_edition) for row in rows}
    return [by_id[article_id] for article_id in ids if article_id in by_id][:FOUND]


@blueprint.post("/<int:number>")
@composers
def save(number: int):
    """One change to the composition (add, remove, move, reorder, teasers, policy),
    saved at once; the form names the version of the issue it was made from."""
    article = _numbered_article(number)
    try:
        check_may_write_source(current_user(), article.source_edition)
    except PermissionDenied as error:
        flash(describe(error), "error")
        return redirect(url_for("newsletter.issue", number=number), 303)
    issue = db().get(NewsletterIssue, article.id)
    form = request.form
    version = form.get("version", "")
    if issue is not None and version != str(issue.version):
        flash(
            _("Someone changed this issue since you opened it: here it is as it is now."),
            "error",
        )
        return redirect(url_for("newsletter.issue", number=number), 303)
    articles = [parse_id(value) for value in form.getlist("article")]
    if any(article_id is None for article_id in articles):
        abort(400)
    ids = [article_id for article_id in articles if article_id is not None]
    action, _sep, target = form.get("action", "save").partition(":")
    moved = parse_id(target)
    if action == "add" and moved is not None and moved not in ids:
        ids.append(moved)
    elif action == "remove" and moved in ids:
        ids.remove(moved)
    elif action in ("up", "down") and moved in ids:
        at = ids.index(moved)
        to = at - 1 if action == "up" else at + 1
        if 0 <= to < len(ids):
            ids[at], ids[to] = ids[to], ids[at]
    policy = form.get("missing_items", MissingItems.LEAVE_OUT.value)
    if policy not in {member.value for member in MissingItems}:
        abort(400)
    composition = Composition(
        ids,
        {
            article_id: form.get(f"teaser-{article_id}", "")
            for article_id in ids
            if form.get(f"teaser-{article_id}", "").strip()
        },
        MissingItems(policy),
    )
    try:
        if issue is None:
            make_issue(db(), article, composition)
        else:
            compose(db(), issue, composition)
    except EditionsError as error:
        db().rollback()
        flash(describe(error), "error")
        return redirect(url_for("newsletter.issue", number=number), 303)
    db().commit()
    flash(_("Issue %(number)s saved.", number=localdigits(number)), "notice")
    anchor = f"#item-{moved}" if moved is not None and moved in ids else ""
    return redirect(url_for("newsletter.issue", number=number) + anchor, 303)


__all__ = ["blueprint", "explain", "get_issue"]
