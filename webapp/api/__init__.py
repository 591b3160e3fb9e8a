"""The JSON API for an existing CMS: articles, counterparts and their status.

Requests carry ``Authorization: Bearer <token>`` (tokens: ``editions tokens create``), so
the API is exempt from CSRF, which protects cookie sessions. Every read returns an ETag;
every update must send it back in ``If-Match``: a writer who read an older version gets
412 instead of silently overwriting someone's work (428 when the header is missing or
is ``*``, which names no version). Refusals are problem details (``webapp.problems``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, Response, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from editions.accounts.roles import check_may_edit
from editions.content.articlefiles import MAX_NESTING, ArticleFile
from editions.content.articles import (
    SourceText,
    articles_with_metadata,
    get_counterpart,
    next_article_id,
)
from editions.content.counterparts import BodyMismatch
from editions.content.intake import (
    Outcome,
    apply_source_file,
    apply_translation_file,
    check_may_write_source,
    json_nesting,
    source_meta,
)
from editions.content.status import Status, StatusEntry, compute_status
from editions.core.errors import EditionsError
from editions.core.models import Article, Counterpart, PublicationState, Section
from editions.core.transactions import lock_article, lock_article_catalogue
from editions.text.segmentation import MAX_BODY_CHARACTERS, MAX_SEGMENT_CHARACTERS, MarkdownError
from webapp.api import validation as v
from webapp.api.openapi import openapi_document
from webapp.database import db, settings
from webapp.messages import describe
from webapp.problems import problem
from webapp.security import bearer_user

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

STATES = tuple(state.value for state in PublicationState)
SECTIONS = tuple(section.value for section in Section)
TEXT = {
    "title": v.Field(v.text(1000, blank=False), required=True),
    "summary": v.Field(v.text(MAX_SEGMENT_CHARACTERS)),
    "body": v.Field(v.text(MAX_BODY_CHARACTERS), required=True),
    "state": v.Field(v.choice(*STATES)),
}
METADATA = {
    "section": v.Field(v.choice(*SECTIONS)),
    "date": v.Field(v.iso_date),
    "author": v.Field(v.name(200)),
    "tags": v.Field(v.names(50, 100)),
}


@blueprint.before_request
def _authenticate() -> Response | None:
    if request.endpoint == "api.openapi":
        return None
    user = bearer_user()
    if user is None:
        return problem(401, _("A valid API token is required: Authorization: Bearer <token>."))
    g.api_user = user
    return None


@blueprint.errorhandler(v.Invalid)
def _invalid(error: v.Invalid) -> Response:
    return problem(422, _("The request has invalid fields."), error.fields)


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(list(settings().editions)))


# ---------------------------------------------------------------- representations


def etag_of(representation: dict[str, Any]) -> str:
    canonical = json.dumps(representation, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _statuses(article_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    result: dict[int, dict[str, dict[str, Any]]] = {}
    for row in compute_status(db(), list(settings().editions), article_ids):
        data = row.as_dict()
        for key in ("article_id", "edition", "source_edition"):
            del data[key]
        result.setdefault(row.article_id, {})[row.edition] = data
    return result


def _load_article(article_id: int) -> Article | None:
    return articles_with_metadata(db(), [article_id]).get(article_id)


def _source_representation(article: Article) -> dict[str, Any]:
    """What a writer of the source may change: its ETag guards exactly this."""
    source = get_counterpart(db(), article.id, article.source_edition)
    assert source is not None, "every article has its source counterpart"
    meta = source_meta(article, source)
    return {
        "id": article.id,
        "source_edition": article.source_edition,
        "section": meta["section"],
        "date": article.published_on.isoformat(),
        "author": meta.get("author"),
        "tags": meta["tags"],
        "state": source.state.value,
        "title": source.title,
        "summary": source.summary,
        "body": source.body,
    }


def _article_response(article: Article, status: int = 200) -> Response:
    editable = _source_representation(article)
    response = jsonify({**editable, "statuses": _statuses([article.id])[article.id]})
    response.status_code = status
    response.set_etag(etag_of(editable))
    return response


def _counterpart_representation(article: Article, counterpart: Counterpart) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "edition": counterpart.edition,
        "state": counterpart.state.value,
        "title": counterpart.title,
        "summary": counterpart.summary,
        "body": counterpart.body,
    }


def _counterpart_response(article: Article, counterpart: Counterpart, status: int = 200):
    editable = _counterpart_representation(article, counterpart)
    statuses = _statuses([article.id])[article.id]
    response = jsonify(
        {**editable, "source_edition": article.source_edition, **statuses[counterpart.edition]}
    )
    response.status_code = status
    response.set_etag(etag_of(editable))
    return response


def _precondition(current: dict[str, Any]) -> Response | None:
    """428 without If-Match or with ``*`` (any version: it names none), 412 when it names
    another version than the current one."""
    if not request.if_match:
        return problem(428, _("Send the ETag you read in an If-Match header."))
    if request.if_match.star_tag:
        return problem(
            428,
            _("If-Match: * does not say which version you read: send the ETag you read."),
        )
    if not request.if_match.contains(etag_of(current)):
        return problem(412, _("It changed since you read it: read it again."))
    return None


def _refused(error: EditionsError) -> Response:
    message = describe(error)
    return problem(
        422, message, {"body": message} if isinstance(error, MarkdownError | BodyMismatch) else None
    )


def _json() -> Any:
    """The request's JSON, or None (refused as "must be a JSON object") when it is not JSON
    or nests deeper than any request needs: 100,000 brackets exhaust the parser."""
    if json_nesting(request.get_data(as_text=True)) > MAX_NESTING:
        raise v.Invalid({"": str(_l("the request body is nested too deeply"))})
    return request.get_json(silent=True)


# ---------------------------------------------------------------- articles


@blueprint.get("/articles")
def list_articles() -> Response:
    params = v.validate(
        request.args.to_dict(),
        {
            "limit": v.Field(_int_param(1, 100)),
            "offset": v.Field(_int_param(0, v.MAX_ID)),
            "section": v.Field(v.choice(*SECTIONS)),
            "edition": v.Field(v.choice(*settings().editions)),
            "status": v.Field(v.choice(*(status.value for status in Status))),
        },
    )
    if "status" in params and "edition" not in params:
        raise v.Invalid({"edition": str(_l("required when filtering by status"))})
    query = select(Article.id).order_by(Article.id.desc())
    if "section" in params:
        query = query.where(Article.section == Section(params["section"]))
    if "status" in params:
        query = query.join(StatusEntry, StatusEntry.article_id == Article.id).where(
            StatusEntry.edition == params["edition"],
            StatusEntry.status == Status(params["status"]),
        )
    limit, offset = params.get("limit", 50), params.get("offset", 0)
    ids = list(db().scalars(query.limit(limit).offset(offset)))
    articles = articles_with_metadata(db(), ids)
    sources = {
        counterpart.article_id: counterpart
        for counterpart in db().scalars(select(Counterpart).where(Counterpart.article_id.in_(ids)))
        if counterpart.edition == articles[counterpart.article_id].source_edition
    }
    statuses = _statuses(ids)
    items = [
        {
            "id": article_id,
            "source_edition": articles[article_id].source_edition,
            "section": articles[article_id].section.value,
            "date": articles[article_id].published_on.isoformat(),
            "title": sources[article_id].title,
            "statuses": statuses.get(article_id, {}),
        }
        for article_id in ids
    ]
    return jsonify({"items": items, "limit": limit, "offset": offset})


def _int_param(low: int, high: int):
    def check(value: Any) -> int:
        message = _l("a whole number from %(low)s to %(high)s", low=low, high=high)
        if not isinstance(value, str) or not value.isascii() or not value.isdigit():
            raise ValueError(message)
        if not low <= int(value) <= high:
            raise ValueError(message)
        return int(value)

    return check


@blueprint.post("/articles")
def create_article() -> Response:
    fields = v.validate(
        _json(),
        {
            **TEXT,
            **METADATA,
            "id": v.Field(v.article_id),
            "source_edition": v.Field(v.choice(*settings().editions), required=True),
            "section": v.Field(v.choice(*SECTIONS), required=True),
            "date": v.Field(v.iso_date, required=True),
        },
    )
    check_may_write_source(g.api_user, fields["source_edition"])
    lock_article_catalogue(db())  # before choosing the id: parallel creates take turns
    article_id = fields.get("id") or next_article_id(db())
    if db().get(Article, article_id) is not None:
        return problem(
            409, _("Article %(id)s already exists.", id=article_id), {"id": _("already exists")}
        )
    file = v.source_file(article_id, fields, default_state=PublicationState.PUBLISHED)
    try:
        apply_source_file(db(), settings().editions, file, user=g.api_user)
    except EditionsError as error:
        return _refused(error)
    article = _load_article(article_id)
    assert article is not None
    response = _article_response(article, 201)
    response.headers["Location"] = url_for("api.article", article_id=article_id)
    return response


@blueprint.get("/articles/<int:article_id>")
def article(article_id: int) -> Response:
    found = _load_article(article_id)
    if found is None:
        return problem(404, _("There is no article %(id)s.", id=article_id))
    return _article_response(found)


@blueprint.put("/articles/<int:article_id>")
def update_article(article_id: int) -> Response:
    """Replace the source text; metadata fields left out keep their value."""
    lock_article(db(), article_id)  # the If-Match check and the write see one version
    found = _load_article(article_id)
    if found is None:
        return problem(404, _("There is no article %(id)s.", id=article_id))
    check_may_write_source(g.api_user, found.source_edition)
    current = _source_representation(found)
    refused = _precondition(current)
    if refused is not None:
        return refused
    fields = v.validate(
        _json(),
        {**TEXT, **METADATA, "minor": v.Field(v.boolean), "note": v.Field(v.text(1000))},
    )
    if fields.get("minor") and not fields.get("note", "").strip():
        raise v.Invalid({"note": str(_l("a minor edit needs a note saying why"))})
    merged = {
        "source_edition": found.source_edition,
        "section": current["section"],
        "date": found.published_on,
        "author": current["author"],
        "tags": current["tags"],
        "state": current["state"],
        "issue": found.issue_number,
        "slug": found.slug,
        **fields,
    }
    try:
        apply_source_file(
            db(),
            settings().editions,
            v.source_file(article_id, merged, default_state=PublicationState.PUBLISHED),
            user=g.api_user,
            minor=fields.get("minor", False),
            note=fields.get("note", ""),
        )
    except EditionsError as error:
        return _refused(error)
    db().expire_all()
    updated = _load_article(article_id)
    assert updated is not None
    return _article_response(updated)


# ---------------------------------------------------------------- counterparts


def _find(article_id: int, edition: str) -> tuple[Article | None, Response | None]:
    found = db().get(Article, article_id)
    if found is None:
        return None, problem(404, _("There is no article %(id)s.", id=article_id))
    if edition not in settings().editions:
        return None, problem(404, _("This site has no %(edition)s edition.", edition=edition))
    return found, None


@blueprint.get("/articles/<int:article_id>/<edition>")
def counterpart(article_id: int, edition: str) -> Response:
    found, missing = _find(article_id, edition)
    if missing is not None:
        return missing
    assert found is not None
    existing = get_counterpart(db(), article_id, edition)
    if existing is None:
        return problem(
            404,
            _("Article %(id)s has no %(edition)s counterpart yet.", id=article_id, edition=edition),
        )
    return _counterpart_response(found, existing)


@blueprint.put("/articles/<int:article_id>/<edition>")
def write_counterpart(article_id: int, edition: str) -> Response:
    """The whole translated text, block by block like the source (as an import file)."""
    lock_article(db(), article_id)  # the If-Match check and the write see one version
    found, missing = _find(article_id, edition)
    if missing is not None:
        return missing
    assert found is not None
    if edition == found.source_edition:
        where = url_for("api.article", article_id=article_id)
        return problem(
            409,
            _(
                "%(edition)s is the source edition: write it at %(url)s.",
                edition=edition,
                url=where,
            ),
        )
    check_may_edit(g.api_user, edition)
    existing = get_counterpart(db(), article_id, edition)
    if existing is not None:
        refused = _precondition(_counterpart_representation(found, existing))
        if refused is not None:
            return refused
    elif request.if_match:
        # A condition on a version that does not exist is false (RFC 9110, 13.1.1).
        return problem(
            412,
            _("Article %(id)s has no %(edition)s counterpart yet.", id=article_id, edition=edition),
        )
    fields = v.validate(_json(), TEXT)
    file = ArticleFile(
        name=f"article {article_id} in {edition}",
        article_id=article_id,
        edition=edition,
        text=SourceText(fields["title"], fields.get("summary", ""), fields["body"]),
        state=PublicationState(fields.get("state", PublicationState.PUBLISHED)),
    )
    try:
        outcome = apply_translation_file(db(), settings().editions, file, user=g.api_user)
    except EditionsError as error:
        return _refused(error)
    written = get_counterpart(db(), article_id, edition)
    assert written is not None
    return _counterpart_response(found, written, 201 if outcome is Outcome.CREATED else 200)


# The newsletter resource attaches its routes to this blueprint.
from webapp.api import newsletters  # noqa: E402, F401
