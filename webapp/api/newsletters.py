"""The newsletter as a JSON resource: issues, their composition and readiness per edition.

An issue's text (title, summary, introduction) is its article: read and revised at
``/api/v1/articles/<article_id>`` and translated like any article. Here is what the issue
adds: the articles it presents in order, their teasers and the policy for missing items.
As for articles, every read returns an ETag and every update must send it in If-Match.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from editions.content.articles import SourceText, get_counterpart
from editions.content.intake import check_may_write_source
from editions.core.errors import EditionsError
from editions.core.models import Article, PublicationState
from editions.newsletter import (
    Composition,
    MissingItems,
    NewsletterIssue,
    Readiness,
    compose,
    create_issue,
    current_composition,
    get_issue,
    readiness,
)
from editions.newsletter.models import MAX_ITEMS
from editions.text.segmentation import MAX_SEGMENT_CHARACTERS
from webapp.api import TEXT, _json, _precondition, _refused, blueprint, etag_of
from webapp.api import validation as v
from webapp.api.openapi import MAX_NUMBER
from webapp.database import db, settings
from webapp.problems import problem

POLICIES = tuple(policy.value for policy in MissingItems)


def _items(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValueError(_l("a list of at most %(count)s items", count=MAX_ITEMS))
    items = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"article_id", "teaser"}:
            raise ValueError(_l("each item is an object with article_id and, if any, teaser"))
        items.append(
            {
                "article_id": v.article_id(entry.get("article_id")),
                "teaser": v.text(MAX_SEGMENT_CHARACTERS)(entry.get("teaser") or ""),
            }
        )
    return items


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_NUMBER:
        raise ValueError(_l("a whole number from %(low)s to %(high)s", low=1, high=MAX_NUMBER))
    return value


COMPOSITION = {
    "items": v.Field(_items, required=True),
    "missing_items": v.Field(v.choice(*POLICIES)),
}


def _composition(fields: dict[str, Any], default: MissingItems) -> Composition:
    items = fields["items"]
    return Composition(
        [item["article_id"] for item in items],
        {item["article_id"]: item["teaser"] for item in items if item["teaser"].strip()},
        MissingItems(fields.get("missing_items", default)),
    )


def _editable(issue: NewsletterIssue, number: int) -> dict[str, Any]:
    """What a composer may change: its ETag guards exactly this."""
    composition = current_composition(db(), issue)
    return {
        "number": number,
        "missing_items": composition.missing_items.value,
        "items": [
            {"article_id": article_id, "teaser": composition.teasers.get(article_id, "")}
            for article_id in composition.articles
        ],
    }


def readiness_representation(entry: Readiness) -> dict[str, Any]:
    def ids(status: str) -> list[int]:
        return [item.article_id for item in entry.items if item.status.value == status]

    return {
        "ready": entry.ready,
        "text": entry.text.value,
        "missing": ids("missing"),
        "draft": ids("draft"),
        "stale": ids("stale"),
    }


def _issue_response(issue: NewsletterIssue, status: int = 200) -> Response:
    article = db().get(Article, issue.article_id)
    assert article is not None and article.issue_number is not None
    editable = _editable(issue, article.issue_number)
    codes = list(settings().editions)
    found = readiness(db(), [issue.article_id], codes)
    source = get_counterpart(db(), article.id, article.source_edition)
    response = jsonify(
        {
            **editable,
            "article_id": article.id,
            "source_edition": article.source_edition,
            "date": article.published_on.isoformat(),
            "title": source.title if source else "",
            "readiness": {
                code: readiness_representation(found[(issue.article_id, code)]) for code in codes
            },
        }
    )
    response.status_code = status
    response.set_etag(etag_of(editable))
    return response


def _missing(number: int) -> Response:
    return problem(404, _("There is no newsletter issue %(number)s.", number=number))


@blueprint.get("/newsletters")
def list_newsletters() -> Response:
    rows = (
        db()
        .execute(
            select(NewsletterIssue.article_id, Article.issue_number, Article.published_on)
            .join(Article, Article.id == NewsletterIssue.article_id)
            .order_by(Article.issue_number.desc())
            .limit(100)
        )
        .all()
    )
    codes = list(settings().editions)
    found = readiness(db(), [row.article_id for row in rows], codes)
    items = [
        {
            "number": row.issue_number,
            "article_id": row.article_id,
            "date": row.published_on.isoformat(),
            "readiness": {
                code: readiness_representation(found[(row.article_id, code)]) for code in codes
            },
        }
        for row in rows
    ]
    return jsonify({"items": items})


@blueprint.post("/newsletters")
def create_newsletter() -> Response:
    fields = v.validate(
        _json(),
        {
            **TEXT,
            **COMPOSITION,
            "number": v.Field(_number, required=True),
            "date": v.Field(v.iso_date, required=True),
            "source_edition": v.Field(v.choice(*settings().editions), required=True),
        },
    )
    check_may_write_source(g.api_user, fields["source_edition"])
    if get_issue(db(), fields["number"]) is not None:
        return problem(
            409,
            _("Newsletter issue %(number)s already exists.", number=fields["number"]),
            {"number": _("already exists")},
        )
    try:
        issue = create_issue(
            db(),
            settings().editions,
            number=fields["number"],
            published_on=fields["date"],
            source_edition=fields["source_edition"],
            text=SourceText(fields["title"], fields.get("summary", ""), fields["body"]),
            composition=_composition(fields, MissingItems.LEAVE_OUT),
            state=PublicationState(fields.get("state", PublicationState.PUBLISHED)),
            user=g.api_user,
        )
    except EditionsError as error:
        return _refused(error)
    response = _issue_response(issue, 201)
    response.headers["Location"] = url_for("api.newsletter", number=fields["number"])
    return response


@blueprint.get("/newsletters/<int:number>")
def newsletter(number: int) -> Response:
    issue = get_issue(db(), number)
    return _missing(number) if issue is None else _issue_response(issue)


@blueprint.put("/newsletters/<int:number>")
def update_newsletter(number: int) -> Response:
    """Replace the composition: items in order with their teasers, and the policy."""
    issue = get_issue(db(), number)
    if issue is None:
        return _missing(number)
    article = db().get(Article, issue.article_id)
    assert article is not None
    check_may_write_source(g.api_user, article.source_edition)
    refused = _precondition(_editable(issue, number))
    if refused is not None:
        return refused
    fields = v.validate(_json(), COMPOSITION)
    try:
        compose(db(), issue, _composition(fields, issue.missing_items))
    except EditionsError as error:
        return _refused(error)
    return _issue_response(issue)


__all__ = ["readiness_representation"]
